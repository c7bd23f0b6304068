import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context, MSKEvent } from 'aws-lambda';
import type { BatchCleanSummary } from '../../../libs/batch';
import { loadSnapshot, readRows } from '../../../libs/delta';
import type { RawIndex } from '../../../libs/lake';
import { quarantineFile, quarantineEntryKey as quarantineKey } from '../../../libs/lake';
import { cleanRecord, KINDS, type Kind } from '../../../libs/records';
import { FileStore } from '../../../libs/storage';
import { KafkaBroker } from '../../../local/kafka';
import { createLambdaContext } from '../../../local/pollers';
import { loadEvent } from '../../helpers/events';
import { makeTempDir } from '../../helpers/temp-dir';

// The three functions as deployed (functions/*.ts, configured from the environment) on the event
// fixtures, against the embedded broker and a file lake: whole replies, whole files, whole rows.
type Handler<E, R> = (event: E, context: Context) => Promise<R>;
const VND = 'application/vnd.kafka.v2+json';

let broker: KafkaBroker;
let lake: { path: string; cleanup: () => Promise<void> };
let store: FileStore;
let ingestBatch: Handler<APIGatewayProxyEvent, APIGatewayProxyResult>;
let landTopics: Handler<MSKEvent, unknown>;
let batchClean: Handler<Record<string, never>, BatchCleanSummary>;
const savedEnv = { ...process.env };

/** An MSK fixture, read and handed out as a fresh copy. */
const mskEvent = (variant: string): MSKEvent =>
  JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'events', 'msk', `${variant}.json`), 'utf8'));

const context = (functionName: string) => createLambdaContext({ functionName });

