/**
 * Where everything lives in the lake (DESIGN §2.2), in one place: every prefix and every key the
 * functions, the local stack and the CLI read or write. Nothing else builds a lake key by hand.
 *
 * - `tables/<stream|batch>/<kind>`: the clean Delta tables; `tables/analytics/<query id>`: the
 *   result tables.
 * - `raw/topics/<topic>/partition=<p>/<topic>+<p>+<start, 10 digits>.json`: the raw landing in the
 *   Confluent S3 sink's layout, one record value per line, the bytes exactly as produced (a notebook
 *   written for the seed reads it as is).
 * - `raw/_index/<topic>/partition=<p>/<start, 10 digits>-<end, 10 digits>.json`: a {@link RawIndex}
 *   for the file holding offsets start..end, keeping what the sink layout has no room for (the Kafka
 *   timestamps, each value's length, the file's SHA-256). Both raw objects are created only if
 *   absent, never overwritten: landing the same records again is a no-op, other content at an
 *   existing key is an error naming the key.
 * - `quarantine/<stream|topic>/<yyyy-mm-dd>/<name>.json`: records that could not be cleaned.
 * - `quarantine/onfailure/<function>/<yyyy-mm-dd>/<name>.json`: batches and scheduled runs an event
 *   source or Lambda gave up on (the on-failure destination).
 * - `reports/<run id>/index.html` and `reports/latest/index.html`: the analytics report.
 */
import type { Kind } from '../records/tables';

/** Which path wrote a clean table: `tables/stream/<kind>` or `tables/batch/<kind>`. */
export type TableFamily = 'stream' | 'batch';

/** The families of clean tables, in the order summaries list them. */
export const TABLE_FAMILIES: readonly TableFamily[] = ['stream', 'batch'];

/** The prefix every Delta table of the lake lives under. */
export const TABLES_PREFIX = 'tables/';

/** The prefix of the analytics result tables: `tables/analytics/`. */
export const RESULT_TABLES_PREFIX = `${TABLES_PREFIX}analytics/`;

/** The folder under a tables prefix where upkeep keeps its state (no table is named so). */
const UPKEEP_FOLDER = '_upkeep';

/** Where the last upkeep run over `tablesPrefix` stopped: `tables/_upkeep/progress.json`. */
export function upkeepProgressKey(tablesPrefix: string = TABLES_PREFIX): string {
  return `${tablesPrefix.endsWith('/') ? tablesPrefix : `${tablesPrefix}/`}${UPKEEP_FOLDER}/progress.json`;
}

/** The store key prefix of a clean table, e.g. `tables/stream/pin`. */
export function cleanTablePath(family: TableFamily, kind: Kind): string {
  return `${TABLES_PREFIX}${family}/${kind}`;
}

/** A clean table's name (its Delta metadata name and its Glue table name): `batch_pin`. */
export function cleanTableName(family: TableFamily, kind: Kind): string {
  return `${family}_${kind}`;
}

/** The store key prefix of a question's result table: `tables/analytics/<id>`. */
export function resultTablePath(id: string): string {
  return `${RESULT_TABLES_PREFIX}${id}`;
}

/** A table's label in summaries and the report: its path below `tables/` (`batch/pin`). */
export function tableLabel(tablePath: string): string {
  return tablePath.startsWith(TABLES_PREFIX) ? tablePath.slice(TABLES_PREFIX.length) : tablePath;
}

/** The prefix of every quarantined record and on-failure record. */
export const QUARANTINE_PREFIX = 'quarantine/';

/** The folder under `quarantine/` that holds on-failure records rather than a stream's or topic's. */
export const ON_FAILURE_ORIGIN = 'onfailure';

const day = (at: Date) => at.toISOString().slice(0, 10);

/** The key of a quarantined record: `quarantine/<origin>/<yyyy-mm-dd of at, UTC>/<name>.json`. */
export function quarantineKey(origin: string, at: Date, name: string): string {
  return `${QUARANTINE_PREFIX}${origin}/${day(at)}/${name}.json`;
}

