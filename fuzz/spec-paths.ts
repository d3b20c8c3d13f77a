/**
 * Paths from the official BigCommerce OpenAPI specs, when they are next to the project
 * (../shared/bigcommerce-specs/current, as test/support/specs.ts finds them). Only the path keys
 * are read, with a line scan (no YAML parse, nothing copied into the project): many are routes the
 * simulator does not implement, which must still answer a 404 in the platform's envelope. Without
 * the specs folder the fuzz uses the simulator's own route table alone.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PROJECT_ROOT } from './processes.ts';
import type { Route } from './routes.ts';

export const SPECS_DIR = resolve(PROJECT_ROOT, '../shared/bigcommerce-specs/current');
/** The wider set of official documents (carts, checkouts, channels, price lists, ...), same snapshot. */
export const MORE_SPECS_DIR = resolve(PROJECT_ROOT, '../shared/bigcommerce-specs/more');

/** `/v2/orders/:order_id` style routes, one per path key in the specs; empty when they are absent. */
export function specRoutes(dir = SPECS_DIR): Route[] {
  if (!existsSync(dir)) return [];
  const routes: Route[] = [];
  for (const file of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f))) {
    const text = readFileSync(join(dir, file), 'utf8');
    const version = /stores\/\{store_hash\}\/(v\d)/.exec(text)?.[1];
    if (!version) continue;
    const paths = text.slice(text.search(/^paths:/m));
    for (const m of paths.matchAll(/^ {2}['"]?(\/[^'":\s]*)['"]?:\s*$/gm)) {
      routes.push({ methods: ['GET', 'POST', 'PUT', 'DELETE'], path: `/${version}${m[1]!.replace(/\{([^}]+)\}/g, ':$1')}` });
    }
  }
  return routes;
}
