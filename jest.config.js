// Two projects, one run: fast unit tests of the pure libraries, and integration tests against
// the embedded stack on free ports. TypeScript is compiled by swc; the ESM-only dependencies
// (hyparquet, middy) are compiled to CommonJS on the way in.
const esmPackages = ['hyparquet', 'hyparquet-writer', '@middy/core', 'dt-sql-parser', 'antlr4-c3'];
const shared = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j|mj)s$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2023' }, module: { type: 'commonjs' } },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.join('|')})/)`],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
};
module.exports = {
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/tests/unit/**/*.test.ts'] },
    { ...shared, displayName: 'integration', testMatch: ['<rootDir>/tests/integration/**/*.test.ts'] },
  ],
  testTimeout: 60000,
  reporters: ['default', '<rootDir>/tests/helpers/summary-reporter.js'],
};
