// The esbuild options every Lambda bundle is built with: serverless.yml reads them
// (custom.esbuild: ${file(./serverless/esbuild-options.js)}) and bench/bundles.ts builds with the same
// ones, so the benchmark measures what is deployed.
const { modules: RUNTIME_MODULES } = require('./lambda-runtime-modules.json');

module.exports = {
  bundle: true,
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  target: 'node22',
  platform: 'node',
  format: 'cjs',
  // The packages' ES module builds where they have one: esbuild can drop what a bundle does not use
  // from them, which CommonJS builds do not allow (the AWS SDK shrinks by a quarter).
  mainFields: ['module', 'main'],
  // Every dependency is bundled, the AWS SDK included (the S3 client must be the version we test: the
  // Delta commits depend on PutObject's IfNoneMatch), except the few modules listed in
  // lambda-runtime-modules.json, which the nodejs22.x runtime provides: credential resolution and the
  // MSK control-plane client. Leaving them out keeps the bundles within DESIGN §7's budgets (figures:
  // docs/deploy.md). The plugin below fails the build of any bundle that needs, at run time, a module
  // neither its zip nor that list provides; DuckDB, the only native module, reaches batch-analytics alone.
  exclude: Object.keys(RUNTIME_MODULES),
  plugins: 'serverless/esbuild-plugins.js',
  concurrency: 2,
};
