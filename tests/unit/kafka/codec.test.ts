import { crc32c, decodeStruct, encodeStruct, messages, Reader, Writer } from '../../../libs/kafka/protocol';

describe('CRC-32C', () => {
  it('matches the standard check values (RFC 3720 / iSCSI test vectors)', () => {
    // Act
    const results = [
      crc32c(Buffer.from('123456789')),
      crc32c(Buffer.alloc(32, 0x00)),
      crc32c(Buffer.alloc(32, 0xff)),
      crc32c(Buffer.from(Array.from({ length: 32 }, (_, i) => i))),
      crc32c(Buffer.alloc(0)),
    ];

    // Assess
    expect(results).toStrictEqual([0xe3069283, 0x8a9136aa, 0x62a8ab43, 0x46dd794e, 0]);
  });
});

describe('Writer and Reader', () => {
  it('round-trip every primitive, growing the buffer past its initial size', () => {
    // Prepare
    const w = new Writer(4);

    // Act
    w.int8(-5)
      .int16(-300)
      .int32(-70000)
      .uint32(0xfffffffe)
      .int64(-(2n ** 62n))
      .float64(1.5)
      .bool(true);
    w.uvarint(300)
      .varint(-1)
      .varint(2 ** 30)
      .varlong(-(2n ** 40n))
      .varlong(2n ** 62n)
      .uuid('0123456789abcdef0123456789abcdef');
    const r = new Reader(w.toBuffer());
    const read = [
      r.int8(),
      r.int16(),
      r.int32(),
      r.uint32(),
      r.int64(),
      r.float64(),
      r.bool(),
      r.uvarint(),
      r.varint(),
      r.varint(),
      r.varlong(),
      r.varlong(),
      r.uuid(),
    ];

    // Assess
    expect(read).toStrictEqual([
      -5,
      -300,
      -70000,
      0xfffffffe,
      -(2n ** 62n),
      1.5,
      true,
      300,
      -1,
      2 ** 30,
      -(2n ** 40n),
      2n ** 62n,
      '0123456789abcdef0123456789abcdef',
    ]);
    expect(r.remaining).toBe(0);
  });

  it('encodes varints as zig-zag LEB128, as the record format specifies', () => {
    // Act
    const bytes = [0, -1, 1, -64, 64, 300].map((v) => [...new Writer().varint(v).toBuffer()]);

    // Assess
    expect(bytes).toStrictEqual([[0x00], [0x01], [0x02], [0x7f], [0x80, 0x01], [0xd8, 0x04]]);
  });

  it('refuses to read past the end, naming what it was reading', () => {
    // Prepare
    const r = new Reader(Buffer.from([0, 1]), 'Metadata request');

    // Act
    const attempt = () => r.int32();

    // Assess
    expect(attempt).toThrow('Metadata request: truncated at byte 0 (wanted 4 more bytes)');
  });
});

describe('schema codec', () => {
  it('encodes a flexible ApiVersions response with compact arrays and empty tagged fields', () => {
    // Prepare
    const w = new Writer();

    // Act
    encodeStruct(
      w,
      messages.ApiVersions.response,
      { errorCode: 0, apiKeys: [{ apiKey: 18, minVersion: 0, maxVersion: 4 }], throttleTimeMs: 0 },
      3,
      true,
    );

    // Assess
    // error 0 | array of 1 (uvarint 2) | 18, 0, 4, tags 0 | throttle 0 | tags 0
    expect([...w.toBuffer()]).toStrictEqual([0, 0, 2, 0, 18, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0]);
  });

  it('decodes a null topic list in Metadata v1 and a compact one in v12, skipping unknown tagged fields', () => {
    // Prepare
    const v1 = Buffer.from([0xff, 0xff, 0xff, 0xff]);
    const topicId = Buffer.alloc(16, 0);
    const v12 = Buffer.concat([
      Buffer.from([2]),
      topicId,
      Buffer.from([4, 0x61, 0x2e, 0x62, 0]),
      Buffer.from([1, 0]),
      Buffer.from([1, 7, 2, 0xaa, 0xbb]),
    ]);

    // Act
    const decodedV1 = decodeStruct(new Reader(v1), messages.Metadata.request, 1, false);
    const decodedV12 = decodeStruct(new Reader(v12), messages.Metadata.request, 12, true);

    // Assess
    expect(decodedV1).toStrictEqual({ topics: null });
    expect(decodedV12).toStrictEqual({
      topics: [{ topicId: '0'.repeat(32), name: 'a.b' }],
      allowAutoTopicCreation: true,
      includeTopicAuthorizedOperations: false,
    });
  });
});
