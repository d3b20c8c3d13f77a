/**
 * Start the simulator on a real HTTP server (loopback by default, port 0 = any free port).
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import { createSimulator, type Simulator, type SimulatorOptions } from '../domain/simulator.ts';
import { createSimulatorApp } from './app.ts';
import { createUndiciDeliver } from './deliver.ts';
import { createWorkerDeliver } from './deliver-worker.ts';
import { createFastOrderRead, type FastOrderRead } from './fast-order-read.ts';
import { startHttpsFront, type HttpsFront, type HttpsFrontOptions } from './https-front.ts';
import { listen } from '../../lib/listen.ts';
import { createOrderJsonCache } from './order-cache.ts';
import { createUndiciVisitApp } from './visit-app.ts';

export interface RunningSimulator {
  url: string;
  sim: Simulator;
  server: Server;
  /** The fast order read in front of express, unless started with `fastOrderRead: false`. */
  fastOrderRead?: FastOrderRead;
  /** `https://HOST:PORT` when started with `tls`: the same app for the platform's host names. */
  httpsUrl?: string;
  https?: HttpsFront;
  close(): Promise<void>;
}

export interface StartOptions extends Omit<SimulatorOptions, 'deliver'> {
  port?: number;
  host?: string;
  deliver?: SimulatorOptions['deliver'];
  /**
   * Where webhook deliveries run when no `deliver` is given: on a worker thread (default;
   * deliver-worker.ts: their HTTP work off the busy main loop, and their durations measured where
   * the loop's lag cannot inflate them) or on the main thread (deliver.ts).
   */
  deliverOn?: 'worker' | 'main';
  /** Also serve HTTPS (same app, same host) with this certificate; see https-front.ts. */
  tls?: Omit<HttpsFrontOptions, 'host'>;
  /**
   * Answer the plain single-order read ahead of express (fast-order-read.ts; on by default).
   * Off, every request goes through express: tests compare the two.
   */
  fastOrderRead?: boolean;
}

export async function startSimulator(options: StartOptions = {}): Promise<RunningSimulator> {
  const workerDeliver = options.deliver || options.deliverOn === 'main' ? undefined : createWorkerDeliver();
  const ownDeliver = options.deliver ? undefined : (workerDeliver ?? createUndiciDeliver());
  const undiciVisitApp = options.visitApp ? undefined : createUndiciVisitApp();
  const sim = createSimulator({ ...options, deliver: options.deliver ?? ownDeliver!, visitApp: options.visitApp ?? undiciVisitApp! });
  // On a running clock, boot the delivery worker now so the first webhooks are not late in
  // simulated time; on a manual clock (tests) it boots with the first delivery, if any.
  if (sim.clock.scale > 0) workerDeliver?.start();
  // One order JSON cache for the express router and the fast order read, so a read through
  // either is served from, and fills, the same entries.
  const orderCache = createOrderJsonCache();
  const app = createSimulatorApp(sim, { orderCache });
  const fastOrderRead = options.fastOrderRead === false ? undefined : createFastOrderRead(sim, orderCache);
  // The fast path answers the plain single-order read, or leaves the request to express untouched.
  const listener: RequestListener = fastOrderRead ? (req, res) => fastOrderRead(req, res) || app(req, res) : app;
  const server = createServer({ keepAliveTimeout: 30_000 }, listener);
  const url = await listen(server, options.host ?? '127.0.0.1', options.port ?? 0);
  let https: HttpsFront | undefined;
  try {
    if (options.tls) https = await startHttpsFront(listener, { ...options.tls, host: options.host ?? '127.0.0.1' });
  } catch (error) {
    sim.close();
    server.close();
    await ownDeliver?.close();
    await undiciVisitApp?.close();
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    url,
    sim,
    server,
    ...(fastOrderRead ? { fastOrderRead } : {}),
    ...(https ? { httpsUrl: https.url, https } : {}),
    close() {
      closing ??= (async () => {
        sim.close();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await https?.close();
        await ownDeliver?.close();
        await undiciVisitApp?.close();
      })();
      return closing;
    },
  };
}
