/**
 * Policies with one grant taken away, for tests that show a grant is needed: a statement's action, a
 * resource, or an `s3:prefix` value removed from one role of a deployment.
 */
import type { DeploymentModel, PolicyDocument, PolicyStatement } from '../../../local/deployment';

/** One element of one statement of one function's role. */
export interface Grant {
  readonly functionName: string;
  readonly policy: string;
  readonly sid: string;
  readonly kind: 'statement' | 'action' | 'resource' | 's3:prefix';
  readonly value: string;
}

const list = (value: string | readonly string[] | undefined): string[] =>
  value === undefined ? [] : typeof value === 'string' ? [value] : [...value];

const prefixesOf = (statement: PolicyStatement): string[] =>
  list(statement.Condition?.StringLike?.['s3:prefix']);

/** Every removable grant of a function's role: each action, resource and s3:prefix of each statement. */
export function grantsOf(deployment: DeploymentModel, functionName: string): Grant[] {
  const grants: Grant[] = [];
  const facts = deployment.functions[functionName];
  for (const [policy, document] of Object.entries(facts?.policies ?? {})) {
    for (const statement of document.Statement) {
      const base = { functionName, policy, sid: statement.Sid ?? '' };
      const actions = list(statement.Action);
      const resources = list(statement.Resource);
      const prefixes = prefixesOf(statement);
      if (actions.length === 1 && resources.length === 1 && prefixes.length <= 1) {
        grants.push({ ...base, kind: 'statement', value: statement.Sid ?? '' });
        continue;
      }
      for (const value of actions) grants.push({ ...base, kind: 'action', value });
      if (resources.length > 1)
        for (const value of resources) grants.push({ ...base, kind: 'resource', value });
      if (prefixes.length > 1)
        for (const value of prefixes) grants.push({ ...base, kind: 's3:prefix', value });
    }
  }
  return grants;
}

function withoutInStatement(statement: PolicyStatement, grant: Grant): PolicyStatement | undefined {
  if (grant.kind === 'statement') return undefined;
  if (grant.kind === 'action') {
    const actions = list(statement.Action).filter((a) => a !== grant.value);
    return actions.length === 0 ? undefined : { ...statement, Action: actions };
  }
  if (grant.kind === 'resource') {
    const resources = list(statement.Resource).filter((r) => r !== grant.value);
    return resources.length === 0 ? undefined : { ...statement, Resource: resources };
  }
  const prefixes = prefixesOf(statement).filter((p) => p !== grant.value);
  if (prefixes.length === 0) return undefined;
  return { ...statement, Condition: { ...statement.Condition, StringLike: { 's3:prefix': prefixes } } };
}

/** The role's policies with `grant` taken away. */
export function policiesWithout(deployment: DeploymentModel, grant: Grant): Record<string, PolicyDocument> {
  const policies = { ...(deployment.functions[grant.functionName]?.policies ?? {}) };
  const document = policies[grant.policy];
  if (!document) throw new Error(`no policy ${grant.policy} for ${grant.functionName}`);
  const statements: PolicyStatement[] = [];
  for (const statement of document.Statement) {
    if (statement.Sid !== grant.sid) {
      statements.push(statement);
      continue;
    }
    const kept = withoutInStatement(statement, grant);
    if (kept) statements.push(kept);
  }
  policies[grant.policy] = { ...document, Statement: statements };
  return policies;
}

/** The deployment with `grant` taken away from its function's role. */
export function deploymentWithout(deployment: DeploymentModel, grant: Grant): DeploymentModel {
  const facts = deployment.functions[grant.functionName];
  if (!facts) throw new Error(`no function ${grant.functionName}`);
  return {
    ...deployment,
    functions: {
      ...deployment.functions,
      [grant.functionName]: { ...facts, policies: policiesWithout(deployment, grant) },
    },
  };
}

/** A grant by function and statement id (the whole statement). */
export const statementGrant = (deployment: DeploymentModel, functionName: string, sid: string): Grant => {
  const facts = deployment.functions[functionName];
  const policy = Object.keys(facts?.policies ?? {})[0] ?? '';
  return { functionName, policy, sid, kind: 'statement', value: sid };
};
