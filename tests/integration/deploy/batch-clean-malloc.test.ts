import { execFileSync } from 'node:child_process';
import { loadLocalDeployment } from '../../../local/stack';

// batch-clean's MALLOC_* environment (serverless/functions.yml) is read by glibc as a process starts,
// so it is checked by starting Node with it, as Lambda does: large blocks freed must be reused without
// the kernel faulting their pages in again. The same script without it is the control: glibc's
// defaults hand such blocks back, and the same work faults them all in again.

// Three rounds of 24 blocks of 6 MB (a raw pin file is ~7 MB), each filled, dropped and collected; prints
// the minor page faults of each round.
const SCRIPT = `
const round = () => {
  const before = process.resourceUsage().minorPageFault;
  let blocks = [];
  for (let i = 0; i < 24; i++) blocks.push(Buffer.allocUnsafeSlow(6 << 20).fill(i));
  blocks = null;
  globalThis.gc();
  return process.resourceUsage().minorPageFault - before;
};
process.stdout.write(JSON.stringify([round(), round(), round()]));
`;

function faultsPerRound(environment: Record<string, string>): number[] {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('MALLOC_')));
  const out = execFileSync(process.execPath, ['--expose-gc', '-e', SCRIPT], {
    env: { ...env, ...environment },
    encoding: 'utf8',
  });
  return JSON.parse(out) as number[];
}

describe("batch-clean's deployed malloc settings", () => {
  const deployed = loadLocalDeployment().functions['batch-clean']!.environment;
  const malloc = Object.fromEntries(Object.entries(deployed).filter(([name]) => name.startsWith('MALLOC_')));

  it('are set', () => {
    expect(Object.keys(malloc).sort()).toStrictEqual(['MALLOC_MMAP_THRESHOLD_', 'MALLOC_TRIM_THRESHOLD_']);
  });

  it('reuse large freed blocks without faulting their pages in again', () => {
    // Act
    const [first, second, third] = faultsPerRound(malloc);
    const control = faultsPerRound({});

    // Assess
    // The first round faults in 144 MB (~36,900 pages of 4 KiB) either way.
    expect(first).toBeGreaterThan(30_000);
    expect(second! + third!).toBeLessThan(first! / 100);
    expect(control[1]!).toBeGreaterThan(control[0]! / 2);
  });
});
