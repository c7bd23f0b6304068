export { PollerError } from './errors';

export { interpretResponse, toKinesisEvent } from './kinesis-event';
export {
  type KinesisHandler,
  type KinesisPoller,
  type KinesisPollerOptions,
  startKinesisPoller,
} from './kinesis-poller';
export { createLambdaContext } from './lambda-context';
export { type MskHandler, type MskPoller, type MskPollerOptions, startMskPoller } from './msk-poller';
