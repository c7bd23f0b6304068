import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Creates a fresh temporary directory; call the returned `cleanup` in `afterEach`/`afterAll`. */
export async function makeTempDir(
  label = 'pinlake',
): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `${label}-`));
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) };
}
