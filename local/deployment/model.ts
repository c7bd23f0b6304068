/**
 * The deployment facts of every function, as the local stack and the tests use them: read from the
 * one definition (serverless.yml, serverless/functions.yml, serverless/resources/*.yml) and evaluated
 * for a local account, so that a role here is the role CloudFormation would create.
 */
import { DeploymentError } from './errors';
import { deployedFunctionName, evaluateIntrinsics, normalizedFunctionName } from './intrinsics';
import { loadService, type ResolvedService, type ServiceOptions } from './load-service';

/** An IAM policy document (statements as CloudFormation holds them, intrinsics evaluated). */
export interface PolicyDocument {
  readonly Version?: string;
  readonly Statement: readonly PolicyStatement[];
}
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | readonly string[];
  readonly Resource: string | readonly string[];
  readonly Condition?: Record<string, Record<string, string | readonly string[]>>;
}

/** One event source mapping: a Kinesis stream or an MSK topic feeding a function. */
export interface EventSourceMapping {
  readonly kind: 'kinesis' | 'msk';
  /** The stream name or the topic. */
  readonly source: string;
  /** The stream ARN or the cluster ARN. */
  readonly sourceArn: string;
  readonly batchSize: number;
  readonly batchingWindowSeconds: number;
  readonly bisectBatchOnFunctionError: boolean;
  readonly maximumRetryAttempts: number;
  readonly maximumRecordAgeSeconds: number;
  readonly reportBatchItemFailures: boolean;
  readonly startingPosition: 'TRIM_HORIZON' | 'LATEST';
  readonly parallelizationFactor: number;
  /** The on-failure destination's ARN (an S3 bucket), if any. */
  readonly onFailureDestination: string | undefined;
  /** MSK: the consumer group. */
  readonly consumerGroupId: string | undefined;
}

/** What one function is given when deployed. */
export interface FunctionFacts {
  /** The name in serverless.yml, e.g. `land-topics`. */
  readonly name: string;
  /** The deployed name, `<service>-<stage>-<name>`. */
  readonly deployedName: string;
  readonly handler: string;
  readonly roleLogicalId: string;
  readonly roleArn: string;
  /** The principal its calls are made as: `arn:aws:sts::<account>:assumed-role/<role>/<function>`. */
  readonly principalArn: string;
  /** The role's inline policies, by name. */
  readonly policies: Readonly<Record<string, PolicyDocument>>;
  /** Provider and function environment merged (the function's wins). */
  readonly environment: Readonly<Record<string, string>>;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  readonly inVpc: boolean;
  readonly eventSources: readonly EventSourceMapping[];
  /** Asynchronous invocations (schedules): retries after the first attempt, and the on-failure destination. */
  readonly asyncInvoke: {
    readonly maximumRetryAttempts: number;
    readonly onFailureDestination: string | undefined;
  };
  /** Where its log streams go: the log group ARN (`…:log-group:/aws/lambda/<deployed>:*`). */
  readonly logGroupArn: string;
}

