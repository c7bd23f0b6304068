import type { MSKEvent } from 'aws-lambda';
import { setChaos } from '../../../libs/chaos';
import { generatePosts, type Post } from '../../../libs/emulator';
import { cleanRecord, KINDS, type Kind } from '../../../libs/records';
import { KafkaBroker } from '../../../local/kafka';
import { type BatchStack, startBatchStack } from './stack';

// HTTP → local API Gateway → ingest-batch (REST Proxy v2) → embedded Kafka → MSK pollers (Lambda
// semantics) → land-topics → raw landing → batch-clean → Delta: the rows must be exactly the cleaning of
// what was sent, each once, with the Kafka timestamp as ingested_at.
interface Sent {
  kind: Kind;
  value: unknown;
}
type Offsets = { offsets: { partition: number; offset: number; error_code: null; error: null }[] };

let broker: KafkaBroker;
let stack: BatchStack;

beforeAll(async () => {
  broker = await KafkaBroker.start({ autoCreateTopics: false, log: () => {} });
});
afterAll(() => broker.close());

beforeEach(async () => {
  stack = await startBatchStack(broker);
});
afterEach(async () => {
  setChaos(undefined);
  await stack.close();
});

const posts = (count: number, seed: number): Post[] => [...generatePosts({ posts: count, seed })];

/** Sends values of a kind: the first `single` one per request (as the seed does), the rest 100 per request. */
async function send(kind: Kind, values: readonly unknown[], single: number, sent: Map<string, Sent>) {
  const topic = stack.topic(kind);
  const remember = (reply: Offsets, chunk: readonly unknown[]) =>
    reply.offsets.forEach((o, i) => {
      sent.set(`kafka:${topic}:${o.partition}:${o.offset}`, { kind, value: chunk[i] });
    });
  for (const value of values.slice(0, single)) {
    const reply = await stack.postValues(kind, [value]);
    expect(reply.status).toBe(200);
    remember(reply.body as Offsets, [value]);
  }
  const rest = values.slice(single);
  for (let at = 0; at < rest.length; at += 100) {
    const chunk = rest.slice(at, at + 100);
    const reply = await stack.postValues(kind, chunk);
    expect(reply.status).toBe(200);
    remember(reply.body as Offsets, chunk);
  }
}

async function sendPosts(list: readonly Post[]): Promise<Map<string, Sent>> {
  const sent = new Map<string, Sent>();
  for (const kind of KINDS) {
    await send(
      kind,
      list.map((post) => post[kind]),
      10,
      sent,
    );
  }
  return sent;
}

/** The Kafka timestamp of the record a source names, read back from the broker. */
function kafkaTimestamp(source: string): Date {
  const [, topic, partition, offset] = source.split(':');
  const record = broker.read(topic!, Number(partition), Number(offset), 1)[0]!;
  return new Date(record.timestamp);
}

/** Every table row by source, and the sent values cleaning accepts, cleaned with their Kafka timestamp. */
async function compare(sent: Map<string, Sent>) {
  const actual: [string, Record<string, unknown>][] = [];
  for (const kind of KINDS) {
    for (const row of (await stack.table(kind)).rows) actual.push([String(row.source), row]);
  }
  const expected: [string, Record<string, unknown>][] = [];
  for (const [source, { kind, value }] of sent) {
    const bytes = Buffer.from(JSON.stringify(value));
    const cleaned = cleanRecord(kind, bytes, { source, ingestedAt: kafkaTimestamp(source) });
    if (cleaned.ok) expected.push([source, { ...cleaned.row }]);
  }
  const bySource = (a: [string, unknown], b: [string, unknown]) => (a[0] < b[0] ? -1 : 1);
  return { actual: actual.sort(bySource), expected: expected.sort(bySource) };
}

async function tableState() {
  const state: Record<string, unknown> = {};
  for (const kind of KINDS) state[kind] = await stack.table(kind);
  return state;
}

