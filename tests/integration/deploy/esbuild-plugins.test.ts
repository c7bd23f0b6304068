import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { makeTempDir } from '../../helpers/temp-dir';

const ROOT = resolve(__dirname, '../../..');
const { createFunctionExtrasPlugin } = require(join(ROOT, 'serverless/esbuild-plugins.js')) as {
  createFunctionExtrasPlugin: (root: string) => Plugin;
};
const DUCKDB_HANDLER =
  "import { DuckDBInstance } from '@duckdb/node-api';\nexport const handler = () => DuckDBInstance;\n";

// What aws-msk-iam-sasl-signer-js's dependencies require: a runtime module, a deprecated one and a built-in.
const SDK_HANDLER =
  "import { STSClient } from '@aws-sdk/client-sts';\nimport { fromUtf8 } from '@aws-sdk/util-utf8-browser';\n" +
  "import { createHash } from 'node:crypto';\nexport const handler = () => [STSClient, fromUtf8, createHash];\n";

let service = '';
let cleanup = async () => {};

beforeAll(async () => {
  const temp = await makeTempDir('pinlake-esbuild-plugins');
  service = temp.path;
  cleanup = temp.cleanup;
  await mkdir(join(service, 'functions'));
  await mkdir(join(service, 'libs/analytics/queries'), { recursive: true });
  await writeFile(join(service, 'functions/batch-analytics.ts'), DUCKDB_HANDLER);
  await writeFile(join(service, 'functions/stream-to-delta.ts'), DUCKDB_HANDLER);
  await writeFile(join(service, 'libs/analytics/queries/top_category_by_country.sql'), 'SELECT 1;\n');
  await writeFile(join(service, 'functions/ingest-batch.ts'), SDK_HANDLER);
  await symlink(join(ROOT, 'node_modules'), join(service, 'node_modules'));
});

afterAll(() => cleanup());

/** Builds one handler as serverless-esbuild does: into `.esbuild/.build/<dir of the entry>`. */
function buildHandler(entry: string, external: string[] = []) {
  return build({
    external,
    absWorkingDir: service,
    entryPoints: [entry],
    outdir: join(service, '.esbuild/.build/functions'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    logLevel: 'silent',
    plugins: [createFunctionExtrasPlugin(service)],
  });
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort();
}

describe('the pinlake esbuild plugin: per-function extras, and only what the zip or the runtime provides left out', () => {
  test('fails the build of any function but batch-analytics that imports DuckDB, naming the function', async () => {
    // Act
    const outcome = await buildHandler('functions/stream-to-delta.ts').catch(
      (error: { errors: { text: string }[] }) => error.errors.map((e) => e.text),
    );

    // Assess
    expect(outcome).toStrictEqual([
      '@duckdb/node-api is a native module shipped only with functions/batch-analytics.ts; functions/stream-to-delta.ts must not import it (imported by ' +
        `${join(service, 'functions/stream-to-delta.ts')})`,
    ]);
  });

  test('leaves DuckDB out of the batch-analytics bundle and ships it, for linux-x64, with the queries beside it', async () => {
    // Act
    await buildHandler('functions/batch-analytics.ts');
    const bundle = await readFile(join(service, '.esbuild/.build/functions/batch-analytics.js'), 'utf8');
    const extras = await listFiles(join(service, '.esbuild/.build/__only_batch-analytics'));
    const packages = extras
      .filter((file) => /^node_modules\/(@[^/]+\/)?[^/]+\/package\.json$/.test(file))
      .map((file) => file.slice('node_modules/'.length, -'/package.json'.length))
      .sort();

    // Assess
    expect(bundle).toContain('require("@duckdb/node-api")');
    expect(packages).toStrictEqual([
      '@duckdb/node-api',
      '@duckdb/node-bindings',
      '@duckdb/node-bindings-linux-x64',
      'detect-libc',
    ]);
    expect(extras.filter((f) => !f.startsWith('node_modules/'))).toStrictEqual([
      'functions/queries/top_category_by_country.sql',
    ]);
    expect(extras.filter((f) => f.endsWith('.d.ts'))).toStrictEqual([]);
    expect(extras).toContain('node_modules/@duckdb/node-bindings-linux-x64/libduckdb.so');
  });

  test('fails the build of a bundle that leaves out a module neither its zip nor the Lambda runtime provides', async () => {
    // Act: the old `exclude: ['@aws-sdk/*', '@smithy/*']`, which left out the deprecated util-utf8-browser.
    const outcome = await buildHandler('functions/ingest-batch.ts', ['@aws-sdk/*', '@smithy/*']).then(
      () => [],
      (error: { errors: { text: string }[] }) => error.errors.map((e) => e.text),
    );

    // Assess
    expect(outcome).toStrictEqual([
      'functions/ingest-batch.ts requires @aws-sdk/util-utf8-browser at run time, which neither its zip nor the ' +
        'nodejs22.x runtime provides: bundle it (remove it from exclude/external) or, if the runtime really ' +
        'ships it, add it to serverless/lambda-runtime-modules.json',
    ]);
  });

  test('leaves to the runtime only the modules it is pinned to provide, and bundles the rest', async () => {
    // Act
    await buildHandler('functions/ingest-batch.ts', ['@aws-sdk/client-sts']);
    const bundle = await readFile(join(service, '.esbuild/.build/functions/ingest-batch.js'), 'utf8');

    // Assess
    expect([...bundle.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]).sort()).toStrictEqual([
      '@aws-sdk/client-sts',
      'node:crypto',
    ]);
  });
});
