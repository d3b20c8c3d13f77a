/**
 * Finding a variant by SKU without walking every variant. Inventory adjustments, price records
 * and inventory item filters name variants by SKU, up to 2,000 in one request; a walk per item
 * made a batch cost items × variants.
 *
 * The index is a cache, not a second source of truth: every hit is checked against the variant
 * itself (still in the store, still carrying that SKU), and a miss or a stale hit rebuilds it once
 * from the variants, so a SKU changed or a variant added by any path is found, and an unknown SKU
 * costs the one walk it always cost. Keyed by the variants map, so `store.reset()` (a new map)
 * starts a new index. Where two variants share a SKU the first wins, as the walk did.
 */
import type { V3Variant } from '../model.ts';

const indexes = new WeakMap<Map<number, V3Variant>, Map<string, V3Variant>>();

function rebuild(variants: Map<number, V3Variant>): Map<string, V3Variant> {
  const index = new Map<string, V3Variant>();
  for (const v of variants.values()) if (v.sku && !index.has(v.sku)) index.set(v.sku, v);
  indexes.set(variants, index);
  return index;
}

export function variantBySku(variants: Map<number, V3Variant>, sku: string): V3Variant | undefined {
  const hit = indexes.get(variants)?.get(sku);
  if (hit && hit.sku === sku && variants.get(hit.id) === hit) return hit;
  return rebuild(variants).get(sku);
}
