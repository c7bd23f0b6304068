#!/usr/bin/env node
// Adds to package-lock.json the platform-specific optional packages (other operating systems and CPUs)
// that a registry mirror without them leaves out. Without these entries `npm ci` refuses the lock
// ("Missing: … from lock file"). Each entry carries the package's os/cpu/libc, read from its name, so
// npm skips it on other platforms and fetches it by name@version where it applies.
// It runs as the project's postinstall script, so every `npm install` leaves a lock `npm ci` accepts;
// tests/unit/lockfile.test.ts checks the committed lock.

const fs = require('node:fs');
const path = require('node:path');

const LOCK = path.join(process.cwd(), 'package-lock.json');

/** os, cpu and libc of a platform package, from the platform part of its name. */
function platformOf(name) {
  const os = [
    'android',
    'darwin',
    'freebsd',
    'linux',
    'openbsd',
    'sunos',
    'win32',
    'netbsd',
    'aix',
    'openharmony',
  ].find((o) => new RegExp(`(^|[-/])${o}-`).test(name));
  const cpu = [
    'arm64',
    'x64',
    'ia32',
    'arm',
    'riscv64',
    'ppc64',
    's390x',
    'loong64',
    'mips64el',
    'wasm32',
  ].find((c) => new RegExp(`-${c}($|-)`).test(name));
  if (!os || !cpu) return undefined;
  const platform = { os: [os], cpu: [cpu] };
  if (os === 'linux') platform.libc = [/-musl($|-)/.test(name) ? 'musl' : 'glibc'];
  return platform;
}

/** The platform packages a lock's entries name as optional dependencies but the lock does not hold. */
function findMissing(lock) {
  const packages = lock.packages;
  const missing = new Map();
  for (const [key, entry] of Object.entries(packages)) {
    if (!key.startsWith('node_modules/')) continue;
    for (const [name, spec] of Object.entries(entry.optionalDependencies ?? {})) {
      const target = `node_modules/${name}`;
      if (packages[target] || packages[`${key}/node_modules/${name}`] || missing.has(target)) continue;
      const platform = platformOf(name);
      if (!platform || !/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(spec)) continue;
      missing.set(target, {
        version: spec,
        ...platform,
        optional: true,
        ...(entry.dev ? { dev: true } : {}),
      });
    }
  }
  return missing;
}

/** Adds the missing entries; writes the lock only when something was missing. */
function main() {
  const lock = JSON.parse(fs.readFileSync(LOCK, 'utf8'));
  const missing = findMissing(lock);
  if (missing.size === 0) return;
  // npm's own order: the root first, then keys in English locale order.
  lock.packages = Object.fromEntries(
    [...Object.entries(lock.packages), ...missing].sort(([a], [b]) =>
      a === '' ? -1 : b === '' ? 1 : a.localeCompare(b, 'en'),
    ),
  );
  fs.writeFileSync(LOCK, `${JSON.stringify(lock, null, 2)}\n`);
  process.stdout.write(`complete-lockfile: added ${missing.size} platform packages to package-lock.json\n`);
}

if (require.main === module) main();
module.exports = { findMissing, platformOf };
