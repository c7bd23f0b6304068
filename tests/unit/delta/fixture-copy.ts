import { chmod, cp, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** The reference Delta tables written by Spark, Databricks and delta-rs (see its README); never written to. */
export const FIXTURES = join(__dirname, '../../fixtures/delta');

/** Copies a fixture table into `dir` and makes the copy writable (the originals are read-only). */
export async function copyFixture(name: string, dir: string): Promise<string> {
  const target = join(dir, name);
  await cp(join(FIXTURES, name), target, { recursive: true });
  await makeWritable(target);
  return target;
}

async function makeWritable(path: string): Promise<void> {
  await chmod(path, 0o755);
  for (const entry of await readdir(path, { withFileTypes: true })) {
    const full = join(path, entry.name);
    if (entry.isDirectory()) await makeWritable(full);
    else await chmod(full, 0o644);
  }
}
