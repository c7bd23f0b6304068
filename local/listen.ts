import type { AddressInfo, Server } from 'node:net';

/**
 * Starts `server` (a net or http server) listening on `host`, by default 127.0.0.1, and `port`,
 * by default 0 (a free one), and resolves the port it got; rejects if it cannot listen.
 */
export async function listen(server: Server, port = 0, host = '127.0.0.1'): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}
