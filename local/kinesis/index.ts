export {
  createStreams,
  type LocalKinesis,
  LocalKinesisError,
  type LocalKinesisOptions,
  startKinesis,
} from './kinesalite';
