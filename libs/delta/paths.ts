/**
 * Names inside a table: log files, data file paths as the log writes them (percent-encoded URIs) and
 * as the store keys them (decoded), and Hive-style partition directories. Pure.
 */
import { DeltaLogError } from './errors';

/** The log folder, relative to the table root. */
export const LOG_DIR = '_delta_log';

/** Joins a table path (a store key prefix, '' for the store root) and a relative key. */
export function tableKey(tablePath: string, relative: string): string {
  const base = tablePath.replace(/\/+$/, '');
  return base ? `${base}/${relative}` : relative;
}

/** `_delta_log/00000000000000000042.json` for version 42. */
export function commitFileName(version: number): string {
  return `${LOG_DIR}/${String(version).padStart(20, '0')}.json`;
}

/** `_delta_log/00000000000000000040.checkpoint.parquet` for version 40 (a classic, single-file checkpoint). */
export function checkpointFileName(version: number): string {
  return `${LOG_DIR}/${String(version).padStart(20, '0')}.checkpoint.parquet`;
}

/** What a file name in `_delta_log/` is: a commit, a checkpoint (or one part of one), or neither. */
export type LogEntry =
  | { kind: 'commit'; version: number; name: string }
  | { kind: 'checkpoint'; version: number; name: string; part: number; parts: number };

const COMMIT_RE = /^(\d{20})\.json$/;
const CHECKPOINT_RE = /^(\d{20})\.checkpoint\.parquet$/;
const MULTIPART_RE = /^(\d{20})\.checkpoint\.(\d{10})\.(\d{10})\.parquet$/;

/** Classifies a file name of `_delta_log/` (no folder); returns `undefined` for anything else (.crc, tmp files). */
export function parseLogFileName(name: string): LogEntry | undefined {
  const commit = COMMIT_RE.exec(name);
  if (commit) return { kind: 'commit', version: Number(commit[1]), name };
  const single = CHECKPOINT_RE.exec(name);
  if (single) return { kind: 'checkpoint', version: Number(single[1]), name, part: 1, parts: 1 };
  const multi = MULTIPART_RE.exec(name);
  if (multi) {
    return {
      kind: 'checkpoint',
      version: Number(multi[1]),
      name,
      part: Number(multi[2]),
      parts: Number(multi[3]),
    };
  }
  return undefined;
}

/**
 * Decodes an `add`/`remove` path exactly once (RFC 2396 percent-decoding), giving the path of the file
 * relative to the table root. Throws a `DeltaLogError` naming the path for an absolute URI (`s3://…`,
 * `file:…`: the protocol allows them, this reader does not read outside the table), an absolute path
 * (`/…`), a path with a `..` segment (it would leave the table root), or bad percent-encoding.
 */
export function decodeFilePath(path: string): string {
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(path)) {
    throw new DeltaLogError(`absolute data file paths are not supported: ${path}`);
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch (error) {
    throw new DeltaLogError(`data file path is not valid percent-encoding: ${path}`, { cause: error });
  }
  if (decoded.startsWith('/') || decoded.startsWith('\\')) {
    throw new DeltaLogError(`data file path is absolute, not relative to the table root: ${path}`);
  }
  if (decoded.split(/[/\\]/).some((segment) => segment === '..')) {
    throw new DeltaLogError(`data file path leaves the table root (a ".." segment): ${path}`);
  }
  return decoded;
}

/** Percent-encodes every segment of a relative path for the log (`=` and unreserved characters stay). */
export function encodeFilePath(relativePath: string): string {
  return relativePath
    .split('/')
    .map((segment) =>
      encodeURIComponent(segment)
        .replace(/%3D/g, '=')
        .replace(/[!'()*]/g, percent),
    )
    .join('/');
}

function percent(char: string): string {
  return `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
}

/** The Hive directory name for a null partition value. */
export const NULL_PARTITION = '__HIVE_DEFAULT_PARTITION__';

// The characters Hive escapes in partition directory names.
const HIVE_ESCAPED = new Set([...'"#%\'*/:=?\\{[]^'].map((c) => c.charCodeAt(0)));

/** Escapes a partition value for a `col=value` directory as Hive and Spark do (`:` → `%3A`, `/` → `%2F`). */
export function escapePartitionValue(value: string | null): string {
  if (value === null || value === '') return NULL_PARTITION;
  let out = '';
  for (const char of value) {
    const code = char.charCodeAt(0);
    out +=
      char.length === 1 && (code < 0x20 || code === 0x7f || HIVE_ESCAPED.has(code)) ? percent(char) : char;
  }
  return out;
}

/** The relative directory of a partition, e.g. `country=France/`; '' for an unpartitioned table. */
export function partitionDirectory(
  partitionColumns: readonly string[],
  values: Record<string, string | null>,
): string {
  return partitionColumns
    .map((column) => `${column}=${escapePartitionValue(values[column] ?? null)}/`)
    .join('');
}
