// esbuild plugins for serverless-esbuild (custom.esbuild.plugins). One plugin: per-function extras, and
// the check that each bundle needs at run time only what its zip or the Lambda runtime provides.
//
// Whatever a bundle leaves external must be there when Lambda loads it: a Node built-in, a module the
// nodejs22.x runtime provides (the pinned list in lambda-runtime-modules.json), or a package the
// function's zip carries (below). Anything else would load fine here, from the repository's
// node_modules, and fail on Lambda with Runtime.ImportModuleError: so the build fails instead.
//
// DuckDB (@duckdb/node-api) is a native module: esbuild cannot bundle its .node binary, and it is
// 70 MB, so it must reach batch-analytics only. serverless-esbuild's own `external` option would
// `npm install` the externals during packaging (network) and applies to every function. Instead this
// plugin, for each function's build:
//   - marks the function's allowed native packages external, and fails the build of any other
//     function that imports them (so DuckDB cannot creep into another bundle);
//   - copies those packages, with their dependencies and only the Lambda platform's binary
//     (linux-x64, glibc), from the local node_modules into `__only_<function>/node_modules`, and the
//     function's run-time files (the analytics .sql queries) beside its bundle. serverless-esbuild puts
//     `__only_<function>/…` into that function's zip alone, without the prefix.
// Offline and deterministic: it ships exactly the versions `npm ci` installed.
const fs = require('node:fs');
const { builtinModules } = require('node:module');
const path = require('node:path');
const RUNTIME = require('./lambda-runtime-modules.json');
const RUNTIME_MODULES = RUNTIME.modules;

/** What each function's zip carries besides its bundle. Keys are the handler entry files. */
const FUNCTION_EXTRAS = {
  'functions/batch-analytics.ts': {
    name: 'batch-analytics',
    nativePackages: ['@duckdb/node-api'],
    assets: [{ from: 'libs/analytics/queries', to: 'functions/queries' }],
  },
};

/** Packages that may only be bundled where FUNCTION_EXTRAS allows them. */
const NATIVE_PACKAGE = /^@duckdb\//;

/** The platform Lambda runs batch-analytics on (architecture x86_64 in serverless.yml). */
const LAMBDA_PLATFORM = { os: 'linux', cpu: 'x64', libc: 'glibc' };

function packageDir(root, name) {
  return path.join(root, 'node_modules', ...name.split('/'));
}

function readManifest(root, name) {
  const file = path.join(packageDir(root, name), 'package.json');
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : undefined;
}

function fitsLambda(manifest) {
  const allows = (list, value) => list === undefined || list.includes(value);
  return (
    allows(manifest.os, LAMBDA_PLATFORM.os) &&
    allows(manifest.cpu, LAMBDA_PLATFORM.cpu) &&
    allows(manifest.libc, LAMBDA_PLATFORM.libc)
  );
}

/** `@scope/name/sub/path` → `@scope/name`; `name/sub` → `name`. */
function packageNameOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const isBuiltin = (specifier) => specifier.startsWith('node:') || builtinModules.includes(specifier);

/** The external imports of a build that neither Node, the Lambda runtime nor the zip (`shipped`) provide. */
function unprovidedImports(metafile, shipped) {
  const provided = new Set([...Object.keys(RUNTIME_MODULES), ...shipped]);
  const missing = new Set();
  for (const output of Object.values(metafile.outputs)) {
    for (const imported of output.imports) {
      if (imported.external && !isBuiltin(imported.path) && !provided.has(packageNameOf(imported.path))) {
        missing.add(imported.path);
      }
    }
  }
  return [...missing].sort();
}

/** The packages to ship for `roots`: their dependencies, and the optional ones built for Lambda. */
function packageClosure(root, roots) {
  const found = new Set();
  const pending = [...roots];
  while (pending.length > 0) {
    const name = pending.pop();
    if (found.has(name)) continue;
    const manifest = readManifest(root, name);
    if (manifest === undefined) {
      throw new Error(`${name} is not installed in ${path.join(root, 'node_modules')}: run npm ci`);
    }
    found.add(name);
    pending.push(...Object.keys(manifest.dependencies ?? {}));
    for (const optional of Object.keys(manifest.optionalDependencies ?? {})) {
      const optionalManifest = readManifest(root, optional);
      if (optionalManifest !== undefined && fitsLambda(optionalManifest)) pending.push(optional);
    }
  }
  return [...found].sort();
}

