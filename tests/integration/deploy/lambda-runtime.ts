import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, readFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { ROOT } from './sls';

// A stand-in for the nodejs22.x runtime: the Node it runs (fetched by scripts/fetch-lambda-node.js)
// and its /var/runtime/node_modules holding exactly the modules serverless/lambda-runtime-modules.json
// pins, with their dependencies, at the pinned versions.

interface RuntimeList {
  readonly runtime: string;
  readonly node: string;
  readonly nodeFlags: readonly string[];
  readonly modules: Readonly<Record<string, string>>;
}

export const RUNTIME_LIST: RuntimeList = require(join(ROOT, 'serverless/lambda-runtime-modules.json'));
const { fetchLambdaNode } = require(join(ROOT, 'scripts/fetch-lambda-node.js')) as {
  fetchLambdaNode: () => string;
};

/** The pinned Node binary, fetched from the npm registry the first time (about 50 MB). */
export function lambdaNode(): string {
  return fetchLambdaNode();
}

const NODE_MODULES = join(ROOT, 'node_modules');

/** Where Node would find package `name` required from `fromDir`, within the repository's node_modules. */
function packageDirFrom(fromDir: string, name: string): string | undefined {
  for (let dir = fromDir; dir.startsWith(ROOT); dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', ...name.split('/'));
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === ROOT) break;
  }
  return undefined;
}

interface Manifest {
  readonly version: string;
  readonly dependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
}

const readManifest = async (dir: string): Promise<Manifest> =>
  JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as Manifest;

/**
 * Copies the pinned modules and everything they depend on, in the layout npm installed them, into
 * `target` (a node_modules folder); resolves the packages copied, as paths relative to node_modules.
 * Throws when an installed version is not the pinned one: the list and package-lock.json must agree.
 */
export async function installRuntimeModules(target: string): Promise<string[]> {
  const pending: string[] = [];
  for (const [name, version] of Object.entries(RUNTIME_LIST.modules)) {
    const dir = join(NODE_MODULES, ...name.split('/'));
    const installed = existsSync(dir) ? (await readManifest(dir)).version : 'not installed';
    if (installed !== version) {
      throw new Error(
        `serverless/lambda-runtime-modules.json pins ${name}@${version}, node_modules has ${installed}: update one or the other`,
      );
    }
    pending.push(dir);
  }
  const copied = new Set<string>();
  while (pending.length > 0) {
    const dir = pending.pop() as string;
    if (copied.has(dir)) continue;
    copied.add(dir);
    const manifest = await readManifest(dir);
    const names = [
      ...Object.keys(manifest.dependencies ?? {}),
      ...Object.keys(manifest.optionalDependencies ?? {}),
    ];
    for (const name of names) {
      const found = packageDirFrom(dir, name);
      if (found !== undefined) pending.push(found);
      else if (!(name in (manifest.optionalDependencies ?? {}))) {
        throw new Error(`${relative(NODE_MODULES, dir)} needs ${name}, which is not installed`);
      }
    }
  }
  const relativeDirs = [...copied].map((dir) => relative(NODE_MODULES, dir)).sort();
  for (const dir of relativeDirs) {
    await cp(join(NODE_MODULES, dir), join(target, dir), {
      recursive: true,
      filter: (source) =>
        !source.endsWith('.d.ts') &&
        !source.slice(join(NODE_MODULES, dir).length).includes(`${sep}node_modules`),
    });
  }
  return relativeDirs;
}

/** What the runner reports: the init error, or each invocation's reply or error; the files it loaded. */
export interface RunnerReport {
  readonly init?: { errorType: string; errorMessage: string };
  readonly invocations?: {
    event: string;
    reply?: unknown;
    error?: { errorType: string; errorMessage: string };
  }[];
  readonly loaded: string[];
}

/**
 * Runs lambda-runner.cjs (copied to `runnerPath`) with the pinned Node and Lambda's flags in `taskDir`:
 * loads `handler`, invokes it with each event file. Resolves its report; rejects with its output when it
 * prints none within `timeoutMs`.
 */
export function runInLambdaNode(options: {
  readonly runnerPath: string;
  readonly taskDir: string;
  readonly handler: string;
  readonly functionName: string;
  readonly eventFiles: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
}): Promise<RunnerReport> {
  const args = [
    ...RUNTIME_LIST.nodeFlags,
    options.runnerPath,
    options.taskDir,
    options.handler,
    options.functionName,
    ...options.eventFiles,
  ];
  return new Promise((resolve, reject) => {
    execFile(
      lambdaNode(),
      args,
      { cwd: options.taskDir, env: options.env, timeout: options.timeoutMs, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const line = stdout.split('\n').find((l) => l.startsWith('@@runner@@'));
        if (line !== undefined) resolve(JSON.parse(line.slice('@@runner@@'.length)) as RunnerReport);
        else
          reject(
            new Error(
              `${options.functionName}: the runner reported nothing (${error?.message})\n${stdout}\n${stderr}`,
            ),
          );
      },
    );
  });
}
