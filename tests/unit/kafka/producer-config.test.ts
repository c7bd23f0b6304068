import { KafkaConfigError, kafkaConfigFromEnv, partitionForKey } from '../../../libs/kafka';

describe('kafkaConfigFromEnv', () => {
  it('prefers a plain broker list from KAFKA_BROKERS', () => {
    // Act
    const config = kafkaConfigFromEnv({
      KAFKA_BROKERS: '127.0.0.1:9092, 127.0.0.1:9093',
      MSK_CLUSTER_ARN: 'arn:aws:kafka:eu-west-1:1:cluster/x/y',
      AWS_REGION: 'eu-west-1',
    });

    // Assess
    expect(config).toStrictEqual({
      clientId: 'pinlake',
      compression: 'none',
      connection: { kind: 'plain', brokers: ['127.0.0.1:9092', '127.0.0.1:9093'] },
    });
  });

  it('uses MSK IAM with the cluster ARN and region when no broker list is set', () => {
    // Act
    const config = kafkaConfigFromEnv({
      MSK_CLUSTER_ARN: 'arn:aws:kafka:eu-west-1:123456789012:cluster/pinlake/abcd',
      AWS_REGION: 'eu-west-1',
      KAFKA_CLIENT_ID: 'ingest-batch',
      KAFKA_COMPRESSION: 'gzip',
    });

    // Assess
    expect(config).toStrictEqual({
      clientId: 'ingest-batch',
      compression: 'gzip',
      connection: {
        kind: 'msk-iam',
        clusterArn: 'arn:aws:kafka:eu-west-1:123456789012:cluster/pinlake/abcd',
        region: 'eu-west-1',
      },
    });
  });

  it.each([
    [{}, 'set KAFKA_BROKERS (local) or MSK_CLUSTER_ARN (AWS)'],
    [{ KAFKA_BROKERS: 'localhost' }, 'KAFKA_BROKERS entry "localhost" is not host:port'],
    [
      { MSK_CLUSTER_ARN: 'arn:aws:kafka:eu-west-1:1:cluster/x/y' },
      'AWS_REGION is required with MSK_CLUSTER_ARN',
    ],
    [{ MSK_CLUSTER_ARN: 'my-cluster' }, 'MSK_CLUSTER_ARN "my-cluster" is not an MSK cluster ARN'],
    [
      { KAFKA_BROKERS: 'h:1', KAFKA_COMPRESSION: 'zstd' },
      'KAFKA_COMPRESSION must be none or gzip, got "zstd"',
    ],
  ])('refuses %j, naming the variable', (env, message) => {
    // Act
    const attempt = () => kafkaConfigFromEnv(env);

    // Assess
    expect(attempt).toThrow(new KafkaConfigError(message));
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
