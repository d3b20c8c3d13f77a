/**
 * The fuzz suite (issue 14): a small fixed seed of every surface runs clean, and the checks it
 * relies on catch what they must, so the suite cannot pass silently. Every target is a real HTTP
 * server on loopback: the surfaces are the real `bc-harness` processes, the checker's targets tiny
 * throwaway servers (one in a child process, so it can die).
 */
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { openEngineDb } from '../../src/engine/db.ts';
import { createInboxWriter } from '../../src/engine/inbox.ts';
import { checkAnswer } from '../../fuzz/checker.ts';
import { formatSummary, runSurface, SURFACES, type FuzzTarget, type Surface } from '../../fuzz/fuzz.ts';
import type { FuzzRequest } from '../../fuzz/http.ts';
import { healthProblem, spawnReady, type ChildProcessTarget } from '../../fuzz/processes.ts';
import { parseFuzzArgs } from '../../fuzz/run.ts';
import { settleEngine } from '../../fuzz/surfaces/engine.ts';
import { surfacesByName } from '../../fuzz/surfaces/index.ts';

const SEED = 20261206;
/** A sample of each surface's routes and hostile parts, small enough for npm test (the full runs are npm run fuzz). */
const CASES = 40;

describe('every surface with a small fixed seed', () => {
  it('has a real surface for every name, none standing in for another', () => {
    expect(Object.keys(surfacesByName).sort()).toEqual([...SURFACES].sort());
    for (const name of SURFACES) expect(surfacesByName[name].name).toBe(name);
  });

  for (const name of SURFACES) {
    it(`${name}: ${CASES} cases, no crash, 5xx, bad envelope, leak, hang or stuck record`, async () => {
      const lines: string[] = [];
      const summary = await runSurface(surfacesByName[name], { cases: CASES, seed: SEED, settleTimeoutMs: 30_000, shrinkTimeLimitMs: 10_000, log: (l) => lines.push(l) });
      expect(summary.cases).toBe(CASES);
      expect(summary.counts, `${formatSummary([summary])}\n${lines.join('\n')}`).toEqual({ crash: 0, '5xx': 0, shape: 0, leak: 0, hang: 0, 'no-answer': 0, unhealthy: 0, stuck: 0 });
      expect(summary.interrupted).toBe(false);
      expect(summary.clean).toBe(true);
      if (name === 'engine') {
        // The receiver was really exercised both ways, and the settle really looked.
        expect(summary.extra['accepted']).toBeGreaterThan(0);
        expect(summary.extra['refused']).toBeGreaterThan(0);
        expect(summary.extra['stuck']).toBe(0);
      }
    }, 90_000);
  }
});

// --- the checks catch what they must ----------------------------------------------------------

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const simpleRequests: fc.Arbitrary<FuzzRequest> = fc.nat(1000).map((n) => ({ method: 'GET', path: `/things/${n}`, headers: {} }));

/** A throwaway server on loopback as a surface; `/health` answers 200, everything else `handler`. */
function loopbackSurface(name: string, handler: RequestListener, extra: (base: string) => Partial<FuzzTarget> = () => ({}), arbitrary = simpleRequests): Surface {
  return {
    name,
    async start() {
      const server = createServer((req, res) => (req.url === '/health' ? res.end('ok') : handler(req, res)));
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      return {
        baseUrl: () => base,
        arbitrary,
        checkOptions: () => ({ shape: 'v3' }),
        down: () => undefined,
        health: (ms) => healthProblem(`${base}/health`, ms),
        restart: async () => undefined,
        secrets: () => ({}),
        stderr: () => '',
        async stop() {
          server.closeAllConnections();
          server.close();
        },
        ...extra(base),
      };
    },
  };
}

const v3 = (status: number, extra: Record<string, unknown> = {}) => JSON.stringify({ status, title: 'Something', type: 'https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes', ...extra });
const quick = { seed: 7, settleTimeoutMs: 2_000, shrinkTimeLimitMs: 10_000 };

