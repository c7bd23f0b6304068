/**
 * Not a benchmark: the CPU profile of stream-to-delta's pipeline alone (the events are built before the
 * profiler starts). `node bin/run-ts.js bench/profile-hot-paths.ts <kind> [batches] [out.cpuprofile]`
 * writes `batches` 10,000-record Kinesis batches of one kind into a file lake under the profiler and
 * saves the profile (open it in Chrome DevTools or VS Code); with `-` for the file it runs without the
 * profiler and prints wall and CPU time a batch (CPU time varies less on a busy machine). Bundle it with
 * esbuild first for real function names and lines, as Lambda runs it (docs/performance.md).
 */
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { Session } from 'node:inspector';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SnapshotCache } from '../libs/delta';
import type { Kind } from '../libs/records';
import { FileStore } from '../libs/storage';
import { writeKinesisBatch } from '../libs/stream-to-delta';
import { buildEvent, buildLines } from './stream';

const main = async () => {
  const kind = (process.argv[2] ?? 'geo') as Kind;
  const batches = Number(process.argv[3] ?? 60);
  const out = process.argv[4] ?? `${kind}.cpuprofile`;
  const data = buildLines(kind, 10_000).map((line) => Buffer.from(line).toString('base64'));
  const events = Array.from({ length: batches + 1 }, (_, shard) => buildEvent(kind, shard, data));
  const dir = await mkdtemp(join(tmpdir(), 'pinlake-profile-'));
  const session = new Session();
  session.connect();
  const post = promisify(session.post.bind(session)) as (method: string, params?: object) => Promise<unknown>;
  try {
    // The container's lake and snapshots, kept between batches as the deployed handler keeps them.
    const deps = {
      store: new FileStore(join(dir, 'lake')),
      snapshots: new SnapshotCache(),
      pipelineId: 'pinlake',
    };
    await writeKinesisBatch(events[batches]!, deps); // warm-up
    const profiling = out !== '-';
    if (profiling) {
      await post('Profiler.enable');
      await post('Profiler.setSamplingInterval', { interval: 200 });
      await post('Profiler.start');
    }
    const cpu = process.cpuUsage();
    const started = performance.now();
    for (let i = 0; i < batches; i++) await writeKinesisBatch(events[i]!, deps);
    const ms = (performance.now() - started) / batches;
    const used = process.cpuUsage(cpu);
    const cpuMs = (used.user + used.system) / 1000 / batches;
    const times = `${ms.toFixed(1)} ms wall, ${cpuMs.toFixed(1)} ms CPU a batch`;
    if (!profiling) process.stdout.write(`${kind}: ${times}\n`);
    else {
      const { profile } = (await post('Profiler.stop')) as { profile: object };
      writeFileSync(out, JSON.stringify(profile));
      process.stdout.write(`${kind}: ${times} under the profiler; profile in ${out}\n`);
    }
  } finally {
    session.disconnect();
    await rm(dir, { recursive: true, force: true });
  }
};

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
