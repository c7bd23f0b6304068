import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const { findMissing, platformOf } = require('../../../scripts/complete-lockfile.js') as {
  findMissing: (lock: unknown) => Map<string, unknown>;
  platformOf: (name: string) => Record<string, string[]> | undefined;
};

describe('package-lock.json', () => {
  it('holds every platform package its entries name, so npm ci accepts it on any machine', () => {
    // Prepare
    const lock = JSON.parse(readFileSync(join(__dirname, '../../../package-lock.json'), 'utf8'));

    // Act
    const missing = [...findMissing(lock).keys()];

    // Assess: if this fails, run `node scripts/complete-lockfile.js` (npm install runs it as postinstall)
    expect(missing).toStrictEqual([]);
  });

  it('reads os, cpu and libc from a platform package name', () => {
    expect(platformOf('@biomejs/cli-linux-x64-musl')).toStrictEqual({
      os: ['linux'],
      cpu: ['x64'],
      libc: ['musl'],
    });
    expect(platformOf('@duckdb/node-bindings-darwin-arm64')).toStrictEqual({
      os: ['darwin'],
      cpu: ['arm64'],
    });
    expect(platformOf('@swc/core-win32-ia32-msvc')).toStrictEqual({ os: ['win32'], cpu: ['ia32'] });
    expect(platformOf('@biomejs/biome')).toBeUndefined();
  });
});
