export { PollerError, TaskTimedOutError } from './errors';
export type { BatchOutcome, MappingOptions, SourceHandler } from './event-source';
export { interpretResponse, type ShardRecord, toKinesisEvent } from './kinesis-event';
export {
  type KinesisHandler,
  type KinesisPoller,
  type KinesisPollerOptions,
  startKinesisPoller,
} from './kinesis-poller';
export { createLambdaContext, type LambdaContextOptions } from './lambda-context';
export { type MskHandler, type MskPoller, type MskPollerOptions, startMskPoller } from './msk-poller';
