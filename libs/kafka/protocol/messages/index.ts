/**
 * The request and response bodies, transcribed from the Kafka protocol's message definitions (field
 * names in camelCase), shared by the embedded broker and the producer. `minVersion..maxVersion` is
 * what the embedded broker serves (other versions get UNSUPPORTED_VERSION from ApiVersions or a
 * closed connection, as a Kafka broker does); the producer picks its own versions (connection.ts).
 */
export { ApiVersions, CreateTopics, InitProducerId, Metadata } from './cluster';
export { Fetch, ListOffsets, Produce } from './records';
export { SaslAuthenticate, SaslHandshake } from './sasl';
