/** ListOffsets (key 2): earliest (-2), latest (-1), max timestamp (-3) or the first offset at a time. */
import { ErrorCode, type messages as M } from '../../../libs/kafka/protocol';
import type { BrokerContext } from './context';

const LATEST = -1n;
const EARLIEST = -2n;
const MAX_TIMESTAMP = -3n;

function lookUp(
  ctx: BrokerContext,
  topic: string,
  partition: number,
  timestamp: bigint,
): M.ListOffsetsResponsePartition {
  const log = ctx.topics.get(topic)?.partitions[partition];
  const base = { partitionIndex: partition, leaderEpoch: 0 };
  if (!log) return { ...base, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, timestamp: -1n, offset: -1n };
  const found = (offset: number, at: number) => ({
    ...base,
    errorCode: ErrorCode.NONE,
    timestamp: BigInt(at),
    offset: BigInt(offset),
  });
  if (timestamp === LATEST) return found(log.endOffset, -1);
  if (timestamp === EARLIEST) return found(log.startOffset, -1);
  const record =
    timestamp === MAX_TIMESTAMP ? log.maxTimestampRecord() : log.offsetForTimestamp(Number(timestamp));
  return record ? found(record.offset, record.timestamp) : found(-1, -1);
}

export function handleListOffsets(ctx: BrokerContext, request: M.ListOffsetsRequest): M.ListOffsetsResponse {
  return {
    throttleTimeMs: 0,
    topics: request.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => lookUp(ctx, t.name, p.partitionIndex, p.timestamp)),
    })),
  };
}
