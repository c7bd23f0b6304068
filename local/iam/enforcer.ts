/**
 * IAM evaluated locally, as AWS evaluates it: every AWS call a function makes in the local stack is
 * checked against the identity policies of that function's role, read from the deployment definition
 * (local/deployment), with @cloud-copilot/iam-simulate (and its iam-data: which actions take resource-
 * level permissions, which only `*`). A denied call fails with AccessDenied, as on AWS. Every decision
 * is recorded, so tests can replay the calls of a whole run under a policy with a statement removed.
 */

import { isWildcardOnlyAction, runSimulation, runUnsafeSimulation } from '@cloud-copilot/iam-simulate';
import { PinlakeError } from '../../libs/errors';
import type { DeploymentModel, FunctionFacts, PolicyDocument } from '../deployment';

/** One AWS call as IAM sees it. */
export interface AwsCall {
  /** The function (serverless.yml name) whose role makes the call. */
  readonly functionName: string;
  /** `service:Action`, e.g. `s3:GetObject`. */
  readonly action: string;
  /** The resource ARN, or `*` for actions that take no resource-level permission. */
  readonly resource: string;
  /** Condition keys of the request, e.g. `{ 's3:prefix': 'raw/topics/' }`. */
  readonly context?: Readonly<Record<string, string>>;
}

/** A call and whether the function's role allowed it. */
export interface Decision extends AwsCall {
  readonly allowed: boolean;
}

/** AWS's AccessDenied, with the message AWS gives: who, what, on which resource, and why. */
export class AccessDeniedError extends PinlakeError {
  override readonly name: string = 'AccessDeniedError';

  override readonly code = 'AccessDenied';
  readonly $metadata = { httpStatusCode: 403 };
  constructor(
    readonly call: AwsCall,
    principalArn: string,
  ) {
    super(
      `User: ${principalArn} is not authorized to perform: ${call.action} on resource: ${call.resource} ` +
        `because no identity-based policy allows the ${call.action} action`,
    );
  }
}

/** Raised when the enforcer itself is asked something it cannot evaluate (a malformed request). */
export class IamModelError extends PinlakeError {
  override readonly name: string = 'IamModelError';
  override readonly code: string = 'IAM_MODEL';
}

const keyOf = (call: AwsCall) =>
  `${call.functionName}\u0000${call.action}\u0000${call.resource}\u0000${JSON.stringify(call.context ?? {})}`;

/** Local credentials of a function: the access key id names it, so a stand-in knows whose call it is. */
export function localCredentials(functionName: string): { accessKeyId: string; secretAccessKey: string } {
  return { accessKeyId: `PINLAKELOCAL-${functionName}`, secretAccessKey: 'pinlake-local-secret' };
}

/** The function a local access key id belongs to, or undefined for any other key. */
export function functionOfAccessKey(accessKeyId: string): string | undefined {
  return accessKeyId.startsWith('PINLAKELOCAL-') ? accessKeyId.slice('PINLAKELOCAL-'.length) : undefined;
}

type Policies = Readonly<Record<string, PolicyDocument>>;

/** Evaluates calls against the roles of a deployment, caching decisions, and records them. */
export class IamEnforcer {
  private readonly decisions = new Map<string, Decision>();
  private readonly validated = new Set<string>();
  private readonly wildcardOnly = new Map<string, Promise<boolean>>();

  /**
   * @param deployment the functions and their roles.
   * @param onDenied told of every denied call (the local stack logs them).
   */
  constructor(
    readonly deployment: DeploymentModel,
    private readonly onDenied: (call: AwsCall, error: AccessDeniedError) => void = () => {},
  ) {}

  /** The function's facts; throws for a name the deployment does not define. */
  facts(functionName: string): FunctionFacts {
    const facts = this.deployment.functions[functionName];
    if (!facts) throw new IamModelError(`no function ${functionName} in the deployment definition`);
    return facts;
  }

  /** Whether `action` takes only `*` as its resource (no resource-level permissions), per iam-data. */
  takesOnlyWildcard(action: string): Promise<boolean> {
    let found = this.wildcardOnly.get(action);
    if (!found) {
      const [service = '', name = ''] = action.split(':');
      found = isWildcardOnlyAction(service, name);
      this.wildcardOnly.set(action, found);
    }
    return found;
  }

  /** Evaluates a call (resource `*` is used for wildcard-only actions) and records the decision. */
  async evaluate(call: AwsCall): Promise<Decision> {
    const wildcardOnly = await this.takesOnlyWildcard(call.action);
    // A stand-in that cannot tell which resource a call is on must not evaluate it on "*": a grant on
    // one ARN would allow it, which AWS (checking the real resource) does not.
    if (call.resource === '*' && !wildcardOnly) {
      throw new IamModelError(`${call.action} takes a resource, and the stand-in named none`);
    }
    const request = wildcardOnly ? { ...call, resource: '*' } : call;
    const key = keyOf(request);
    const known = this.decisions.get(key);
    if (known) return known;
    const allowed = await this.simulate(request, this.facts(call.functionName).policies);
    const decision = { ...request, allowed };
    this.decisions.set(key, decision);
    return decision;
  }

  /** Evaluates a call and throws {@link AccessDeniedError} when it is denied. */
  async require(call: AwsCall): Promise<void> {
    const decision = await this.evaluate(call);
    if (decision.allowed) return;
    const error = new AccessDeniedError(decision, this.facts(call.functionName).principalArn);
    this.onDenied(decision, error);
    throw error;
  }

  /** Reports a call AWS denies on another ground than its own policy evaluation (S3's 403 for an absent key). */
  reportDenied(call: AwsCall): AccessDeniedError {
    const error = new AccessDeniedError(call, this.facts(call.functionName).principalArn);
    this.decisions.set(keyOf(call), { ...call, allowed: false });
    this.onDenied(call, error);
    return error;
  }

  /** Every distinct call evaluated so far, with its decision. */
  recorded(): Decision[] {
    return [...this.decisions.values()];
  }

  /**
   * Evaluates `call` under other policies for its function (a test removing one statement), without
   * recording it.
   */
  evaluateWith(call: AwsCall, policies: Policies): Promise<boolean> {
    return this.simulate(call, policies);
  }

  private async simulate(call: AwsCall, policies: Policies): Promise<boolean> {
    const facts = this.facts(call.functionName);
    const simulation = {
      identityPolicies: Object.entries(policies).map(([name, policy]) => ({
        name,
        policy: policy as unknown as Record<string, unknown>,
      })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      request: {
        principal: facts.principalArn,
        action: call.action,
        resource: { resource: call.resource, accountId: this.deployment.accountId },
        contextVariables: { ...(call.context ?? {}) },
      },
    };
    // The first call of each action is validated in full (the action exists, the ARN is of a type it
    // takes, the context keys are its own); later ones only evaluated: validation costs ~3 ms a call.
    // Requests on `*` always take the full path: the unvalidated engine lets a policy scoped to an ARN
    // allow them (measured: kafka:GetBootstrapBrokers), which AWS does not.
    const shape = `${call.action}\u0000${call.resource.split(':').slice(0, 3).join(':')}`;
    if (call.resource === '*' || !this.validated.has(shape)) {
      const result = await runSimulation(simulation, {});
      if (result.resultType === 'error') {
        throw new IamModelError(
          `cannot evaluate ${call.action} on ${call.resource}: ${JSON.stringify(result.errors)}`,
        );
      }
      this.validated.add(shape);
      return result.overallResult === 'Allowed';
    }
    return runUnsafeSimulation(simulation, {}) === 'Allowed';
  }
}
