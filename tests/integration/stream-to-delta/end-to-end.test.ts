import { setChaos } from '../../../libs/chaos';
import { loadSnapshot, optimize, readRows, type TableRow } from '../../../libs/delta';
import { generatePosts, type Post } from '../../../libs/emulator';
import { encodeRecordData } from '../../../libs/kinesis';
import { cleanRecord, KINDS, type Kind } from '../../../libs/records';
import { type LocalKinesis, startKinesis } from '../../../local/kinesis';
import { type StreamStack, startStreamStack, streamOf } from './stack';

// HTTP → local API Gateway → ingest-stream → kinesalite → pollers (Lambda semantics) → stream-to-delta
// → Delta tables in a file lake: the rows must be exactly the cleaning of what was sent, each once.
interface Sent {
  kind: Kind;
  data: unknown;
}
type PutReply = { SequenceNumber: string; ShardId: string };

let kinesis: LocalKinesis;
let stack: StreamStack;

beforeAll(async () => {
  kinesis = await startKinesis({ shardCount: 1 });
});
afterAll(() => kinesis.close());

beforeEach(async () => {
  stack = await startStreamStack(kinesis);
});
afterEach(async () => {
  setChaos(undefined);
  await stack.close();
});

const posts = (count: number, seed: number): Post[] => [...generatePosts({ posts: count, seed })];

/** Sends records of a kind: the first `single` one by one (PUT …/record), the rest 100 at a time. */
async function send(kind: Kind, datas: readonly unknown[], single: number, sent: Map<string, Sent>) {
  const stream = streamOf(stack, kind);
  const remember = (reply: PutReply, data: unknown) =>
    sent.set(`kinesis:${stream}:${reply.ShardId}:${reply.SequenceNumber}`, { kind, data });
  for (const [i, data] of datas.slice(0, single).entries()) {
    const reply = await stack.call('PUT', `/streams/${stream}/record`, {
      StreamName: stream,
      Data: data,
      PartitionKey: `key-${i}`,
    });
    expect(reply.status).toBe(200);
    remember(reply.body as PutReply, data);
  }
  const rest = datas.slice(single);
  for (let at = 0; at < rest.length; at += 100) {
    const chunk = rest.slice(at, at + 100);
    const records = chunk.map((data, i) => ({ data, 'partition-key': `key-${at + i}` }));
    const reply = await stack.call('PUT', `/streams/${stream}/records`, { records });
    const body = reply.body as { FailedRecordCount: number; Records: PutReply[] };
    expect([reply.status, body.FailedRecordCount]).toStrictEqual([200, 0]);
    for (const [i, r] of body.Records.entries()) remember(r, chunk[i]);
  }
}

async function sendPosts(list: readonly Post[]): Promise<Map<string, Sent>> {
  const sent = new Map<string, Sent>();
  for (const kind of KINDS)
    await send(
      kind,
      list.map((post) => post[kind]),
      10,
      sent,
    );
  return sent;
}

const withoutIngestedAt = ({ ingested_at: _at, ...rest }: Record<string, unknown>) => rest;

/** Every table row by source, and the sent records that cleaning accepts, cleaned, by source. */
async function compare(sent: Map<string, Sent>) {
  const actual: [string, Record<string, unknown>][] = [];
  const kinds = KINDS.filter((kind) => [...sent.values()].some((s) => s.kind === kind));
  for (const kind of kinds) {
    const snapshot = await loadSnapshot(stack.store, `tables/stream/${kind}`);
    for (const row of await readRows(stack.store, snapshot))
      actual.push([String(row.source), withoutIngestedAt(row)]);
  }
  const expected: [string, Record<string, unknown>][] = [];
  for (const [source, { kind, data }] of sent) {
    const cleaned = cleanRecord(kind, encodeRecordData(data), { source, ingestedAt: new Date(0) });
    if (cleaned.ok) expected.push([source, withoutIngestedAt({ ...cleaned.row })]);
  }
  const bySource = (a: [string, unknown], b: [string, unknown]) => (a[0] < b[0] ? -1 : 1);
  return { actual: actual.sort(bySource), expected: expected.sort(bySource) };
}