/** The folder of a function's on-failure records of one day: `quarantine/onfailure/<function>/<day>/`. */
export function onFailureFolder(functionName: string, at: Date): string {
  return `${QUARANTINE_PREFIX}${ON_FAILURE_ORIGIN}/${functionName}/${day(at)}/`;
}

/** The key of an on-failure record named `name` (`<folder>/<name>.json`). */
export function onFailureKey(functionName: string, at: Date, name: string): string {
  return `${onFailureFolder(functionName, at)}${name}.json`;
}

/** The prefix of the reports: `reports/`. */
const REPORTS_PREFIX = 'reports/';

/** The lake keys a report is written to: its run's own copy and `latest`. */
export function reportKeys(runId: string): { run: string; latest: string } {
  return { run: `${REPORTS_PREFIX}${runId}/index.html`, latest: `${REPORTS_PREFIX}latest/index.html` };
}

/** The index object of one raw file. */
export interface RawIndex {
  readonly topic: string;
  readonly partition: number;
  readonly startOffset: number;
  readonly endOffset: number;
  /** The data file's length in bytes. */
  readonly bytes: number;
  /**
   * Each record's Kafka timestamp (ms since the epoch), in offset order; `null` for a record whose
   * timestamp was not a number (batch-clean quarantines it).
   */
  readonly timestamps: (number | null)[];
  /** Each value's length in bytes (the line without its `\n`), in offset order. */
  readonly lengths: number[];
  /**
   * SHA-256 of the data file, hex. Written by every landing since it was added; an index without it
   * (landed before) is checked by record count and byte lengths only.
   */
  readonly sha256?: string;
  /**
   * The offset landed just before this file in the same MSK batch, when Kafka skipped offsets between
   * them (the batch showed nothing in between): batch-clean then knows the gap is Kafka's, not lost data.
   */
  readonly previousOffset?: number;
}

/** A raw data file named by its key. */
export interface RawFileName {
  readonly topic: string;
  readonly partition: number;
  readonly startOffset: number;
}

/** An index object named by its key. */
export interface RawIndexName extends RawFileName {
  readonly endOffset: number;
}

const pad = (offset: number) => String(offset).padStart(10, '0');

/** The prefix of every raw data file of a topic: `raw/topics/<topic>/`. */
export function rawTopicPrefix(topic: string): string {
  return `raw/topics/${topic}/`;
}

/** The prefix of every index object of a partition: `raw/_index/<topic>/partition=<p>/`. */
export function rawIndexPrefix(topic: string, partition: number): string {
  return `raw/_index/${topic}/partition=${partition}/`;
}

/** The key of the data file starting at `startOffset`. */
export function rawDataKey(topic: string, partition: number, startOffset: number): string {
  return `${rawTopicPrefix(topic)}partition=${partition}/${topic}+${partition}+${pad(startOffset)}.json`;
}

/** The key of the index object of the file holding `startOffset`..`endOffset`. */
export function rawIndexKey(
  topic: string,
  partition: number,
  startOffset: number,
  endOffset: number,
): string {
  return `${rawIndexPrefix(topic, partition)}${pad(startOffset)}-${pad(endOffset)}.json`;
}

const DATA_KEY = /^raw\/topics\/([^/]+)\/partition=(\d+)\/([^/]+)\+(\d+)\+(\d{10,})\.json$/;
const INDEX_KEY = /^raw\/_index\/([^/]+)\/partition=(\d+)\/(\d{10,})-(\d{10,})\.json$/;

/** Reads a data file key; undefined for any other key (or one whose name disagrees with its folders). */
export function parseRawDataKey(key: string): RawFileName | undefined {
  const match = DATA_KEY.exec(key);
  if (!match || match[3] !== match[1] || match[4] !== match[2]) return undefined;
  return { topic: match[1]!, partition: Number(match[2]), startOffset: Number(match[5]) };
}

/** Reads an index key; undefined for any other key. */
export function parseRawIndexKey(key: string): RawIndexName | undefined {
  const match = INDEX_KEY.exec(key);
  if (!match) return undefined;
  return {
    topic: match[1]!,
    partition: Number(match[2]),
    startOffset: Number(match[3]),
    endOffset: Number(match[4]),
  };
}
