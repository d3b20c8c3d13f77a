/**
 * The table of every operation the simulator serves (`bc-harness sim --list-operations`): the
 * declared families' rows from their registry, with the official document of each, and the
 * hand-written routes read from the express router itself, so nobody keeps a second list.
 */
import type { Express } from 'express';
import { createSimulator } from '../domain/simulator.ts';
import type { FamilyDecl } from '../families/model.ts';
import { declaredOperations, FAMILIES, specStylePath, type OperationRow } from '../families/registry.ts';
import { createSimulatorApp } from './app.ts';

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  rawPath?: string;
}

/** Every Management API route of an express app, as `METHOD /v2|v3/...` (express path style). */
function routesOf(app: Express): { method: string; path: string }[] {
  const out: { method: string; path: string }[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const [m, on] of Object.entries(layer.route.methods)) if (on && m !== '_all') out.push({ method: m.toUpperCase(), path: `${prefix}${layer.route.path}` });
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack, `${prefix}${layer.rawPath && layer.rawPath !== '/' ? layer.rawPath : ''}`);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
  const base = '/stores/:storeHash';
  return out.filter((r) => r.path.startsWith(`${base}/`)).map((r) => ({ method: r.method, path: r.path.slice(base.length) }));
}

/** The hand-written routers' areas, for the table's family column. */
function handWrittenFamily(path: string): string {
  const [, version, area] = path.split('/');
  return `${area ?? ''}${version === 'v2' ? ' (v2)' : ''}`.replace(/^order_statuses/, 'orders').replace(/^orders$/, 'orders (v3)');
}

/**
 * Every operation the simulator serves: the declared families' rows (with their spec document) and
 * the hand-written routes found in the app's router, marked `hand-written`.
 */
export function servedOperations(app: Express, families: readonly FamilyDecl[] = FAMILIES): OperationRow[] {
  const declared = declaredOperations(families);
  const key = (method: string, path: string) => `${method} ${path}`;
  const declaredKeys = new Set(declared.map((d) => key(d.method, d.path)));
  const handWritten: OperationRow[] = [];
  const seen = new Set<string>();
  for (const r of routesOf(app)) {
    const path = specStylePath(r.path);
    const k = key(r.method, path);
    if (declaredKeys.has(k) || seen.has(k)) continue;
    seen.add(k);
    handWritten.push({ method: r.method, path, family: handWrittenFamily(path), op: 'hand-written', scope: '', summary: '' });
  }
  return [...handWritten, ...declared];
}

/** The operations table of a throwaway simulator (one tiny store, nothing listening): `sim --list-operations`. */
export function listServedOperations(): OperationRow[] {
  const sim = createSimulator({ products: 1, customers: 1, pastOrders: 0, deliver: async () => ({ durationMs: 0, error: 'not delivering' }) });
  try {
    return servedOperations(createSimulatorApp(sim));
  } finally {
    sim.close();
  }
}

/** Operations per family, in table order. */
export function countByFamily(rows: readonly OperationRow[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of rows) {
    const key = r.op === 'hand-written' ? `${r.family} [hand-written]` : r.family;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}
