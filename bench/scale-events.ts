/** The Kinesis events the scale simulator's writers are invoked with: user records of one shard. */
import type { KinesisStreamEvent } from 'aws-lambda';

/** The simulator's pipeline id and its user stream. */
export const SIM_PIPELINE = 'sim';
export const SIM_STREAM = `streaming-${SIM_PIPELINE}-user`;
const SIM_SEQ_BASE = 49_600_000_000_000_000_000_000_000_000_000_000_000_000_000_000n;

/** `count` user records of shard `shard` from record number `first` (sequence numbers follow it). */
export function userEvent(shard: number, first: number, count: number): KinesisStreamEvent {
  const shardId = `shardId-${String(shard).padStart(12, '0')}`;
  return {
    Records: Array.from({ length: count }, (_, i) => {
      const n = first + i;
      const data = {
        ind: shard * 1e7 + n,
        first_name: 'Ada',
        last_name: `N${n}`,
        age: 30,
        date_joined: '2016-01-02 03:04:05',
      };
      const seq = String(SIM_SEQ_BASE + BigInt(n));
      return {
        kinesis: {
          kinesisSchemaVersion: '1.0',
          partitionKey: 'k',
          sequenceNumber: seq,
          data: Buffer.from(JSON.stringify(data)).toString('base64'),
          approximateArrivalTimestamp: 1_763_806_530.5,
        },
        eventSource: 'aws:kinesis',
        eventVersion: '1.0',
        eventID: `${shardId}:${seq}`,
        eventName: 'aws:kinesis:record',
        invokeIdentityArn: 'arn:aws:iam::123456789012:role/stream-to-delta',
        awsRegion: 'us-east-1',
        eventSourceARN: `arn:aws:kinesis:us-east-1:123456789012:stream/${SIM_STREAM}`,
      };
    }),
  };
}
