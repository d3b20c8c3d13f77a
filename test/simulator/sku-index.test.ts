/** The SKU index is a cache that can never answer differently from walking the variants. */
import { expect, it } from 'vitest';
import type { V3Variant } from '../../simulator/domain/model.ts';
import { variantBySku } from '../../simulator/domain/store/sku-index.ts';

const variant = (id: number, sku: string) => ({ id, product_id: 1, sku }) as V3Variant;

it('finds a variant by SKU, follows SKU changes, additions and removals, and keeps the first of a shared SKU', () => {
  const variants = new Map([1, 2, 3].map((id) => [id, variant(id, `SKU-${id}`)]));
  expect(variantBySku(variants, 'SKU-2')?.id).toBe(2);
  // Renamed behind the index's back: the old SKU is gone, the new one is found.
  variants.get(2)!.sku = 'SKU-2B';
  expect(variantBySku(variants, 'SKU-2')).toBeUndefined();
  expect(variantBySku(variants, 'SKU-2B')?.id).toBe(2);
  // Added and removed.
  variants.set(4, variant(4, 'SKU-4'));
  expect(variantBySku(variants, 'SKU-4')?.id).toBe(4);
  variants.delete(4);
  expect(variantBySku(variants, 'SKU-4')).toBeUndefined();
  // Replaced by a new object with the same id and SKU: the live one is returned.
  const fresh = variant(3, 'SKU-3');
  expect(variantBySku(variants, 'SKU-3')?.id).toBe(3);
  variants.set(3, fresh);
  expect(variantBySku(variants, 'SKU-3')).toBe(fresh);
  // Two variants with one SKU: the first, as a walk would find.
  variants.set(5, variant(5, 'SKU-1'));
  expect(variantBySku(variants, 'SKU-1')?.id).toBe(1);
  // A new map (store.reset()) has its own index.
  expect(variantBySku(new Map([[9, variant(9, 'SKU-1')]]), 'SKU-1')?.id).toBe(9);
});
