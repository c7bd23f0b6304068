/**
 * The request and response bodies, transcribed from the Kafka protocol's message definitions (field
 * names in camelCase), shared by the embedded broker and the clients (producer, consumer). `minVersion..maxVersion` is
 * what the embedded broker serves (other versions get UNSUPPORTED_VERSION from ApiVersions or a
 * closed connection, as a Kafka broker does); the clients pick their own versions (connection.ts).
 *
 * Each schema carries its bodies' types: a field present in only some of the served versions is
 * optional, a nullable field includes `null`, int64 is `bigint`, bytes and records are `Buffer`.
 */
export * from './cluster';
export * from './groups';
export * from './records';
export * from './sasl';
