export {
  createStreams,
  type KinesisRequest,
  type LocalKinesis,
  LocalKinesisError,
  type LocalKinesisOptions,
  startKinesis,
} from './kinesalite';
