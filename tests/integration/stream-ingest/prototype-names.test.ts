import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { type ApiServer, startApiServer } from '../../../local/api';
import { type LocalKinesis, startKinesis } from '../../../local/kinesis';

// Every name Object.prototype has, sent as a header and as a query parameter through the local API
// Gateway to the real ingest-stream function: each is one more name, and the reply is the normal one.
const API_KEY = 'pinlakeExampleApiKey0123456789';
type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
const NAMES = Object.getOwnPropertyNames(Object.prototype);

describe('header and query names that are Object.prototype properties', () => {
  let kinesis: LocalKinesis;
  let api: ApiServer;
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    kinesis = await startKinesis();
    process.env.KINESIS_ENDPOINT = kinesis.endpoint;
    process.env.API_KEY = API_KEY;
    delete process.env.PIPELINE_ID;
    delete process.env.CHAOS;
    const { handler } = (await import('../../../functions/ingest-stream')) as { handler: Handler };
    api = await startApiServer({
      routes: [
        { method: 'GET', resource: '/streams', handler },
        { method: 'PUT', resource: '/streams/{stream}/record', handler },
      ],
    });
  });
  afterAll(async () => {
    process.env = savedEnv;
    await api.close();
    await kinesis.close();
  });

  const listStreams = (headers: Record<string, string>, query: string) =>
    fetch(`${api.url}/dev/streams${query}`, { headers: { 'x-api-key': API_KEY, ...headers } }).then(
      async (r) => ({ status: r.status, body: await r.json() }),
    );

  it('includes the names this test is about', () => {
    expect(NAMES).toEqual(
      expect.arrayContaining(['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf']),
    );
  });

  it.each(NAMES)(
    'answers GET /streams normally with a header and a query parameter named %s',
    async (name) => {
      // Prepare
      const normal = await listStreams({}, '');

      // Act
      const reply = await listStreams(
        { [name]: 'x' },
        `?${encodeURIComponent(name)}=1&${encodeURIComponent(name)}=2`,
      );

      // Assess
      expect(normal.status).toBe(200);
      expect(reply).toStrictEqual(normal);
    },
  );

  it('accepts a record whose request carries every such name at once, and still checks the API key', async () => {
    // Prepare
    const headers = Object.fromEntries(NAMES.map((name) => [name, '1']));
    const query = NAMES.map((name) => `${encodeURIComponent(name)}=1`).join('&');
    const put = (key: string) =>
      fetch(`${api.url}/dev/streams/streaming-pinlake-pin/record?${query}`, {
        method: 'PUT',
        headers: { ...headers, 'content-type': 'application/json', 'x-api-key': key },
        body: JSON.stringify({ StreamName: 'streaming-pinlake-pin', Data: { index: 1 }, PartitionKey: 'p' }),
      }).then(async (r) => ({ status: r.status, body: await r.json() }));

    // Act
    const accepted = await put(API_KEY);
    const refused = await put('wrong');

    // Assess
    expect(accepted).toStrictEqual({
      status: 200,
      body: {
        SequenceNumber: expect.stringMatching(/^\d+$/),
        ShardId: expect.stringMatching(/^shardId-\d{12}$/),
      },
    });
    expect(refused).toStrictEqual({ status: 403, body: { message: 'Forbidden' } });
  });
});
