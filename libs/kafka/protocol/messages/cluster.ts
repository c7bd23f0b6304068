/** ApiVersions, Metadata, CreateTopics and InitProducerId bodies. */
import { field as f, type MessageSchema } from '../schema';

/** ApiVersions request: the client's name and version (v3+). */
export interface ApiVersionsRequest {
  readonly clientSoftwareName?: string;
  readonly clientSoftwareVersion?: string;
}

/** One API's version range in an ApiVersions response. */
interface ApiVersionsApiKey {
  readonly apiKey: number;
  readonly minVersion: number;
  readonly maxVersion: number;
}

/** ApiVersions response. */
export interface ApiVersionsResponse {
  readonly errorCode: number;
  readonly apiKeys: readonly ApiVersionsApiKey[];
  readonly throttleTimeMs?: number;
}

/** ApiVersions (key 18): the version range of every API a broker serves. */
export const ApiVersions: MessageSchema<ApiVersionsRequest, ApiVersionsResponse> = {
  name: 'ApiVersions',
  apiKey: 18,
  minVersion: 0,
  maxVersion: 4,
  flexibleFrom: 3,
  request: [f('clientSoftwareName', 'string', '3+'), f('clientSoftwareVersion', 'string', '3+')],
  response: [
    f('errorCode', 'int16', '0+'),
    f(
      'apiKeys',
      [f('apiKey', 'int16', '0+'), f('minVersion', 'int16', '0+'), f('maxVersion', 'int16', '0+')],
      '0+',
    ),
    f('throttleTimeMs', 'int32', '1+'),
  ],
};

/** A topic asked about in a Metadata request: by name, or by id (v10+, name null). */
interface MetadataRequestTopic {
  readonly topicId?: string;
  readonly name: string | null;
}

/** Metadata request; `topics` null asks for every topic. */
export interface MetadataRequest {
  readonly topics: readonly MetadataRequestTopic[] | null;
  readonly allowAutoTopicCreation?: boolean;
  readonly includeClusterAuthorizedOperations?: boolean;
  readonly includeTopicAuthorizedOperations?: boolean;
}

/** A broker in a Metadata response. */
interface MetadataBroker {
  readonly nodeId: number;
  readonly host: string;
  readonly port: number;
  readonly rack: string | null;
}

/** A partition in a Metadata response. */
interface MetadataPartition {
  readonly errorCode: number;
  readonly partitionIndex: number;
  readonly leaderId: number;
  readonly leaderEpoch?: number;
  readonly replicaNodes: readonly number[];
  readonly isrNodes: readonly number[];
  readonly offlineReplicas?: readonly number[];
}

/** A topic in a Metadata response. */
export interface MetadataTopic {
  readonly errorCode: number;
  readonly name: string | null;
  readonly topicId?: string;
  readonly isInternal: boolean;
  readonly partitions: readonly MetadataPartition[];
  readonly topicAuthorizedOperations?: number;
}

/** Metadata response. */
export interface MetadataResponse {
  readonly throttleTimeMs?: number;
  readonly brokers: readonly MetadataBroker[];
  readonly clusterId?: string | null;
  readonly controllerId: number;
  readonly topics: readonly MetadataTopic[];
  readonly clusterAuthorizedOperations?: number;
}

/** Metadata (key 3): brokers, topics, partitions and their leaders. */
export const Metadata: MessageSchema<MetadataRequest, MetadataResponse> = {
  name: 'Metadata',
  apiKey: 3,
  minVersion: 1,
  maxVersion: 12,
  flexibleFrom: 9,
  request: [
    f('topics', [f('topicId', 'uuid', '10+'), f('name', 'string', '0+', '10+')], '0+', '1+'),
    f('allowAutoTopicCreation', 'bool', '4+'),
    f('includeClusterAuthorizedOperations', 'bool', '8-10'),
    f('includeTopicAuthorizedOperations', 'bool', '8+'),
  ],
  response: [
    f('throttleTimeMs', 'int32', '3+'),
    f(
      'brokers',
      [
        f('nodeId', 'int32', '0+'),
        f('host', 'string', '0+'),
        f('port', 'int32', '0+'),
        f('rack', 'string', '1+', '1+'),
      ],
      '0+',
    ),
    f('clusterId', 'string', '2+', '2+'),
    f('controllerId', 'int32', '1+'),
    f(
      'topics',
      [
        f('errorCode', 'int16', '0+'),
        f('name', 'string', '0+', '12+'),
        f('topicId', 'uuid', '10+'),
        f('isInternal', 'bool', '1+'),
        f(
          'partitions',
          [
            f('errorCode', 'int16', '0+'),
            f('partitionIndex', 'int32', '0+'),
            f('leaderId', 'int32', '0+'),
            f('leaderEpoch', 'int32', '7+'),
            f('replicaNodes', 'int32[]', '0+'),
            f('isrNodes', 'int32[]', '0+'),
            f('offlineReplicas', 'int32[]', '5+'),
          ],
          '0+',
        ),
        f('topicAuthorizedOperations', 'int32', '8+'),
      ],
      '0+',
    ),
    f('clusterAuthorizedOperations', 'int32', '8-10'),
  ],
};

