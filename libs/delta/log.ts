/**
 * Reading the log from a store: listing `_delta_log/`, commit files, checkpoints and `_last_checkpoint`.
 * Every read names the table and version on failure.
 */
import type { ObjectInfo, ObjectStore } from '../storage/types';
import { type Action, parseActions } from './actions';
import { decodeCheckpoint } from './checkpoint';
import { DeltaLogError } from './errors';
import { commitFileName, LOG_DIR, type LogEntry, parseLogFileName, tableKey } from './paths';

/** What `_delta_log/_last_checkpoint` holds (only `version` and `size` are required). */
export interface LastCheckpoint {
  version: number;
  size: number;
  parts?: number;
  sizeInBytes?: number;
  numOfAddFiles?: number;
}

/** The commits and complete checkpoints found in a log listing. */
export interface LogListing {
  /** Commit versions, ascending. */
  readonly commits: number[];
  /** Complete checkpoints (all parts present), ascending by version, with their file names. */
  readonly checkpoints: { version: number; names: string[] }[];
  /** Last modification time of each commit version, ms. */
  readonly commitTimes: Map<number, number>;
  /** Multi-part checkpoints with parts missing, ascending by version: readers skip them. */
  readonly incompleteCheckpoints: { version: number; parts: number; missing: number[] }[];
}

const decoder = new TextDecoder();

/**
 * Reads `_last_checkpoint`; `undefined` when absent or unreadable (it is only a hint). Whether it
 * exists is asked with a LIST of its key, never by reading it: S3 answers a read of an absent key
 * with 403, not 404, to a role that may list only the table's prefix (as pinlake's roles do).
 */
export async function readLastCheckpoint(
  store: ObjectStore,
  tablePath: string,
): Promise<LastCheckpoint | undefined> {
  const key = tableKey(tablePath, `${LOG_DIR}/_last_checkpoint`);
  if (!(await store.list(key)).some((object) => object.key === key)) return undefined;
  const bytes = await store.get(key);
  if (!bytes) return undefined;
  try {
    const value = JSON.parse(decoder.decode(bytes)) as LastCheckpoint;
    return Number.isInteger(value.version) ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Lists the log. With `fromVersion`, lists only the blocks of a hundred zero-padded versions from that
 * version's block on (the next block is listed only while the previous one is full), so a long table
 * is not listed from version 0 on every load.
 */
export async function listLog(
  store: ObjectStore,
  tablePath: string,
  fromVersion?: number,
): Promise<LogListing> {
  const logPrefix = tableKey(tablePath, `${LOG_DIR}/`);
  const pad = (version: number): string => String(version).padStart(20, '0');
  let objects: ObjectInfo[];
  if (fromVersion === undefined) {
    objects = await store.list(logPrefix);
  } else {
    objects = [];
    for (let block = Math.floor(fromVersion / 100); ; block++) {
      const listed = await store.list(`${logPrefix}${pad(block * 100).slice(0, 18)}`);
      objects.push(...listed);
      if (!listed.some((o) => o.key.endsWith(`${pad(block * 100 + 99)}.json`))) break;
    }
  }
  const commits: number[] = [];
  const commitTimes = new Map<number, number>();
  const parts = new Map<string, { version: number; parts: number; names: Map<number, string> }>();
  for (const object of objects) {
    const entry: LogEntry | undefined = parseLogFileName(object.key.slice(logPrefix.length));
    if (!entry) continue;
    if (entry.kind === 'commit') {
      if (fromVersion === undefined || entry.version >= fromVersion) commits.push(entry.version);
      commitTimes.set(entry.version, object.lastModified);
    } else {
      const id = `${entry.version}/${entry.parts}`;
      const set = parts.get(id) ?? { version: entry.version, parts: entry.parts, names: new Map() };
      set.names.set(entry.part, `${LOG_DIR}/${entry.name}`);
      parts.set(id, set);
    }
  }
  const checkpoints = [...parts.values()]
    .filter((p) => p.names.size === p.parts)
    .map((p) => ({
      version: p.version,
      names: [...p.names.entries()].sort((a, b) => a[0] - b[0]).map(([, n]) => n),
    }))
    .sort((a, b) => a.version - b.version);
  const incompleteCheckpoints = [...parts.values()]
    .filter((p) => p.names.size !== p.parts)
    .map((p) => ({
      version: p.version,
      parts: p.parts,
      missing: Array.from({ length: p.parts }, (_, i) => i + 1).filter((part) => !p.names.has(part)),
    }))
    .sort((a, b) => a.version - b.version);
  commits.sort((a, b) => a - b);
  return { commits, checkpoints, commitTimes, incompleteCheckpoints };
}

/**
 * Reads and parses the commit of `version`; throws a `DeltaLogError` naming it when it is missing,
 * empty (no action: a commit always holds at least one) or not JSON lines (e.g. cut short).
 */
export async function readCommit(store: ObjectStore, tablePath: string, version: number): Promise<Action[]> {
  const name = commitFileName(version);
  const bytes = await store.get(tableKey(tablePath, name));
  if (!bytes) throw new DeltaLogError(`table ${tablePath || store.uri}: commit ${name} is missing`);
  return parseCommit(bytes, `${tablePath ? `${tablePath}/` : ''}${name}`);
}

function parseCommit(bytes: Uint8Array, source: string): Action[] {
  const actions = parseActions(decoder.decode(bytes), source);
  if (actions.length === 0) {
    throw new DeltaLogError(
      `${source} is empty (${bytes.byteLength} bytes, no action): the commit is damaged`,
    );
  }
  return actions;
}

/** Reads every part of a checkpoint and returns its actions. */
export async function readCheckpoint(
  store: ObjectStore,
  tablePath: string,
  names: readonly string[],
): Promise<Action[]> {
  const actions: Action[] = [];
  for (const name of names) {
    const key = tableKey(tablePath, name);
    const bytes = await store.get(key);
    if (!bytes) throw new DeltaLogError(`checkpoint ${key} is missing`);
    actions.push(...(await decodeCheckpoint(bytes, key)));
  }
  return actions;
}
