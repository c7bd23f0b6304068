import { ConfigError, kafkaProducerConfig, loadConfig } from '../../../libs/config';
import { partitionForKey } from '../../../libs/kafka';

describe('Function: kafkaProducerConfig()', () => {
  it('prefers a plain broker list from KAFKA_BROKERS', () => {
    // Act
    const config = kafkaProducerConfig(
      loadConfig({
        KAFKA_BROKERS: '127.0.0.1:9092, 127.0.0.1:9093',
        MSK_CLUSTER_ARN: 'arn:aws:kafka:eu-west-1:1:cluster/x/y',
        AWS_REGION: 'eu-west-1',
      }),
    );

    // Assess
    expect(config).toStrictEqual({
      clientId: 'pinlake',
      compression: 'none',
      connection: { kind: 'plain', brokers: ['127.0.0.1:9092', '127.0.0.1:9093'] },
    });
  });

  it('uses MSK IAM with the cluster ARN and the configured region when no broker list is set', () => {
    // Act
    const config = kafkaProducerConfig(
      loadConfig({
        MSK_CLUSTER_ARN: 'arn:aws:kafka:eu-west-1:123456789012:cluster/pinlake/abcd',
        AWS_REGION: 'eu-west-1',
        KAFKA_CLIENT_ID: 'ingest-batch',
        KAFKA_COMPRESSION: 'gzip',
        MSK_ENDPOINT: 'http://127.0.0.1:4000',
        KAFKA_TLS: 'false',
      }),
    );

    // Assess
    expect(config).toStrictEqual({
      clientId: 'ingest-batch',
      compression: 'gzip',
      connection: {
        kind: 'msk-iam',
        clusterArn: 'arn:aws:kafka:eu-west-1:123456789012:cluster/pinlake/abcd',
        region: 'eu-west-1',
        endpoint: 'http://127.0.0.1:4000',
        tls: false,
      },
    });
  });

  it('refuses a configuration with neither brokers nor an MSK cluster', () => {
    // Act
    const attempt = () => kafkaProducerConfig(loadConfig({}));

    // Assess
    expect(attempt).toThrow(
      new ConfigError('invalid configuration: set KAFKA_BROKERS (local) or MSK_CLUSTER_ARN (AWS)'),
    );
  });

  it.each([
    [{ KAFKA_BROKERS: 'localhost' }, 'KAFKA_BROKERS: must be comma-separated host:port entries'],
    [{ MSK_CLUSTER_ARN: 'my-cluster' }, 'MSK_CLUSTER_ARN: must be an MSK cluster ARN'],
    [{ MSK_CLUSTER_ARN: 'arn:aws:s3:::bucket' }, 'MSK_CLUSTER_ARN: must be an MSK cluster ARN'],
    [{ KAFKA_COMPRESSION: 'zstd' }, 'KAFKA_COMPRESSION: must be none or gzip'],
    [{ KAFKA_TLS: 'yes' }, 'KAFKA_TLS: must be true or false'],
  ])('refuses %j, naming the variable', (env, message) => {
    // Act
    const attempt = () => loadConfig(env);

    // Assess
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(`invalid configuration: ${message}`);
  });
});

describe('partitionForKey', () => {
  it("matches the Java client's murmur2 hash (Kafka's own test vectors), made positive", () => {
    // Prepare
    // With 2^31 - 1 partitions the partition is the positive hash itself (none of these equals it).
    const javaHashes: [string, number][] = [
      ['21', -973932308],
      ['foobar', -790332482],
      ['a-little-bit-long-string', -985981536],
      ['a-little-bit-longer-string', -1486304829],
      ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
      ['abc', 479470107],
    ];

    // Act
    const partitions = javaHashes.map(([key]) => partitionForKey(Buffer.from(key), 2 ** 31 - 1));

    // Assess
    expect(partitions).toStrictEqual(javaHashes.map(([, hash]) => hash & 0x7fffffff));
  });
});
