/** Table properties (`metaData.configuration`) this library reads, with the protocol's defaults. Pure. */
import type { Metadata } from './actions';

const UNIT_MS: Record<string, number> = {
  millisecond: 1,
  second: 1000,
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
  week: 604_800_000,
};

/** Parses a Delta interval such as `interval 1 week` or `interval 30 days` into milliseconds. */
function parseInterval(text: string | undefined): number | undefined {
  const match = /^\s*(?:interval\s+)?(\d+)\s+(millisecond|second|minute|hour|day|week)s?\s*$/i.exec(
    text ?? '',
  );
  return match ? Number(match[1]) * UNIT_MS[match[2]!.toLowerCase()]! : undefined;
}

/** Default tombstone retention: one week (`delta.deletedFileRetentionDuration`). */
export const DEFAULT_RETENTION_MS = UNIT_MS.week!;

/** How long removed files stay referenced, from `delta.deletedFileRetentionDuration` (default 1 week). */
export function deletedFileRetention(metadata: Metadata): number {
  return parseInterval(metadata.configuration['delta.deletedFileRetentionDuration']) ?? DEFAULT_RETENTION_MS;
}

/** Commits between checkpoints, from `delta.checkpointInterval` (default 10, as Spark). */
export function checkpointInterval(metadata: Metadata): number {
  const value = Number(metadata.configuration['delta.checkpointInterval']);
  return Number.isInteger(value) && value > 0 ? value : 10;
}

/** Whether the table refuses removes of data (`delta.appendOnly=true`). */
export function isAppendOnly(metadata: Metadata): boolean {
  return metadata.configuration['delta.appendOnly'] === 'true';
}

/**
 * The table property a staging writer sets (to `true`) before its first manifest: the table may hold
 * staged batches, so a direct writer (the other mode, during a deploy that switches modes) must count
 * and commit its shard's staged batches before its own.
 */
export const STAGED_COMMITS_PROPERTY = 'pinlake.stagedCommits';
