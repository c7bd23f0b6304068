import { connect } from 'node:net';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { type ApiServer, type ProxyHandler, startApiServer } from '../../../local/api';

// The local API Gateway with handlers that record the events they get.
describe('Function: startApiServer()', () => {
  let api: ApiServer;
  const events: APIGatewayProxyEvent[] = [];
  const echo: ProxyHandler = async (event) => {
    events.push(event);
    return {
      statusCode: 201,
      headers: { 'X-Route': event.resource },
      body: JSON.stringify({ path: event.path }),
    };
  };
  const failing: ProxyHandler = async () => {
    throw new Error('handler bug');
  };
  const malformed = (async () => ({ body: 'no status' })) as unknown as ProxyHandler;

  beforeAll(async () => {
    api = await startApiServer({
      routes: [
        { method: 'PUT', resource: '/streams/{stream}/record', handler: echo, functionName: 'ingest-stream' },
        { method: 'POST', resource: '/topics/{topic}', handler: echo },
        { method: 'ANY', resource: '/proxy/{path+}', handler: echo },
        { method: 'GET', resource: '/broken', handler: failing },
        { method: 'GET', resource: '/malformed', handler: malformed },
      ],
      maxBodyBytes: 1000,
    });
  });
  afterAll(() => api.close());
  beforeEach(() => {
    events.length = 0;
  });

  it('turns a request into a real API Gateway REST proxy event', async () => {
    // Act
    const response = await fetch(`${api.url}/dev/streams/streaming-pinlake-pin/record?trace=1&trace=2`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', 'X-Api-Key': 'k123' },
      body: '{"Data":{"ind":1},"PartitionKey":"p"}',
    });

    // Assess
    expect(response.status).toBe(201);
    expect(response.headers.get('x-route')).toBe('/streams/{stream}/record');
    expect(await response.json()).toStrictEqual({ path: '/streams/streaming-pinlake-pin/record' });
    const requestId = response.headers.get('x-amzn-requestid');
    expect(events).toStrictEqual([
      {
        resource: '/streams/{stream}/record',
        path: '/streams/streaming-pinlake-pin/record',
        httpMethod: 'PUT',
        headers: expect.objectContaining({ 'Content-Type': 'application/json', 'X-Api-Key': 'k123' }),
        multiValueHeaders: expect.objectContaining({
          'Content-Type': ['application/json'],
          'X-Api-Key': ['k123'],
        }),
        queryStringParameters: { trace: '2' },
        multiValueQueryStringParameters: { trace: ['1', '2'] },
        pathParameters: { stream: 'streaming-pinlake-pin' },
        stageVariables: null,
        requestContext: {
          accountId: '000000000000',
          apiId: 'pinlakelocal',
          authorizer: undefined,
          domainName: 'pinlakelocal.execute-api.local',
          domainPrefix: 'pinlakelocal',
          extendedRequestId: expect.any(String),
          httpMethod: 'PUT',
          identity: {
            accessKey: null,
            accountId: null,
            apiKey: 'k123',
            apiKeyId: 'local',
            caller: null,
            clientCert: null,
            cognitoAuthenticationProvider: null,
            cognitoAuthenticationType: null,
            cognitoIdentityId: null,
            cognitoIdentityPoolId: null,
            principalOrgId: null,
            sourceIp: '127.0.0.1',
            user: null,
            userAgent: expect.any(String),
            userArn: null,
          },
          path: '/dev/streams/streaming-pinlake-pin/record',
          protocol: 'HTTP/1.1',
          requestId,
          requestTime: expect.stringMatching(/^\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d \+0000$/),
          requestTimeEpoch: expect.any(Number),
          resourceId: 'local',
          resourcePath: '/streams/{stream}/record',
          stage: 'dev',
        },
        body: '{"Data":{"ind":1},"PartitionKey":"p"}',
        isBase64Encoded: false,
      },
    ]);
  });

  it('routes without a stage prefix too, naming the default stage, and decodes path parameters', async () => {
    // Act
    const response = await fetch(`${api.url}/topics/pinlake.pin%2Bx`, { method: 'POST', body: '{}' });

    // Assess
    expect(response.status).toBe(201);
    expect(
      events.map((e) => [e.requestContext.stage, e.pathParameters, e.queryStringParameters]),
    ).toStrictEqual([['local', { topic: 'pinlake.pin+x' }, null]]);
  });

  it('binds a greedy {proxy+} parameter to the rest of the path, for any method', async () => {
    // Act
    await fetch(`${api.url}/test/proxy/a/b/c`, { method: 'DELETE' });

    // Assess
    expect(events.map((e) => [e.httpMethod, e.pathParameters, e.body])).toStrictEqual([
      ['DELETE', { path: 'a/b/c' }, null],
    ]);
  });

  it.each([
    ['an unknown path', 'GET', '/nothing', 403, { message: 'Missing Authentication Token' }],
    [
      'a known path with another method',
      'GET',
      '/streams/s/record',
      403,
      { message: 'Missing Authentication Token' },
    ],
    ['a handler that throws', 'GET', '/broken', 502, { message: 'Internal server error' }],
    ['a handler answering no status code', 'GET', '/malformed', 502, { message: 'Internal server error' }],
  ])('answers %s as API Gateway does', async (_name, method, path, status, body) => {
    // Act
    const response = await fetch(`${api.url}${path}`, { method });

    // Assess
    expect({ status: response.status, body: await response.json() }).toStrictEqual({ status, body });
  });

  it('answers a body over the limit with 413 without calling the handler', async () => {
    // Act
    const response = await fetch(`${api.url}/topics/t`, { method: 'POST', body: 'x'.repeat(1001) });

    // Assess
    expect({ status: response.status, body: await response.json() }).toStrictEqual({
      status: 413,
      body: { message: 'Request Too Long' },
    });
    expect(events).toStrictEqual([]);
  });

  it('answers 413 from Content-Length alone, without waiting for or reading the body, and closes', async () => {
    // Prepare: a request that announces 100 MB and sends 10 bytes of it.
    const socket = connect(api.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    let reply = '';
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString('latin1');
    });
    const closed = new Promise((resolve) => socket.once('close', resolve));

    // Act
    socket.write(
      `POST /topics/t HTTP/1.1\r\nHost: x\r\nContent-Length: ${100 * 1024 * 1024}\r\n\r\n0123456789`,
    );
    await closed;

    // Assess
    expect(reply).toMatch(/^HTTP\/1\.1 413 /);
    expect(reply).toMatch(/Connection: close/i);
    expect(reply.endsWith('{"message":"Request Too Long"}')).toBe(true);
    expect(events).toStrictEqual([]);
  });

  it('stops reading a chunked body once it passes the limit, answers 413 and closes', async () => {
    // Prepare
    const socket = connect(api.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    let reply = '';
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString('latin1');
    });
    socket.on('error', () => {});
    let open = true;
    const closed = new Promise((resolve) => socket.once('close', resolve)).then(() => {
      open = false;
    });
    socket.write('POST /topics/t HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n');

    // Act: 600-byte chunks until the server hangs up (the limit is 1000 bytes).
    let chunksSent = 0;
    while (open && chunksSent < 10_000) {
      socket.write(`258\r\n${'x'.repeat(600)}\r\n`);
      chunksSent++;
      await new Promise((resolve) => setImmediate(resolve));
    }
    await closed;

    // Assess
    expect(reply).toMatch(/^HTTP\/1\.1 413 /);
    expect(chunksSent).toBeLessThan(10_000);
    expect(events).toStrictEqual([]);
  });

  it('hands the handler a Lambda context with the function name and a countdown', async () => {
    // Prepare
    const seen: Array<[string, number]> = [];
    const server = await startApiServer({
      routes: [
        {
          method: 'GET',
          resource: '/ctx',
          functionName: 'ingest-batch',
          handler: async (_event, context): Promise<APIGatewayProxyResult> => {
            seen.push([context.functionName, context.getRemainingTimeInMillis()]);
            return { statusCode: 204, body: '' };
          },
        },
      ],
      timeoutMs: 5000,
    });

    // Act
    const response = await fetch(`${server.url}/ctx`);
    await server.close();

    // Assess
    expect(response.status).toBe(204);
    expect(seen).toStrictEqual([['ingest-batch', expect.any(Number)]]);
    expect(seen[0]![1]).toBeGreaterThan(4000);
    expect(seen[0]![1]).toBeLessThanOrEqual(5000);
  });
});
