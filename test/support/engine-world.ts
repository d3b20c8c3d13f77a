/**
 * Test support for the reference engine: a simulator, the connected-system mocks and the engine
 * as real servers on loopback port 0, sharing one virtual clock (so a control-plane clock jump
 * moves all three), an alert receiver, and the ground truth the checks compare with: the
 * simulator's ledger mapped through the same specs (what the verifier will do).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { createVirtualClock, type Clock } from '../../lib/clock.ts';
import { parseEngineConfig, type EngineConfig, type RawConfig } from '../../src/engine/config.ts';
import { createEngine, type Engine, type EngineReady } from '../../src/engine/engine.ts';
import { createLogger } from '../../src/engine/logger.ts';
import { applyMapping } from '../../src/mappings/apply-mapping.ts';
import type { CompiledSpec } from '../../src/mappings/compile.ts';
import { loadSpecs } from '../../src/mappings/load-spec.ts';
import { startMocks, type RunningMocks } from '../../src/mocks/http/server.ts';
import { startReceiver, type Receiver } from './receiver.ts';
import { startTestSim, type TestSim } from './simulator.ts';

export const WORLD_START = Date.UTC(2026, 10, 27, 12, 0, 0);
export const SECRET = 'engine-test-secret';

let specCache: Map<string, CompiledSpec> | undefined;
export function specs(): Map<string, CompiledSpec> {
  specCache ??= new Map(loadSpecs().specs.map((s) => [s.compiled.spec.name, s.compiled]));
  return specCache;
}

export interface WorldOptions {
  timeScale?: number;
  plan?: 'standard' | 'plus' | 'pro' | 'enterprise';
  seed?: number;
  products?: number;
  customers?: number;
  /** Engine configuration over the world's defaults (the raw strings a user would give). */
  engine?: RawConfig;
  /** Start the engine at once (default true). */
  startEngine?: boolean;
  mocksTiming?: NonNullable<Parameters<typeof startMocks>[0]>['timing'];
}

export interface World {
  clock: Clock;
  sim: TestSim;
  mocks: RunningMocks;
  alerts: Receiver;
  dir: string;
  config: EngineConfig;
  engine?: Engine;
  ready?: EngineReady;
  logs: string[];
  startEngine(overrides?: RawConfig): Promise<{ engine: Engine; ready: EngineReady }>;
  stopEngine(): Promise<void>;
  ledger(kinds?: string[]): Promise<any[]>;
  journal(system: 'erp' | '3pl' | 'crm' | 'marketing'): Promise<any[]>;
  /** The latest state of each order in the ledger, as the specs read it. */
  truthOrders(): Promise<Map<number, Record<string, unknown>>>;
  placeOrders(count: number, profile?: string): Promise<number[]>;
  mocksControl(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

export function expectedRecord(spec: string, source: unknown): Record<string, unknown> | undefined {
  const result = applyMapping(specs().get(spec)!, source);
  return result.skipped || result.errors.length > 0 ? undefined : result.record;
}

export async function startWorld(options: WorldOptions = {}): Promise<World> {
  const scale = options.timeScale ?? 60;
  const seed = options.seed ?? 7;
  const products = options.products ?? 60;
  const customers = options.customers ?? 30;
  const clock = createVirtualClock({ scale, start: WORLD_START });
  const sim = await startTestSim({ clock, plan: options.plan ?? 'standard', seed, products, customers, pastOrders: 10 });
  const mocks = await startMocks({ clock, seed, products, customers, ...(options.mocksTiming ? { timing: options.mocksTiming } : {}) });
  const alerts = await startReceiver(200);
  const dir = mkdtempSync(join(tmpdir(), 'bc-harness-engine-'));
  const logs: string[] = [];
  const baseRaw: RawConfig = {
    apiUrl: `${sim.url}/stores/${sim.hash}`,
    accessToken: sim.token,
    webhookSecret: SECRET,
    erpUrl: `${mocks.url}/erp`,
    threeplUrl: `${mocks.url}/3pl`,
    crmUrl: `${mocks.url}/crm`,
    marketingUrl: `${mocks.url}/marketing`,
    alertUrl: alerts.url,
    timeScale: String(scale),
    db: join(dir, 'engine.sqlite'),
    ...options.engine,
  };
  const world: World = {
    clock,
    sim,
    mocks,
    alerts,
    dir,
    config: parseEngineConfig(baseRaw),
    logs,
    async startEngine(overrides = {}) {
      const config = parseEngineConfig({ ...baseRaw, ...overrides });
      world.config = config;
      const engine = await createEngine(config, { clock, specs: specs(), logger: createLogger({ clock, write: (line) => void logs.push(line) }) });
      const ready = await engine.start();
      world.engine = engine;
      world.ready = ready;
      return { engine, ready };
    },
    async stopEngine() {
      await world.engine?.close();
      world.engine = undefined;
    },
    async ledger(kinds) {
      const res = await sim.control('GET', `/ledger${kinds ? `?kinds=${kinds.join(',')}` : ''}`);
      return res.text.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
    },
    async journal(system) {
      const res = await request(`${mocks.url}/${system}/journal`, { headers: { authorization: `Bearer ${mocks.controlToken}` } });
      const text = await res.body.text();
      return text.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
    },
    async truthOrders() {
      const truth = new Map<number, Record<string, unknown>>();
      for (const e of await world.ledger(['resource:created', 'resource:updated'])) if (e.resource === 'order') truth.set(e.id, e.body);
      return truth;
    },
    async placeOrders(count, profile = 'typical') {
      const ids: number[] = [];
      for (let done = 0; done < count; done += 500) {
        const res = await sim.control('POST', `/stores/${sim.hash}/orders`, { profile, count: Math.min(500, count - done) });
        if (res.status !== 201) throw new Error(`Failed to place orders: ${res.status} ${res.text}`);
        ids.push(...res.body.ids);
      }
      return ids;
    },
    async mocksControl(method, path, body) {
      const res = await request(`${mocks.url}${path}`, {
        method: method as 'PUT',
        headers: { authorization: `Bearer ${mocks.controlToken}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await res.body.text();
      return { status: res.statusCode, body: text ? JSON.parse(text) : undefined };
    },
    async close() {
      await world.engine?.close();
      await alerts.close();
      await mocks.close();
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  if (options.startEngine !== false) await world.startEngine();
  return world;
}
