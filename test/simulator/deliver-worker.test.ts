import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { createWorkerDeliver, type WorkerDeliver } from '../../simulator/http/deliver-worker.ts';
import { startTestSim } from '../support/simulator.ts';

const execFileAsync = promisify(execFile);
const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanup.length > 0) await cleanup.pop()!();
});

function workerDeliver(options: Parameters<typeof createWorkerDeliver>[0] = {}): WorkerDeliver {
  const deliver = createWorkerDeliver(options);
  cleanup.push(() => deliver.close());
  return deliver;
}

// The worker boots on the first delivery (a thread and undici: up to ~0.5 s on a loaded machine), so
// waiting for that delivery to reach a receiver allows for it.
const BOOT = { timeout: 10_000 };

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A receiver on the test's own thread; `answer` decides per request (no answer = hold it). */
async function startRecorder(answer: (seen: Seen) => number | undefined = () => 204): Promise<{ url: string; seen: Seen[]; server: Server }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      const entry = { method: req.method!, url: req.url!, headers: req.headers, body };
      seen.push(entry);
      const status = answer(entry);
      if (status !== undefined) res.writeHead(status).end('ignored body');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanup.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

/**
 * A receiver on a thread of its own, so that blocking the test's main thread cannot delay its
 * answer. It flags each request's arrival in `gate[0] = 1` and holds the answer until the test
 * stores 2 (then answers 200 at once): the test knows the request is in flight before it blocks.
 */
async function startThreadReceiver(): Promise<{ url: string; gate: Int32Array }> {
  const gate = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(
    `
    const { createServer } = require('node:http');
    const { parentPort, workerData } = require('node:worker_threads');
    const gate = workerData.gate;
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        Atomics.store(gate, 0, 1);
        // Bounded, so a broken test fails instead of hanging the thread.
        Atomics.wait(gate, 0, 1, 10000);
        res.writeHead(200).end();
      });
    });
    server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
    `,
    { eval: true, workerData: { gate } },
  );
  cleanup.push(() => worker.terminate());
  const [port] = (await once(worker, 'message')) as [number];
  return { url: `http://127.0.0.1:${port}/hooks`, gate };
}

