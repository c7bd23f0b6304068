/**
 * How every command opens a lake: the `--lake` directory or URI, with the S3 endpoint and region from
 * the environment (`S3_ENDPOINT`, `AWS_REGION`), as the functions and the local stack open theirs.
 */
import { join } from 'node:path';
import type { ObjectStore } from '../libs/storage';

/** The `--lake` option's help. */
export const LAKE_HELP = 'the lake: a directory, file://… or s3://bucket/prefix';

/** The lake `--lake` names. The configuration and storage libraries (the S3 SDK) load on the first call. */
export function openLake(lake: string): ObjectStore {
  const { loadLakeSettings } = require('../libs/config') as typeof import('../libs/config');
  const { openLake: open } = require('../libs/lake/open-lake') as typeof import('../libs/lake/open-lake');
  return open(loadLakeSettings(), lake);
}

/** Where a lake key is, for a person: a local path for a local lake, else the object's URI. */
export function lakeLocation(store: ObjectStore, key: string): string {
  const { FileStore } = require('../libs/storage') as typeof import('../libs/storage');
  return store instanceof FileStore ? join(store.root, ...key.split('/')) : `${store.uri}/${key}`;
}

const n = (value: number): string => value.toLocaleString('en-US');

/** What the lake's inventory shows a person (`pinlake start`'s summary, `pinlake status`). */
export interface InventoryLines {
  readonly tables: Readonly<Record<string, number>>;
  readonly freshness?: Readonly<Record<string, Date | null>>;
  readonly quarantined: Readonly<Record<string, number>>;
  readonly onFailure: number;
}

/** The inventory as lines: rows per table (with the latest ingest when known), then the quarantine. */
export function formatInventory(inventory: InventoryLines): string[] {
  const fresh = inventory.freshness;
  const latest = (table: string) => {
    const at = fresh?.[table];
    return at === undefined ? '' : `  ${at === null ? '–' : at.toISOString()}`;
  };
  return [
    `${'table'.padEnd(54)} ${'rows'.padStart(9)}${fresh === undefined ? '' : '  latest ingest'}`,
    ...Object.entries(inventory.tables).map(
      ([table, rows]) => `${table.padEnd(54)} ${n(rows).padStart(9)}${latest(table)}`,
    ),
    '',
    `quarantined  ${
      Object.entries(inventory.quarantined)
        .map(([origin, count]) => `${origin}: ${n(count)}`)
        .join(', ') || 'none'
    }; batches given up to on-failure: ${n(inventory.onFailure)}`,
  ];
}
