/**
 * Which source records the integration read from the Management API, and when, from its own
 * requests in the ledger. A webhook only names the record (bigcommerce-facts.md section c, "light
 * payloads"), so an integration that writes a record it never read is treating the payload as the
 * data. The test is deliberately lenient, to never accuse an integration that batches: a list call
 * (`GET /v2/orders?...`) counts as reading every record its id range allows that existed then.
 * A read counts from when it was taken up (`startedAt`), not when its answer ended: a long list is
 * sent in parts, and an integration that parses it as it arrives may write its first records
 * before the last part is out.
 */
import type { ApiCall } from './ledger-index.ts';

interface Fetch {
  at: number;
  kind: 'one' | 'list';
  id?: string;
  minId?: number;
  maxId?: number;
}

export interface FetchCoverage {
  /** Did a successful read of this record happen in [from, to]? */
  read(resource: string, id: string, from: number, to: number): boolean;
  /** Successful reads of each resource kind (for the report). */
  counts: Record<string, number>;
}

const PATTERNS: { resource: string; one?: RegExp; list?: RegExp }[] = [
  { resource: 'order', one: /\/v2\/orders\/(\d+)(?:[/?]|$)/, list: /\/v2\/orders(?:\?|$)/ },
  { resource: 'customer', list: /\/v3\/customers(?:\?|$|\/)/ },
  { resource: 'refund', list: /\/refunds(?:\?|$)/ },
  { resource: 'cart', one: /\/v3\/carts\/([^/?]+)/ },
];

function numberParam(query: URLSearchParams, name: string): number | undefined {
  const v = query.get(name);
  if (v === null) return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

export function createFetchCoverage(calls: readonly ApiCall[]): FetchCoverage {
  const byResource = new Map<string, Fetch[]>();
  const counts: Record<string, number> = {};
  for (const call of calls) {
    if (call.method !== 'GET' || call.status < 200 || call.status >= 300) continue;
    const q = call.path.indexOf('?');
    const query = new URLSearchParams(q >= 0 ? call.path.slice(q + 1) : '');
    for (const p of PATTERNS) {
      const one = p.one?.exec(call.path);
      let fetch: Fetch | undefined;
      const at = call.startedAt ?? call.at;
      if (one) fetch = { at, kind: 'one', id: decodeURIComponent(one[1]!) };
      else if (p.list?.test(call.path)) {
        const minId = numberParam(query, 'min_id');
        const maxId = numberParam(query, 'max_id');
        fetch = { at, kind: 'list', ...(minId !== undefined ? { minId } : {}), ...(maxId !== undefined ? { maxId } : {}) };
      }
      if (!fetch) continue;
      let list = byResource.get(p.resource);
      if (!list) byResource.set(p.resource, (list = []));
      list.push(fetch);
      counts[p.resource] = (counts[p.resource] ?? 0) + 1;
      break;
    }
  }
  return {
    counts,
    read(resource, id, from, to) {
      const list = byResource.get(resource) ?? [];
      const numeric = Number(id);
      return list.some((f) => {
        if (f.at < from || f.at > to) return false;
        if (f.kind === 'one') return f.id === id;
        if (f.minId !== undefined && !(numeric >= f.minId)) return false;
        if (f.maxId !== undefined && !(numeric <= f.maxId)) return false;
        return true;
      });
    },
  };
}
