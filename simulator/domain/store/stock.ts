/**
 * Writing a variant's stock level, shared by the catalog (API writes and adjustments) and by a
 * shopper's order taking stock: one ledger line and the platform's inventory scopes either way.
 */
import type { V3Variant } from '../model.ts';
import type { StoreContext } from './context.ts';

/** The key of an item in `ctx.absoluteBaseline`. */
export const stockKey = (kind: 'variant' | 'product', id: number) => `${kind}:${id}`;

export type ApplyStock = ReturnType<typeof createApplyStock>;

export function createApplyStock(ctx: StoreContext) {
  const { record, emit } = ctx;
  const applyStock = (variant: V3Variant, newLevel: number, method: 'absolute' | 'relative', byOrder: boolean) => {
    const product = ctx.products.get(variant.product_id)!;
    const delta = newLevel - variant.inventory_level;
    variant.inventory_level = newLevel;
    const siblings = ctx.variantsByProduct.get(product.id) ?? [variant];
    product.inventory_level = siblings.reduce((s, v) => s + v.inventory_level, 0);
    // `cause` tells a shopper's order taking stock from a write through the API, so the verifier
    // can check that an ERP stock count reached the store without mistaking a sale for it.
    record({ kind: 'resource:updated', resource: 'variant', id: variant.id, body: variant, cause: byOrder ? 'order' : 'api' });
    const value = method === 'relative' ? delta : newLevel;
    const productScope = byOrder ? 'store/product/inventory/order/updated' : 'store/product/inventory/updated';
    const skuScope = byOrder ? 'store/sku/inventory/order/updated' : 'store/sku/inventory/updated';
    emit(productScope, { type: 'product', id: product.id, inventory: { product_id: product.id, method, value } });
    if (product.inventory_tracking === 'variant') {
      emit(skuScope, { type: 'sku', id: variant.id, inventory: { product_id: product.id, method, value, variant_id: variant.id } });
    }
  };
  return applyStock;
}
