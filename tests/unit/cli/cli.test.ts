import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const bin = join(__dirname, '../../../bin/pinlake.js');
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });

describe('pinlake command line', () => {
  it('prints help and exits 0 with --help', () => {
    const result = run('--help');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Usage: pinlake');
  });

  it('exits 2 on an unknown command or option', () => {
    expect(run('no-such-command').status).toBe(2);
    expect(run('start', '--no-such-option').status).toBe(2);
  });
});
