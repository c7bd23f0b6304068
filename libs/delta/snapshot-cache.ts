/**
 * A warm container's snapshots: each table is loaded from its checkpoint once, then brought up to date
 * from the log tail on every use, so a writer's reads per invocation do not grow with the table.
 */
import type { ObjectStore } from '../storage/types';
import type { Snapshot } from './replay';
import { loadSnapshot, refreshSnapshot } from './snapshot';

/** Options of {@link SnapshotCache}. */
export interface SnapshotCacheOptions {
  /** Tables kept (least recently used dropped first). Default 16. */
  readonly maxTables?: number;
  /**
   * When more commits than this are new since the cached version and a newer checkpoint exists, the
   * table is loaded from that checkpoint instead. Default 1,000.
   */
  readonly reloadAfter?: number;
}

/**
 * Snapshots by store and table, kept across invocations (build one per container). A cached snapshot
 * is only a starting point: {@link SnapshotCache.latest} always asks the log what is newer, and a
 * commit made from a stale snapshot is still checked against every commit it lost to.
 */
export class SnapshotCache {
  private readonly entries = new Map<string, Snapshot>();
  private readonly maxTables: number;
  private readonly reloadAfter: number;

  constructor(options: SnapshotCacheOptions = {}) {
    this.maxTables = options.maxTables ?? 16;
    this.reloadAfter = options.reloadAfter ?? 1000;
  }

  /** The cached snapshot of the table, as it was last seen (no I/O), or `undefined`. */
  peek(store: ObjectStore, tablePath: string): Snapshot | undefined {
    return this.entries.get(keyOf(store, tablePath));
  }

  /**
   * The table at its latest version: loaded (checkpoint + tail) the first time, refreshed from the
   * log tail afterwards (one LIST when nothing is new). Throws what `loadSnapshot` throws.
   */
  async latest(store: ObjectStore, tablePath: string): Promise<Snapshot> {
    const cached = this.peek(store, tablePath);
    const snapshot = cached
      ? (await refreshSnapshot(store, cached, { reloadAfter: this.reloadAfter })).snapshot
      : await loadSnapshot(store, tablePath);
    this.remember(store, snapshot);
    return snapshot;
  }

  /** Keeps `snapshot` (e.g. the one a commit returned) unless a newer one of the table is kept. */
  remember(store: ObjectStore, snapshot: Snapshot): void {
    const key = keyOf(store, snapshot.tablePath);
    const current = this.entries.get(key);
    if (current && current.version > snapshot.version) return;
    this.entries.delete(key);
    this.entries.set(key, snapshot);
    while (this.entries.size > this.maxTables) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  /** Drops the table (e.g. after an error that may mean the cached state is wrong). */
  forget(store: ObjectStore, tablePath: string): void {
    this.entries.delete(keyOf(store, tablePath));
  }
}

function keyOf(store: ObjectStore, tablePath: string): string {
  return `${store.uri}\n${tablePath}`;
}

/** The table at its latest version: through the container's cache when there is one, else loaded. */
export function latestSnapshot(
  store: ObjectStore,
  tablePath: string,
  snapshots: SnapshotCache | undefined,
): Promise<Snapshot> {
  return snapshots ? snapshots.latest(store, tablePath) : loadSnapshot(store, tablePath);
}