async function tableState() {
  const state: Record<string, { version: number; rows: TableRow[] }> = {};
  for (const kind of KINDS) {
    const snapshot = await loadSnapshot(stack.store, `tables/stream/${kind}`);
    const rows = await readRows(stack.store, snapshot);
    rows.sort((a, b) => (String(a.source) < String(b.source) ? -1 : 1));
    state[kind] = { version: snapshot.version, rows };
  }
  return state;
}

describe('The streaming path end to end', () => {
  it('turns posts sent one by one and in bulk into exactly their clean rows, each once', async () => {
    // Prepare
    await stack.poll();
    const sent = await sendPosts(posts(150, 7));

    // Act
    await stack.drain();

    // Assess
    const { actual, expected } = await compare(sent);
    expect(expected).toHaveLength(450);
    expect(actual).toStrictEqual(expected);
    expect(await stack.store.list('quarantine/')).toStrictEqual([]);
  });

  it('loses and duplicates nothing when every step fails with probability 0.3', async () => {
    // Prepare
    const sent = await sendPosts(posts(150, 8));
    let failures = 0;
    setChaos(0.3, () => {
      const r = Math.random();
      if (r < 0.3) failures++;
      return r;
    });

    // Act
    await stack.poll({ batchSize: 20 });
    await stack.drain();
    setChaos(undefined);

    // Assess
    const { actual, expected } = await compare(sent);
    expect(failures).toBeGreaterThan(0);
    expect(expected).toHaveLength(450);
    expect(actual).toStrictEqual(expected);
    expect(await stack.store.list('quarantine/')).toStrictEqual([]);
  });

  it('changes nothing when every batch is delivered five more times, before and after compaction', async () => {
    // Prepare
    await stack.poll();
    await sendPosts(posts(60, 9));
    await stack.drain();
    const before = await tableState();
    const redeliver = async () => {
      for (const event of stack.delivered.slice()) {
        for (let i = 0; i < 5; i++)
          expect(await stack.invoke(structuredClone(event))).toStrictEqual({ batchItemFailures: [] });
      }
    };

    // Act
    await redeliver();
    const afterRedelivery = await tableState();
    const compacted = [];
    for (const kind of KINDS)
      compacted.push(await optimize(stack.store, `tables/stream/${kind}`, { targetSize: 1 << 30 }));
    const afterCompaction = await tableState();
    await redeliver();

    // Assess
    expect(afterRedelivery).toStrictEqual(before);
    expect(compacted.every((c) => c.filesAdded === 1)).toBe(true);
    expect(await tableState()).toStrictEqual(afterCompaction);
    for (const kind of KINDS) expect(afterCompaction[kind]!.rows).toStrictEqual(before[kind]!.rows);
  });

  it('quarantines every class of bad input sent over HTTP and accounts for every record sent', async () => {
    // Prepare
    await stack.poll();
    const [good1, good2] = posts(2, 10);
    const bad: [string, unknown][] = [
      ['not JSON', '{"index": 1, "title": '],
      ['not an object', [1, 2]],
      ['not an object', 42],
      ['not an object', '"just text"'],
      ['wrong kind', good1!.geo],
      ['missing id', { ...good2!.pin, index: undefined }],
      ['non-integer id', { ...good2!.pin, index: '12' }],
    ];
    const sent = new Map<string, Sent>();

    // Act
    await send('pin', [good1!.pin, ...bad.map(([, data]) => data), good2!.pin], 4, sent);
    await stack.drain();

    // Assess
    const { actual, expected } = await compare(sent);
    expect(actual).toStrictEqual(expected);
    expect(actual).toHaveLength(2);
    const sources = [...sent.keys()];
    const files = await stack.store.list('quarantine/');
    const reasons = await Promise.all(
      files.map(async (f) => {
        const file = JSON.parse(Buffer.from((await stack.store.get(f.key))!).toString('utf8'));
        return [
          file.source,
          String(file.reason).split(':')[0],
          Buffer.from(file.raw, 'base64').toString('utf8'),
        ];
      }),
    );
    reasons.sort((a, b) => sources.indexOf(a[0]) - sources.indexOf(b[0]));
    expect(reasons).toStrictEqual(
      bad.map(([reason, data], i) => [sources[i + 1], reason, encodeRecordData(data).toString('utf8')]),
    );
    expect(actual.length + files.length).toBe(sent.size);
  });
});