describe('The batch path end to end', () => {
  it('turns posts sent one by one and in bulk into exactly their clean rows, each once, stamped with the Kafka time', async () => {
    // Prepare
    const sent = await sendPosts(posts(60, 7));
    stack.poll();

    // Act
    await stack.drain();
    const summary = await stack.clean();

    // Assess
    const { actual, expected } = await compare(sent);
    expect(expected).toHaveLength(180);
    expect(actual).toStrictEqual(expected);
    expect(summary.rowsWritten).toStrictEqual({ pin: 60, geo: 60, user: 60 });
    expect([summary.recordsRead, summary.quarantined, summary.skipped]).toStrictEqual([180, 0, 0]);
    expect(await stack.store.list('quarantine/')).toStrictEqual([]);
  });

  it('loses and duplicates nothing when every landing and cleaning step fails with probability 0.3', async () => {
    // Prepare
    await stack.close();
    stack = await startBatchStack(broker, { chunkRecords: 5 });
    const sent = await sendPosts(posts(60, 8));
    let failures = 0;
    setChaos(0.3, () => {
      const r = Math.random();
      if (r < 0.3) failures++;
      return r;
    });

    // Act
    stack.poll({ batchSize: 10 });
    await stack.drain();
    await stack.clean();
    await stack.clean();
    setChaos(undefined);

    // Assess
    const { actual, expected } = await compare(sent);
    expect(failures).toBeGreaterThan(5);
    expect([...stack.chaosSteps].sort()).toStrictEqual([
      'batch-clean:after-commit',
      'batch-clean:after-upload',
      'land-topics:after-write',
      'land-topics:before-reply',
      'msk-poller:before-commit',
    ]);
    expect(expected).toHaveLength(180);
    expect(actual).toStrictEqual(expected);
    expect(await stack.store.list('quarantine/')).toStrictEqual([]);
  });

  it('cleans overlapping landings of the same offsets once, stamped with the Kafka time', async () => {
    // Prepare
    const sent = await sendPosts(posts(40, 9));
    stack.poll({ batchSize: 10 });
    await stack.drain();

    // Act
    for (const event of stack.delivered.map(shifted)) await stack.land(event);
    const summary = await stack.clean();

    // Assess
    const { actual, expected } = await compare(sent);
    expect(actual).toStrictEqual(expected);
    expect(summary.recordsRead).toBe(120);
    expect(summary.skipped).toBeGreaterThan(0);
  });

  it('changes nothing when batches are landed again, whole or overlapping, and batch-clean runs again', async () => {
    // Prepare
    await sendPosts(posts(40, 10));
    stack.poll({ batchSize: 10 });
    await stack.drain();
    await stack.clean();
    const before = await tableState();

    // Act
    for (const event of stack.delivered.slice()) await stack.land(structuredClone(event));
    const again = await stack.clean();
    for (const event of stack.delivered.map(shifted)) await stack.land(event);
    const afterOverlap = await stack.clean();

    // Assess
    expect([again.recordsRead, again.commits]).toStrictEqual([0, 0]);
    expect([afterOverlap.recordsRead, afterOverlap.commits]).toStrictEqual([0, 0]);
    expect(await tableState()).toStrictEqual(before);
  });
});

/** The same batch read 5 offsets earlier: it overlaps the batch before it and the one after. */
function shifted(event: MSKEvent): MSKEvent {
  const [group, records] = Object.entries(event.records)[0]!;
  const { topic, partition } = records[0]!;
  const from = Math.max(0, records[0]!.offset - 5);
  const moved = broker.read(topic, partition, from, records.length).map((r) => ({
    topic,
    partition,
    offset: r.offset,
    timestamp: r.timestamp,
    timestampType: 'CREATE_TIME' as const,
    key: '',
    value: r.value!.toString('base64'),
    headers: [],
  }));
  return { ...event, records: { [group]: moved } };
}
