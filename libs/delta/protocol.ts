/** Which tables this library may read and write (protocol §Protocol Evolution, §Table Features). Pure. */
import type { Protocol } from './actions';
import { UnsupportedProtocolError } from './errors';

/** Reader features implemented here: none (reader version 1). */
const READER_FEATURES = new Set<string>();
/** Writer features honoured here: the writer-version-2 duties only. */
const WRITER_FEATURES = new Set<string>(['appendOnly', 'invariants']);

/** Throws an `UnsupportedProtocolError` naming the table when it needs a reader beyond version 1. */
export function assertReadable(protocol: Protocol, table: string): void {
  const unknown = (protocol.readerFeatures ?? []).filter((f) => !READER_FEATURES.has(f));
  if (protocol.minReaderVersion > 1 && !(protocol.minReaderVersion === 3 && unknown.length === 0)) {
    const features = unknown.length ? ` (reader features: ${unknown.join(', ')})` : '';
    throw new UnsupportedProtocolError(
      `table ${table} needs Delta reader version ${protocol.minReaderVersion}${features}; pinlake reads version 1`,
    );
  }
}

/** Throws an `UnsupportedProtocolError` naming the table when writing needs more than writer version 2. */
export function assertWritable(protocol: Protocol, table: string): void {
  assertReadable(protocol, table);
  const unknown = (protocol.writerFeatures ?? []).filter((f) => !WRITER_FEATURES.has(f));
  if (protocol.minWriterVersion > 2 && !(protocol.minWriterVersion === 7 && unknown.length === 0)) {
    const features = unknown.length ? ` (writer features: ${unknown.join(', ')})` : '';
    throw new UnsupportedProtocolError(
      `table ${table} needs Delta writer version ${protocol.minWriterVersion}${features}; pinlake writes version 2`,
    );
  }
}
