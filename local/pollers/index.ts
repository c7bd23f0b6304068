export { PollerError, TaskTimedOutError } from './errors';
export {
  type BatchOutcome,
  type EventSource,
  interpretResponse,
  type ShardRecord,
  toKinesisEvent,
} from './kinesis-event';
export { type KinesisPoller, type KinesisPollerOptions, startKinesisPoller } from './kinesis-poller';
export { createLambdaContext, type LambdaContextOptions } from './lambda-context';
export { type FailedBatch, toOnFailureRecord, writeOnFailureRecord } from './on-failure';
export { type ShardPosition, type ShardRead, ShardReader, type StartingPosition } from './shard-reader';
export { type KinesisHandler, type MappingSettings, ShardWorker } from './shard-worker';