/** The whole service in a local account. */
export interface DeploymentModel {
  readonly service: ResolvedService;
  readonly accountId: string;
  readonly region: string;
  readonly functions: Readonly<Record<string, FunctionFacts>>;
  /** Physical name of a resource declared in the template (a bucket name, a stream name, …). */
  physicalName(logicalId: string): string;
  /** An attribute of a resource (`Arn`). */
  attribute(logicalId: string, name: string): string;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function kinesisMappings(
  service: ResolvedService,
  name: string,
  events: readonly unknown[],
  destination: (index: number) => string | undefined,
): EventSourceMapping[] {
  const found: EventSourceMapping[] = [];
  for (const event of events) {
    const kind = isObject(event) ? Object.keys(event)[0] : undefined;
    if (kind !== 'stream') {
      if (kind === 'http' || kind === 'schedule') continue;
      throw new DeploymentError(`${name}: ${kind} events are not modelled by the local stack`);
    }
    const stream = (event as { stream: Record<string, unknown> }).stream;
    if (stream.type !== 'kinesis')
      throw new DeploymentError(`${name}: only kinesis stream events are modelled`);
    for (const option of ['consumer', 'filterPatterns', 'enabled', 'tumblingWindowInSeconds']) {
      if (option in stream)
        throw new DeploymentError(`${name}: the stream option ${option} is not modelled locally`);
    }
    const sourceArn = String(evaluateIntrinsics(service, stream.arn));
    found.push({
      kind: 'kinesis',
      source: sourceArn.slice(sourceArn.indexOf(':stream/') + ':stream/'.length),
      sourceArn,
      batchSize: Number(stream.batchSize ?? 100),
      batchingWindowSeconds: Number(stream.batchWindow ?? 0),
      bisectBatchOnFunctionError: stream.bisectBatchOnFunctionError === true,
      maximumRetryAttempts: Number(stream.maximumRetryAttempts ?? -1),
      maximumRecordAgeSeconds: Number(stream.maximumRecordAgeInSeconds ?? -1),
      reportBatchItemFailures: stream.functionResponseType === 'ReportBatchItemFailures',
      startingPosition: stream.startingPosition === 'LATEST' ? 'LATEST' : 'TRIM_HORIZON',
      parallelizationFactor: Number(stream.parallelizationFactor ?? 1),
      onFailureDestination: destination(found.length),
      consumerGroupId: undefined,
    });
  }
  return found;
}

function mskMappings(service: ResolvedService, functionLogicalId: string): EventSourceMapping[] {
  const found: EventSourceMapping[] = [];
  for (const resource of Object.values(service.resources)) {
    if (resource.Type !== 'AWS::Lambda::EventSourceMapping' || !isObject(resource.Properties)) continue;
    const p = evaluateIntrinsics(service, resource.Properties) as Record<string, unknown>;
    const target = isObject(resource.Properties.FunctionName)
      ? (resource.Properties.FunctionName['Fn::GetAtt'] as string[] | undefined)?.[0]
      : undefined;
    if (target === undefined) {
      throw new DeploymentError(
        'an EventSourceMapping names its function other than by Fn::GetAtt: not modelled',
      );
    }
    if (target !== functionLogicalId) continue;
    if (!String(p.EventSourceArn).startsWith('arn:aws:kafka:')) {
      throw new DeploymentError(`${functionLogicalId}: only MSK mappings are modelled as resources`);
    }
    const topics = p.Topics as string[];
    if (topics.length !== 1)
      throw new DeploymentError(`${functionLogicalId}: one topic per MSK mapping is modelled`);
    const destination = isObject(p.DestinationConfig) ? p.DestinationConfig : {};
    const group = isObject(p.AmazonManagedKafkaEventSourceConfig)
      ? p.AmazonManagedKafkaEventSourceConfig
      : {};
    found.push({
      kind: 'msk',
      source: topics[0] as string,
      sourceArn: String(p.EventSourceArn),
      batchSize: Number(p.BatchSize ?? 100),
      batchingWindowSeconds: Number(p.MaximumBatchingWindowInSeconds ?? 0.5),
      bisectBatchOnFunctionError: p.BisectBatchOnFunctionError === true,
      maximumRetryAttempts: Number(p.MaximumRetryAttempts ?? -1),
      maximumRecordAgeSeconds: Number(p.MaximumRecordAgeInSeconds ?? -1),
      reportBatchItemFailures: ((p.FunctionResponseTypes as string[] | undefined) ?? []).includes(
        'ReportBatchItemFailures',
      ),
      startingPosition: p.StartingPosition === 'LATEST' ? 'LATEST' : 'TRIM_HORIZON',
      parallelizationFactor: 1,
      onFailureDestination: onFailureArn(destination),
      consumerGroupId: group.ConsumerGroupId === undefined ? undefined : String(group.ConsumerGroupId),
    });
  }
  return found;
}

// Lambda's defaults (2 retries, no destination) unless an AWS::Lambda::EventInvokeConfig says otherwise.
function asyncInvokeConfig(
  service: ResolvedService,
  functionLogicalId: string,
): FunctionFacts['asyncInvoke'] {
  for (const resource of Object.values(service.resources)) {
    if (resource.Type !== 'AWS::Lambda::EventInvokeConfig' || !isObject(resource.Properties)) continue;
    const target = resource.Properties.FunctionName;
    if (!isObject(target) || typeof target.Ref !== 'string') {
      throw new DeploymentError('an EventInvokeConfig names its function other than by Ref: not modelled');
    }
    if (target.Ref !== functionLogicalId) continue;
    const p = evaluateIntrinsics(service, resource.Properties) as Record<string, unknown>;
    return {
      maximumRetryAttempts: Number(p.MaximumRetryAttempts ?? 2),
      onFailureDestination: onFailureArn(isObject(p.DestinationConfig) ? p.DestinationConfig : {}),
    };
  }
  return { maximumRetryAttempts: 2, onFailureDestination: undefined };
}

function onFailureArn(destinationConfig: Record<string, unknown>): string | undefined {
  const onFailure = destinationConfig.OnFailure;
  return isObject(onFailure) && onFailure.Destination !== undefined
    ? String(onFailure.Destination)
    : undefined;
}

function stringEnvironment(service: ResolvedService, ...sources: unknown[]): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const source of sources) {
    if (!isObject(source)) continue;
    for (const [key, value] of Object.entries(
      evaluateIntrinsics(service, source) as Record<string, unknown>,
    )) {
      merged[key] = String(value);
    }
  }
  return merged;
}

