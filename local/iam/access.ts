/**
 * What each local stand-in asks IAM, in AWS's terms: Kinesis operations on stream ARNs, MSK's
 * control plane, Kafka data-plane actions on the cluster, topic and group ARNs (MSK IAM access
 * control), what an event source mapping needs of its function's role, and the log stream Lambda
 * writes for each function. Calls signed with keys that are not a function's (an operator's tool)
 * are not checked.
 */
import type { EventSourceMapping } from '../deployment';
import type { KafkaAction, KafkaAuthorizer, KafkaResource } from '../kafka';
import type { KinesisRequest } from '../kinesis';
import { AccessDeniedError, type AwsCall, functionOfAccessKey, type IamEnforcer } from './enforcer';

/** The Kinesis decision for one request: undefined to let it through, else AccessDenied's message. */
export function kinesisAuthorizer(
  iam: IamEnforcer,
): (request: KinesisRequest) => Promise<string | undefined> {
  const { region, accountId } = iam.deployment;
  return async (request) => {
    const functionName = functionOfAccessKey(request.accessKeyId);
    if (functionName === undefined) return undefined;
    const { StreamARN, StreamName } = request.body as { StreamARN?: string; StreamName?: string };
    const resource =
      typeof StreamARN === 'string'
        ? StreamARN
        : typeof StreamName === 'string'
          ? `arn:aws:kinesis:${region}:${accountId}:stream/${StreamName}`
          : '*';
    try {
      await iam.require({ functionName, action: `kinesis:${request.operation}`, resource });
      return undefined;
    } catch (error) {
      if (error instanceof AccessDeniedError) return error.message;
      throw error;
    }
  };
}

/** ARNs of an MSK cluster's topics and groups: `arn:…:cluster/<name>/<uuid>` → `arn:…:topic/<name>/<uuid>/<topic>`. */
export function mskArns(clusterArn: string) {
  const [prefix, path] = clusterArn.split(':cluster/') as [string, string];
  return {
    cluster: clusterArn,
    topic: (name: string) => `${prefix}:topic/${path}/${name}`,
    group: (name: string) => `${prefix}:group/${path}/${name}`,
  };
}

/** The access key id in an MSK IAM token (a base64url presigned URL with `X-Amz-Credential`). */
function accessKeyOfToken(token: string): string | undefined {
  try {
    const url = new URL(Buffer.from(token, 'base64url').toString('utf8'));
    return url.searchParams.get('X-Amz-Credential')?.split('/')[0];
  } catch {
    return undefined;
  }
}

const OPERATOR = 'operator:';

/** MSK IAM access control for the embedded broker: a token names a function, whose role decides. */
export function kafkaAuthorizer(iam: IamEnforcer, clusterArn: string): KafkaAuthorizer {
  const arns = mskArns(clusterArn);
  const arnOf = (resource: KafkaResource) =>
    resource.kind === 'cluster'
      ? arns.cluster
      : resource.kind === 'topic'
        ? arns.topic(resource.name)
        : arns.group(resource.name);
  return {
    // A token signed with another key (an operator's `sls invoke local` with their own credentials) is
    // let in unchecked, as the Kinesis gate lets such calls through; a token that is not an MSK IAM
    // token at all is refused.
    authenticate: (token) => {
      const key = accessKeyOfToken(token);
      if (key === undefined) return undefined;
      return functionOfAccessKey(key) ?? `${OPERATOR}${key}`;
    },
    authorize: async (functionName: string, action: KafkaAction, resource: KafkaResource) => {
      if (functionName.startsWith(OPERATOR)) return true;
      const decision = await iam.evaluate({
        functionName,
        action: `kafka-cluster:${action}`,
        resource: arnOf(resource),
      });
      if (!decision.allowed) await iam.require(decision).catch(() => undefined); // reports the denial
      return decision.allowed;
    },
  };
}

/**
 * What an event source mapping needs of its function's role before it can read (AWS checks these
 * when the mapping polls; the local stack checks them when it starts the mapping): for MSK the
 * cluster's control plane, the network interfaces in the cluster's VPC and the Kafka actions on the
 * topic and consumer group; for both, the on-failure destination bucket.
 */
export function eventSourceCalls(functionName: string, mapping: EventSourceMapping): AwsCall[] {
  const calls: AwsCall[] = [];
  const call = (action: string, resource: string) => calls.push({ functionName, action, resource });
  if (mapping.kind === 'msk') {
    const arns = mskArns(mapping.sourceArn);
    call('kafka:DescribeClusterV2', arns.cluster);
    call('kafka:GetBootstrapBrokers', '*');
    for (const action of [
      'CreateNetworkInterface',
      'DescribeNetworkInterfaces',
      'DeleteNetworkInterface',
      'DescribeVpcs',
      'DescribeSubnets',
      'DescribeSecurityGroups',
    ]) {
      call(`ec2:${action}`, '*');
    }
    call('kafka-cluster:Connect', arns.cluster);
    call('kafka-cluster:DescribeClusterDynamicConfiguration', arns.cluster);
    call('kafka-cluster:DescribeTopic', arns.topic(mapping.source));
    call('kafka-cluster:ReadData', arns.topic(mapping.source));
    call('kafka-cluster:DescribeGroup', arns.group(mapping.consumerGroupId ?? ''));
    call('kafka-cluster:AlterGroup', arns.group(mapping.consumerGroupId ?? ''));
  }
  if (mapping.kind === 'kinesis') {
    // What Lambda's Kinesis mapping reads of the stream (AWS lists these as the role's required actions).
    for (const action of [
      'DescribeStream',
      'DescribeStreamSummary',
      'ListShards',
      'GetShardIterator',
      'GetRecords',
    ]) {
      call(`kinesis:${action}`, mapping.sourceArn);
    }
  }
  if (mapping.onFailureDestination !== undefined) call('s3:ListBucket', mapping.onFailureDestination);
  return calls;
}

/**
 * The calls Lambda makes with a function's role when an environment of it starts: the network
 * interface in its VPC (if it has one; AWSLambdaVPCAccessExecutionRole's actions), and its log stream.
 */
export function coldStartCalls(iam: IamEnforcer, functionName: string): AwsCall[] {
  const facts = iam.facts(functionName);
  const group = facts.logGroupArn.replace(/:\*$/, '');
  const stream = `${group}:log-stream:local/[$LATEST]0000`;
  const network = facts.inVpc
    ? [
        'CreateNetworkInterface',
        'DescribeNetworkInterfaces',
        'DeleteNetworkInterface',
        'AssignPrivateIpAddresses',
        'UnassignPrivateIpAddresses',
        'DescribeSubnets',
      ].map((action) => ({ functionName, action: `ec2:${action}`, resource: '*' }))
    : [];
  return [
    ...network,
    { functionName, action: 'logs:CreateLogStream', resource: stream },
    { functionName, action: 'logs:PutLogEvents', resource: stream },
  ];
}