/** Waits (without blocking) for the thread receiver to hold a request, then lets it answer and blocks this thread ~300 ms. */
async function releaseAndBlock(gate: Int32Array, blockMs = 300): Promise<void> {
  await expect.poll(() => Atomics.load(gate, 0), { interval: 1, timeout: 10_000 }).toBe(1);
  Atomics.store(gate, 0, 2);
  Atomics.notify(gate, 0);
  const until = performance.now() + blockMs;
  while (performance.now() < until) {
    // The simulator's main loop, saturated at a flash sale's peak.
  }
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('webhook delivery on a worker thread', () => {
  it('posts each delivery with its headers and body and answers with the status and a duration', async () => {
    const receiver = await startRecorder((s) => (s.url === '/gone' ? 410 : 200));
    const deliver = workerDeliver();
    const results = await Promise.all([
      deliver({ url: `${receiver.url}/hooks`, headers: { 'content-type': 'application/json', 'x-shared-secret': 's3cr3t' }, body: '{"scope":"store/order/created","n":1}', timeoutMs: 5_000 }),
      deliver({ url: `${receiver.url}/gone`, headers: { 'content-type': 'application/json' }, body: '{"n":2}', timeoutMs: 5_000 }),
    ]);
    expect(results.map((r) => r.status)).toEqual([200, 410]);
    for (const r of results) {
      expect(r.error).toBeUndefined();
      expect(r.durationMs).toBeGreaterThan(0);
    }
    const hooks = receiver.seen.find((s) => s.url === '/hooks')!;
    expect(hooks.method).toBe('POST');
    expect(hooks.headers['content-type']).toBe('application/json');
    expect(hooks.headers['x-shared-secret']).toBe('s3cr3t');
    expect(hooks.body).toBe('{"scope":"store/order/created","n":1}');
    expect(receiver.seen.find((s) => s.url === '/gone')!.body).toBe('{"n":2}');
    expect(deliver.currentWorker()).toBeInstanceOf(Worker);
  });

  it("ends a delivery the receiver never answers as 'timeout' after timeoutMs", async () => {
    const receiver = await startRecorder(() => undefined);
    const deliver = workerDeliver();
    const result = await deliver({ url: `${receiver.url}/hooks`, headers: {}, body: '{}', timeoutMs: 200 });
    expect(result.error).toBe('timeout');
    expect(result.status).toBeUndefined();
    expect(result.durationMs).toBeGreaterThanOrEqual(150);
  });

  it('answers a refused connection with the network error code', async () => {
    const deliver = workerDeliver();
    const result = await deliver({ url: `http://127.0.0.1:${await freePort()}/hooks`, headers: {}, body: '{}', timeoutMs: 2_000 });
    expect(result).toMatchObject({ error: 'ECONNREFUSED' });
    expect(result.status).toBeUndefined();
  });

  it("ends the deliveries in flight as 'worker-exited' when the worker dies, logs it once, and delivers later ones on a new worker", async () => {
    const holding = await startRecorder(() => undefined);
    const answering = await startRecorder(() => 200);
    const logged: string[] = [];
    const deliver = workerDeliver({ log: (m) => logged.push(m) });
    const inFlight = [1, 2, 3].map((n) => deliver({ url: `${holding.url}/hooks`, headers: {}, body: `{"n":${n}}`, timeoutMs: 10_000 }));
    await expect.poll(() => holding.seen.length, BOOT).toBe(3);
    const first = deliver.currentWorker()!;
    await first.terminate();
    const ended = await Promise.all(inFlight);
    expect(ended.map((r) => r.error)).toEqual(['worker-exited', 'worker-exited', 'worker-exited']);
    for (const r of ended) expect(r.durationMs).toBeGreaterThan(0);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/worker exited .*3 deliveries in flight/);

    const later = await deliver({ url: `${answering.url}/hooks`, headers: {}, body: '{"n":4}', timeoutMs: 5_000 });
    expect(later).toMatchObject({ status: 200 });
    expect(deliver.currentWorker()).toBeInstanceOf(Worker);
    expect(deliver.currentWorker()).not.toBe(first);
    expect(logged).toHaveLength(1);
  });

  it("lets close() wait for an answer in flight, bounds the wait for one that never comes, and refuses deliveries after it", async () => {
    const slow = await startRecorder(() => undefined);
    const fast = await startRecorder(() => 202);
    const deliver = createWorkerDeliver({ closeWaitMs: 300, log: () => {} });
    const answered = deliver({ url: `${fast.url}/hooks`, headers: {}, body: '{}', timeoutMs: 5_000 });
    const held = deliver({ url: `${slow.url}/hooks`, headers: {}, body: '{}', timeoutMs: 10_000 });
    await expect.poll(() => slow.seen.length, BOOT).toBe(1);
    await deliver.close();
    expect(await answered).toMatchObject({ status: 202 });
    expect(await held).toMatchObject({ error: 'worker-exited' });
    expect(await deliver({ url: `${fast.url}/hooks`, headers: {}, body: '{}', timeoutMs: 5_000 })).toMatchObject({ error: 'deliver-closed' });
    expect(deliver.currentWorker()).toBeUndefined();
  });

  it('boots the worker on the first delivery, or once on start()', async () => {
    const lazy = workerDeliver();
    expect(lazy.currentWorker()).toBeUndefined();
    const eager = workerDeliver();
    eager.start();
    const worker = eager.currentWorker()!;
    expect(worker).toBeInstanceOf(Worker);
    eager.start();
    expect(eager.currentWorker()).toBe(worker);
  });

  it('keeps a process alive while a delivery is in flight, never when idle: a script that delivers and never closes exits on its own (node --import tsx)', async () => {
    const receiver = await startRecorder(() => 200);
    const script = `
      const { createWorkerDeliver } = await import(${JSON.stringify(new URL('../../simulator/http/deliver-worker.ts', import.meta.url).href)});
      createWorkerDeliver().start();
      const deliver = createWorkerDeliver();
      const result = await deliver({ url: ${JSON.stringify(`${receiver.url}/hooks`)}, headers: {}, body: '{}', timeoutMs: 5000 });
      console.log(JSON.stringify(result));
    `;
    const { stdout } = await execFileAsync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { timeout: 20_000 });
    expect(JSON.parse(stdout)).toMatchObject({ status: 200 });
  });

  it('measures the receiver, not the main thread: an answer that waits for a blocked main loop does not lengthen durationMs', async () => {
    const receiver = await startThreadReceiver();
    const deliver = workerDeliver();
    const result = deliver({ url: receiver.url, headers: {}, body: '{}', timeoutMs: 10_000 });
    // The request is held by the receiver, then answered at once while this thread is blocked:
    // the answer reaches the worker at once and the main thread ~300 ms later.
    await releaseAndBlock(receiver.gate);
    const { status, durationMs } = await result;
    expect(status).toBe(200);
    expect(durationMs).toBeLessThan(150);
  });

  // The same scenario through the simulator: its webhook:attempt durations come from the worker by
  // default; on the main thread they include the block (the control that shows the check bites).
  it.each([
    { deliverOn: 'worker' as const, blocked: false },
    { deliverOn: 'main' as const, blocked: true },
  ])('records a webhook attempt in the simulator with deliverOn $deliverOn: includes the blocked main loop = $blocked', async ({ deliverOn, blocked }) => {
    const receiver = await startThreadReceiver();
    const sim = await startTestSim({ deliverOn });
    cleanup.push(() => sim.close());
    const attempts: number[] = [];
    sim.running.sim.bus.on('webhook:attempt', (e) => attempts.push(e.durationMs));
    expect((await sim.api('POST', '/v3/hooks', { scope: 'store/order/created', destination: receiver.url, is_active: true })).status).toBe(200);
    expect((await sim.control('POST', `/stores/${sim.hash}/orders`, { profile: 'typical', count: 1 })).status).toBe(201);
    await releaseAndBlock(receiver.gate);
    await expect.poll(() => attempts.length, BOOT).toBe(1);
    if (blocked) expect(attempts[0]).toBeGreaterThanOrEqual(300);
    else expect(attempts[0]).toBeLessThan(150);
  });
});
