/**
 * The request and response bodies, transcribed from the Kafka protocol's message definitions (field
 * names in camelCase), shared by the embedded broker and the clients (producer, consumer). `minVersion..maxVersion` is
 * what the embedded broker serves (other versions get UNSUPPORTED_VERSION from ApiVersions or a
 * closed connection, as a Kafka broker does); the clients pick their own versions (connection.ts).
 */
export { ApiVersions, CreateTopics, InitProducerId, Metadata } from './cluster';
export { OffsetCommit, OffsetFetch } from './groups';
export { Fetch, ListOffsets, Produce } from './records';
export { SaslAuthenticate, SaslHandshake } from './sasl';
