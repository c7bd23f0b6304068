import { Metrics } from '@aws-lambda-powertools/metrics';
import { quarantineFile, quarantineEntryKey as quarantineKey } from '../../../libs/lake';
import { FileStore } from '../../../libs/storage';
import { KinesisBatchError, readKinesisBatch } from '../../../libs/stream-to-delta';
import {
  compareRecordSequences,
  compareSequenceAt,
  scanKinesisBatch,
  sequenceNumberOf,
} from '../../../libs/stream-to-delta/kinesis-batch';
import { loadEvent } from '../../helpers/events';
import { makeTempDir } from '../../helpers/temp-dir';
import { kinesisEvent, quietHandler, silentLogger, user } from './support';

describe('stream-to-delta metrics', () => {
  let lake: { path: string; cleanup: () => Promise<void> };

  beforeEach(async () => {
    lake = await makeTempDir('s2d-metrics');
  });

  afterEach(async () => {
    jest.restoreAllMocks();
    await lake.cleanup();
  });

  it('publishes rows written, quarantined and skipped records in the pinlake namespace, by table', async () => {
    // Prepare
    const printed: string[] = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      printed.push(String(chunk));
      return true;
    });
    const metrics = new Metrics({
      namespace: 'pinlake',
      serviceName: 'stream-to-delta',
      logger: silentLogger(),
    });
    const handler = quietHandler(new FileStore(lake.path), metrics);

    // Act
    await handler(loadEvent('kinesis', 'stream-to-delta-mixed-invalid'));

    // Assess
    const emf = printed.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(emf).toHaveLength(1);
    const { _aws, ...values } = emf[0]!;
    expect(values).toStrictEqual({
      service: 'stream-to-delta',
      table: 'stream/pin',
      RowsWritten: 2,
      QuarantinedRecords: 6,
      SkippedRecords: 0,
    });
    expect((_aws as { CloudWatchMetrics: unknown }).CloudWatchMetrics).toStrictEqual([
      {
        Namespace: 'pinlake',
        Dimensions: [['service', 'table']],
        Metrics: [
          { Name: 'RowsWritten', Unit: 'Count' },
          { Name: 'QuarantinedRecords', Unit: 'Count' },
          { Name: 'SkippedRecords', Unit: 'Count' },
        ],
      },
    ]);
  });
});

