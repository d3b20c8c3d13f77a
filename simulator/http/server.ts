/**
 * Start the simulator on a real HTTP server (loopback by default, port 0 = any free port).
 */
import { createServer, type Server } from 'node:http';
import { createSimulator, type Simulator, type SimulatorOptions } from '../domain/simulator.ts';
import { createSimulatorApp } from './app.ts';
import { createUndiciDeliver } from './deliver.ts';
import { listen } from './listen.ts';

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
  const url = await listen(server, options.host ?? '127.0.0.1', options.port ?? 0);
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
