import { type KinesisClient, PutRecordsCommand, type PutRecordsCommandOutput } from '@aws-sdk/client-kinesis';
import { putRecordsWithRetry, type RecordEntry } from '../../../libs/kinesis';
import { type LocalKinesis, startKinesis } from '../../../local/kinesis';

// kinesalite never answers a partial failure (it accepts every entry or fails the whole call), so the
// client's `send` is wrapped: the real call still goes to kinesalite, then the reply of chosen calls is
// rewritten to report chosen entries as throttled, exactly as Kinesis does (HTTP 200, ErrorCode per entry).
const THROTTLED = {
  ErrorCode: 'ProvisionedThroughputExceededException',
  ErrorMessage:
    'Rate exceeded for shard shardId-000000000000 in stream streaming-pinlake-pin under account 000000000000.',
};
const SEQUENCE = expect.stringMatching(/^\d{56}$/);
const SHARD = expect.stringMatching(/^shardId-00000000000[01]$/);

interface Call {
  readonly keys: string[];
}

function wrapSend(client: KinesisClient, failures: ReadonlyArray<ReadonlySet<string>>): Call[] {
  const calls: Call[] = [];
  const realSend = client.send.bind(client) as (
    command: PutRecordsCommand,
  ) => Promise<PutRecordsCommandOutput>;
  const wrapped = async (command: PutRecordsCommand) => {
    const keys = (command.input.Records ?? []).map((r) => r.PartitionKey ?? '');
    const failing = failures[calls.length] ?? new Set<string>();
    calls.push({ keys });
    const sent = keys.filter((key) => !failing.has(key));
    const input = {
      ...command.input,
      Records: command.input.Records?.filter((r) => sent.includes(r.PartitionKey!)),
    };
    const real = sent.length ? await realSend(new PutRecordsCommand(input)) : { Records: [] };
    const answers = [...(real.Records ?? [])];
    const Records = keys.map((key) => (failing.has(key) ? THROTTLED : answers.shift()!));
    return { ...real, FailedRecordCount: failing.size, Records } as PutRecordsCommandOutput;
  };
  Object.assign(client, { send: wrapped });
  return calls;
}

const entries = (keys: string[]): RecordEntry[] =>
  keys.map((key) => ({ Data: Buffer.from(JSON.stringify({ ind: Number(key) })), PartitionKey: key }));

describe('Function: putRecordsWithRetry()', () => {
  let kinesis: LocalKinesis;
  let client: KinesisClient;

  beforeAll(async () => {
    kinesis = await startKinesis();
  });
  afterAll(() => kinesis.close());
  beforeEach(() => {
    client = Object.create(kinesis.client) as KinesisClient;
  });

  it('re-sends only the throttled entries and answers every entry in the original order', async () => {
    // Prepare
    const calls = wrapSend(client, [new Set(['2', '4']), new Set(['4'])]);
    const delays: number[] = [];

    // Act
    const outcome = await putRecordsWithRetry(
      client,
      'streaming-pinlake-pin',
      entries(['1', '2', '3', '4', '5']),
      {
        baseDelayMs: 100,
        random: () => 0.5,
        sleep: async (ms) => void delays.push(ms),
      },
    );

    // Assess
    expect(calls).toStrictEqual([{ keys: ['1', '2', '3', '4', '5'] }, { keys: ['2', '4'] }, { keys: ['4'] }]);
    expect(delays).toStrictEqual([50, 100]);
    expect(outcome).toStrictEqual({
      FailedRecordCount: 0,
      Records: Array.from({ length: 5 }, () => ({ SequenceNumber: SEQUENCE, ShardId: SHARD })),
    });
  });

  it('reports the entries still failing after the last attempt with their error code and message', async () => {
    // Prepare
    const always = new Set(['b']);
    const calls = wrapSend(client, [new Set(['a', 'b']), always, always]);

    // Act
    const outcome = await putRecordsWithRetry(client, 'streaming-pinlake-pin', entries(['a', 'b', 'c']), {
      maxAttempts: 3,
      sleep: async () => {},
    });

    // Assess
    expect(calls).toStrictEqual([{ keys: ['a', 'b', 'c'] }, { keys: ['a', 'b'] }, { keys: ['b'] }]);
    expect(outcome).toStrictEqual({
      FailedRecordCount: 1,
      Records: [
        { SequenceNumber: SEQUENCE, ShardId: SHARD },
        THROTTLED,
        { SequenceNumber: SEQUENCE, ShardId: SHARD },
      ],
    });
  });

  it('caps each backoff at the maximum delay', async () => {
    // Prepare
    const always = new Set(['x']);
    wrapSend(client, [always, always, always, always, always]);
    const delays: number[] = [];

    // Act
    await putRecordsWithRetry(client, 'streaming-pinlake-pin', entries(['x']), {
      maxAttempts: 5,
      baseDelayMs: 400,
      maxDelayMs: 1000,
      random: () => 0.999,
      sleep: async (ms) => void delays.push(ms),
    });

    // Assess
    expect(delays).toStrictEqual([399, 799, 999, 999]);
  });

  it('rejects when the first call fails as a whole, so nothing is reported as written', async () => {
    // Act
    const put = putRecordsWithRetry(client, 'streaming-pinlake-nothere', entries(['1']));

    // Assess
    await expect(put).rejects.toThrow(expect.objectContaining({ name: 'ResourceNotFoundException' }));
  });
});
