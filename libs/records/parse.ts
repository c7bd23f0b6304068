import { RecordParseError } from './errors';
/**
 * Raw record bytes → JSON value: the first step of every pipeline path.
 */

/** Records larger than this are quarantined unparsed (Kinesis caps records at 1 MiB, MSK at 8). */
export const MAX_RECORD_BYTES = 8 * 1024 * 1024;

/** Decodes bytes as UTF-8 (invalid sequences become U+FFFD) without copying them. */
export const decodeUtf8 = (bytes: Uint8Array): string =>
  (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)).toString(
    'utf8',
  );

/**
 * Parses one record's text (JSON, a leading byte-order mark allowed) into its value. Throws
 * {@link RecordParseError} naming `source` when the text is not JSON.
 */
export const parseRecordText = (text: string, source = 'record'): unknown => {
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new RecordParseError(`${source} is not JSON: ${detail}`, { cause: error });
  }
};

/**
 * Parses one record's bytes (UTF-8 JSON, a leading byte-order mark allowed) into its value.
 * Deeply nested input does not overflow the stack (V8's JSON parser is iterative). Throws
 * {@link RecordParseError} naming `source` when the bytes are not JSON.
 */
export const parseRecordBytes = (bytes: Uint8Array, source = 'record'): unknown =>
  parseRecordText(decodeUtf8(bytes), source);
