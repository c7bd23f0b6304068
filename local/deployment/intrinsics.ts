/**
 * CloudFormation's intrinsic functions evaluated in a local account: what `Ref` and `Fn::GetAtt`
 * return for the resources this service declares (and the ones osls generates for each function),
 * and `Fn::Join`, `Fn::Split`, `Fn::Select` over the results. A reference to anything else is an
 * error, so the local stack never guesses a name AWS would not give.
 */
import { DeploymentError } from './errors';
import type { ResolvedService } from './load-service';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** osls's logical-id form of a function name: `ingest-batch` → `IngestDashbatch`. */
export function normalizedFunctionName(name: string): string {
  const dashed = name.replace(/-/g, 'Dash').replace(/_/g, 'Underscore');
  return dashed.charAt(0).toUpperCase() + dashed.slice(1);
}

/** The deployed name of a function: `<service>-<stage>-<function>`. */
export const deployedFunctionName = (service: ResolvedService, name: string): string =>
  `${service.service}-${service.stage}-${name}`;

interface Physical {
  readonly ref: string;
  readonly attributes: Readonly<Record<string, string>>;
}

// The pseudo parameters a template may Ref.
const PSEUDO: Readonly<Record<string, (service: ResolvedService) => string>> = {
  'AWS::AccountId': (service) => service.accountId,
  'AWS::Region': (service) => service.region,
  'AWS::Partition': () => 'aws',
  'AWS::URLSuffix': () => 'amazonaws.com',
};

/** What a resource of this service is called in the local account. */
function physical(service: ResolvedService, logicalId: string): Physical {
  const { region, accountId } = service;
  const pseudo = PSEUDO[logicalId];
  if (pseudo) return { ref: pseudo(service), attributes: {} };
  const resource = service.resources[logicalId];
  if (resource !== undefined) {
    const properties = isObject(resource.Properties) ? resource.Properties : {};
    const generatedName = `${service.service}-${service.stage}-${logicalId}`;
    switch (resource.Type) {
      case 'AWS::S3::Bucket': {
        const name = String(properties.BucketName ?? generatedName.toLowerCase());
        return { ref: name, attributes: { Arn: `arn:aws:s3:::${name}` } };
      }
      case 'AWS::Kinesis::Stream': {
        const name = String(properties.Name ?? generatedName);
        return { ref: name, attributes: { Arn: `arn:aws:kinesis:${region}:${accountId}:stream/${name}` } };
      }
      case 'AWS::IAM::Role':
        return { ref: generatedName, attributes: { Arn: `arn:aws:iam::${accountId}:role/${generatedName}` } };
      case 'AWS::SNS::Topic': {
        const arn = `arn:aws:sns:${region}:${accountId}:${generatedName}`;
        return { ref: arn, attributes: { TopicArn: arn } };
      }
      // Ref gives the name for these three (CloudFormation resource reference, return values).
      case 'AWS::Glue::Database': {
        const input = isObject(properties.DatabaseInput) ? properties.DatabaseInput : {};
        return { ref: String(evaluateIntrinsics(service, input.Name ?? generatedName)), attributes: {} };
      }
      case 'AWS::Glue::Table': {
        const input = isObject(properties.TableInput) ? properties.TableInput : {};
        return { ref: String(evaluateIntrinsics(service, input.Name ?? generatedName)), attributes: {} };
      }
      case 'AWS::Athena::WorkGroup':
        return { ref: String(properties.Name ?? generatedName), attributes: {} };
      default:
        return { ref: generatedName, attributes: {} };
    }
  }
  for (const name of Object.keys(service.functions)) {
    const normalized = normalizedFunctionName(name);
    const deployed = deployedFunctionName(service, name);
    if (logicalId === `${normalized}LambdaFunction`) {
      return {
        ref: deployed,
        attributes: { Arn: `arn:aws:lambda:${region}:${accountId}:function:${deployed}` },
      };
    }
    if (logicalId === `${normalized}LogGroup`) {
      const group = `/aws/lambda/${deployed}`;
      return { ref: group, attributes: { Arn: `arn:aws:logs:${region}:${accountId}:log-group:${group}:*` } };
    }
  }
  throw new DeploymentError(`the template has no resource ${logicalId}`);
}

/** Evaluates every intrinsic function in `value` for the local account of `service`. */
export function evaluateIntrinsics(service: ResolvedService, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => evaluateIntrinsics(service, item));
  if (!isObject(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 1) {
    const [key] = keys as [string];
    const argument = value[key];
    switch (key) {
      case 'Ref':
        return physical(service, String(argument)).ref;
      case 'Fn::GetAtt': {
        const [logicalId, attribute] = (Array.isArray(argument) ? argument : String(argument).split('.')) as [
          string,
          string,
        ];
        const found = physical(service, logicalId).attributes[attribute];
        if (found === undefined) throw new DeploymentError(`${logicalId} has no attribute ${attribute} here`);
        return found;
      }
      case 'Fn::Join': {
        const [delimiter, parts] = argument as [string, unknown[]];
        return (evaluateIntrinsics(service, parts) as unknown[]).map(String).join(delimiter);
      }
      case 'Fn::Split': {
        const [delimiter, source] = argument as [string, unknown];
        return String(evaluateIntrinsics(service, source)).split(delimiter);
      }
      case 'Fn::Select': {
        const [index, list] = argument as [number | string, unknown];
        const items = evaluateIntrinsics(service, list) as unknown[];
        return items[Number(index)];
      }
      default:
        if (key.startsWith('Fn::')) throw new DeploymentError(`${key} is not modelled locally`);
    }
  }
  return Object.fromEntries(Object.entries(value).map(([k, item]) => [k, evaluateIntrinsics(service, item)]));
}
