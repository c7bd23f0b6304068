export { coldStartCalls, eventSourceCalls, kafkaAuthorizer, kinesisAuthorizer, mskArns } from './access';
export {
  AccessDeniedError,
  type AwsCall,
  type Decision,
  functionOfAccessKey,
  IamEnforcer,
  IamModelError,
  localCredentials,
} from './enforcer';
export { enforceIamOnStore, type IamStoreOptions } from './iam-store';
export { type LocalMskApi, startMskApi } from './msk-api';
