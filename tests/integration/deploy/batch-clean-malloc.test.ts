import { execFileSync } from 'node:child_process';
import { loadLocalDeployment } from '../../../local/stack';

// batch-clean's MALLOC_* environment (serverless/functions.yml) is read by glibc as a process starts,
// so it is checked by starting Node with it, as Lambda does: large blocks freed must be reused without
// the kernel faulting their pages in again. The same script without it is the control: glibc's
// defaults hand such blocks back, and the next round faults them in again. Lambda's runtimes use glibc;
// elsewhere (musl, macOS) the variables mean nothing, and the test is skipped.

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
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('MALLOC_') && name !== 'GLIBC_TUNABLES'),
  );
  const out = execFileSync(process.execPath, ['--expose-gc', '-e', SCRIPT], {
    env: { ...env, ...environment },
    encoding: 'utf8',
  });
  return JSON.parse(out) as number[];
}

const glibc = Boolean(
  (process.report.getReport() as { header?: { glibcVersionRuntime?: string } }).header?.glibcVersionRuntime,
);

(glibc ? describe : describe.skip)("batch-clean's deployed malloc settings", () => {
  const deployed = loadLocalDeployment().functions['batch-clean']!.environment;
  const malloc = Object.fromEntries(Object.entries(deployed).filter(([name]) => name.startsWith('MALLOC_')));

  it('reuse large freed blocks without faulting their pages in again', () => {
    // Act
    const [first, second, third] = faultsPerRound(malloc);
    const control = faultsPerRound({});

    // Assess
    // The first round faults its 144 MB in either way (~36,900 pages of 4 KiB). Then the settings keep the
    // freed blocks: at most a stray block (~1,540 pages) is faulted in again now and then, where the control
    // faults in most of a round's blocks again.
    expect(second! + third!).toBeLessThan(first! / 10);
    expect(control[1]!).toBeGreaterThan(control[0]! / 2);
    expect(second! + third!).toBeLessThan((control[1]! + control[2]!) / 5);
  });
});
