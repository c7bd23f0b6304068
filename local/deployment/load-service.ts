/**
 * Reads `serverless.yml` and the files it includes and resolves its variables, as `sls package` does,
 * for the forms this service uses: `${param:…}`, `${opt:stage|region, 'default'}`, `${self:…}`,
 * `${sls:stage}`, `${aws:region}`, `${aws:accountId}` and `${file(…)}`. Any other form is an error
 * rather than a silent difference from what osls would deploy; tests/integration/deploy checks that
 * the result equals the packaged template.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';
import { DeploymentError } from './errors';

/** Where and as what the service is resolved. */
export interface ServiceOptions {
  /** The folder holding serverless.yml (default: this repository's root). */
  readonly serviceDir?: string;
  readonly stage?: string;
  readonly region?: string;
  readonly accountId?: string;
  /** `--param` values; they win over `params.default`. */
  readonly params?: Readonly<Record<string, string>>;
}

/** The resolved service: serverless.yml with every variable replaced (CloudFormation functions are kept). */
export interface ResolvedService {
  readonly service: string;
  readonly stage: string;
  readonly region: string;
  readonly accountId: string;
  readonly provider: Record<string, unknown>;
  readonly functions: Record<string, Record<string, unknown>>;
  /** `resources` merged into one `Resources` map and one `extensions` map, as osls merges them. */
  readonly resources: Record<string, Record<string, unknown>>;
  readonly extensions: Record<string, Record<string, unknown>>;
  readonly custom: Record<string, unknown>;
}

/** This repository's root, where serverless.yml lives. */
const REPOSITORY_ROOT = resolve(__dirname, '..', '..');

const VARIABLE = /\$\{([^{}]+)\}/g;
type Json = unknown;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function readYaml(file: string): Json {
  try {
    return parse(readFileSync(file, 'utf8'), { merge: true });
  } catch (error) {
    throw new DeploymentError(`cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
}

/** Resolves serverless.yml as osls would for `options`. */
export function loadService(options: ServiceOptions = {}): ResolvedService {
  const serviceDir = options.serviceDir ?? REPOSITORY_ROOT;
  const raw = readYaml(resolve(serviceDir, 'serverless.yml'));
  if (!isObject(raw)) throw new DeploymentError(`${serviceDir}/serverless.yml is not a mapping`);
  const stage = options.stage ?? 'dev';
  const paramSets = isObject(raw.params) ? raw.params : {};
  const params = {
    ...(isObject(paramSets.default) ? paramSets.default : {}),
    ...(isObject(paramSets[stage]) ? paramSets[stage] : {}),
  } as Record<string, unknown>;
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '000000000000';

  const lookupSelf = (path: string): Json => {
    let value: Json = raw;
    for (const part of path.split('.')) {
      if (!isObject(value) || !(part in value)) throw new DeploymentError(`\${self:${path}} names nothing`);
      value = value[part];
    }
    return resolveValue(value, serviceDir);
  };

  const variable = (expression: string, baseDir: string): Json => {
    const [source, ...fallbacks] = expression.split(',').map((part) => part.trim());
    const fallback = fallbacks.length > 0 ? fallbacks.join(',').replace(/^'(.*)'$/, '$1') : undefined;
    const [kind, name = ''] = (source ?? '').split(/:(.*)/s, 2) as [string, string?];
    switch (kind) {
      case 'param': {
        const value = options.params?.[name] ?? params[name];
        if (value === undefined) throw new DeploymentError(`\${param:${name}} has no value`);
        return value;
      }
      case 'opt':
        if (name === 'stage') return options.stage ?? fallback ?? stage;
        if (name === 'region') return options.region ?? fallback ?? region;
        break;
      case 'sls':
        if (name === 'stage') return stage;
        break;
      case 'aws':
        if (name === 'region') return region;
        if (name === 'accountId') return accountId;
        break;
      case 'self':
        return lookupSelf(name);
      default: {
        const file = /^file\((.+)\)$/.exec(source ?? '');
        if (file?.[1] !== undefined) {
          const path = resolve(baseDir, file[1].trim());
          // JavaScript files (the esbuild options) are build settings, not deployment facts.
          if (path.endsWith('.js')) return { $file: path };
          return resolveValue(readYaml(path), dirname(path));
        }
      }
    }
    throw new DeploymentError(`unsupported variable \${${expression}}`);
  };

  function resolveValue(value: Json, baseDir: string): Json {
    if (typeof value === 'string') {
      const whole = /^\$\{([^{}]+)\}$/.exec(value);
      if (whole?.[1] !== undefined) return variable(whole[1], baseDir);
      const replaced = value.replace(VARIABLE, (_, expression: string) =>
        String(variable(expression, baseDir)),
      );
      if (replaced.includes('${')) throw new DeploymentError(`unsupported variable form in "${value}"`);
      return replaced;
    }
    if (Array.isArray(value)) return value.map((item) => resolveValue(item, baseDir));
    if (isObject(value)) {
      return Object.fromEntries(
        Object.entries(value).map(([key, item]) => [key, resolveValue(item, baseDir)]),
      );
    }
    return value;
  }

  const resolved = resolveValue(raw, serviceDir) as Record<string, Json>;
  const resources: Record<string, Record<string, unknown>> = {};
  const extensions: Record<string, Record<string, unknown>> = {};
  const parts = Array.isArray(resolved.resources) ? resolved.resources : [resolved.resources];
  for (const part of parts) {
    if (!isObject(part)) continue;
    if (isObject(part.Resources)) Object.assign(resources, part.Resources);
    if (isObject(part.extensions)) Object.assign(extensions, part.extensions);
  }
  return {
    service: String(resolved.service),
    stage,
    region,
    accountId,
    provider: isObject(resolved.provider) ? resolved.provider : {},
    functions: (isObject(resolved.functions) ? resolved.functions : {}) as Record<
      string,
      Record<string, unknown>
    >,
    resources,
    extensions,
    custom: isObject(resolved.custom) ? resolved.custom : {},
  };
}
