// Batch tables for the analytics tests, built as the pipeline builds them: posts from the emulator's
// generator (raw seed fields, ids drawn with replacement, so posts repeat), cleaned with libs/records,
// written with libs/delta writeRows into tables/batch/<kind>.
import { writeRows } from '../../../libs/delta';
import { generatePosts } from '../../../libs/emulator/generator';
import { cleanTablePath, ensureCleanTable } from '../../../libs/lake';
import { cleanRecord } from '../../../libs/records';
import { KINDS, type Kind, type RowOf, TABLE_COLUMNS } from '../../../libs/records/tables';
import type { ObjectStore } from '../../../libs/storage';
import type { CleanTables } from '../../helpers/analytics-reference';

/** What to generate: posts `first`…`first + posts - 1` of the seed's sequence, in `commits` commits. */
export interface BatchLakeOptions {
  readonly posts: number;
  readonly seed: number;
  readonly poolSize: number;
  /** The arrival number of the first post (offsets and `ingested_at` continue from it). */
  readonly first?: number;
  readonly commits?: number;
}

const EPOCH = Date.UTC(2024, 5, 1);

/** The clean rows of the posts, as batch-clean would make them from Kafka offsets `first`…. */
export function cleanPosts(options: BatchLakeOptions): CleanTables {
  const first = options.first ?? 0;
  const tables: { [K in Kind]: RowOf[K][] } = { pin: [], geo: [], user: [] };
  let offset = 0;
  for (const post of generatePosts({
    posts: first + options.posts,
    seed: options.seed,
    poolSize: options.poolSize,
  })) {
    if (offset >= first) {
      for (const kind of KINDS) {
        const meta = {
          source: `kafka:pinlake.${kind}:0:${offset}`,
          ingestedAt: new Date(EPOCH + offset * 1000),
        };
        const cleaned = cleanRecord(kind, post[kind], meta);
        if (!cleaned.ok) throw new Error(`generated ${kind} ${offset} was quarantined: ${cleaned.reason}`);
        (tables[kind] as RowOf[Kind][]).push(cleaned.row);
      }
    }
    offset++;
  }
  return tables;
}

/** Appends the rows to `tables/batch/<kind>` (created if absent) in `commits` commits per table. */
export async function writeBatchTables(store: ObjectStore, tables: CleanTables, commits = 1): Promise<void> {
  for (const kind of KINDS) {
    await ensureCleanTable(store, 'batch', kind);
    const rows = tables[kind];
    const size = Math.ceil(rows.length / commits);
    for (let start = 0; start < rows.length; start += size) {
      await writeRows(
        store,
        cleanTablePath('batch', kind),
        TABLE_COLUMNS[kind],
        rows.slice(start, start + size),
      );
    }
  }
}

/** Both tables' rows together, in order. */
export function concatTables(a: CleanTables, b: CleanTables): CleanTables {
  return { pin: [...a.pin, ...b.pin], geo: [...a.geo, ...b.geo], user: [...a.user, ...b.user] };
}
