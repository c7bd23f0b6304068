/**
 * How many records from the head of `buffer` go into the next invocation, as Lambda's event-source
 * mappings cut batches: at most `batchSize`, and no more than fit in `maxPayloadBytes` (the 6 MB
 * synchronous-invoke limit) — but always at least one, so an oversized record still gets delivered.
 * `sizeOf` estimates one record's share of the event (its encoded bytes plus its envelope).
 */
export function batchLength<R>(
  buffer: readonly R[],
  batchSize: number,
  maxPayloadBytes: number,
  sizeOf: (record: R) => number,
): number {
  let size = 0;
  let count = 0;
  for (const record of buffer) {
    size += sizeOf(record);
    if (count === batchSize || (count > 0 && size > maxPayloadBytes)) break;
    count++;
  }
  return count;
}