describe('the checker catches', () => {
  it('a 500, counts it, shrinks it and prints how to replay it', async () => {
    const summary = await runSurface(
      loopbackSurface('fails', (_req, res) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(v3(500));
      }),
      { ...quick, cases: 8 },
    );
    expect(summary.clean).toBe(false);
    expect(summary.counts['5xx']).toBe(8);
    expect(summary.counts.shape).toBe(0);
    expect(summary.counterexample?.problems.map((p) => p.kind)).toEqual(['5xx']);
    // Shrunk to the smallest id, and replayable.
    expect(summary.counterexample?.request).toMatch(/^GET \/things\/0\n/);
    expect(formatSummary([summary])).toMatch(/replay: npm run fuzz -- --surface fails --seed 7 --path \d+/);
  });

  it('a stack trace and a file path in a body, and an error body outside the envelope', async () => {
    const summary = await runSurface(
      loopbackSurface('leaks', (req, res) => {
        res.writeHead(400, { 'content-type': 'application/json' });
        if (req.url!.endsWith('0') || req.url!.endsWith('5')) return res.end(JSON.stringify({ error: 'bad' }));
        res.end(v3(400, { detail: 'TypeError: Cannot read properties of undefined (reading \'id\')\n    at handler (/srv/app/dist/server.js:12:5)', file: '/home/deploy/app/.env' }));
      }),
      { ...quick, cases: 30 },
    );
    expect(summary.clean).toBe(false);
    expect(summary.counts.leak).toBeGreaterThan(0);
    expect(summary.counts.shape).toBeGreaterThan(0);
    const messages = summary.examples.flatMap((e) => e.problems.map((p) => p.message)).join('\n');
    expect(messages).toMatch(/a stack frame/);
    expect(messages).toMatch(/a filesystem path/);
  });

  it('a process that dies after a request, and restarts it for the next case', async () => {
    const script = `
      const http = require('node:http');
      const server = http.createServer((req, res) => {
        if (req.url === '/health') return res.end('ok');
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{}', () => process.exit(3));
      });
      server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ url: 'http://127.0.0.1:' + server.address().port })));`;
    let starts = 0;
    const surface: Surface = {
      name: 'dies',
      async start() {
        const spawn = () => (starts++, spawnReady<{ url: string }>(process.execPath, ['-e', script]));
        let child: ChildProcessTarget<{ url: string }> = await spawn();
        return {
          baseUrl: () => child.ready.url,
          arbitrary: simpleRequests,
          checkOptions: () => ({ shape: 'v3' }),
          down: () => (child.alive() ? undefined : child.ended() ?? 'ended'),
          health: (ms) => healthProblem(`${child.ready.url}/health`, ms),
          async restart() {
            await child.stop();
            child = await spawn();
          },
          secrets: () => ({}),
          stderr: () => child.stderr(),
          stop: () => child.stop(),
        };
      },
    };
    const summary = await runSurface(surface, { ...quick, cases: 4 });
    expect(summary.clean).toBe(false);
    expect(summary.counts.crash).toBe(4);
    expect(summary.examples[0]!.problems[0]!.message).toMatch(/exit code 3/);
    // Every case met a live process: it was started again after each death.
    expect(starts).toBeGreaterThanOrEqual(4);
  }, 60_000);

  it('a webhook an engine accepted and left stuck, in its inbox, work table or outbox, or never stored', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fuzz-stuck-'));
    dirs.push(dir);
    const dbPath = join(dir, 'engine.sqlite');
    const db = openEngineDb(dbPath);
    // What a receiver stored and a planner never finished.
    const inbox = createInboxWriter(db.inboxPath);
    inbox.insert({ hash: 'a'.repeat(40), scope: 'store/order/created', resourceId: '7', payload: '{}', receivedAt: 0, ignored: false });
    inbox.close();
    db.sqlite.prepare("INSERT INTO work (lane, key, since, version, attempts, last_error) VALUES ('order', 'abc', 0, 1, 3, 'never fetchable')").run();
    db.sqlite.prepare("INSERT INTO outbox (spec, key, target, method, path, body, body_hash, state, attempts, observed_at, updated_at) VALUES ('orders-to-erp-sales-order', '7', 'erp', 'PUT', '/sales-orders/7', '{}', 'h', 'pending', 2, 0, 0)").run();
    db.close();

    const accepted = new Set<string>();
    const webhooks = fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => {
      const hash = Buffer.from(b).toString('hex');
      return { method: 'POST', path: '/webhooks', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ scope: 'store/order/created', hash }) } satisfies FuzzRequest;
    });
    const engineLike = loopbackSurface(
      'engine-like',
      (req, res) => {
        req.resume();
        if (req.url === '/healthz') {
          res.writeHead(200, { 'content-type': 'application/json' });
          return res.end(JSON.stringify({ ok: true, inbox: 1, work: { order: 1 }, deadLetters: 0 }));
        }
        // Answers 200 and stores nothing.
        res.writeHead(200);
        res.end();
      },
      (base) => ({
        checkOptions: () => ({ shape: 'engine' }),
        observe: (req, answer) => void (answer.status === 200 && accepted.add(JSON.parse(req.body!).hash)),
        settle: (budgetMs) => settleEngine({ healthUrl: () => `${base}/healthz`, dbPath: () => dbPath, accepted, refused: 0, budgetMs }),
      }),
      webhooks,
    );
    const summary = await runSurface(engineLike, { ...quick, cases: 5 });
    expect(summary.clean).toBe(false);
    expect(summary.counts.stuck).toBe(3 + 5);
    const details = summary.stuckDetails.join('\n');
    expect(details).toMatch(/inbox: store\/order\/created id "7" never planned/);
    expect(details).toMatch(/work: order "abc", 3 attempts, last error: never fetchable/);
    expect(details).toMatch(/outbox: orders-to-erp-sales-order "7" still pending/);
    expect(details).toMatch(/answered 2xx but is not in the inbox \(lost\)/);
    expect(formatSummary([summary])).toMatch(/\[engine-like\] stuck work:/);
  });
});

it('lets an empty 431 pass only for a request over the HTTP layer\'s 16 KiB head limit', () => {
  const empty431 = { status: 431, headers: {}, body: '' };
  const small: FuzzRequest = { method: 'GET', path: '/v3/catalog/products', headers: {} };
  const huge: FuzzRequest = { method: 'GET', path: `/v3/${'x'.repeat(20_000)}`, headers: {} };
  expect(checkAnswer(small, empty431, { shape: 'v3' }).map((p) => p.kind)).toEqual(['shape']);
  expect(checkAnswer(huge, empty431, { shape: 'v3' })).toEqual([]);
});

describe('the command line', () => {
  it('takes --cases, --seed, --surface and --path, and refuses a replay without its seed', () => {
    const o = parseFuzzArgs(['--cases', '1000', '--seed', '20261206', '--surface', 'engine']);
    expect(o).toMatchObject({ cases: 1000, seed: 20261206, seedWasGiven: true, surfaces: ['engine'] });
    expect(parseFuzzArgs([]).surfaces).toEqual([...SURFACES]);
    expect(() => parseFuzzArgs(['--path', '3:0'])).toThrow(/--seed/);
    expect(() => parseFuzzArgs(['--surface', 'engines'])).toThrow(/--surface must be one of simulator, control, mocks, engine or all; got "engines"/);
  });
});