/**
 * Reads the deployment definition and evaluates it for a local account (default account
 * 000000000000, region us-east-1, stage `local`). Throws a {@link DeploymentError} naming what it
 * cannot model.
 */
export function loadDeployment(options: ServiceOptions = {}): DeploymentModel {
  const service = loadService({ stage: 'local', ...options });
  const { region, accountId } = service;
  const functions: Record<string, FunctionFacts> = {};
  for (const [name, definition] of Object.entries(service.functions)) {
    const roleLogicalId = String(definition.role);
    const role = service.resources[roleLogicalId];
    if (role?.Type !== 'AWS::IAM::Role' || !isObject(role.Properties)) {
      throw new DeploymentError(`${name}: role ${roleLogicalId} is not an AWS::IAM::Role of the template`);
    }
    const policies: Record<string, PolicyDocument> = {};
    for (const policy of (role.Properties.Policies as unknown[]) ?? []) {
      if (!isObject(policy)) continue;
      policies[String(policy.PolicyName)] = evaluateIntrinsics(
        service,
        policy.PolicyDocument,
      ) as PolicyDocument;
    }
    const deployedName = deployedFunctionName(service, name);
    const roleArn = String(evaluateIntrinsics(service, { 'Fn::GetAtt': [roleLogicalId, 'Arn'] }));
    const roleName = roleArn.slice(roleArn.lastIndexOf('/') + 1);
    const functionLogicalId = `${normalized(name)}LambdaFunction`;
    const extensionOf = (streamLogicalId: string) =>
      service.extensions[`${normalized(name)}EventSourceMappingKinesis${streamLogicalId}`];
    const events = Array.isArray(definition.events) ? definition.events : [];
    const streamLogicalIds = events
      .map((event) => (isObject(event) && isObject(event.stream) ? event.stream.arn : undefined))
      .filter((arn) => arn !== undefined)
      .map((arn) => ((arn as Record<string, string[]>)['Fn::GetAtt'] ?? [])[0] ?? '');
    const destination = (index: number) => {
      const extension = extensionOf(streamLogicalIds[index] ?? '');
      const properties = isObject(extension?.Properties) ? extension.Properties : {};
      const config = evaluateIntrinsics(service, properties.DestinationConfig ?? {}) as Record<
        string,
        unknown
      >;
      return onFailureArn(config);
    };
    functions[name] = {
      name,
      deployedName,
      handler: String(definition.handler),
      roleLogicalId,
      roleArn,
      principalArn: `arn:aws:sts::${accountId}:assumed-role/${roleName}/${deployedName}`,
      policies,
      environment: stringEnvironment(service, service.provider.environment, definition.environment),
      timeoutSeconds: Number(definition.timeout ?? service.provider.timeout ?? 6),
      memoryMb: Number(definition.memorySize ?? service.provider.memorySize ?? 1024),
      inVpc: (definition.vpc ?? service.provider.vpc) !== undefined,
      eventSources: [
        ...kinesisMappings(service, name, events, destination),
        ...mskMappings(service, functionLogicalId),
      ],
      logGroupArn: String(
        evaluateIntrinsics(service, { 'Fn::GetAtt': [`${normalized(name)}LogGroup`, 'Arn'] }),
      ),
      asyncInvoke: asyncInvokeConfig(service, functionLogicalId),
    };
  }
  return {
    service,
    accountId,
    region,
    functions,
    physicalName: (logicalId) => String(evaluateIntrinsics(service, { Ref: logicalId })),
    attribute: (logicalId, attribute) =>
      String(evaluateIntrinsics(service, { 'Fn::GetAtt': [logicalId, attribute] })),
  };
}

const normalized = normalizedFunctionName;
