#!/usr/bin/env node
// Puts the Node.js that Lambda's nodejs22.x runtime runs (the version pinned in
// serverless/lambda-runtime-modules.json) at node_modules/.cache/pinlake-lambda-node/<version>/node,
// and prints its path. tests/integration/deploy/ load every function zip with it.
//
// The binary comes from the npm registry: the `node-<os>-<cpu>` packages ship it inside their tarball.
// It is fetched with `npm pack` rather than installed as a dependency because that package declares a
// `node` bin: as a dependency it would put Node 22 first on the PATH of every npm script, and the
// project's own tests would silently stop running on the Node they are meant for. npm checks the
// tarball's integrity; nothing runs from it but the binary. Idempotent: a binary already in place that
// reports the pinned version is kept.

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const { node: VERSION } = require('../serverless/lambda-runtime-modules.json');

/** Where the pinned Node binary lives once fetched. */
function lambdaNodePath() {
  return path.join(ROOT, 'node_modules', '.cache', 'pinlake-lambda-node', VERSION, 'node');
}

function reportsVersion(binary) {
  try {
    return execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim() === `v${VERSION}`;
  } catch {
    return false;
  }
}

/** Fetches the binary unless it is already there; returns its path. Throws naming what failed. */
function fetchLambdaNode() {
  const target = lambdaNodePath();
  if (reportsVersion(target)) return target;
  const spec = `node-${process.platform}-${process.arch}@${VERSION}`;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pinlake-lambda-node-'));
  try {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const packed = JSON.parse(
      execFileSync(npm, ['pack', spec, '--json', '--pack-destination', work], {
        cwd: work,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      }),
    );
    const tarball = path.join(work, packed[0].filename);
    execFileSync('tar', ['-xzf', tarball, '-C', work, 'package/bin/node']);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(path.join(work, 'package', 'bin', 'node'), target);
    fs.chmodSync(target, 0o755);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  if (!reportsVersion(target)) throw new Error(`${spec} did not give a working Node ${VERSION} at ${target}`);
  return target;
}

if (require.main === module) {
  process.stdout.write(`${fetchLambdaNode()}\n`);
}

module.exports = { fetchLambdaNode, lambdaNodePath, LAMBDA_NODE_VERSION: VERSION };
