import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { generatePosts } from '../../../libs/emulator';
import { cleanRecord, KINDS } from '../../../libs/records';
import { KafkaBroker } from '../../../local/kafka';
import { type BatchStack, startBatchStack } from './stack';

// The REST Proxy edge on the local stack: the seed's own emulation script, every error class, and the
// reconciliation of records that pass the API but cannot be cleaned.
const run = promisify(execFile);
const VND = 'application/vnd.kafka.v2+json';

let broker: KafkaBroker;
let stack: BatchStack;

beforeAll(async () => {
  broker = await KafkaBroker.start({ autoCreateTopics: false, log: () => {} });
});
afterAll(() => broker.close());
afterEach(() => stack.close());

describe('The REST Proxy API on the local stack', () => {
  it('takes the seed emulation script as is, one record per request with no API key, into the batch tables', async () => {
    // Prepare
    stack = await startBatchStack(broker, { partitions: 1 });
    const posts = [...generatePosts({ posts: 5, seed: 3 })];
    const file = join(stack.lakePath, 'posts.ndjson');
    await writeFile(file, posts.map((p) => JSON.stringify(p)).join('\n'));
    const script = join(__dirname, 'seed_emulation.py');

    // Act
    const { stdout } = await run('python3', [script, `${stack.api.url}/test`, stack.pipelineId, file]);
    stack.poll();
    await stack.drain();
    await stack.clean();

    // Assess
    const replies = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const expectedReplies = KINDS.flatMap((kind) =>
      posts.map((_, i) => ({
        kind,
        status: 200,
        body: {
          offsets: [{ partition: 0, offset: i, error_code: null, error: null }],
          key_schema_id: null,
          value_schema_id: null,
        },
      })),
    );
    const byKind = (a: { kind: string }, b: { kind: string }) =>
      KINDS.indexOf(a.kind as never) - KINDS.indexOf(b.kind as never);
    expect([...replies].sort(byKind)).toStrictEqual(expectedReplies);
    for (const kind of KINDS) {
      const { rows } = await stack.table(kind);
      const expected = posts.map((post, offset) => {
        const source = `kafka:${stack.topic(kind)}:0:${offset}`;
        const ingestedAt = new Date(broker.read(stack.topic(kind), 0, offset, 1)[0]!.timestamp);
        const cleaned = cleanRecord(kind, Buffer.from(JSON.stringify(post[kind])), { source, ingestedAt });
        return cleaned.ok ? { ...cleaned.row } : cleaned;
      });
      expect(rows).toStrictEqual(expected);
    }
  });

  it('answers every request-level mistake with its REST Proxy error and produces nothing', async () => {
    // Prepare
    stack = await startBatchStack(broker, { partitions: 1 });
    const topic = stack.topic('pin');
    const value = { index: 1, title: 'a' };
    const cases: [string, string, Record<string, string>][] = [
      [`${stack.pipelineId}.comments`, JSON.stringify({ records: [{ value }] }), {}],
      [topic, JSON.stringify({ records: [{ value }] }), { 'Content-Type': 'application/json' }],
      [
        topic,
        JSON.stringify({ records: [{ value }] }),
        { 'Content-Type': 'application/vnd.kafka.binary.v2+json' },
      ],
      [topic, '{"records": [', {}],
      [topic, JSON.stringify({ records: [] }), {}],
      [topic, JSON.stringify({ value }), {}],
      [topic, JSON.stringify({ records: [{ value }, 'text'] }), {}],
      [topic, JSON.stringify({ records: [{ key: 'k' }] }), {}],
      [topic, JSON.stringify({ records: [{ value, partition: -1 }] }), {}],
      [topic, JSON.stringify({ records: Array.from({ length: 501 }, () => ({ value })) }), {}],
      [topic, JSON.stringify({ records: [{ value: 'x'.repeat(1024 * 1024) }] }), {}],
      [topic, `{"records":[{"value":${'['.repeat(65)}${']'.repeat(65)}}]}`, {}],
    ];

    // Act
    const replies = [];
    for (const [to, body, headers] of cases) replies.push(await stack.post(to, body, headers));

    // Assess
    const error = (status: number, code: number, message: string) => ({
      status,
      contentType: VND,
      body: { error_code: code, message },
    });
    const accepted = 'send application/vnd.kafka.json.v2+json (REST Proxy v2, embedded JSON)';
    expect(replies).toStrictEqual([
      error(404, 40401, `Topic ${stack.pipelineId}.comments not found.`),
      error(415, 415, `HTTP 415 Unsupported Media Type: Content-Type application/json; ${accepted}`),
      error(
        415,
        415,
        `HTTP 415 Unsupported Media Type: Content-Type application/vnd.kafka.binary.v2+json; ${accepted}`,
      ),
      error(400, 400, 'request body is not valid JSON: Unexpected end of JSON input'),
      error(422, 42208, 'records is empty: send at least one record'),
      error(422, 42206, 'records must be an array of {"key"?, "value", "partition"?} objects'),
      error(422, 42206, 'records[1] must be an object {"key"?, "value", "partition"?}'),
      error(422, 42206, 'records[0].value is required: the record as a JSON value'),
      error(422, 42206, 'records[0].partition must be a non-negative integer, got -1'),
      error(422, 42206, 'records holds 501 records; at most 500 are accepted per request'),
      error(413, 413, 'records[0] is 1048578 bytes as JSON (key plus value); the limit is 1048576 bytes'),
      error(400, 400, 'request body nests arrays and objects deeper than 64 levels'),
    ]);
    expect(KINDS.map((kind) => broker.endOffset(stack.topic(kind), 0))).toStrictEqual([0, 0, 0]);
  });

  it('requires the API key when one is configured, as API Gateway does', async () => {
    // Prepare
    stack = await startBatchStack(broker, { apiKey: 'pinlakeExampleApiKey0123456789', partitions: 1 });
    const body = JSON.stringify({ records: [{ value: { index: 1 } }] });

    // Act
    const missing = await stack.post(stack.topic('pin'), body);
    const wrong = await stack.post(stack.topic('pin'), body, { 'x-api-key': 'nope' });
    const right = await stack.post(stack.topic('pin'), body, {
      'x-api-key': 'pinlakeExampleApiKey0123456789',
    });

    // Assess
    const forbidden = { status: 403, contentType: 'application/json', body: { message: 'Forbidden' } };
    expect([missing, wrong]).toStrictEqual([forbidden, forbidden]);
    expect(right).toStrictEqual({
      status: 200,
      contentType: VND,
      body: {
        offsets: [{ partition: 0, offset: 0, error_code: null, error: null }],
        key_schema_id: null,
        value_schema_id: null,
      },
    });
  });

  it('reports a record Kafka refuses with 50002 while the others of the request are produced', async () => {
    // Prepare
    stack = await startBatchStack(broker, { partitions: 2 });
    const records = [
      { value: { index: 1 }, partition: 1 },
      { value: { index: 2 }, partition: 7 },
      { value: { index: 3 }, partition: 0 },
    ];

    // Act
    const reply = await stack.post(stack.topic('geo'), JSON.stringify({ records }));

    // Assess
    expect(reply).toStrictEqual({
      status: 200,
      contentType: VND,
      body: {
        offsets: [
          { partition: 1, offset: 0, error_code: null, error: null },
          {
            partition: null,
            offset: null,
            error_code: 50002,
            error: `partition 7 does not exist in topic "${stack.topic('geo')}"`,
          },
          { partition: 0, offset: 0, error_code: null, error: null },
        ],
        key_schema_id: null,
        value_schema_id: null,
      },
    });
  });

  it('quarantines every record that passes the API but cannot be cleaned, and accounts for every record sent', async () => {
    // Prepare
    stack = await startBatchStack(broker, { partitions: 1 });
    const [good1, good2] = [...generatePosts({ posts: 2, seed: 11 })];
    const values: [string | null, unknown][] = [
      [null, good1!.pin],
      ['not an object', [1, 2]],
      ['not an object', 42],
      ['not an object', 'just text'],
      ['wrong kind', good1!.geo],
      ['missing id', { ...good2!.pin, index: undefined }],
      ['non-integer id', { ...good2!.pin, index: '12' }],
      [null, good2!.pin],
    ];
    const topic = stack.topic('pin');

    // Act
    const reply = await stack.postValues(
      'pin',
      values.map(([, value]) => value),
    );
    await stack.producer.produce(topic, [
      { value: Buffer.from([0xff, 0xfe, 0x7b]) },
      { value: '{"index": 5,' },
    ]);
    stack.poll();
    await stack.drain();
    const summary = await stack.clean();

    // Assess
    expect(reply.status).toBe(200);
    const { rows } = await stack.table('pin');
    expect(rows.map((row) => row.source)).toStrictEqual([`kafka:${topic}:0:0`, `kafka:${topic}:0:7`]);
    const quarantined = [];
    for (const object of await stack.store.list(`quarantine/${topic}/`)) {
      const file = JSON.parse(Buffer.from((await stack.store.get(object.key))!).toString('utf8'));
      quarantined.push([file.source, file.reason.split(':')[0]]);
    }
    const reasons = values.flatMap(([reason], offset) =>
      reason ? [[`kafka:${topic}:0:${offset}`, reason]] : [],
    );
    expect(quarantined.sort()).toStrictEqual(
      [...reasons, [`kafka:${topic}:0:8`, 'not JSON'], [`kafka:${topic}:0:9`, 'not JSON']].sort(),
    );
    expect([summary.recordsRead, summary.rowsWritten.pin, summary.quarantined]).toStrictEqual([10, 2, 8]);
    expect(summary.recordsRead).toBe(broker.endOffset(topic, 0));
  });
});