beforeAll(async () => {
  broker = await KafkaBroker.start({
    topics: KINDS.map((kind) => ({ name: `pinlake.${kind}`, partitions: 2 })),
    autoCreateTopics: false,
    log: () => {},
  });
  lake = await makeTempDir('batch-fixtures');
  store = new FileStore(lake.path);
  for (const name of ['PIPELINE_ID', 'API_KEY', 'CHAOS', 'MSK_CLUSTER_ARN']) delete process.env[name];
  Object.assign(process.env, {
    KAFKA_BROKERS: broker.bootstrap,
    LAKE_URI: pathToFileURL(lake.path).href,
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
  ingestBatch = (await import('../../../functions/ingest-batch')).handler;
  landTopics = (await import('../../../functions/land-topics')).handler;
  batchClean = (await import('../../../functions/batch-clean')).handler;
});
afterAll(async () => {
  process.env = savedEnv;
  await broker.close();
  await lake.cleanup();
});

const values = (event: MSKEvent) =>
  Object.values(event.records)
    .flat()
    .map((r) => ({ ...r, bytes: Buffer.from(r.value, 'base64') }));

describe('ingest-batch on its API Gateway fixtures', () => {
  it('produces the valid request and answers where the record landed', async () => {
    // Act
    const reply = await ingestBatch(loadEvent('apigw', 'rest-proxy-valid'), context('ingest-batch'));

    // Assess
    expect(reply).toStrictEqual({
      statusCode: 200,
      headers: { 'Content-Type': VND },
      body: '{"offsets":[{"partition":0,"offset":0,"error_code":null,"error":null}],"key_schema_id":null,"value_schema_id":null}',
    });
    const value = JSON.parse(loadEvent('apigw', 'rest-proxy-valid').body!).records[0].value;
    expect(broker.read('pinlake.pin', 0, 0, 10).map((r) => r.value!.toString())).toStrictEqual([
      JSON.stringify(value),
    ]);
  });

  it.each([
    ['rest-proxy-unknown-topic', 404, '{"error_code":40401,"message":"Topic pinlake.comments not found."}'],
    [
      'rest-proxy-wrong-content-type',
      415,
      '{"error_code":415,"message":"HTTP 415 Unsupported Media Type: Content-Type application/json; send application/vnd.kafka.json.v2+json (REST Proxy v2, embedded JSON)"}',
    ],
    [
      'rest-proxy-bad-body',
      422,
      '{"error_code":42206,"message":"records[1].value is required: the record as a JSON value"}',
    ],
  ])('answers %s with its REST Proxy error', async (variant, statusCode, body) => {
    // Prepare
    const before = broker.endOffset('pinlake.pin', 0) + broker.endOffset('pinlake.pin', 1);

    // Act
    const reply = await ingestBatch(loadEvent('apigw', variant), context('ingest-batch'));

    // Assess
    expect(reply).toStrictEqual({ statusCode, headers: { 'Content-Type': VND }, body });
    expect(broker.endOffset('pinlake.pin', 0) + broker.endOffset('pinlake.pin', 1)).toBe(before);
  });
});

describe('land-topics and batch-clean on the MSK fixtures', () => {
  it('lands each run of consecutive offsets as one sink-layout file with its index', async () => {
    // Prepare
    const event = mskEvent('invalid');

    // Act
    const reply = await landTopics(event, context('land-topics'));

    // Assess
    expect(reply).toStrictEqual({ batchItemFailures: [] });
    const records = values(event);
    const file = (at: number, to: number) =>
      Buffer.concat(records.slice(at, to).flatMap((r) => [r.bytes, Buffer.from('\n')])).toString('latin1');
    const read = async (key: string) => Buffer.from((await store.get(key))!).toString('latin1');
    expect((await store.list('raw/')).map((o) => o.key)).toStrictEqual([
      'raw/_index/pinlake.pin/partition=2/0000000007-0000000009.json',
      'raw/_index/pinlake.pin/partition=2/0000000011-0000000012.json',
      'raw/topics/pinlake.pin/partition=2/pinlake.pin+2+0000000007.json',
      'raw/topics/pinlake.pin/partition=2/pinlake.pin+2+0000000011.json',
    ]);
    expect(await read('raw/topics/pinlake.pin/partition=2/pinlake.pin+2+0000000007.json')).toBe(file(0, 3));
    expect(await read('raw/topics/pinlake.pin/partition=2/pinlake.pin+2+0000000011.json')).toBe(file(3, 5));
    const index: RawIndex = JSON.parse(
      await read('raw/_index/pinlake.pin/partition=2/0000000011-0000000012.json'),
    );
    expect(index).toStrictEqual({
      topic: 'pinlake.pin',
      partition: 2,
      startOffset: 11,
      endOffset: 12,
      bytes: records[3]!.bytes.length + records[4]!.bytes.length + 2,
      timestamps: [records[3]!.timestamp, records[4]!.timestamp],
      lengths: [records[3]!.bytes.length, records[4]!.bytes.length],
      sha256: createHash('sha256').update(file(3, 5), 'latin1').digest('hex'),
      previousOffset: 9,
    });
  });

  it('cleans every landed fixture into rows and quarantine entries stamped with the Kafka time', async () => {
    // Prepare: the invalid fixture (offsets 7..12) is on a partition of its own (2), since with pin.json
    // (offsets 41..42) in the same partition the offsets 13..40 would be in no raw file, which
    // batch-clean reports as a gap.
    const events = [...KINDS.map((kind) => mskEvent(kind)), mskEvent('invalid')];
    await rm(join(lake.path, 'raw'), { recursive: true, force: true });
    for (const event of events) await landTopics(event, context('land-topics'));

    // Act
    const summary = await batchClean({}, context('batch-clean'));

    // Assess
    const expectedRows: Record<string, unknown[]> = { pin: [], geo: [], user: [] };
    const expectedQuarantine = [];
    const nulled: Record<Kind, Record<string, number>> = { pin: {}, geo: {}, user: {} };
    for (const event of events) {
      for (const r of values(event)) {
        const kind = r.topic.split('.')[1] as Kind;
        const source = `kafka:${r.topic}:${r.partition}:${r.offset}`;
        const ingestedAt = new Date(r.timestamp);
        const cleaned = cleanRecord(kind, r.bytes, { source, ingestedAt });
        if (cleaned.ok) {
          expectedRows[kind]!.push({ ...cleaned.row });
          for (const column of cleaned.nulled) nulled[kind][column] = (nulled[kind][column] ?? 0) + 1;
        } else {
          const entry = {
            origin: r.topic,
            name: `${r.partition}-${r.offset}`,
            reason: cleaned.reason,
            source,
            receivedAt: ingestedAt,
            bytes: r.bytes,
          };
          expectedQuarantine.push([quarantineKey(entry), quarantineFile(entry)]);
        }
      }
    }
    for (const kind of KINDS) {
      const rows = await readRows(store, await loadSnapshot(store, `tables/batch/${kind}`));
      const bySource = (a: Record<string, unknown>, b: Record<string, unknown>) =>
        String(a.source) < String(b.source) ? -1 : 1;
      expect(rows.sort(bySource)).toStrictEqual(
        (expectedRows[kind] as Record<string, unknown>[]).sort(bySource),
      );
    }
    const quarantined = [];
    for (const object of await store.list('quarantine/')) {
      quarantined.push([
        object.key,
        JSON.parse(Buffer.from((await store.get(object.key))!).toString('utf8')),
      ]);
    }
    expect(quarantined).toStrictEqual(expectedQuarantine.sort());
    expect(summary).toStrictEqual({
      recordsRead: 14,
      skipped: 0,
      rowsWritten: { pin: 4, geo: 3, user: 3 },
      quarantined: 4,
      nulled,
      commits: 3,
      partitions: [
        {
          topic: 'pinlake.pin',
          partition: 0,
          fromOffset: 41,
          toOffset: 42,
          records: 2,
          files: 1,
          pending: false,
        },
        {
          topic: 'pinlake.pin',
          partition: 1,
          fromOffset: 17,
          toOffset: 17,
          records: 1,
          files: 1,
          pending: false,
        },
        {
          topic: 'pinlake.pin',
          partition: 2,
          fromOffset: 7,
          toOffset: 12,
          records: 5,
          files: 2,
          pending: false,
        },
        {
          topic: 'pinlake.geo',
          partition: 0,
          fromOffset: 41,
          toOffset: 42,
          records: 2,
          files: 1,
          pending: false,
        },
        {
          topic: 'pinlake.geo',
          partition: 1,
          fromOffset: 17,
          toOffset: 17,
          records: 1,
          files: 1,
          pending: false,
        },
        {
          topic: 'pinlake.user',
          partition: 0,
          fromOffset: 41,
          toOffset: 42,
          records: 2,
          files: 1,
          pending: false,
        },
        {
          topic: 'pinlake.user',
          partition: 1,
          fromOffset: 17,
          toOffset: 17,
          records: 1,
          files: 1,
          pending: false,
        },
      ],
      durations: {
        totalMs: expect.any(Number),
        pin: expect.any(Number),
        geo: expect.any(Number),
        user: expect.any(Number),
      },
    });
  });
});
