/**
 * Parquet's RLE / bit-packing hybrid encoding, for definition and repetition levels and for
 * dictionary indices: runs of eight or more equal values become one RLE run, the rest is
 * bit-packed in groups of eight (LSB first).
 */
import type { ByteSink } from './byte-sink';

/** The bits needed to write values up to `max` (0 for 0). */
export function bitWidthOf(max: number): number {
  return max === 0 ? 0 : 32 - Math.clz32(max);
}

const MIN_RUN = 8;

/**
 * Writes `values[start, end)` (integers in [0, 2^bitWidth), bitWidth ≤ 24) in the hybrid encoding.
 * A final bit-packed group is padded with zeros, which readers ignore since they know the count.
 */
export function writeHybrid(
  out: ByteSink,
  values: ArrayLike<number>,
  start: number,
  end: number,
  bitWidth: number,
): void {
  const valueBytes = (bitWidth + 7) >> 3;
  let i = start;
  while (i < end) {
    const value = values[i]!;
    let run = i + 1;
    while (run < end && values[run] === value) run++;
    if (run - i >= MIN_RUN) {
      out.varint((run - i) * 2);
      out.ensure(valueBytes);
      for (let b = 0; b < valueBytes; b++) out.bytes[out.length++] = (value >>> (8 * b)) & 0xff;
      i = run;
      continue;
    }
    // Bit-pack whole groups of eight until a long run starts at a group boundary.
    const from = i;
    do i += MIN_RUN;
    while (i < end && !startsRun(values, i, end));
    writeBitPacked(out, values, from, Math.min(i, end), bitWidth);
  }
}

function startsRun(values: ArrayLike<number>, at: number, end: number): boolean {
  if (at + MIN_RUN > end) return false;
  const value = values[at];
  for (let i = at + 1; i < at + MIN_RUN; i++) if (values[i] !== value) return false;
  return true;
}

function writeBitPacked(
  out: ByteSink,
  values: ArrayLike<number>,
  from: number,
  to: number,
  bitWidth: number,
): void {
  const groups = Math.ceil((to - from) / MIN_RUN);
  out.varint(groups * 2 + 1);
  packBits(out, values, from, to, groups * MIN_RUN, bitWidth);
}

/**
 * Appends `count` values from `values[from]` bit-packed LSB first at `bitWidth` (≤ 24) bits each, those
 * from `to` on as zeros (padding): exactly `count × bitWidth / 8` bytes when that is whole. A value below
 * 2^24 shifted by at most 7 pending bits stays within 31 bits, so the packing is integer operations.
 */
export function packBits(
  out: ByteSink,
  values: ArrayLike<number>,
  from: number,
  to: number,
  count: number,
  bitWidth: number,
): void {
  out.ensure(Math.ceil((count * bitWidth) / 8));
  const bytes = out.bytes;
  let at = out.length;
  let buffer = 0;
  let bits = 0;
  const stop = from + count;
  for (let i = from; i < stop; i++) {
    buffer |= (i < to ? values[i]! : 0) << bits;
    bits += bitWidth;
    while (bits >= 8) {
      bytes[at++] = buffer & 0xff;
      buffer >>>= 8;
      bits -= 8;
    }
  }
  out.length = at;
}

/**
 * Writes levels as a V1 data page carries them: a 4-byte length, then the hybrid encoding.
 */
export function writeLevels(
  out: ByteSink,
  levels: ArrayLike<number>,
  start: number,
  end: number,
  bitWidth: number,
): void {
  out.ensure(4);
  const at = out.length;
  out.length += 4;
  writeHybrid(out, levels, start, end, bitWidth);
  const size = out.length - at - 4;
  out.bytes.writeInt32LE(size, at);
}
