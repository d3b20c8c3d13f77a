/**
 * Start the simulator on a real HTTP server (loopback by default, port 0 = any free port).
 */
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { createSimulator, type Simulator, type SimulatorOptions } from '../domain/simulator.ts';
import { createSimulatorApp } from './app.ts';
import { createUndiciDeliver } from './deliver.ts';

export interface RunningSimulator {
  url: string;
  sim: Simulator;
  server: Server;
  close(): Promise<void>;
}

export interface StartOptions extends Omit<SimulatorOptions, 'deliver'> {
  port?: number;
  host?: string;
  deliver?: SimulatorOptions['deliver'];
}

export async function startSimulator(options: StartOptions = {}): Promise<RunningSimulator> {
  const undiciDeliver = options.deliver ? undefined : createUndiciDeliver();
  const sim = createSimulator({ ...options, deliver: options.deliver ?? undiciDeliver! });
  const app = createSimulatorApp(sim);
  const server = createServer({ keepAliveTimeout: 30_000 }, app);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  let closing: Promise<void> | undefined;
  return {
    url,
    sim,
    server,
    close() {
      closing ??= (async () => {
        sim.close();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await undiciDeliver?.close();
      })();
      return closing;
    },
  };
}
