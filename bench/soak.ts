/**
 * Soak: pushes SOAK_MB (default 1,024) MiB through the embedded broker and as much through kinesalite,
 * both on disk as the local stack runs them, while a consumer takes the broker's records and commits
 * (as land-topics does, so retention can delete segments), sampling the process's RSS every second.
 * The point: memory stays flat, old records are on disk, not in RAM. First it measures what the
 * broker's fsync per Produce costs against an fsync per second, with one-record requests as the
 * local stack's edge sends them.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { createKafkaProducer } from '../libs/kafka';
import { KafkaBroker } from '../local/kafka';
import type { LogSettings } from '../local/kafka/partition-log';
import { startKinesis } from '../local/kinesis';
import type { BenchOptions, BenchResult, Figures } from './types';

const MiB = 1024 * 1024;
const TOPIC = 'soak';

function duBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? duBytes(path) : statSync(path).size;
  }
  return total;
}

async function withBroker<T>(settings: Partial<LogSettings>, work: (broker: KafkaBroker) => Promise<T>) {
  const dir = mkdtempSync(join(tmpdir(), 'pinlake-soak-kafka-'));
  const broker = await KafkaBroker.start({
    dataDir: dir,
    logSettings: settings,
    retentionCheckMs: 1000,
    topics: [{ name: TOPIC, partitions: 2 }],
    log: () => {},
  });
  try {
    return await work(broker);
  } finally {
    await broker.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One-record produce requests from 16 concurrent senders for `ms`; records/s and mean latency. */
async function produceSmall(
  settings: Partial<LogSettings>,
  ms: number,
): Promise<{ perSecond: number; meanMs: number }> {
  return withBroker(settings, async (broker) => {
    const producer = createKafkaProducer({
      clientId: 'soak',
      connection: { kind: 'plain', brokers: [broker.bootstrap] },
    });
    const value = Buffer.alloc(600, 'x');
    let count = 0;
    let latency = 0;
    const end = performance.now() + ms;
    await producer.produce(TOPIC, [{ value }]);
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (performance.now() < end) {
          const started = performance.now();
          await producer.produce(TOPIC, [{ value }]);
          latency += performance.now() - started;
          count++;
        }
      }),
    );
    await producer.close();
    return { perSecond: Math.round((count * 1000) / ms), meanMs: Number((latency / count).toFixed(2)) };
  });
}

