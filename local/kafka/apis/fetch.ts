/**
 * Fetch (key 1): serves stored batches from an offset, long-polling up to MaxWaitMs when there is
 * less than MinBytes to send. No fetch sessions (session id 0 means "none", clients send full fetches).
 */
import { ErrorCode, type messages as M } from '../../../libs/kafka/protocol';
import type { BrokerContext } from './context';

function collect(
  ctx: BrokerContext,
  request: M.FetchRequest,
): { responses: M.FetchResponseTopic[]; bytes: number } {
  let budget = request.maxBytes ?? 0x7fffffff;
  let bytes = 0;
  const responses = request.topics.map((t) => ({
    topic: t.topic,
    partitions: t.partitions.map((p): M.FetchResponsePartition => {
      const log = ctx.topics.get(t.topic)?.partitions[p.partition];
      const base = { partitionIndex: p.partition, abortedTransactions: null, preferredReadReplica: -1 };
      if (!log) {
        return {
          ...base,
          errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
          highWatermark: -1n,
          records: null,
        };
      }
      const end = BigInt(log.endOffset);
      const start = BigInt(log.startOffset);
      const marks = { highWatermark: end, lastStableOffset: end, logStartOffset: start };
      if (p.fetchOffset < start || p.fetchOffset > end) {
        return { ...base, ...marks, errorCode: ErrorCode.OFFSET_OUT_OF_RANGE, records: null };
      }
      const records =
        budget > 0
          ? log.fetch(Number(p.fetchOffset), Math.min(p.partitionMaxBytes, budget))
          : Buffer.alloc(0);
      budget -= records.length;
      bytes += records.length;
      return { ...base, ...marks, errorCode: ErrorCode.NONE, records };
    }),
  }));
  return { responses, bytes };
}

export async function handleFetch(ctx: BrokerContext, request: M.FetchRequest): Promise<M.FetchResponse> {
  let result = collect(ctx, request);
  if (result.bytes < request.minBytes && request.maxWaitMs > 0 && !ctx.closing.aborted) {
    const waiting = new AbortController();
    const logs = request.topics.flatMap((t) =>
      t.partitions.flatMap((p) => ctx.topics.get(t.topic)?.partitions[p.partition] ?? []),
    );
    const signal = AbortSignal.any([waiting.signal, ctx.closing]);
    if (logs.length > 0) await Promise.race(logs.map((log) => log.waitForData(request.maxWaitMs, signal)));
    waiting.abort();
    result = collect(ctx, request);
  }
  return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, sessionId: 0, responses: result.responses };
}
