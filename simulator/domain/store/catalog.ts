/**
 * The catalog the Management API writes: products, variants, their stock (inventory adjustments,
 * absolute and relative) and which brands a product may name.
 */
import { randomUUID } from 'node:crypto';
import { conflict, unprocessable } from '../errors.ts';
import { iso } from '../format.ts';
import type { V3Product, V3Variant } from '../model.ts';
import type { StoreContext } from './context.ts';
import { stockKey, type ApplyStock } from './stock.ts';
import { variantBySku } from './sku-index.ts';

export interface InventoryItemInput {
  location_id: number;
  variant_id?: number;
  product_id?: number;
  sku?: string;
  quantity: number;
}

const unknownBrand = (id: number, field: string) =>
  conflict(`Failed to save the product: brand ${id} does not exist. Use the id of an existing brand, or 0 for no brand.`, { [field]: `brand ${id} not found` });

export function createCatalog(ctx: StoreContext, applyStock: ApplyStock) {
  const { clock, ids, changed, emit } = ctx;

  const resolveItem = (item: InventoryItemInput): V3Variant => {
    if (item.variant_id !== undefined) {
      const v = ctx.variants.get(item.variant_id);
      if (!v) throw unprocessable(`Items with identity: [variant_id ${item.variant_id}] were not found.`, { variant_id: `unknown variant ${item.variant_id}` });
      return v;
    }
    if (item.product_id !== undefined) {
      const p = ctx.products.get(item.product_id);
      if (!p) throw unprocessable(`Items with identity: [product_id ${item.product_id}] were not found.`, { product_id: `unknown product ${item.product_id}` });
      const list = ctx.variantsByProduct.get(p.id) ?? [];
      if (p.inventory_tracking === 'variant' && list.length > 1) {
        throw unprocessable(`Items with identity: [product_id ${p.id}] track inventory by variant; adjust a variant_id or sku.`, { product_id: 'tracks inventory by variant' });
      }
      return list[0]!;
    }
    const v = item.sku === undefined ? undefined : variantBySku(ctx.variants, item.sku);
    if (!v) throw unprocessable(`Items with identity: [sku ${item.sku}] were not found.`, { sku: `unknown sku ${item.sku}` });
    return v;
  };

  const api = {
    /** Whether a product may name this brand: 0 (no brand) or a brand the store has. */
    hasBrand(id: number): boolean {
      return id === 0 || (ctx.brandLookup ? ctx.brandLookup(id) : ctx.brandIds.has(id));
    },
    /**
     * Where brands live once the brands family serves them (simulator.ts wires it), so a brand
     * created or deleted through /v3/catalog/brands is what a product may name; until then, the
     * seeded ids.
     */
    setBrandLookup(lookup: (id: number) => boolean): void {
      ctx.brandLookup = lookup;
    },
    /** Where inventory locations live (the locations family; simulator.ts wires it), so an adjustment naming an unknown one is refused. */
    setLocationLookup(lookup: (id: number) => boolean): void {
      ctx.locationLookup = lookup;
    },

    /** The variant with this SKU (the first, should two share it), through an index (sku-index.ts). */
    variantBySku(sku: string): V3Variant | undefined {
      return variantBySku(ctx.variants, sku);
    },

    variantsOf(productId: number): V3Variant[] {
      return ctx.variantsByProduct.get(productId) ?? [];
    },

    updateProducts(batch: ({ id: number } & Partial<Pick<V3Product, 'name' | 'type' | 'sku' | 'price' | 'cost_price' | 'retail_price' | 'sale_price' | 'map_price' | 'inventory_level' | 'inventory_warning_level' | 'is_visible' | 'description' | 'weight' | 'availability' | 'upc' | 'mpn' | 'gtin' | 'categories' | 'brand_id'>>)[]): V3Product[] {
      // Validate the whole batch first: the platform applies a batch all or nothing.
      batch.forEach((item, i) => {
        const p = ctx.products.get(item.id);
        if (!p) throw unprocessable(`Product ${item.id} does not exist.`, { [`[${i}].id`]: `product ${item.id} not found` });
        if (item.sku !== undefined && item.sku !== p.sku && [...ctx.products.values()].some((o) => o.sku === item.sku)) {
          throw conflict(`The SKU "${item.sku}" is already in use.`, { [`[${i}].sku`]: 'duplicate sku' });
        }
        if (item.name !== undefined && item.name !== p.name && [...ctx.products.values()].some((o) => o.name === item.name)) {
          throw conflict(`The product name "${item.name}" is already in use.`, { [`[${i}].name`]: 'duplicate name' });
        }
        // A missing brand is a 409 like a duplicate name (products_catalog.v3.yml, 409 of every product write).
        if (item.brand_id !== undefined && !api.hasBrand(item.brand_id)) throw unknownBrand(item.brand_id, `[${i}].brand_id`);
        if (item.inventory_level !== undefined && p.inventory_tracking === 'variant') {
          throw unprocessable(`Product ${p.id} tracks inventory by variant; update the variants' inventory instead.`, { [`[${i}].inventory_level`]: 'product tracks inventory by variant' });
        }
      });
      return batch.map((item) => {
        const p = ctx.products.get(item.id)!;
        const { id: _id, inventory_level, ...rest } = item;
        void _id;
        const priceChanged = Object.keys(rest).length > 0;
        Object.assign(p, rest);
        if (rest.price !== undefined) p.calculated_price = rest.sale_price || rest.price;
        p.date_modified = iso(clock.now());
        if (priceChanged) {
          changed('resource:updated', 'product', p.id, p);
          emit('store/product/updated', { type: 'product', id: p.id });
        }
        if (inventory_level !== undefined) {
          // Catalog writes clamp and count as absolute (facts section e, inventory).
          ctx.absoluteBaseline.add(stockKey('product', p.id));
          applyStock(ctx.variantsByProduct.get(p.id)![0]!, Math.min(inventory_level, 2_147_483_647), 'absolute', false);
        }
        return p;
      });
    },

    updateVariants(batch: ({ id: number } & Partial<Pick<V3Variant, 'sku' | 'price' | 'sale_price' | 'cost_price' | 'retail_price' | 'map_price' | 'inventory_level' | 'inventory_warning_level' | 'purchasing_disabled' | 'upc' | 'mpn' | 'gtin' | 'weight'>>)[]): V3Variant[] {
      batch.forEach((item, i) => {
        if (!ctx.variants.has(item.id)) throw unprocessable(`Variant ${item.id} does not exist.`, { [`[${i}].id`]: `variant ${item.id} not found` });
      });
      return batch.map((item) => {
        const v = ctx.variants.get(item.id)!;
        const { id: _id, inventory_level, ...rest } = item;
        void _id;
        Object.assign(v, rest);
        if (rest.price !== undefined) v.calculated_price = rest.price ?? v.calculated_price;
        const product = ctx.products.get(v.product_id)!;
        product.date_modified = iso(clock.now());
        if (Object.keys(rest).length > 0) {
          changed('resource:updated', 'variant', v.id, v);
          emit('store/sku/updated', { type: 'sku', id: v.id, sku: { product_id: v.product_id, variant_id: v.id } });
        }
        if (inventory_level !== undefined) {
          ctx.absoluteBaseline.add(stockKey('variant', v.id));
          applyStock(v, Math.min(inventory_level, 2_147_483_647), 'absolute', false);
        }
        return v;
      });
    },

    adjustInventory(method: 'absolute' | 'relative', items: InventoryItemInput[]): { transaction_id: string } {
      const unknownLocations = [...new Set(items.map((i) => i.location_id))].filter((id) => ctx.locationLookup !== undefined && !ctx.locationLookup(id));
      if (unknownLocations.length > 0) {
        throw unprocessable(`Locations with id: [${unknownLocations.join(', ')}] were not found. Create them with POST /v3/inventory/locations first.`, { location_id: `unknown location ${unknownLocations.join(', ')}` });
      }
      const resolved = items.map((item) => ({ item, variant: resolveItem(item) }));
      if (method === 'relative') {
        const missing = resolved.filter(({ variant }) => !ctx.absoluteBaseline.has(stockKey('variant', variant.id)) && !ctx.absoluteBaseline.has(stockKey('product', variant.product_id)));
        if (missing.length > 0) {
          const identity = missing.map(({ item, variant }) => (item.product_id !== undefined ? `product_id ${item.product_id}` : item.sku !== undefined ? `sku ${item.sku}` : `variant_id ${variant.id}`));
          throw unprocessable(`Items with identity: [${identity.join(', ')}] requires absolute adjustment before relative`, { items: 'requires absolute adjustment before relative' });
        }
        const short = resolved.filter(({ item, variant }) => variant.inventory_level + item.quantity < 0);
        if (short.length > 0) {
          throw unprocessable(`Insufficient stock for variant_id ${short.map((s) => s.variant.id).join(', ')}.`, { items: 'insufficient stock for a relative decrease' });
        }
      }
      for (const { item, variant } of resolved) {
        if (method === 'absolute') {
          ctx.absoluteBaseline.add(stockKey('variant', variant.id));
          applyStock(variant, item.quantity, 'absolute', false);
        } else {
          applyStock(variant, variant.inventory_level + item.quantity, 'relative', false);
        }
      }
      return { transaction_id: randomUUID() };
    },

    createProduct(input: { name: string; type: 'physical' | 'digital'; weight: number; price: number; sku?: string; inventory_level?: number; inventory_tracking?: 'none' | 'product' | 'variant'; brand_id?: number }): V3Product {
      if ([...ctx.products.values()].some((p) => p.name === input.name)) throw conflict(`The product name "${input.name}" is a duplicate.`, { name: 'duplicate name' });
      if (input.sku && [...ctx.variants.values()].some((v) => v.sku === input.sku)) throw conflict(`The SKU "${input.sku}" is a duplicate.`, { sku: 'duplicate sku' });
      if (input.brand_id !== undefined && !api.hasBrand(input.brand_id)) throw unknownBrand(input.brand_id, 'brand_id');
      const template = ctx.products.values().next().value as V3Product;
      const id = ids.product.next();
      const now = iso(clock.now());
      const product: V3Product = {
        ...template,
        id,
        name: input.name,
        type: input.type,
        weight: input.weight,
        price: input.price,
        calculated_price: input.price,
        cost_price: 0,
        sku: input.sku ?? '',
        // Not the template's brand: a new product belongs to the brand it names, or to none.
        brand_id: input.brand_id ?? 0,
        inventory_level: 0,
        inventory_tracking: input.inventory_tracking ?? 'none',
        date_created: now,
        date_modified: now,
        custom_url: { url: `/${input.name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}/`, is_customized: false },
      };
      const variant: V3Variant = { ...(ctx.variants.values().next().value as V3Variant), id: ids.variant.next(), product_id: id, sku: input.sku ?? '', sku_id: null, inventory_level: 0, option_values: [], price: null, calculated_price: input.price };
      product.base_variant_id = variant.id;
      ctx.products.set(id, product);
      ctx.variants.set(variant.id, variant);
      ctx.variantsByProduct.set(id, [variant]);
      changed('resource:created', 'product', id, product);
      emit('store/product/created', { type: 'product', id });
      if (input.inventory_level !== undefined) {
        ctx.absoluteBaseline.add(stockKey('product', id));
        applyStock(variant, input.inventory_level, 'absolute', false);
      }
      return product;
    },
  };
  return api;
}
