export {
  accessKeyOfSignature,
  createStreams,
  type KinesisGate,
  type KinesisRequest,
  type LocalKinesis,
  LocalKinesisError,
  type LocalKinesisOptions,
  startKinesis,
} from './kinesalite';
