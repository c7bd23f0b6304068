/**
 * The request and response bodies the embedded broker serves, transcribed from the Kafka protocol's
 * message definitions (field names in camelCase). Versions outside `minVersion..maxVersion` are
 * answered with UNSUPPORTED_VERSION (ApiVersions) or by closing the connection (every other API),
 * as a Kafka broker does.
 */
export { ApiVersions, CreateTopics, InitProducerId, Metadata } from './cluster';
export { Fetch, ListOffsets, Produce } from './records';
export { SaslAuthenticate, SaslHandshake } from './sasl';
