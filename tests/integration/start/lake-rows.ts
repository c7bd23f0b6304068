/**
 * What the start tests compare: the rows of a lake's tables without `source` and `ingested_at`, and
 * the same rows computed independently by cleaning the generated posts; the analytics answers, stored
 * and computed by the independent answer key.
 */
import { QUERY_IDS, type QueryId, type ResultRow, readResultTable } from '../../../libs/analytics';
import { loadSnapshot, readRows, type TableRow } from '../../../libs/delta';
import { generatePosts } from '../../../libs/emulator';
import { cleanRecord, type GeoRow, type Kind, type PinRow, type UserRow } from '../../../libs/records';
import type { ObjectStore } from '../../../libs/storage';
import { answerAll } from '../../helpers/analytics-reference';

/** A table's rows in a canonical order, and their sources in the order read. */
export interface TableContent {
  readonly rows: TableRow[];
  readonly sources: string[];
}

const canonical = (row: TableRow) => JSON.stringify(row);
const byCanonical = (a: TableRow, b: TableRow) => (canonical(a) < canonical(b) ? -1 : 1);

/** The rows of `tables/<family>/<kind>` without source and ingested_at, sorted, and every source. */
export async function readTable(
  store: ObjectStore,
  family: 'stream' | 'batch',
  kind: Kind,
): Promise<TableContent> {
  const snapshot = await loadSnapshot(store, `tables/${family}/${kind}`);
  const sources: string[] = [];
  const rows = (await readRows(store, snapshot)).map(({ source, ingested_at, ...rest }) => {
    sources.push(String(source));
    return rest;
  });
  return { rows: rows.sort(byCanonical), sources };
}

/** The generated posts' records of `kind`, cleaned, without source and ingested_at, sorted. */
export function expectedRows(posts: number, seed: number, kind: Kind): TableRow[] {
  const rows: TableRow[] = [];
  for (const post of generatePosts({ posts, seed })) {
    const cleaned = cleanRecord(kind, post[kind], { source: 'expected', ingestedAt: new Date(0) });
    if (!cleaned.ok)
      throw new Error(`generated ${kind} record of post ${JSON.stringify(post.pin)} is not clean`);
    const { source, ingested_at, ...rest } = cleaned.row as unknown as TableRow;
    rows.push(rest);
  }
  return rows.sort(byCanonical);
}

/** The analytics answers computed independently (tests/helpers) from the generated posts, cleaned. */
export function expectedAnswers(posts: number, seed: number): Record<QueryId, ResultRow[]> {
  const tables = { pin: [] as PinRow[], geo: [] as GeoRow[], user: [] as UserRow[] };
  let at = 0;
  for (const post of generatePosts({ posts, seed })) {
    at++;
    // The copies the generator re-sends are identical, so which one counts as first does not matter.
    const meta = { source: `expected:${at}`, ingestedAt: new Date(at) };
    const pin = cleanRecord('pin', post.pin, meta);
    const geo = cleanRecord('geo', post.geo, meta);
    const user = cleanRecord('user', post.user, meta);
    if (!pin.ok || !geo.ok || !user.ok) throw new Error(`generated post ${at} is not clean`);
    tables.pin.push(pin.row);
    tables.geo.push(geo.row);
    tables.user.push(user.row);
  }
  return answerAll(tables);
}

/** Every analytics result table of the lake, by query id. */
export async function readAnswers(store: ObjectStore): Promise<Record<QueryId, ResultRow[]>> {
  const entries = await Promise.all(
    QUERY_IDS.map(async (id) => [id, [...((await readResultTable(store, id))?.result.rows ?? [])]] as const),
  );
  return Object.fromEntries(entries) as Record<QueryId, ResultRow[]>;
}
