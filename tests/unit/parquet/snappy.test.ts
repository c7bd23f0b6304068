import { randomBytes } from 'node:crypto';
import { snappyUncompress } from 'hyparquet';
import { ByteSink } from '../../../libs/parquet/byte-sink';
import { snappyCompress } from '../../../libs/parquet/snappy';

/** Compresses with ours, then decompresses with hyparquet's independent Snappy decoder. */
function roundTrip(input: Uint8Array): { output: Uint8Array; compressedSize: number } {
  const sink = new ByteSink(16);
  snappyCompress(input, sink);
  const output = new Uint8Array(input.length);
  snappyUncompress(sink.view(), output);
  return { output, compressedSize: sink.length };
}

/** Text built from a small alphabet with copies from up to `reach` bytes back, like column pages. */
function repetitiveText(length: number, reach: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let state = seed;
  const next = () => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return state / 2 ** 32;
  };
  for (let i = 0; i < length; i++) {
    const back = 1 + Math.floor(next() * reach);
    bytes[i] = next() < 0.4 || i < back ? 97 + Math.floor(next() * 4) : bytes[i - back]!;
  }
  return bytes;
}

describe('snappyCompress', () => {
  it.each([
    ['empty input', new Uint8Array(0)],
    ['input shorter than a hash window', Buffer.from('abc')],
    ['one byte repeated', new Uint8Array(200_000).fill(7)],
    ['random bytes, which do not compress', randomBytes(300_000)],
    ['text with matches far back (past 64 KiB)', repetitiveText(400_000, 100_000, 1)],
    ['text with short matches close by', repetitiveText(70_000, 40, 2)],
  ])('gives back %s exactly through an independent decoder', (_, input) => {
    // Act
    const { output } = roundTrip(input);

    // Assess
    expect(Buffer.from(output).equals(Buffer.from(input))).toBe(true);
  });

  it('shrinks a page of strings sharing a long prefix to a small fraction', () => {
    // Prepare
    const page = new ByteSink();
    for (let i = 0; i < 10_000; i++) {
      page.lengthPrefixedUtf8(`kinesis:streaming-pinlake-geo:shardId-000000000000:4965682819345021135${i}`);
    }

    // Act
    const { output, compressedSize } = roundTrip(page.view());

    // Assess
    expect(Buffer.from(output).equals(Buffer.from(page.view()))).toBe(true);
    expect(compressedSize).toBeLessThan(page.length / 8);
  });

  it('never writes more than the format allows for incompressible input', () => {
    // Prepare
    const input = randomBytes(100_000);

    // Act
    const { compressedSize } = roundTrip(input);

    // Assess
    expect(compressedSize).toBeLessThanOrEqual(32 + input.length + Math.floor(input.length / 6));
  });
});
