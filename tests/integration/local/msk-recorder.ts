import type { MSKEvent } from 'aws-lambda';

/** The `index` of each record of an MSK event whose values are `{"index": i}`, in order. */
const indexesOf = (event: MSKEvent): number[] =>
  Object.values(event.records)
    .flat()
    .map((r) => (JSON.parse(Buffer.from(r.value, 'base64').toString()) as { index: number }).index);

/** An MSK handler for tests recording every event and the indexes it handled, failing as `fail` says. */
export function mskRecorder(fail: (indexes: number[]) => boolean = () => false) {
  const events: MSKEvent[] = [];
  const handled: number[] = [];
  const handler = async (event: MSKEvent) => {
    events.push(event);
    const indexes = indexesOf(event);
    if (fail(indexes)) throw new Error(`refusing ${indexes.join(',')}`);
    handled.push(...indexes);
  };
  return { events, handled, handler, batches: () => events.map(indexesOf) };
}
