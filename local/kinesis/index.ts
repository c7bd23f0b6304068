export {
  accessKeyOfSignature,
  createStreams,
  type KinesisGate,
  type KinesisRequest,
  type LocalKinesis,
  startKinesis,
} from './kinesalite';
