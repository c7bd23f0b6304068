import { createServer, type Server, type Socket } from 'node:net';
import { BrokerConnection } from '../../../libs/kafka/connection';
import { KafkaConnectionError, KafkaSetupError } from '../../../libs/kafka/errors';
import { encodeStruct, messages as M, Writer } from '../../../libs/kafka/protocol';

// A stand-in for an older broker: it answers ApiVersions only (v3 refused in the v0 shape, as
// Kafka brokers before 2.4 do) and never answers anything else.

type ApiRange = readonly [apiKey: number, min: number, max: number];

function apiVersionsReply(correlationId: number, errorCode: number, apis: readonly ApiRange[]): Buffer {
  const w = new Writer().int32(0).int32(correlationId);
  const apiKeys = apis.map(([apiKey, minVersion, maxVersion]) => ({ apiKey, minVersion, maxVersion }));
  encodeStruct(w, M.ApiVersions.response, { errorCode, apiKeys }, 0, false);
  return w.patchInt32(0, w.length - 4).toBuffer();
}

async function oldBroker(
  apis: readonly ApiRange[],
): Promise<{ server: Server; port: number; seen: string[] }> {
  const seen: string[] = [];
  const server = createServer((socket: Socket) => {
    socket.on('data', (chunk: Buffer) => {
      const apiKey = chunk.readInt16BE(4);
      const version = chunk.readInt16BE(6);
      const correlationId = chunk.readInt32BE(8);
      seen.push(`${apiKey} v${version}`);
      if (apiKey !== M.ApiVersions.apiKey) return;
      const refused = version > 2;
      socket.write(apiVersionsReply(correlationId, refused ? 35 : 0, refused ? [[18, 0, 2]] : apis));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { server, port: typeof address === 'object' && address ? address.port : 0, seen };
}

describe('a producer connection to an older broker', () => {
  const servers: Server[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  });

  const open = async (apis: readonly ApiRange[], timeoutMs = 2000) => {
    const broker = await oldBroker(apis);
    servers.push(broker.server);
    const options = { host: '127.0.0.1', port: broker.port, clientId: 'old', tls: false, timeoutMs };
    return { connection: await BrokerConnection.open(options), broker };
  };

  it('falls back to ApiVersions v0 when v3 is refused, then uses the highest version both sides speak', async () => {
    // Act
    const { connection, broker } = await open([
      [0, 0, 7],
      [3, 0, 7],
      [18, 0, 2],
      [22, 0, 1],
    ]);
    const chosen = [M.Produce, M.Metadata, M.InitProducerId].map((s) => connection.versionOf(s));
    connection.close();

    // Assess
    expect(broker.seen).toStrictEqual(['18 v3', '18 v0']);
    expect(chosen).toStrictEqual([7, 7, 1]);
  });

  it('refuses, naming the broker, an API whose versions all predate what the producer speaks', async () => {
    // Act
    const { connection, broker } = await open([
      [0, 0, 2],
      [3, 0, 7],
      [18, 0, 2],
    ]);
    const produce = () => connection.versionOf(M.Produce);
    const sasl = () => connection.versionOf(M.SaslHandshake);
    connection.close();

    // Assess
    expect(produce).toThrow(
      new KafkaSetupError(`broker 127.0.0.1:${broker.port} supports no Produce version this producer speaks`),
    );
    expect(sasl).toThrow(KafkaSetupError);
  });

  it('fails a request the broker leaves unanswered with a retriable KafkaConnectionError, and closes', async () => {
    // Prepare
    const { connection, broker } = await open([[3, 0, 7]], 150);

    // Act
    const attempt = connection.request(M.Metadata, { topics: [{ name: 'slow.pin' }] });

    // Assess
    await expect(attempt).rejects.toStrictEqual(
      new KafkaConnectionError(`Metadata to 127.0.0.1:${broker.port} got no answer within 150 ms`),
    );
    await expect(attempt).rejects.toMatchObject({ retriable: true });
    expect(connection.closed).toBe(true);
  });
});
