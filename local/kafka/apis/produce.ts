/** Produce (key 0): validates and appends record batches; one error code per partition. */
import {
  ErrorCode,
  type InflateBudget,
  inflateBudget,
  type messages as M,
  parseRecordBatches,
  RecordBatchError,
} from '../../../libs/kafka/protocol';
import type { PartitionLog } from '../partition-log';
import type { BrokerContext } from './context';

interface PartitionResult {
  errorCode: number;
  baseOffset: bigint;
  errorMessage: string | null;
}

/**
 * Most bytes the gzip batches of one Produce request may inflate to, all partitions together: 64 MiB, four times the largest
 * request (`MAX_REQUEST_BYTES`), so a gzip bomb is cut off there with MESSAGE_TOO_LARGE instead of
 * inflating a thousandfold in memory.
 */
export const MAX_INFLATED_BYTES = 64 * 1024 * 1024;

const failed = (errorCode: number, errorMessage: string): PartitionResult & { log?: PartitionLog } => ({
  errorCode,
  baseOffset: -1n,
  errorMessage,
});

function appendTo(
  ctx: BrokerContext,
  request: M.ProduceRequest,
  topicName: string,
  index: number,
  records: Buffer | null,
  budget: InflateBudget,
) {
  const where = `produce to ${topicName}-${index}`;
  if (request.transactionalId !== null) {
    return failed(
      ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
      `${where}: transactions are not supported`,
    );
  }
  if (![-1, 0, 1].includes(request.acks)) {
    return failed(ErrorCode.INVALID_REQUIRED_ACKS, `${where}: acks ${request.acks} is not -1, 0 or 1`);
  }
  const log = ctx.topics.get(topicName)?.partitions[index];
  if (!log) return failed(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `${where}: no such topic or partition`);
  if (!records || records.length === 0) return failed(ErrorCode.INVALID_RECORD, `${where}: no record batch`);
  try {
    const batches = parseRecordBatches(records, where, budget);
    const offsets = batches.map((b) => log.append(b));
    return { errorCode: ErrorCode.NONE, baseOffset: BigInt(offsets[0]!), errorMessage: null, log };
  } catch (error) {
    if (!(error instanceof RecordBatchError)) throw error;
    return failed(error.kafkaCode, error.message);
  }
}

/**
 * Appends every partition's batches, then answers once they are durable as the log's flush policy
 * says (with the default, after an fsync that covers them).
 */
export async function handleProduce(
  ctx: BrokerContext,
  request: M.ProduceRequest,
): Promise<M.ProduceResponse | null> {
  const budget = inflateBudget(MAX_INFLATED_BYTES);
  const written = new Set<PartitionLog>();
  const responses = request.topicData.map((t) => ({
    name: t.name,
    partitionResponses: t.partitionData.map((p): M.ProducePartitionResponse => {
      const { log, ...result } = appendTo(ctx, request, t.name, p.index, p.records, budget);
      if (log) written.add(log);
      if (result.errorMessage) ctx.log(`rejected: ${result.errorMessage} (error ${result.errorCode})`);
      return {
        index: p.index,
        ...result,
        logAppendTimeMs: -1n,
        logStartOffset: log ? BigInt(log.startOffset) : -1n,
        recordErrors: [],
      };
    }),
  }));
  await Promise.all([...written].map((log) => log.flushed()));
  return request.acks === 0 ? null : { responses, throttleTimeMs: 0 };
}
