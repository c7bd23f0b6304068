/**
 * Before the event sources start on a lake that already holds data: does what the lake says it has
 * taken from Kafka and Kinesis agree with what the local broker and kinesalite hold? If not (the
 * broker's state was removed, or the lake was written by another broker), a start would silently
 * skip or overwrite records, so the stack refuses and names the mismatch.
 */

import { type KinesisClient, ListShardsCommand } from '@aws-sdk/client-kinesis';
import { listRawFiles, listRawIndexes } from '../../libs/batch';
import { cleanTablePath, loadSnapshotIfExists } from '../../libs/lake';
import { kindOfStream, streamName, topicNames } from '../../libs/naming';
import { KINDS } from '../../libs/records';
import type { ObjectStore } from '../../libs/storage';
import { readShardMark } from '../../libs/stream-to-delta';
import type { KafkaBroker } from '../kafka';
import { LakeContinuityError } from './errors';

/** What {@link checkLakeContinuity} compares. */
export interface ContinuitySources {
  readonly store: ObjectStore;
  /** How the lake is named in messages. */
  readonly lake: string;
  /** Where the broker's and kinesalite's state live, named in messages. */
  readonly stateDir: string;
  readonly broker: KafkaBroker;
  /** Names the topics and streams whose state is checked. */
  readonly pipelineId: string;
  /** True when the broker started with no state of an earlier run. */
  readonly brokerFresh: boolean;
  readonly kinesis: KinesisClient;
  /** True when kinesalite started with no state of an earlier run. */
  readonly kinesisFresh: boolean;
}

/** Per topic-partition, the next offset the lake says it has: landed (raw files) and cleaned (batch tables). */
async function lakeKafkaMarks(store: ObjectStore, topics: readonly string[]) {
  const marks = new Map<string, { landed: number; cleaned: number }>();
  const mark = (topic: string, partition: number) => {
    const key = `${topic}-${partition}`;
    const found = marks.get(key) ?? { landed: 0, cleaned: 0 };
    marks.set(key, found);
    return found;
  };
  for (const topic of topics) {
    for (const [partition, files] of await listRawFiles(store, topic)) {
      const at = mark(topic, partition);
      at.landed = Math.max(at.landed, (files[files.length - 1]?.startOffset ?? -1) + 1);
      for (const names of (await listRawIndexes(store, topic, partition)).values())
        for (const name of names) at.landed = Math.max(at.landed, name.endOffset + 1);
    }
  }
  for (const kind of KINDS) {
    const snapshot = await loadSnapshotIfExists(store, cleanTablePath('batch', kind));
    for (const [appId, version] of Object.entries(snapshot?.txns ?? {})) {
      const match = /^kafka:(.+):(\d+)$/.exec(appId);
      if (match && topics.includes(match[1]!))
        mark(match[1]!, Number(match[2])).cleaned = Math.max(0, version + 1);
    }
  }
  return marks;
}

/**
 * Per shard of `stream`, the high-water mark its stream table holds (the last sequence number
 * stream-to-delta committed): where its Kinesis poller resumes after a restart instead of reading the
 * whole retained shard again only to skip it.
 */
export async function streamCheckpoints(
  store: ObjectStore,
  kinesis: KinesisClient,
  pipelineId: string,
  stream: string,
): Promise<Record<string, string>> {
  const kind = kindOfStream(pipelineId, stream);
  if (kind === undefined) return {};
  const snapshot = await loadSnapshotIfExists(store, cleanTablePath('stream', kind));
  if (!snapshot) return {};
  const checkpoints: Record<string, string> = {};
  for (const shard of (await kinesis.send(new ListShardsCommand({ StreamName: stream }))).Shards ?? []) {
    const { highWater } = readShardMark(snapshot, stream, shard.ShardId ?? '');
    if (highWater !== undefined && shard.ShardId) checkpoints[shard.ShardId] = String(highWater);
  }
  return checkpoints;
}

/**
 * Throws a {@link LakeContinuityError} when the lake references Kafka offsets the broker does not
 * hold (raw landing or batch-clean past the log's end), a consumer group committed past the end or
 * before the log's start, or a stream table's high-water mark is not below a fresh shard's first
 * sequence number (new records would be taken for old ones and skipped).
 */
export async function checkLakeContinuity(sources: ContinuitySources): Promise<void> {
  const { broker, stateDir, lake } = sources;
  const topics = topicNames(sources.pipelineId);
  const problems: string[] = [];
  for (const [key, at] of await lakeKafkaMarks(sources.store, topics)) {
    const [, topic, p] = /^(.+)-(\d+)$/.exec(key)!;
    const partition = Number(p);
    const count = broker.partitionCount(topic!);
    const end = count !== undefined && partition < count ? broker.endOffset(topic!, partition) : 0;
    const reach = Math.max(at.landed, at.cleaned);
    if (reach > end) {
      const what = at.cleaned >= at.landed ? 'batch-clean has taken' : 'the raw landing holds';
      problems.push(
        sources.brokerFresh
          ? `${key}: ${what} offsets up to ${reach - 1}, but the broker's state (${stateDir}/kafka) is missing: its log would start at 0 again and those offsets would be skipped or refused`
          : `${key}: ${what} offsets up to ${reach - 1}, but the broker's log ends at ${end - 1} (${stateDir}/kafka belongs to another lake or lost records)`,
      );
    }
  }
  for (const [group, topic, partition, offset] of broker.committedOffsets()) {
    if (!topics.includes(topic)) continue;
    const end = broker.endOffset(topic, partition);
    const start = broker.startOffset(topic, partition);
    if (offset > end)
      problems.push(
        `${topic}-${partition}: group ${group} committed offset ${offset}, past the log's end ${end}`,
      );
    if (offset < start)
      problems.push(
        `${topic}-${partition}: group ${group} has not taken offsets ${offset}..${start - 1}, which retention deleted`,
      );
  }
  if (sources.kinesisFresh) {
    for (const kind of KINDS) {
      const stream = streamName(sources.pipelineId, kind);
      const snapshot = await loadSnapshotIfExists(sources.store, cleanTablePath('stream', kind));
      if (!snapshot) continue;
      const shards = (await sources.kinesis.send(new ListShardsCommand({ StreamName: stream }))).Shards ?? [];
      for (const shard of shards) {
        const { highWater } = readShardMark(snapshot, stream, shard.ShardId ?? '');
        const first = shard.SequenceNumberRange?.StartingSequenceNumber;
        if (highWater !== undefined && first !== undefined && highWater >= BigInt(first))
          problems.push(
            `${stream}/${shard.ShardId}: tables/stream/${kind} holds records up to sequence number ${highWater}, but Kinesis's state (${stateDir}/kinesis) is missing and the new shard starts at ${first}: new records would be skipped`,
          );
      }
    }
  }
  if (problems.length > 0) {
    throw new LakeContinuityError(
      `the local stack cannot go on from the lake ${lake}:\n  ${problems.join('\n  ')}\n` +
        'Use another --lake, or restore the lake and its .local directory together.',
    );
  }
}
