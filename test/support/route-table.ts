/**
 * The simulator's route table, read from the express app itself, so a table-driven test covers
 * every route there is and fails when a route is added without a row.
 */
import type { Express } from 'express';
import { createSimulatorApp } from '../../simulator/http/app.ts';
import type { Simulator } from '../../simulator/domain/simulator.ts';

export interface RouteEntry {
  method: string;
  /** Express path with parameters, e.g. `/v2/orders/:id` (relative to `/stores/:storeHash`). */
  path: string;
}

interface Layer {
  rawPath?: string;
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

function walk(stack: Layer[], prefix: string, out: RouteEntry[]): void {
  for (const layer of stack) {
    if (layer.route) {
      for (const [method, on] of Object.entries(layer.route.methods)) {
        if (on && method !== '_all') out.push({ method: method.toUpperCase(), path: `${prefix}${layer.route.path}` });
      }
    } else if (layer.handle?.stack) {
      walk(layer.handle.stack, `${prefix}${layer.rawPath && layer.rawPath !== '/' ? layer.rawPath : ''}`, out);
    }
  }
}

/** Every Management API route (under `/stores/:storeHash`), as `METHOD /v2|v3/...`. */
export function managementApiRoutes(sim: Simulator): RouteEntry[] {
  const app = createSimulatorApp(sim) as Express & { router: { stack: Layer[] } };
  const all: RouteEntry[] = [];
  walk(app.router.stack, '', all);
  const base = '/stores/:storeHash';
  return all.filter((r) => r.path.startsWith(`${base}/`)).map((r) => ({ method: r.method, path: r.path.slice(base.length) }));
}
