import type { APIGatewayProxyEvent } from 'aws-lambda';
import { checkProduceContentType, parseProduceRequest, RestProxyError } from '../../../libs/batch';

const LIMITS = {
  bodyBytes: 5 * 1024 * 1024,
  jsonDepth: 64,
  recordsPerRequest: 500,
  recordBytes: 1024 * 1024,
};
/** What `parse` throws: the error's class, HTTP status and reply body. */
function refusal(parse: () => unknown) {
  try {
    parse();
  } catch (error) {
    const e = error as RestProxyError;
    return { name: e.name, status: e.statusCode, body: e.body };
  }
  throw new Error('expected the request to be refused');
}

const event = (body: string | null, headers: Record<string, string> = {}) =>
  ({ body, isBase64Encoded: false, headers }) as unknown as APIGatewayProxyEvent;

describe('the REST Proxy produce request', () => {
  it('accepts the embedded-JSON v2 content type whatever its case and parameters', () => {
    // Act
    const check = (type: string) => () => checkProduceContentType(event(null, { 'content-TYPE': type }));

    // Assess
    expect(check('application/vnd.kafka.json.v2+json')).not.toThrow();
    expect(check('Application/VND.Kafka.JSON.v2+json; charset=utf-8')).not.toThrow();
  });

  it('refuses a request without a content type with 415', () => {
    // Act
    const check = () => checkProduceContentType(event(null));

    // Assess
    expect(check).toThrow(
      new RestProxyError(
        415,
        415,
        'HTTP 415 Unsupported Media Type: no Content-Type; send application/vnd.kafka.json.v2+json (REST Proxy v2, embedded JSON)',
      ),
    );
  });

  it('produces each value and key as its JSON text, with the partition asked for', () => {
    // Prepare
    const body = JSON.stringify({
      records: [
        { value: { index: 1, title: 'é' } },
        { key: 'user-7', value: 'text', partition: 2 },
        { key: null, value: [1, 2], partition: null },
      ],
      value_schema: 'ignored for embedded JSON',
    });

    // Act
    const records = parseProduceRequest(event(body), LIMITS);

    // Assess
    expect(records).toStrictEqual([
      { key: null, value: '{"index":1,"title":"é"}', partition: undefined },
      { key: '"user-7"', value: '"text"', partition: 2 },
      { key: null, value: '[1,2]', partition: undefined },
    ]);
  });

  it('reads a base64-encoded body as API Gateway passes binary media', () => {
    // Prepare
    const body = Buffer.from(JSON.stringify({ records: [{ value: { index: 3 } }] })).toString('base64');

    // Act
    const records = parseProduceRequest({ body, isBase64Encoded: true } as APIGatewayProxyEvent, LIMITS);

    // Assess
    expect(records).toStrictEqual([{ key: null, value: '{"index":3}', partition: undefined }]);
  });

  it.each([
    ['', 400, 400, 'request body is empty; expected a JSON document'],
    ['[1]', 422, 42206, 'the request body must be a JSON object: {"records": [{"value": …}]}'],
    ['{"records": {}}', 422, 42206, 'records must be an array of {"key"?, "value", "partition"?} objects'],
    [
      '{"records": [{"value": null}]}',
      422,
      42206,
      'records[0].value is required: the record as a JSON value',
    ],
    [
      '{"records": [{"value": 1, "partition": 1.5}]}',
      422,
      42206,
      'records[0].partition must be a non-negative integer, got 1.5',
    ],
    [
      '{"records": [{"value": 1, "partition": "0"}]}',
      422,
      42206,
      'records[0].partition must be a non-negative integer, got "0"',
    ],
  ])('refuses the body %j with %i/%i', (body, status, code, message) => {
    // Act
    const refused = refusal(() => parseProduceRequest(event(body), LIMITS));

    // Assess
    expect(refused).toStrictEqual({ name: 'RestProxyError', status, body: { error_code: code, message } });
  });

  it('refuses a body over the size limit with 413', () => {
    // Act
    const refused = refusal(() =>
      parseProduceRequest(event('{"records": []}'), { ...LIMITS, bodyBytes: 10 }),
    );

    // Assess
    expect(refused).toStrictEqual({
      name: 'RestProxyError',
      status: 413,
      body: { error_code: 413, message: 'request body is 15 bytes; the limit is 10 bytes' },
    });
  });
});
