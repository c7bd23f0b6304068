/**
 * Int32 arrays of finished columns (dictionary indices, DELTA_BYTE_ARRAY's page lengths), kept for the
 * columns of the next row group or file: a fresh typed array is zeroed and its pages faulted in, which
 * for a 10,000-row chunk growing by doubling cost more than the lookups filling it. At most
 * {@link MAX_SPARE_BYTES} are kept. Encoding is synchronous, so no two columns share one.
 */
const spares: Int32Array[] = [];
const MAX_SPARE_BYTES = 16 << 20;
let spareBytes = 0;

/** An empty array: what a column holds before it takes one and after it gave it back. */
export const NO_INT32S = new Int32Array(0);

/** An array of at least `size` entries: the smallest spare one that fits, else a new one. */
export function takeInt32s(size: number): Int32Array {
  let best = -1;
  for (let i = 0; i < spares.length; i++) {
    const length = spares[i]!.length;
    if (length >= size && (best < 0 || length < spares[best]!.length)) best = i;
  }
  if (best < 0) return new Int32Array(size);
  const [taken] = spares.splice(best, 1);
  spareBytes -= taken!.byteLength;
  return taken!;
}

/** Gives an array back for later columns (an empty one, or one past the limit, is dropped). */
export function keepInt32s(array: Int32Array): void {
  if (array.length === 0 || spareBytes + array.byteLength > MAX_SPARE_BYTES) return;
  spares.push(array);
  spareBytes += array.byteLength;
}
