import { KafkaClient } from '@aws-sdk/client-kafka';
import {
  clearMskBootstrapCache,
  MskBootstrapError,
  mskOauthBearerTokenProvider,
  resolveMskBootstrapBrokers,
} from '../../../libs/kafka';

// These paths need a real AWS account (MSK API, IAM). Here the SDK client is intercepted with a
// middleware at the `initialize` step, so no request leaves the process, and tokens are signed
// locally by the real signer with fixed fake credentials from the environment.

const CLUSTER = 'arn:aws:kafka:eu-west-1:123456789012:cluster/pinlake/abcd-1234';

function interceptedClient(answer: () => Record<string, unknown>): { client: KafkaClient; calls: unknown[] } {
  const calls: unknown[] = [];
  const client = new KafkaClient({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKID', secretAccessKey: 'SECRET' },
  });
  client.middlewareStack.add(
    (_next, context) => async (args) => {
      calls.push({ command: context.commandName, input: args.input });
      return { output: { $metadata: {}, ...answer() }, response: {} };
    },
    { step: 'initialize', name: 'interceptForTest' },
  );
  return { client, calls };
}

describe('MSK bootstrap brokers', () => {
  beforeEach(() => clearMskBootstrapCache());

  it('asks GetBootstrapBrokers once per cluster and reuses the IAM broker list', async () => {
    // Prepare
    const { client, calls } = interceptedClient(() => ({
      BootstrapBrokerStringSaslIam:
        'b-1.pinlake.kafka.eu-west-1.amazonaws.com:9098,b-2.pinlake.kafka.eu-west-1.amazonaws.com:9098',
      BootstrapBrokerString: 'b-1.pinlake.kafka.eu-west-1.amazonaws.com:9092',
    }));

    // Act
    const [first, concurrent] = await Promise.all([
      resolveMskBootstrapBrokers(CLUSTER, 'eu-west-1', client),
      resolveMskBootstrapBrokers(CLUSTER, 'eu-west-1', client),
    ]);
    const later = await resolveMskBootstrapBrokers(CLUSTER, 'eu-west-1', client);

    // Assess
    const brokers = [
      'b-1.pinlake.kafka.eu-west-1.amazonaws.com:9098',
      'b-2.pinlake.kafka.eu-west-1.amazonaws.com:9098',
    ];
    expect([first, concurrent, later]).toStrictEqual([brokers, brokers, brokers]);
    expect(calls).toStrictEqual([{ command: 'GetBootstrapBrokersCommand', input: { ClusterArn: CLUSTER } }]);
  });

  it('does not cache a cluster without an IAM listener, so the next call asks again', async () => {
    // Prepare
    const { client, calls } = interceptedClient(() => ({ BootstrapBrokerString: 'b-1:9092' }));

    // Act
    const first = resolveMskBootstrapBrokers(CLUSTER, 'eu-west-1', client);
    await expect(first).rejects.toThrow(
      new MskBootstrapError(`cluster ${CLUSTER} has no IAM (SASL/IAM) listener`),
    );
    const second = resolveMskBootstrapBrokers(CLUSTER, 'eu-west-1', client);

    // Assess
    await expect(second).rejects.toThrow(MskBootstrapError);
    expect(calls).toHaveLength(2);
  });
});

describe('MSK IAM OAUTHBEARER tokens', () => {
  const saved = { ...process.env };
  beforeEach(() => {
    process.env.AWS_ACCESS_KEY_ID = 'AKIDEXAMPLE';
    process.env.AWS_SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;
  });
  afterEach(() => {
    process.env = { ...saved };
  });

  it('signs a kafka-cluster:Connect URL for the region with the role credentials, valid 15 minutes', async () => {
    // Prepare
    const provide = mskOauthBearerTokenProvider('eu-west-1');

    // Act
    const token = await provide();

    // Assess
    const url = new URL(Buffer.from(token, 'base64url').toString('utf8'));
    expect(url.host).toBe('kafka.eu-west-1.amazonaws.com');
    expect(url.searchParams.get('Action')).toBe('kafka-cluster:Connect');
    expect(url.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(url.searchParams.get('X-Amz-Credential')).toMatch(
      /^AKIDEXAMPLE\/\d{8}\/eu-west-1\/kafka-cluster\/aws4_request$/,
    );
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('passes the region to the signer on every call, so each new connection gets a fresh token', async () => {
    // Prepare
    const regions: string[] = [];
    const provide = mskOauthBearerTokenProvider('us-east-1', async ({ region }) => {
      regions.push(region);
      return { token: `token-${regions.length}`, expiryTime: 0 };
    });

    // Act
    const tokens = [await provide(), await provide()];

    // Assess
    expect(tokens).toStrictEqual(['token-1', 'token-2']);
    expect(regions).toStrictEqual(['us-east-1', 'us-east-1']);
  });
});
