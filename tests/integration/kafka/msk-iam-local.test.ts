import { KafkaClient } from '@aws-sdk/client-kafka';
import { clearMskBootstrapCache, createKafkaProducer, resolveMskBootstrapBrokers } from '../../../libs/kafka';
import { KafkaBroker } from '../../../local/kafka';
import { kcat } from './kcat';

// The MSK path end to end, minus AWS: the MSK API client is intercepted with a middleware (no
// request leaves the process) and answers with the local broker as the IAM bootstrap list; the
// real signer signs tokens with fake credentials; the local broker requires SASL/OAUTHBEARER
// (without TLS, hence `tls: false`) and records each token it receives.

const CLUSTER = 'arn:aws:kafka:eu-west-1:123456789012:cluster/pinlake/abcd-1234';

const signedAction = (token: string) => {
  try {
    return new URL(Buffer.from(token, 'base64url').toString('utf8')).searchParams.get('Action');
  } catch {
    return null;
  }
};

function mskApi(bootstrap: string): { client: KafkaClient; calls: string[] } {
  const calls: string[] = [];
  const client = new KafkaClient({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKID', secretAccessKey: 'SECRET' },
  });
  client.middlewareStack.add(
    (_next, context) => async () => {
      calls.push(context.commandName ?? '');
      return { output: { $metadata: {}, BootstrapBrokerStringSaslIam: bootstrap }, response: {} };
    },
    { step: 'initialize', name: 'interceptForTest' },
  );
  return { client, calls };
}

describe('the producer on MSK IAM (OAUTHBEARER), against the local broker', () => {
  const saved = { ...process.env };
  const tokens: string[] = [];
  let broker: KafkaBroker;

  beforeAll(async () => {
    process.env.AWS_ACCESS_KEY_ID = 'AKIDEXAMPLE';
    process.env.AWS_SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;
    broker = await KafkaBroker.start({
      topics: [{ name: 'msk.pin', partitions: 3 }],
      oauthBearer: (token) => {
        tokens.push(token);
        return signedAction(token) === 'kafka-cluster:Connect';
      },
      log: () => undefined,
    });
  });
  beforeEach(() => clearMskBootstrapCache());
  afterAll(async () => {
    process.env = { ...saved };
    await broker.close();
  });

  it('resolves the brokers from the cluster ARN once, authenticates with a signed token and produces', async () => {
    // Prepare
    const api = mskApi(broker.bootstrap);
    const producer = createKafkaProducer(
      {
        clientId: 'ingest-batch',
        connection: { kind: 'msk-iam', clusterArn: CLUSTER, region: 'eu-west-1', tls: false },
      },
      { resolveBootstrap: (arn, region) => resolveMskBootstrapBrokers(arn, region, api.client) },
    );

    // Act
    const first = await producer.produce('msk.pin', [{ value: 'a', partition: 0 }]);
    const second = await producer.produce('msk.pin', [{ value: 'b', partition: 0 }]);
    await producer.close();

    // Assess
    expect([first, second]).toStrictEqual([[{ partition: 0, offset: 0 }], [{ partition: 0, offset: 1 }]]);
    expect(api.calls).toStrictEqual(['GetBootstrapBrokersCommand']);
    expect(tokens.length).toBeGreaterThan(0);
    expect(tokens.map(signedAction)).toStrictEqual(tokens.map(() => 'kafka-cluster:Connect'));
  });

  it('reports every record as failed, not retriable, when the broker refuses the token', async () => {
    // Prepare
    delete process.env.AWS_ACCESS_KEY_ID;
    const api = mskApi(broker.bootstrap);
    const producer = createKafkaProducer(
      {
        clientId: 'ingest-batch',
        connection: { kind: 'msk-iam', clusterArn: CLUSTER, region: 'eu-west-1', tls: false },
      },
      {
        resolveBootstrap: (arn, region) => resolveMskBootstrapBrokers(arn, region, api.client),
        tokenProvider: () => async () => 'not-a-signed-token',
      },
    );

    // Act
    const results = await producer.produce('msk.pin', [{ value: 'x' }, { value: 'y' }]);
    await producer.close();

    // Assess
    expect(results).toHaveLength(2);
    expect(results[0]).toStrictEqual(results[1]);
    expect(results[0]).toStrictEqual({
      error: expect.stringContaining('SASL authentication failed'),
      retriable: false,
    });
    expect(broker.endOffset('msk.pin', 1)).toBe(0);
  });
});

describe('SASL/OAUTHBEARER on the local broker, seen from librdkafka (kcat)', () => {
  const logs: string[] = [];
  let broker: KafkaBroker;

  beforeAll(async () => {
    broker = await KafkaBroker.start({
      topics: [{ name: 'sasl.geo', partitions: 1 }],
      oauthBearer: (token) => {
        const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString() || '{}');
        return claims.sub === 'pinlake';
      },
      log: (line) => logs.push(line),
    });
  });
  afterAll(() => broker.close());

  const sasl = (principal: string) => [
    '-X',
    'security.protocol=SASL_PLAINTEXT',
    '-X',
    'sasl.mechanisms=OAUTHBEARER',
    '-X',
    'enable.sasl.oauthbearer.unsecure.jwt=true',
    '-X',
    `sasl.oauthbearer.config=principal=${principal}`,
  ];

  it('lets kcat produce after authenticating with an accepted token', async () => {
    // Act
    const run = await kcat(['-P', '-b', broker.bootstrap, '-t', 'sasl.geo', ...sasl('pinlake')], 'hello\n');

    // Assess
    expect(run).toStrictEqual({ code: 0, stdout: '', stderr: '' });
    expect(broker.read('sasl.geo', 0, 0, 10).map((r) => r.value?.toString())).toStrictEqual(['hello']);
  });

  it('refuses a token the broker does not accept, and drops a client that skips authentication', async () => {
    // Act
    const refused = await kcat(['-L', '-b', broker.bootstrap, '-m', '1', ...sasl('intruder')]);
    const skipped = await kcat(['-L', '-b', broker.bootstrap, '-m', '1']);

    // Assess
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('SASL/OAUTHBEARER token refused');
    expect(skipped.code).toBe(1);
    expect(logs).toContain('rejected: SASL/OAUTHBEARER token refused');
    expect(logs).toContainEqual(expect.stringMatching(/sent Metadata before authenticating$/));
    expect(broker.endOffset('sasl.geo', 0)).toBe(1);
  });
});
