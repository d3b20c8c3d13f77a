/**
 * Listen on a host and port (0 = any free port) and resolve with the base URL, or reject with the
 * listen error (port in use, address not available) instead of crashing on an unhandled event.
 * Shared by the simulator and the connected-system mocks.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export async function listen(server: Server, host: string, port: number): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port: bound } = server.address() as AddressInfo;
  return `http://${host.includes(':') ? `[${host}]` : host}:${bound}`;
}
