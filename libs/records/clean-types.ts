/**
 * The shapes every cleaner shares: what it is told about a record, and what it returns.
 */
import type { Quarantined } from './record-shape';
import type { Kind, RowOf } from './tables';

/** Where and when the pipeline received a record; copied into the row's `source`, `ingested_at`. */
export interface CleanMeta {
  /**
   * `kinesis:<stream>:<shardId>:<sequenceNumber>` or `kafka:<topic>:<partition>:<offset>`; a writer whose
   * Parquet file is told the prefix every `source` shares (`TableWriter`'s `sharedPrefixes`) passes only
   * the rest, which cleaning copies like any other text (no rule reads it).
   */
  source: string;
  ingestedAt: Date;
}

/** A cleaned record: its row, and the columns cleaning set to null although the raw had a value. */
interface Cleaned<K extends Kind = Kind> {
  ok: true;
  row: RowOf[K];
  nulled: string[];
}

/** The outcome of cleaning one record: a row, or the reason to quarantine it. */
export type CleanResult<K extends Kind = Kind> = Cleaned<K> | Quarantined;