describe('readKinesisBatch', () => {
  it('reads the stream, the shard, and each record as a big sequence number, bytes and arrival in ms', () => {
    // Prepare
    const event = kinesisEvent('user', 'shardId-000000000003', [
      {
        seq: '49656828193450211357423096251247349155938093436617760001',
        data: user(1),
        arrival: 1763806530.987,
      },
    ]);

    // Act
    const batch = readKinesisBatch(event);

    // Assess
    expect(batch).toStrictEqual({
      stream: 'streaming-pinlake-user',
      shardId: 'shardId-000000000003',
      records: [
        {
          sequenceNumber: '49656828193450211357423096251247349155938093436617760001',
          sequence: 49656828193450211357423096251247349155938093436617760001n,
          bytes: Buffer.from(JSON.stringify(user(1))),
          arrivalMs: 1763806530987,
        },
      ],
    });
  });

  it('rejects a batch that mixes shards, naming the odd record', () => {
    // Prepare
    const event = kinesisEvent('user', 'shardId-000000000000', [
      { seq: '1', data: user(1) },
      { seq: '2', data: user(2) },
    ]);
    event.Records[1]!.eventID = 'shardId-000000000001:2';

    // Act
    const read = () => readKinesisBatch(event);

    // Assess
    expect(read).toThrow(
      new KinesisBatchError(
        'record shardId-000000000001:2 is not from streaming-pinlake-user/shardId-000000000000 like the rest of the batch',
      ),
    );
  });

  it('reads a shard id holding regular-expression characters literally', () => {
    // Prepare: records of shard "s.1+", then one of "sX1" and one of "s.11" (an unescaped pattern takes both)
    const event = kinesisEvent('user', 'shardId-000000000000', [
      { seq: '1', data: user(1) },
      { seq: '2', data: user(2) },
    ]);
    for (const [i, record] of event.Records.entries()) record.eventID = `s.1+:${i + 1}`;
    const mixed = structuredClone(event);
    mixed.Records[1]!.eventID = 'sX1+:2';
    const other = structuredClone(event);
    other.Records[1]!.eventID = 's.11:2';

    // Act
    const batch = scanKinesisBatch(event);

    // Assess
    expect([batch.shardId, batch.size]).toStrictEqual(['s.1+', 2]);
    for (const odd of [mixed, other]) {
      expect(() => scanKinesisBatch(odd)).toThrow(
        new KinesisBatchError(
          `record ${odd.Records[1]!.eventID} is not from streaming-pinlake-user/s.1+ like the rest of the batch`,
        ),
      );
    }
  });

  it('names an event id without a shard', () => {
    // Prepare
    const event = kinesisEvent('user', 'shardId-000000000000', [
      { seq: '1', data: user(1) },
      { seq: '2', data: user(2) },
    ]);
    event.Records[1]!.eventID = 'no-colon-here';

    // Act
    const read = () => scanKinesisBatch(event);

    // Assess
    expect(read).toThrow(new KinesisBatchError('event id no-colon-here does not start with a shard id'));
  });

  it('orders records by the value of their sequence numbers, plain decimal or not', () => {
    // Prepare
    const event = kinesisEvent('user', 'shardId-000000000000', [
      { seq: '0010', data: user(1) },
      { seq: '9', data: user(2) },
      { seq: ' 11', data: user(3) },
    ]);

    // Act
    const batch = scanKinesisBatch(event);

    // Assess
    expect([...batch.oddSequences]).toStrictEqual([
      [0, 10n],
      [2, 11n],
    ]);
    expect(Math.sign(compareRecordSequences(batch, 0, 1))).toBe(1);
    expect(Math.sign(compareRecordSequences(batch, 0, 2))).toBe(-1);
    expect([0, 1, 2].map((i) => Math.sign(compareSequenceAt(batch, i, sequenceNumberOf(10n))))).toStrictEqual(
      [0, -1, 1],
    );
  });

  it('rejects an empty event', () => {
    // Prepare
    const event = { Records: [] };

    // Act
    const read = () => readKinesisBatch(event);

    // Assess
    expect(read).toThrow(new KinesisBatchError('the Kinesis event has no records'));
  });
});

describe('quarantine files', () => {
  it('are keyed by origin, the UTC day received and the name, and hold reason, source, time and raw bytes', () => {
    // Prepare
    const entry = {
      origin: 'streaming-pinlake-geo',
      name: 'shardId-000000000000-42',
      reason: 'not JSON: Unexpected end of JSON input',
      source: 'kinesis:streaming-pinlake-geo:shardId-000000000000:42',
      receivedAt: new Date('2025-11-21T23:59:59.500Z'),
      bytes: Buffer.from('{"ind": 1, ', 'utf8'),
    };

    // Act
    const file = { key: quarantineKey(entry), body: quarantineFile(entry) };

    // Assess
    expect(file).toStrictEqual({
      key: 'quarantine/streaming-pinlake-geo/2025-11-21/shardId-000000000000-42.json',
      body: {
        reason: 'not JSON: Unexpected end of JSON input',
        source: 'kinesis:streaming-pinlake-geo:shardId-000000000000:42',
        received_at: '2025-11-21T23:59:59.500Z',
        raw: 'eyJpbmQiOiAxLCA=',
        preview: '{"ind": 1, ',
      },
    });
  });

  it('have no preview when the bytes are not UTF-8, and a preview cut to 2,048 characters when long', () => {
    // Prepare
    const base = { origin: 'o', name: 'n', reason: 'r', source: 's', receivedAt: new Date(0) };

    // Act
    const binary = quarantineFile({ ...base, bytes: Uint8Array.of(0xff, 0x00, 0xc3) });
    const long = quarantineFile({ ...base, bytes: Buffer.from('x'.repeat(5000)) });

    // Assess
    expect(binary).toStrictEqual({
      reason: 'r',
      source: 's',
      received_at: '1970-01-01T00:00:00.000Z',
      raw: '/wDD',
    });
    expect(long.preview).toStrictEqual('x'.repeat(2048));
  });
});