/** A topic to create. */
export interface CreatableTopic {
  readonly name: string;
  readonly numPartitions: number;
  readonly replicationFactor: number;
  readonly assignments: readonly { readonly partitionIndex: number; readonly brokerIds: readonly number[] }[];
  readonly configs: readonly { readonly name: string; readonly value: string | null }[];
}

/** CreateTopics request. */
export interface CreateTopicsRequest {
  readonly topics: readonly CreatableTopic[];
  readonly timeoutMs: number;
  readonly validateOnly: boolean;
}

/** A created topic's config entry (v5+). */
interface CreatableTopicConfig {
  readonly name: string;
  readonly value: string | null;
  readonly readOnly: boolean;
  readonly configSource: number;
  readonly isSensitive: boolean;
}

/** The outcome for one topic of a CreateTopics request. */
export interface CreatableTopicResult {
  readonly name: string;
  readonly topicId?: string;
  readonly errorCode: number;
  readonly errorMessage: string | null;
  readonly numPartitions?: number;
  readonly replicationFactor?: number;
  readonly configs?: readonly CreatableTopicConfig[] | null;
}

/** CreateTopics response. */
export interface CreateTopicsResponse {
  readonly throttleTimeMs: number;
  readonly topics: readonly CreatableTopicResult[];
}

/** CreateTopics (key 19): creates topics (served by the embedded broker only). */
export const CreateTopics: MessageSchema<CreateTopicsRequest, CreateTopicsResponse> = {
  name: 'CreateTopics',
  apiKey: 19,
  minVersion: 2,
  maxVersion: 7,
  flexibleFrom: 5,
  request: [
    f(
      'topics',
      [
        f('name', 'string', '0+'),
        f('numPartitions', 'int32', '0+'),
        f('replicationFactor', 'int16', '0+'),
        f('assignments', [f('partitionIndex', 'int32', '0+'), f('brokerIds', 'int32[]', '0+')], '0+'),
        f('configs', [f('name', 'string', '0+'), f('value', 'string', '0+', '0+')], '0+'),
      ],
      '0+',
    ),
    f('timeoutMs', 'int32', '0+'),
    f('validateOnly', 'bool', '1+'),
  ],
  response: [
    f('throttleTimeMs', 'int32', '2+'),
    f(
      'topics',
      [
        f('name', 'string', '0+'),
        f('topicId', 'uuid', '7+'),
        f('errorCode', 'int16', '0+'),
        f('errorMessage', 'string', '1+', '0+'),
        f('numPartitions', 'int32', '5+'),
        f('replicationFactor', 'int16', '5+'),
        f(
          'configs',
          [
            f('name', 'string', '5+'),
            f('value', 'string', '5+', '5+'),
            f('readOnly', 'bool', '5+'),
            f('configSource', 'int8', '5+'),
            f('isSensitive', 'bool', '5+'),
          ],
          '5+',
          '5+',
        ),
      ],
      '0+',
    ),
  ],
};

/** InitProducerId request; v3+ names the id and epoch a producer re-initialises. */
export interface InitProducerIdRequest {
  readonly transactionalId: string | null;
  readonly transactionTimeoutMs: number;
  readonly producerId?: bigint;
  readonly producerEpoch?: number;
}

/** InitProducerId response. */
export interface InitProducerIdResponse {
  readonly throttleTimeMs: number;
  readonly errorCode: number;
  readonly producerId: bigint;
  readonly producerEpoch: number;
}

/** InitProducerId (key 22): the producer id and epoch of an idempotent producer. */
export const InitProducerId: MessageSchema<InitProducerIdRequest, InitProducerIdResponse> = {
  name: 'InitProducerId',
  apiKey: 22,
  minVersion: 0,
  maxVersion: 5,
  flexibleFrom: 2,
  request: [
    f('transactionalId', 'string', '0+', '0+'),
    f('transactionTimeoutMs', 'int32', '0+'),
    f('producerId', 'int64', '3+'),
    f('producerEpoch', 'int16', '3+'),
  ],
  response: [
    f('throttleTimeMs', 'int32', '0+'),
    f('errorCode', 'int16', '0+'),
    f('producerId', 'int64', '0+'),
    f('producerEpoch', 'int16', '0+'),
  ],
};
