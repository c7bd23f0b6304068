// The esbuild options every Lambda bundle is built with: serverless.yml reads them
// (custom.esbuild: ${file(./serverless/esbuild-options.js)}) and bench/bundles.ts builds with the same
// ones, so the benchmark measures what is deployed.
module.exports = {
  bundle: true,
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  target: 'node22',
  platform: 'node',
  format: 'cjs',
  // The AWS SDK v3 (@aws-sdk/*, @smithy/*) is provided by the nodejs22.x runtime, so it is left out
  // of the bundles: that keeps them within DESIGN §7's budgets (with the SDK bundled, ingest-stream
  // is 0.5 MB and stream-to-delta 0.8 MB). Every other dependency is bundled; the only native module,
  // DuckDB, is kept out of every bundle but batch-analytics's by the plugin below.
  exclude: ['@aws-sdk/*', '@smithy/*'],
  plugins: 'serverless/esbuild-plugins.js',
  concurrency: 2,
};