export async function run(options: BenchOptions): Promise<BenchResult> {
  const totalMb = Number(process.env.SOAK_MB ?? 1024);
  const say = (line: string) => {
    if (!options.json) process.stderr.write(`soak: ${line}\n`);
  };
  say('fsync cost: one-record Produce requests, 16 in flight, 5 s each');
  const perProduce = await produceSmall({ flushIntervalMs: 0 }, 5000);
  const perSecond = await produceSmall({ flushIntervalMs: 1000 }, 5000);

  const settings: Partial<LogSettings> = { segmentBytes: 16 * MiB, retentionBytes: 64 * MiB };
  const kinesisDir = mkdtempSync(join(tmpdir(), 'pinlake-soak-kinesis-'));
  const kinesis = await startKinesis({ path: kinesisDir, pipelineId: 'soak', shardCount: 2 });
  const samples: { s: number; rssMb: number; pushedMb: number }[] = [];
  const began = performance.now();
  let kafkaBytes = 0;
  let kinesisBytes = 0;
  let brokerDisk = 0;
  try {
    await withBroker(settings, async (broker) => {
      const producer = createKafkaProducer({
        clientId: 'soak',
        connection: { kind: 'plain', brokers: [broker.bootstrap] },
      });
      const target = totalMb * MiB;
      let producing = true;
      const sample = () => {
        samples.push({
          s: Math.round((performance.now() - began) / 1000),
          rssMb: Math.round(process.memoryUsage().rss / MiB),
          pushedMb: Math.round((kafkaBytes + kinesisBytes) / MiB),
        });
      };
      sample();
      const sampler = setInterval(sample, 1000);
      // Random bytes: what LevelDB (snappy) and the disk figures see is what was sent.
      const record = randomBytes(8 * 1024);
      const kafkaLoad = Array.from({ length: 4 }, async () => {
        while (kafkaBytes < target) {
          kafkaBytes += 64 * record.length;
          await producer.produce(
            TOPIC,
            Array.from({ length: 64 }, () => ({ value: record })),
          );
        }
      });
      const consumer = (async () => {
        const cursors = [0, 0];
        while (producing || cursors.some((c, p) => c < broker.endOffset(TOPIC, p))) {
          let read = 0;
          for (const p of [0, 1]) {
            const records = broker.read(TOPIC, p, cursors[p]!, 2000);
            read += records.length;
            if (records.length > 0) {
              cursors[p] = records[records.length - 1]!.offset + 1;
              broker.commitOffset('soak-consumer', TOPIC, p, cursors[p]!);
            }
          }
          await new Promise((resolve) => setTimeout(resolve, read > 0 ? 0 : 20));
        }
      })();
      const data = randomBytes(10 * 1024);
      const kinesisLoad = Array.from({ length: 2 }, async (_, loop) => {
        while (kinesisBytes < target) {
          kinesisBytes += 100 * data.length;
          await kinesis.client.send(
            new PutRecordsCommand({
              StreamName: kinesis.streams[0],
              Records: Array.from({ length: 100 }, (_, i) => ({ Data: data, PartitionKey: `${loop}-${i}` })),
            }),
          );
        }
      });
      await Promise.all([...kafkaLoad, ...kinesisLoad]);
      producing = false;
      await consumer;
      broker.applyRetention();
      brokerDisk = broker.logBytes();
      clearInterval(sampler);
      sample();
      await producer.close();
    });
  } finally {
    await kinesis.close();
  }
  const kinesisDisk = duBytes(kinesisDir);
  rmSync(kinesisDir, { recursive: true, force: true });
  const seconds = (performance.now() - began) / 1000;
  const at = (fraction: number) =>
    samples.find((x) => x.pushedMb >= fraction * 2 * totalMb) ?? samples.at(-1)!;
  const figures: Figures = {
    'fsync per Produce: records/s (1 record each, 16 in flight)': perProduce.perSecond,
    'fsync per Produce: mean latency ms': perProduce.meanMs,
    'fsync each second: records/s': perSecond.perSecond,
    'fsync each second: mean latency ms': perSecond.meanMs,
    'pushed through the broker, MiB': Math.round(kafkaBytes / MiB),
    'pushed through kinesalite, MiB': Math.round(kinesisBytes / MiB),
    seconds: Number(seconds.toFixed(1)),
    'RSS at start, MiB': samples[0]!.rssMb,
    'RSS at 25 %, MiB': at(0.25).rssMb,
    'RSS at 50 %, MiB': at(0.5).rssMb,
    'RSS at 75 %, MiB': at(0.75).rssMb,
    'RSS at the end, MiB': samples.at(-1)!.rssMb,
    'RSS max, MiB': Math.max(...samples.map((x) => x.rssMb)),
    'broker log on disk at the end, MiB (retention 64 MiB per partition)': Math.round(brokerDisk / MiB),
    'kinesalite LevelDB on disk, MiB (24 h retention)': Math.round(kinesisDisk / MiB),
  };
  return {
    name: 'soak',
    figures,
    notes: [
      `RSS samples (s: MiB at MiB pushed): ${samples
        .filter((_, i) => i % Math.max(1, Math.ceil(samples.length / 12)) === 0 || i === samples.length - 1)
        .map((x) => `${x.s}: ${x.rssMb} at ${x.pushedMb}`)
        .join(', ')}`,
      'broker: 16 MiB segments, 64 MiB retention per partition, a consumer committing as land-topics does; kinesalite: leveldown, 2 shards',
      'before (everything in memory, issue 12): 838 MB accepted in 92 s took the stack from 227 MB to 2,389 MB RSS',
    ],
  };
}
