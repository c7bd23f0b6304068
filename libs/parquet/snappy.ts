/**
 * A Snappy compressor (the raw format Parquet's SNAPPY codec uses): one pass with a 16,384-entry
 * hash table of 4-byte sequences, matches up to 64 KiB back (2-byte offsets), and the reference
 * encoder's skipping heuristic, so text that does not compress is passed over quickly.
 */
import type { ByteSink } from './byte-sink';

const MAX_OFFSET = 65_535;
const HASH_BITS = 14;
const HASH_SHIFT = 32 - HASH_BITS;
const INPUT_MARGIN = 15;
const table = new Int32Array(1 << HASH_BITS);

/** The largest output Snappy can produce for `length` input bytes. */
function maxCompressedLength(length: number): number {
  return 32 + length + Math.floor(length / 6);
}

/** Appends the Snappy encoding of `input` to `out`. */
export function snappyCompress(input: Uint8Array, out: ByteSink): void {
  out.ensure(maxCompressedLength(input.length) + 5);
  out.varint(input.length);
  compressAll(input, out);
}

/** Four bytes at `i` as a little-endian int32: one load through the input's DataView. */
const load32 = (s: DataView, i: number): number => s.getInt32(i, true);
const hash = (value: number): number => Math.imul(value, 0x1e35a7bd) >>> HASH_SHIFT;

function compressAll(src: Uint8Array, out: ByteSink): void {
  const end = src.length;
  const words = new DataView(src.buffer, src.byteOffset, src.byteLength);
  let nextEmit = 0;
  if (end >= INPUT_MARGIN) {
    table.fill(0);
    const ipLimit = end - INPUT_MARGIN;
    let ip = 1;
    let nextHash = hash(load32(words, ip));
    outer: for (;;) {
      let skip = 32;
      let nextIp = ip;
      let candidate: number;
      do {
        ip = nextIp;
        const h = nextHash;
        nextIp = ip + (skip >>> 5);
        skip++;
        if (nextIp > ipLimit) break outer;
        candidate = table[h]!;
        table[h] = ip;
        nextHash = hash(load32(words, nextIp));
      } while (ip - candidate > MAX_OFFSET || load32(words, ip) !== load32(words, candidate));
      emitLiteral(src, nextEmit, ip, out);
      for (;;) {
        const base = ip;
        let matched = 4;
        while (
          ip + matched + 4 <= end &&
          load32(words, candidate + matched) === load32(words, ip + matched)
        ) {
          matched += 4;
        }
        while (ip + matched < end && src[candidate + matched] === src[ip + matched]) matched++;
        ip += matched;
        emitCopy(base - candidate, matched, out);
        nextEmit = ip;
        if (ip >= ipLimit) break outer;
        table[hash(load32(words, ip - 1))] = ip - 1;
        const h = hash(load32(words, ip));
        candidate = table[h]!;
        table[h] = ip;
        if (ip - candidate > MAX_OFFSET || load32(words, ip) !== load32(words, candidate)) break;
      }
      ip++;
      nextHash = hash(load32(words, ip));
    }
  }
  if (nextEmit < end) emitLiteral(src, nextEmit, end, out);
}

function emitLiteral(src: Uint8Array, from: number, to: number, out: ByteSink): void {
  const n = to - from - 1;
  const bytes = out.bytes;
  let at = out.length;
  if (n < 60) bytes[at++] = n << 2;
  else if (n < 256) {
    bytes[at++] = 60 << 2;
    bytes[at++] = n;
  } else {
    const size = n < 0x10000 ? 2 : n < 0x1000000 ? 3 : 4;
    bytes[at++] = (59 + size) << 2;
    for (let b = 0; b < size; b++) bytes[at++] = (n >>> (8 * b)) & 0xff;
  }
  if (n < 16) for (let i = from; i < to; i++) bytes[at++] = src[i]!;
  else {
    bytes.set(src.subarray(from, to), at);
    at += to - from;
  }
  out.length = at;
}

function emitCopy(offset: number, length: number, out: ByteSink): void {
  const bytes = out.bytes;
  let at = out.length;
  let left = length;
  while (left >= 68) {
    bytes[at++] = (63 << 2) | 2;
    bytes[at++] = offset & 0xff;
    bytes[at++] = offset >>> 8;
    left -= 64;
  }
  if (left > 64) {
    bytes[at++] = (59 << 2) | 2;
    bytes[at++] = offset & 0xff;
    bytes[at++] = offset >>> 8;
    left -= 60;
  }
  if (left >= 12 || offset >= 2048) {
    bytes[at++] = ((left - 1) << 2) | 2;
    bytes[at++] = offset & 0xff;
    bytes[at++] = offset >>> 8;
  } else {
    bytes[at++] = 1 | ((left - 4) << 2) | ((offset >>> 8) << 5);
    bytes[at++] = offset & 0xff;
  }
  out.length = at;
}
