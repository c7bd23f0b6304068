/**
 * The quarantine writer (DESIGN §2.2): a record that cannot be cleaned is kept with its reason and raw
 * bytes under `quarantine/<stream|topic>/<yyyy-mm-dd>/<name>.json`, never dropped.
 */
import type { ObjectStore } from '../storage';
import { quarantineKey } from './layout';

/** A record to quarantine. */
export interface QuarantineEntry {
  /** The stream or topic it came from (the folder under `quarantine/`). */
  readonly origin: string;
  /** The file name without `.json`; deterministic, so writing the same record again replaces it. */
  readonly name: string;
  readonly reason: string;
  /** The record's `source`, as a clean row would carry it. */
  readonly source: string;
  /** When the pipeline received it (its day names the folder, so a redelivery finds the same key). */
  readonly receivedAt: Date;
  readonly bytes: Uint8Array;
}

/** The JSON object a quarantine file holds. */
export interface QuarantineFile {
  reason: string;
  source: string;
  received_at: string;
  /** The raw bytes, base64. */
  raw: string;
  /** The start of the raw bytes as text, when they are valid UTF-8. */
  preview?: string;
}

/** The longest `preview` kept, in UTF-16 units. */
const PREVIEW_LENGTH = 2048;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The store key of an entry: `quarantine/<origin>/<yyyy-mm-dd of receivedAt, UTC>/<name>.json`. */
export function quarantineEntryKey(entry: Pick<QuarantineEntry, 'origin' | 'name' | 'receivedAt'>): string {
  return quarantineKey(entry.origin, entry.receivedAt, entry.name);
}

/** The file body of an entry (see {@link QuarantineFile}). */
export function quarantineFile(entry: QuarantineEntry): QuarantineFile {
  const file: QuarantineFile = {
    reason: entry.reason,
    source: entry.source,
    received_at: entry.receivedAt.toISOString(),
    raw: Buffer.from(entry.bytes.buffer, entry.bytes.byteOffset, entry.bytes.byteLength).toString('base64'),
  };
  try {
    file.preview = strictUtf8.decode(entry.bytes).slice(0, PREVIEW_LENGTH);
  } catch {
    // Not UTF-8: the base64 is all there is.
  }
  return file;
}

const CONCURRENCY = 16;

/**
 * Writes the entries (replacing any file of the same key, so a redelivered batch writes nothing new)
 * and resolves their keys in order. Rejects with the store's `StorageError` when a write fails; the
 * entries written before it stay, which is harmless since writing them again gives the same files.
 */
export async function writeQuarantine(
  store: ObjectStore,
  entries: readonly QuarantineEntry[],
): Promise<string[]> {
  const keys = entries.map(quarantineEntryKey);
  let next = 0;
  const worker = async () => {
    while (next < entries.length) {
      const at = next++;
      await store.put(keys[at]!, `${JSON.stringify(quarantineFile(entries[at]!))}\n`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, entries.length) }, worker));
  return keys;
}
