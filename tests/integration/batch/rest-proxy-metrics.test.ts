import { Metrics } from '@aws-lambda-powertools/metrics';
import { handleProduceRequest } from '../../../libs/batch';
import { loadConfig } from '../../../libs/config';
import { createKafkaProducer, type KafkaProducer } from '../../../libs/kafka';
import { KafkaBroker } from '../../../local/kafka';
import { CapturingLogger } from '../../helpers/capturing-logger';
import { loadEvent } from '../../helpers/events';

// A record Kafka refuses is still an HTTP 200 (REST Proxy's per-record error_code): the counts in
// ProducedRecords and ProduceRecordErrors, and the alarm on the latter, are what make it visible.
// The broker is the embedded one, refusing writes with MSK's IAM answer (TOPIC_AUTHORIZATION_FAILED).

let broker: KafkaBroker;
let producer: KafkaProducer;
const logger = new CapturingLogger();

beforeAll(async () => {
  broker = await KafkaBroker.start({
    topics: [{ name: 'pinlake.pin', partitions: 1 }],
    autoCreateTopics: false,
    log: () => {},
    authorizer: { authenticate: () => 'tester', authorize: async (_who, action) => action !== 'WriteData' },
  });
  producer = createKafkaProducer(
    {
      clientId: 'metrics-test',
      connection: {
        kind: 'msk-iam',
        clusterArn: 'arn:aws:kafka:us-east-1:000000000000:cluster/c/u',
        region: 'us-east-1',
        tls: false,
      },
      retries: 0,
    },
    { resolveBootstrap: async () => [broker.bootstrap], tokenProvider: () => async () => 'local-token' },
  );
});
afterAll(async () => {
  await producer.close();
  await broker.close();
});

describe('ingest-batch metrics', () => {
  it('counts records Kafka refused as ProduceRecordErrors while the reply stays 200 with error_code 50002', async () => {
    // Prepare
    const metrics = new Metrics({ namespace: 'pinlake', serviceName: 'ingest-batch' });
    const event = loadEvent('apigw', 'rest-proxy-valid');
    const records = (JSON.parse(event.body ?? '{}') as { records: unknown[] }).records.length;

    // Act
    const reply = await handleProduceRequest(event, { config: loadConfig({}), producer, logger, metrics });

    // Assess
    expect(reply.statusCode).toBe(200);
    const offsets = (JSON.parse(reply.body) as { offsets: { error_code: number | null }[] }).offsets;
    expect(offsets.map((o) => o.error_code)).toStrictEqual(Array(records).fill(50002));
    const emf = metrics.serializeMetrics() as unknown as Record<string, unknown>;
    expect([emf.ProducedRecords, emf.ProduceRecordErrors]).toStrictEqual([0, records]);
    expect(logger.errors).toHaveLength(1);
  });
});
