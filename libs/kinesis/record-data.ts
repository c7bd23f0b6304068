/**
 * How a record body from the API becomes Kinesis bytes. The seed's API Gateway mapping base64s the
 * JSON of `Data`, so an object (or array, number, boolean) is sent as its JSON text. A string is sent
 * as it is, UTF-8 encoded, NOT JSON-quoted again: a client that already serialised its record gets the
 * same bytes on the stream instead of a double-encoded string.
 */
export function encodeRecordData(data: unknown): Buffer {
  return Buffer.from(typeof data === 'string' ? data : JSON.stringify(data), 'utf8');
}

/** The size Kinesis charges a record against its limit: data bytes plus the partition key's UTF-8 bytes. */
export function recordSize(data: Uint8Array, partitionKey: string): number {
  return data.length + Buffer.byteLength(partitionKey, 'utf8');
}
