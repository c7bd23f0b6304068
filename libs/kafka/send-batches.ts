/**
 * Sends one record batch per partition of a topic, one Produce request per leader, and retries the
 * partitions that failed in a retriable way with the same producer id and sequences, so the broker
 * stores a retried batch once.
 */

import { pause } from '../retry';
import type { Cluster, ProducerIdentity } from './cluster';
import type { BrokerConnection } from './connection';
import { errorCodeName, isRetriable, KafkaResponseError } from './errors';
import { ErrorCode } from './protocol/errors';
import * as M from './protocol/messages';
import { encodeRecordBatch } from './protocol/record-batch';

/** How {@link sendBatches} sends. */
export interface SendOptions {
  readonly compression: 'none' | 'gzip';
  readonly retries: number;
  readonly retryDelayMs: number;
  /** How long each broker may wait for all in-sync replicas (acks=all). */
  readonly timeoutMs: number;
}

/** The records of one partition, as key and value bytes. */
export interface PartitionRecords {
  readonly partition: number;
  readonly records: readonly { readonly key: Buffer | null; readonly value: Buffer }[];
}

/** The base offset a partition's batch got, or why it was not stored. */
export type PartitionOutcome = { readonly offset: number } | { readonly error: unknown };

const SEQUENCE_LIMIT = 2 ** 31;

async function leaderOf(cluster: Cluster, topic: string, partition: number) {
  try {
    return await cluster.leader(topic, partition);
  } catch (error) {
    return { error };
  }
}

/** Sends the partitions' batches to `topic` (acks=all); resolves one outcome per partition, by partition. */
export async function sendBatches(
  cluster: Cluster,
  identity: ProducerIdentity,
  topic: string,
  parts: readonly PartitionRecords[],
  options: SendOptions,
): Promise<Map<number, PartitionOutcome>> {
  const outcomes = new Map<number, PartitionOutcome>();
  const batches = new Map<number, Buffer>();
  for (const { partition, records } of parts) {
    batches.set(
      partition,
      encodeRecordBatch(records, {
        compression: options.compression,
        producerId: identity.id,
        producerEpoch: identity.epoch,
        baseSequence: identity.sequences.get(`${topic}-${partition}`) ?? 0,
      }),
    );
  }
  let pending = parts.map((p) => p.partition);
  for (let retry = 0; pending.length > 0; retry++) {
    if (retry > 0) {
      await pause(options.retryDelayMs);
      cluster.forgetTopic(topic);
    }
    const byLeader = new Map<BrokerConnection, number[]>();
    for (const partition of pending) {
      const leader = await leaderOf(cluster, topic, partition);
      if ('error' in leader) outcomes.set(partition, leader);
      else byLeader.set(leader, [...(byLeader.get(leader) ?? []), partition]);
    }
    await Promise.all(
      [...byLeader].map(async ([leader, partitions]) => {
        try {
          const reply = await leader.request(M.Produce, {
            transactionalId: null,
            acks: -1,
            timeoutMs: options.timeoutMs,
            topicData: [
              {
                name: topic,
                partitionData: partitions.map((index) => ({ index, records: batches.get(index) ?? null })),
              },
            ],
          });
          const answers = reply.responses.flatMap((r) => r.partitionResponses);
          for (const partition of partitions) {
            outcomes.set(partition, outcomeOf(topic, partition, leader.address, answers));
          }
        } catch (error) {
          for (const partition of partitions) outcomes.set(partition, { error });
        }
      }),
    );
    pending = pending.filter((p) => {
      const outcome = outcomes.get(p);
      return outcome && 'error' in outcome && isRetriable(outcome.error) && retry < options.retries;
    });
  }
  for (const { partition, records } of parts) {
    const outcome = outcomes.get(partition);
    if (!outcome || 'error' in outcome) continue;
    const where = `${topic}-${partition}`;
    identity.sequences.set(where, ((identity.sequences.get(where) ?? 0) + records.length) % SEQUENCE_LIMIT);
  }
  return outcomes;
}

function outcomeOf(
  topic: string,
  partition: number,
  address: string,
  answers: readonly M.ProducePartitionResponse[],
): PartitionOutcome {
  const where = `${topic}-${partition}`;
  const answer = answers.find((a) => a.index === partition);
  if (!answer) {
    return {
      error: new KafkaResponseError(ErrorCode.INVALID_REQUEST, `${address} did not answer for ${where}`),
    };
  }
  if (answer.errorCode === ErrorCode.NONE) return { offset: Number(answer.baseOffset) };
  const detail = answer.errorMessage ? `: ${answer.errorMessage}` : '';
  const message = `Produce to ${where} at ${address} failed: ${errorCodeName(answer.errorCode)}${detail}`;
  return { error: new KafkaResponseError(answer.errorCode, message) };
}
