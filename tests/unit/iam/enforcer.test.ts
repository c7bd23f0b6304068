import { AccessDeniedError, IamEnforcer } from '../../../local/iam';
import { loadLocalDeployment } from '../../../local/stack';

// The IAM evaluator against the roles serverless/resources/iam.yml deploys, on calls whose answer
// AWS documents: resource-level permissions, actions that take only "*", and s3:prefix conditions.

const deployment = loadLocalDeployment('pinlake');
const lake = `arn:aws:s3:::${deployment.physicalName('LakeBucket')}`;
const cluster =
  'arn:aws:kafka:us-east-1:000000000000:cluster/pinlake-local/00000000-0000-0000-0000-000000000000-1';

describe('IamEnforcer', () => {
  it('allows a role its own prefixes and denies it the others', async () => {
    // Prepare
    const iam = new IamEnforcer(deployment);

    // Act
    const decisions = await Promise.all([
      iam.evaluate({
        functionName: 'stream-to-delta',
        action: 's3:PutObject',
        resource: `${lake}/tables/stream/pin/x.parquet`,
      }),
      iam.evaluate({
        functionName: 'stream-to-delta',
        action: 's3:PutObject',
        resource: `${lake}/tables/batch/pin/x.parquet`,
      }),
      iam.evaluate({
        functionName: 'stream-to-delta',
        action: 's3:ListBucket',
        resource: lake,
        context: { 's3:prefix': 'tables/stream/pin/_delta_log/' },
      }),
      iam.evaluate({
        functionName: 'stream-to-delta',
        action: 's3:ListBucket',
        resource: lake,
        context: { 's3:prefix': 'raw/' },
      }),
      iam.evaluate({ functionName: 'stream-to-delta', action: 's3:ListBucket', resource: lake }),
    ]);

    // Assess
    expect(decisions.map((d) => d.allowed)).toStrictEqual([true, false, true, false, false]);
  });

  it('evaluates actions without resource-level permissions on "*", whatever resource the caller names', async () => {
    // Prepare
    const iam = new IamEnforcer(deployment);

    // Act
    const bootstrap = await iam.evaluate({
      functionName: 'ingest-batch',
      action: 'kafka:GetBootstrapBrokers',
      resource: cluster,
    });
    const describe = await iam.evaluate({
      functionName: 'ingest-batch',
      action: 'kafka:DescribeClusterV2',
      resource: cluster,
    });

    // Assess
    expect(bootstrap).toStrictEqual({
      functionName: 'ingest-batch',
      action: 'kafka:GetBootstrapBrokers',
      resource: '*',
      allowed: true,
    });
    expect(describe.allowed).toBe(false);
  });

  it('does not let a grant scoped to an ARN allow an action that takes only "*"', async () => {
    // Prepare
    const facts = deployment.functions['ingest-batch'];
    if (!facts) throw new Error('ingest-batch is not in the deployment');
    const scoped = {
      'ingest-batch': {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow' as const, Action: 'kafka:GetBootstrapBrokers', Resource: cluster }],
      },
    };
    const iam = new IamEnforcer(deployment);

    // Act
    const allowed = await iam.evaluateWith(
      { functionName: 'ingest-batch', action: 'kafka:GetBootstrapBrokers', resource: '*' },
      scoped,
    );

    // Assess
    expect(allowed).toBe(false);
  });

  it('fails a denied call with the AccessDenied AWS gives, naming principal, action and resource', async () => {
    // Prepare
    const denied: string[] = [];
    const iam = new IamEnforcer(deployment, (call) => denied.push(call.action));

    // Act
    const failure = iam.require({
      functionName: 'batch-clean',
      action: 's3:DeleteObject',
      resource: `${lake}/raw/topics/x`,
    });

    // Assess
    await expect(failure).rejects.toThrow(AccessDeniedError);
    await expect(failure).rejects.toThrow(
      `User: arn:aws:sts::000000000000:assumed-role/pinlake-local-BatchCleanRole/pinlake-local-batch-clean is not authorized to perform: s3:DeleteObject on resource: ${lake}/raw/topics/x because no identity-based policy allows the s3:DeleteObject action`,
    );
    expect(denied).toStrictEqual(['s3:DeleteObject']);
  });
});