function assertLambdaBinary(names) {
  const binary = `@duckdb/node-bindings-${LAMBDA_PLATFORM.os}-${LAMBDA_PLATFORM.cpu}`;
  if (names.some((name) => name.startsWith('@duckdb/')) && !names.includes(binary)) {
    throw new Error(
      `${binary} (DuckDB's Lambda binary) is not installed; on a non-Linux machine run ` +
        `npm install --no-save --os=linux --cpu=x64 --libc=glibc ${binary}`,
    );
  }
}

/** Type declarations are of no use at run time. */
const shipsAtRunTime = (source) => !source.endsWith('.d.ts');

function copyExtras(root, buildDir, extras) {
  const target = path.join(buildDir, `__only_${extras.name}`);
  fs.rmSync(target, { recursive: true, force: true });
  const names = packageClosure(root, extras.nativePackages);
  assertLambdaBinary(names);
  for (const name of names) {
    fs.cpSync(packageDir(root, name), path.join(target, 'node_modules', ...name.split('/')), {
      recursive: true,
      dereference: true,
      filter: shipsAtRunTime,
    });
  }
  for (const asset of extras.assets) {
    fs.cpSync(path.join(root, asset.from), path.join(target, asset.to), { recursive: true });
  }
}

/** The plugin for a service whose root (serverless.yml, node_modules) is `root`. */
function createFunctionExtrasPlugin(root) {
  return {
    name: 'pinlake-function-extras',
    setup(build) {
      const [entryPoint] = build.initialOptions.entryPoints ?? [];
      const entry = path
        .relative(root, path.resolve(root, String(entryPoint)))
        .split(path.sep)
        .join('/');
      const extras = FUNCTION_EXTRAS[entry];
      const allowed = new Set(extras?.nativePackages ?? []);

      // Registered first, so the extras below are only copied for a bundle that passed it.
      build.initialOptions.metafile = true;
      build.onEnd((result) => {
        if (result.errors.length > 0 || result.metafile === undefined) return undefined;
        const missing = unprovidedImports(result.metafile, extras?.nativePackages ?? []);
        return {
          errors: missing.map((specifier) => ({
            text:
              `${entry} requires ${specifier} at run time, which neither its zip nor the ` +
              `${RUNTIME.runtime} runtime provides: bundle it (remove it from exclude/external) or, if the ` +
              'runtime really ships it, add it to serverless/lambda-runtime-modules.json',
          })),
        };
      });

      build.onResolve({ filter: NATIVE_PACKAGE }, (args) => {
        if (allowed.has(args.path)) return { path: args.path, external: true };
        const owners = Object.keys(FUNCTION_EXTRAS).join(', ');
        return {
          errors: [
            {
              text: `${args.path} is a native module shipped only with ${owners}; ${entry} must not import it (imported by ${args.importer})`,
            },
          ],
        };
      });

      if (extras === undefined) return;
      build.onEnd((result) => {
        if (result.errors.length > 0) return;
        const outdir = path.resolve(root, build.initialOptions.outdir);
        const buildDir = outdir.slice(0, outdir.length - path.dirname(entry).length - 1);
        copyExtras(root, buildDir, extras);
      });
    },
  };
}

/** serverless-esbuild calls this with the Serverless instance and uses the plugins it returns. */
function plugins(serverless) {
  return [createFunctionExtrasPlugin(serverless.serviceDir ?? serverless.config.servicePath)];
}

module.exports = plugins;
module.exports.createFunctionExtrasPlugin = createFunctionExtrasPlugin;
module.exports.FUNCTION_EXTRAS = FUNCTION_EXTRAS;
module.exports.RUNTIME_MODULES = RUNTIME_MODULES;
