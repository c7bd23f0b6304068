import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';

/** What one invocation received: the records' decoded data, in order. */
type Invocation = string[];

/** How the handler answers a batch: nothing (success), a partial response, or a throw. */
export type Behaviour = (
  batch: ReadonlyArray<{ data: string; sequenceNumber: string }>,
  call: number,
) => KinesisStreamBatchResponse | undefined;

/**
 * A Kinesis handler for tests that records every invocation (decoded data, in order) and answers as
 * `behaviour` says (default: success).
 */
export function recordingHandler(behaviour: Behaviour = () => undefined) {
  const invocations: Invocation[] = [];
  const handled: string[] = [];
  const handler = async (event: KinesisStreamEvent): Promise<KinesisStreamBatchResponse | undefined> => {
    const batch = event.Records.map((r) => ({
      data: Buffer.from(r.kinesis.data, 'base64').toString('utf8'),
      sequenceNumber: r.kinesis.sequenceNumber,
    }));
    invocations.push(batch.map((r) => r.data));
    const response = behaviour(batch, invocations.length);
    const failed = new Set(response?.batchItemFailures.map((f) => f.itemIdentifier));
    const lowest = batch.findIndex((r) => failed.has(r.sequenceNumber));
    handled.push(...batch.slice(0, lowest < 0 ? batch.length : lowest).map((r) => r.data));
    return response;
  };
  return { handler, invocations, handled };
}
