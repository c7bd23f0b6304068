/**
 * Where the last upkeep run stopped, kept in the lake (`<prefix>_upkeep/progress.json`, a folder
 * findTables skips): the table to start with, each table's vacuum listing position and when its last
 * vacuum pass started.
 */
import { upkeepProgressKey } from '../lake/layout';
import type { ObjectStore } from '../storage/types';

/** What one run leaves for the next. */
export interface UpkeepProgress {
  /** The table the run did not finish (or did not reach): the next run starts there. */
  resumeAt: string | undefined;
  /** Per table, the last key (relative to the table) a stopped vacuum listed. */
  vacuumAfter: Record<string, string>;
  /** Per table, when (ms since the epoch, upkeep's `now`) its last vacuum pass started. */
  vacuumStartedAt: Record<string, number>;
}

const decoder = new TextDecoder();

/**
 * Reads the last run's progress; none (start from the first table) when there is no readable file.
 * Asked with a LIST of the key first: a read of an absent key is a 403 on S3 for a role without
 * ListBucket on it.
 */
export async function readProgress(store: ObjectStore, prefix: string): Promise<UpkeepProgress> {
  const key = upkeepProgressKey(prefix);
  const empty: UpkeepProgress = { resumeAt: undefined, vacuumAfter: {}, vacuumStartedAt: {} };
  if (!(await store.list(key)).some((o) => o.key === key)) return empty;
  const bytes = await store.get(key);
  if (!bytes) return empty;
  try {
    const value = JSON.parse(decoder.decode(bytes)) as Partial<UpkeepProgress>;
    return {
      resumeAt: typeof value.resumeAt === 'string' ? value.resumeAt : undefined,
      vacuumAfter: typeof value.vacuumAfter === 'object' && value.vacuumAfter ? value.vacuumAfter : {},
      // Written by runs before passes were paced: absent, so every table's pass starts now.
      vacuumStartedAt:
        typeof value.vacuumStartedAt === 'object' && value.vacuumStartedAt ? value.vacuumStartedAt : {},
    };
  } catch {
    return empty;
  }
}

/** Replaces the progress file (a lost write only makes the next run start from the first table). */
export async function writeProgress(
  store: ObjectStore,
  prefix: string,
  progress: UpkeepProgress,
): Promise<void> {
  await store.put(upkeepProgressKey(prefix), JSON.stringify(progress));
}
