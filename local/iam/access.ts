/**
 * What each local stand-in asks IAM, in AWS's terms: Kinesis operations on stream ARNs, MSK's
 * control plane, Kafka data-plane actions on the cluster, topic and group ARNs (MSK IAM access
 * control), what an event source mapping needs of its function's role, and the log stream Lambda
 * writes for each function. Calls signed with keys that are not a function's (an operator's tool)
 * are not checked.
 */
import type { EventSourceMapping } from '../deployment';
import type { KafkaAction, KafkaAuthorizer, KafkaResource } from '../kafka';
import type { KinesisGate, KinesisRequest } from '../kinesis';
import { AccessDeniedError, type AwsCall, functionOfAccessKey, type IamEnforcer } from './enforcer';

/**
 * The Kinesis gate of the local stack: each request is evaluated against the calling function's role
 * on the stream it names — by StreamARN or StreamName, or, for GetRecords and a paged ListShards, by
 * the shard iterator or token an earlier reply on that stream handed out (remembered from the replies).
 */
export function kinesisAuthorizer(iam: IamEnforcer): KinesisGate {
  const { region, accountId } = iam.deployment;
  const streamOf = new Map<string, string>(); // shard iterator or ListShards token → stream ARN
  const remember = (handle: unknown, stream: string | undefined) => {
    if (typeof handle !== 'string' || stream === undefined) return;
    if (streamOf.size >= 100_000) streamOf.delete(streamOf.keys().next().value as string);
    streamOf.set(handle, stream);
  };
  const arnOf = (body: Readonly<Record<string, unknown>>): string | undefined => {
    const { StreamARN, StreamName, ShardIterator, NextToken } = body as Record<string, unknown>;
    if (typeof StreamARN === 'string') return StreamARN;
    if (typeof StreamName === 'string') return `arn:aws:kinesis:${region}:${accountId}:stream/${StreamName}`;
    if (typeof ShardIterator === 'string') return streamOf.get(ShardIterator);
    if (typeof NextToken === 'string') return streamOf.get(NextToken);
    return undefined;
  };
  const gate = async (request: KinesisRequest): Promise<string | undefined> => {
    const functionName = functionOfAccessKey(request.accessKeyId);
    if (functionName === undefined) return undefined;
    const action = `kinesis:${request.operation}`;
    const resource = arnOf(request.body) ?? ((await iam.takesOnlyWildcard(action)) ? '*' : undefined);
    // An iterator or token the gate never saw handed out: let kinesalite answer it (it is invalid).
    if (resource === undefined) return undefined;
    try {
      await iam.require({ functionName, action, resource });
      return undefined;
    } catch (error) {
      if (error instanceof AccessDeniedError) return error.message;
      throw error;
    }
  };
  return Object.assign(gate, {
    observe: (
      operation: string,
      request: Readonly<Record<string, unknown>>,
      reply: Readonly<Record<string, unknown>>,
    ) => {
      const stream = arnOf(request);
      if (operation === 'GetShardIterator') remember(reply.ShardIterator, stream);
      if (operation === 'GetRecords') remember(reply.NextShardIterator, stream);
      if (operation === 'ListShards') remember(reply.NextToken, stream);
    },
  });
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

/**
 * The resource of a network-interface action: the interface Lambda creates (for actions that take
 * one) or `*` (the Describe actions take no resource-level permission).
 */
function networkInterfaceResource(iam: IamEnforcer, action: string): string {
  const { region, accountId } = iam.deployment;
  return action.startsWith('Describe')
    ? '*'
    : `arn:aws:ec2:${region}:${accountId}:network-interface/eni-00000000000000001`;
}

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
      try {
        await iam.require({ functionName, action: `kafka-cluster:${action}`, resource: arnOf(resource) });
        return true;
      } catch (error) {
        if (error instanceof AccessDeniedError) return false;
        throw error;
      }
    },
  };
}

/**
 * What an event source mapping needs of its function's role before it can read (AWS checks these
 * when the mapping polls; the local stack checks them when it starts the mapping): for MSK the
 * cluster's control plane, the network interfaces in the cluster's VPC and the Kafka actions on the
 * topic and consumer group; for both, the on-failure destination bucket.
 */
export function eventSourceCalls(
  iam: IamEnforcer,
  functionName: string,
  mapping: EventSourceMapping,
): AwsCall[] {
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
      call(`ec2:${action}`, networkInterfaceResource(iam, action));
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
      ].map((action) => ({
        functionName,
        action: `ec2:${action}`,
        resource: networkInterfaceResource(iam, action),
      }))
    : [];
  return [
    ...network,
    { functionName, action: 'logs:CreateLogStream', resource: stream },
    { functionName, action: 'logs:PutLogEvents', resource: stream },
  ];
}
