import { ConfigError, loadConfig } from '../../../libs/config';
import {
  kindOfStream,
  kindOfTopic,
  streamName,
  streamNames,
  topicName,
  topicNames,
} from '../../../libs/naming';

describe('Function: loadConfig()', () => {
  it('fills every setting with its default from an empty environment', () => {
    // Act
    const config = loadConfig({});

    // Assess
    expect(config).toStrictEqual({
      pipelineId: 'pinlake',
      lakeUri: expect.stringMatching(/^file:\/\/\/.*\/lake$/),
      region: 'us-east-1',
      kinesisEndpoint: undefined,
      s3Endpoint: undefined,
      kafka: {
        brokers: [],
        mskClusterArn: undefined,
        mskEndpoint: undefined,
        tls: undefined,
        clientId: 'pinlake',
        compression: 'none',
      },
      apiKey: undefined,
      chaos: 0,
      vacuumRetentionHours: 168,
      streamCommitMode: 'direct',
      analytics: {
        engine: 'duckdb',
        athenaWorkgroup: undefined,
        glueDatabase: undefined,
        athenaEndpoint: undefined,
      },
      limits: {
        bodyBytes: 5242880,
        recordsPerRequest: 500,
        recordBytes: 1048576,
        jsonDepth: 64,
        putRecordsAttempts: 5,
      },
    });
  });

  it('reads every variable, trimming values and treating empty ones as unset', () => {
    // Act
    const config = loadConfig({
      PIPELINE_ID: '129a67850695',
      LAKE_URI: 's3://bucket/lake',
      AWS_DEFAULT_REGION: 'eu-west-1',
      KINESIS_ENDPOINT: 'http://127.0.0.1:4567',
      S3_ENDPOINT: ' http://127.0.0.1:4568 ',
      KAFKA_BROKERS: 'b-1:9098, b-2:9098,',
      MSK_CLUSTER_ARN: 'arn:aws:kafka:eu-west-1:123456789012:cluster/pinlake/abc',
      API_KEY: '',
      CHAOS: '0.25',
      MAX_BODY_BYTES: '1000',
      MAX_RECORDS_PER_REQUEST: '10',
      MAX_RECORD_BYTES: '100',
      MAX_JSON_DEPTH: '8',
      PUT_RECORDS_MAX_ATTEMPTS: '2',
      VACUUM_RETENTION_HOURS: '24',
      STREAM_COMMIT_MODE: 'staged',
      ANALYTICS_ENGINE: 'athena',
      ATHENA_WORKGROUP: 'pinlake-prod-analytics',
      GLUE_DATABASE: 'pinlake_prod',
      ATHENA_ENDPOINT: 'http://127.0.0.1:4569',
    });

    // Assess
    expect(config).toStrictEqual({
      pipelineId: '129a67850695',
      lakeUri: 's3://bucket/lake',
      region: 'eu-west-1',
      kinesisEndpoint: 'http://127.0.0.1:4567',
      s3Endpoint: 'http://127.0.0.1:4568',
      kafka: {
        brokers: ['b-1:9098', 'b-2:9098'],
        mskClusterArn: 'arn:aws:kafka:eu-west-1:123456789012:cluster/pinlake/abc',
        mskEndpoint: undefined,
        tls: undefined,
        clientId: 'pinlake',
        compression: 'none',
      },
      apiKey: undefined,
      chaos: 0.25,
      vacuumRetentionHours: 24,
      streamCommitMode: 'staged',
      analytics: {
        engine: 'athena',
        athenaWorkgroup: 'pinlake-prod-analytics',
        glueDatabase: 'pinlake_prod',
        athenaEndpoint: 'http://127.0.0.1:4569',
      },
      limits: {
        bodyBytes: 1000,
        recordsPerRequest: 10,
        recordBytes: 100,
        jsonDepth: 8,
        putRecordsAttempts: 2,
      },
    });
  });

  it('refuses bad values with one error naming every bad variable', () => {
    // Act
    const load = () =>
      loadConfig({
        PIPELINE_ID: 'a.b',
        CHAOS: '2',
        LAKE_URI: '/tmp/lake',
        KINESIS_ENDPOINT: 'localhost',
        MAX_RECORDS_PER_REQUEST: '501',
        MAX_JSON_DEPTH: 'deep',
      });

    // Assess
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(
      'invalid configuration: PIPELINE_ID: use 1-64 letters, digits, "_" or "-"; ' +
        'LAKE_URI: must start with file:// or s3://; KINESIS_ENDPOINT: must be a URL; ' +
        'CHAOS: must be between 0 and 1; MAX_RECORDS_PER_REQUEST: must be at most 500; ' +
        'MAX_JSON_DEPTH: must be a number',
    );
  });
});

describe('Names of streams and topics', () => {
  it('names the streams streaming-<id>-<kind> and the topics <id>.<kind>, and reads the kind back', () => {
    // Act
    const names = {
      stream: streamName('abc', 'geo'),
      topic: topicName('abc', 'user'),
      streams: streamNames('abc'),
      topics: topicNames('abc'),
      kinds: [kindOfStream('abc', 'streaming-abc-pin'), kindOfTopic('abc', 'abc.geo')],
      strangers: [kindOfStream('abc', 'streaming-xyz-pin'), kindOfTopic('abc', 'abc.pins')],
    };

    // Assess
    expect(names).toStrictEqual({
      stream: 'streaming-abc-geo',
      topic: 'abc.user',
      streams: ['streaming-abc-pin', 'streaming-abc-geo', 'streaming-abc-user'],
      topics: ['abc.pin', 'abc.geo', 'abc.user'],
      kinds: ['pin', 'geo'],
      strangers: [undefined, undefined],
    });
  });
});
