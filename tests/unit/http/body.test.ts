import { BadRequestError, jsonDepthExceeds, PayloadTooLargeError, readJsonBody } from '../../../libs/http';

const limits = { bodyBytes: 64, jsonDepth: 3 };

describe('Function: jsonDepthExceeds()', () => {
  it('counts nested arrays and objects and allows exactly the limit', () => {
    // Act
    const atLimit = jsonDepthExceeds('{"a":[{"b":1}]}', 3);
    const overLimit = jsonDepthExceeds('{"a":[{"b":[1]}]}', 3);

    // Assess
    expect([atLimit, overLimit]).toStrictEqual([false, true]);
  });

  it('ignores brackets inside strings, including after escaped quotes', () => {
    // Act
    const result = jsonDepthExceeds('{"a":"[[[[\\"{{{{","b":["]]]"]}', 2);

    // Assess
    expect(result).toBe(false);
  });
});

describe('Function: readJsonBody()', () => {
  it('parses a plain body and a base64-encoded one alike', () => {
    // Prepare
    const text = '{"Data":{"ind":1},"PartitionKey":"k"}';

    // Act
    const plain = readJsonBody({ body: text, isBase64Encoded: false }, limits);
    const encoded = readJsonBody(
      { body: Buffer.from(text).toString('base64'), isBase64Encoded: true },
      limits,
    );

    // Assess
    expect(plain).toStrictEqual({ Data: { ind: 1 }, PartitionKey: 'k' });
    expect(encoded).toStrictEqual(plain);
  });

  it('measures the limit in UTF-8 bytes, not characters', () => {
    // Prepare: 23 characters, 65 bytes.
    const body = `"${'€'.repeat(21)}"`;

    // Act
    const read = () => readJsonBody({ body, isBase64Encoded: false }, limits);

    // Assess
    expect(read).toThrow(new PayloadTooLargeError('request body is 65 bytes; the limit is 64 bytes'));
    expect(read).not.toThrow(BadRequestError);
  });

  it.each([
    [null, 'request body is empty; expected a JSON document'],
    ['  ', 'request body is empty; expected a JSON document'],
    ['[[[[1]]]]', 'request body nests arrays and objects deeper than 3 levels'],
  ])('refuses the body %j with a 400 naming the problem', (body, message) => {
    // Act
    const read = () => readJsonBody({ body, isBase64Encoded: false }, limits);

    // Assess
    expect(read).toThrow(expect.objectContaining({ name: 'BadRequestError', statusCode: 400, message }));
  });

  it('refuses text that is not JSON with a 400 that keeps the parser error as its cause', () => {
    // Act
    let thrown: unknown;
    try {
      readJsonBody({ body: '{"a":', isBase64Encoded: false }, limits);
    } catch (error) {
      thrown = error;
    }

    // Assess
    expect(thrown).toBeInstanceOf(BadRequestError);
    expect((thrown as Error).message).toMatch(/^request body is not valid JSON: /);
    expect((thrown as Error).cause).toBeInstanceOf(SyntaxError);
  });
});
