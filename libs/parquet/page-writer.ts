/**
 * Column chunk pages → file bytes: each page body is compressed and written after its Thrift page
 * header (DataPage V1, the version Delta's own writer uses), and the sizes and offsets the footer
 * needs are counted on the way.
 */
import { ByteSink } from './byte-sink';
import { snappyCompress } from './snappy';
import { ThriftWriter } from './thrift';

/** Parquet encodings the writer uses. */
export const Encoding = { PLAIN: 0, RLE: 3, DELTA_BYTE_ARRAY: 7, RLE_DICTIONARY: 8 } as const;

/** Parquet compression codecs the writer uses. */
export const Codec = { UNCOMPRESSED: 0, SNAPPY: 1 } as const;

const DATA_PAGE = 0;
const DICTIONARY_PAGE = 2;

// Scratch buffers shared by every chunk (encoding is synchronous): a page body, its compressed form.
const body = new ByteSink(1 << 16);
const packed = new ByteSink(1 << 16);
const KEEP_SCRATCH_BYTES = 8 << 20;

/** The shared scratch sink for the next page body, emptied. */
export function pageBody(): ByteSink {
  body.reset();
  return body;
}

/**
 * One column chunk's pages, compressed into its own buffer until the row group is complete, with
 * what the footer's ColumnMetaData needs. Offsets count from the chunk's start until
 * {@link ChunkWriter.placeAt} moves them to the chunk's place in the file.
 */
export class ChunkWriter {
  /** The chunk's bytes: page headers and compressed pages. */
  readonly out = new ByteSink(1 << 12);
  /** Where the chunk starts in the file (0 until placed). */
  start = 0;
  /** Level entries (rows, list elements and nulls) in the chunk's data pages. */
  numValues = 0;
  uncompressedSize = 0;
  compressedSize = 0;
  dataPageOffset = -1;
  dictionaryPageOffset: number | undefined;
  readonly encodings = new Set<number>();

  /** A chunk whose pages are compressed with `codec` (see {@link Codec}). */
  constructor(readonly codec: number) {}

  /** Moves the offsets to the file position the chunk's bytes were copied to. */
  placeAt(offset: number): void {
    this.start = offset;
    this.dataPageOffset += offset;
    if (this.dictionaryPageOffset !== undefined) this.dictionaryPageOffset += offset;
  }

  /** Writes the chunk's dictionary page (PLAIN values); it must come before any data page. */
  dictionaryPage(values: Uint8Array, count: number): void {
    this.dictionaryPageOffset = this.out.length;
    this.encodings.add(Encoding.PLAIN);
    this.write(
      values,
      (thrift) => {
        thrift.struct(7);
        thrift.i32(1, count);
        thrift.i32(2, Encoding.PLAIN);
        thrift.end();
      },
      DICTIONARY_PAGE,
    );
  }

  /** Writes a V1 data page of `count` level entries whose values use `encoding`. */
  dataPage(page: Uint8Array, count: number, encoding: number): void {
    if (this.dataPageOffset < 0) this.dataPageOffset = this.out.length;
    this.numValues += count;
    this.encodings.add(encoding);
    this.encodings.add(Encoding.RLE);
    this.write(
      page,
      (thrift) => {
        thrift.struct(5);
        thrift.i32(1, count);
        thrift.i32(2, encoding);
        thrift.i32(3, Encoding.RLE);
        thrift.i32(4, Encoding.RLE);
        thrift.end();
      },
      DATA_PAGE,
    );
  }

  private write(page: Uint8Array, typeHeader: (thrift: ThriftWriter) => void, type: number): void {
    let payload = page;
    if (this.codec === Codec.SNAPPY) {
      packed.reset();
      snappyCompress(page, packed);
      payload = packed.view();
    }
    const at = this.out.length;
    const thrift = new ThriftWriter(this.out);
    thrift.i32(1, type);
    thrift.i32(2, page.length);
    thrift.i32(3, payload.length);
    typeHeader(thrift);
    thrift.end();
    const headerSize = this.out.length - at;
    this.out.append(payload);
    this.uncompressedSize += headerSize + page.length;
    this.compressedSize += headerSize + payload.length;
  }
}

/** Lets go of scratch buffers a very large page grew, so a long-lived process does not keep them. */
export function releaseScratch(): void {
  if (body.bytes.length > KEEP_SCRATCH_BYTES) body.setStorage(Buffer.allocUnsafe(1 << 16));
  if (packed.bytes.length > KEEP_SCRATCH_BYTES) packed.setStorage(Buffer.allocUnsafe(1 << 16));
}
