/**
 * The Thrift compact protocol, write side only: just what Parquet's page headers and footer use
 * (structs, lists, i32/i64, booleans, binary).
 */
import type { ByteSink } from './byte-sink';

/** Compact protocol type ids. */
export const ThriftType = {
  True: 1,
  False: 2,
  Byte: 3,
  I16: 4,
  I32: 5,
  I64: 6,
  Double: 7,
  Binary: 8,
  List: 9,
  Struct: 12,
} as const;

/** One compact protocol type id. */
export type ThriftType = (typeof ThriftType)[keyof typeof ThriftType];

/** Writes one Thrift struct (and the structs inside it) into a sink, tracking field ids per level. */
export class ThriftWriter {
  private lastField = 0;
  private readonly stack: number[] = [];

  /** Writes into `out`, starting a top-level struct (close it with {@link end}). */
  constructor(private readonly out: ByteSink) {}

  private header(id: number, type: ThriftType): void {
    const delta = id - this.lastField;
    if (delta > 0 && delta <= 15) this.out.u8((delta << 4) | type);
    else {
      this.out.u8(type);
      this.out.varint(zigzag(id));
    }
    this.lastField = id;
  }

  /** An i16 field. */
  i16(id: number, value: number): void {
    this.header(id, ThriftType.I16);
    this.out.varint(zigzag(value));
  }

  /** An i32 field (also enums). */
  i32(id: number, value: number): void {
    this.header(id, ThriftType.I32);
    this.out.varint(zigzag(value));
  }

  /** An i64 field from a safe integer. */
  i64(id: number, value: number): void {
    this.header(id, ThriftType.I64);
    this.out.varint(zigzag(value));
  }

  /** An i8 field. */
  byte(id: number, value: number): void {
    this.header(id, ThriftType.Byte);
    this.out.u8(value);
  }

  /** A boolean field (its value is in the field header). */
  bool(id: number, value: boolean): void {
    this.header(id, value ? ThriftType.True : ThriftType.False);
  }

  /** A string field (binary, UTF-8). */
  string(id: number, value: string): void {
    this.header(id, ThriftType.Binary);
    this.out.varint(Buffer.byteLength(value));
    this.out.utf8(value);
  }

  /** A binary field. */
  binary(id: number, value: Uint8Array): void {
    this.header(id, ThriftType.Binary);
    this.out.varint(value.length);
    this.out.append(value);
  }

  /** Opens a struct field; close it with {@link end}. */
  struct(id: number): void {
    this.header(id, ThriftType.Struct);
    this.push();
  }

  /** An empty struct field (e.g. a union member such as `StringType`). */
  emptyStruct(id: number): void {
    this.header(id, ThriftType.Struct);
    this.out.u8(0);
  }

  /** A list header; write `size` elements after it (see {@link element} for structs). */
  list(id: number, elementType: ThriftType, size: number): void {
    this.header(id, ThriftType.List);
    if (size < 15) this.out.u8((size << 4) | elementType);
    else {
      this.out.u8(0xf0 | elementType);
      this.out.varint(size);
    }
  }

  /** A list element of i32 type. */
  i32Element(value: number): void {
    this.out.varint(zigzag(value));
  }

  /** A list element of binary type. */
  stringElement(value: string): void {
    this.out.varint(Buffer.byteLength(value));
    this.out.utf8(value);
  }

  /** Opens a struct list element; close it with {@link end}. */
  element(): void {
    this.push();
  }

  /** Closes the innermost open struct (or the top-level one). */
  end(): void {
    this.out.u8(0);
    this.lastField = this.stack.pop() ?? 0;
  }

  private push(): void {
    this.stack.push(this.lastField);
    this.lastField = 0;
  }
}

/** Zigzag encoding of a safe integer (64-bit semantics). */
function zigzag(value: number): number {
  return value >= 0 ? value * 2 : -value * 2 - 1;
}
