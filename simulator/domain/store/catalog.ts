/**
 * The catalog the Management API writes: products, variants, their stock (inventory adjustments,
 * absolute and relative) and which brands a product may name.
 */
import { randomUUID } from 'node:crypto';
import { conflict, DomainError, notFound, unprocessable } from '../errors.ts';
import { iso } from '../format.ts';
import type { V3Product, V3Variant } from '../model.ts';
import type { StoreContext } from './context.ts';
import { seededVariant } from '../seeded-variant.ts';
import { stockKey, type ApplyStock } from './stock.ts';
import { variantBySku } from './sku-index.ts';

export interface InventoryItemInput {
  location_id: number;
  variant_id?: number;
  product_id?: number;
  sku?: string;
  quantity: number;
}

/** A variant option of a product as the product-options family keeps it: what a new variant's option_values must name. */
export interface VariantOptionChoice {
  id: number;
  display_name: string;
  values: { id: number; label: string }[];
}

export interface VariantCreateInput {
  sku: string;
  option_values: { id: number; option_id: number }[];
  price?: number | null;
  sale_price?: number | null;
  retail_price?: number | null;
  map_price?: number | null;
  cost_price?: number | null;
  weight?: number | null;
  width?: number | null;
  height?: number | null;
  depth?: number | null;
  purchasing_disabled?: boolean;
  purchasing_disabled_message?: string;
  upc?: string;
  mpn?: string;
  gtin?: string;
  inventory_level?: number;
  inventory_warning_level?: number;
  bin_picking_number?: string;
}

/** "600 SKUs per product limit" (product-variants_catalog.v3.yml, create a product variant). */
export const VARIANTS_PER_PRODUCT_LIMIT = 600;
/**
 * A created variant's sku_id: clear of the seeded ones (variant id + 100,001, seed.ts), so two
 * SKUs never share an id.
 */
const CREATED_SKU_ID_OFFSET = 200_000;

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

    /**
     * Delete products with their variants (`DELETE /v3/catalog/products/{id}` and by filter).
     * Orders keep their own copy of each line, so past orders read as before. One
     * `store/product/deleted` per product and nothing per variant, as webhooks.v3.yml lists no
     * SKU event for a product's deletion; the ledger gets a `resource:deleted` line for the
     * product and for each variant, since both leave the store's state.
     */
    deleteProducts(ids: number[]): V3Product[] {
      const gone = ids.map((id) => ctx.products.get(id)).filter((p): p is V3Product => p !== undefined);
      for (const p of gone) {
        for (const v of ctx.variantsByProduct.get(p.id) ?? []) {
          ctx.variants.delete(v.id);
          ctx.absoluteBaseline.delete(stockKey('variant', v.id));
          changed('resource:deleted', 'variant', v.id, v);
        }
        ctx.variantsByProduct.delete(p.id);
        ctx.products.delete(p.id);
        ctx.absoluteBaseline.delete(stockKey('product', p.id));
        // The store's option list seeds the options family and the storefront side's carts: a
        // deleted product's options must not come back from it.
        ctx.productOptions = ctx.productOptions.filter((o) => o.product_id !== p.id);
        changed('resource:deleted', 'product', p.id, p);
        emit('store/product/deleted', { type: 'product', id: p.id });
      }
      return gone;
    },

    /**
     * Add a variant to a product (`POST /v3/catalog/products/{id}/variants`). `options` are the
     * product's variant options as the options family holds them: the new variant names one value
     * of each, a combination no other variant of the product has.
     */
    createVariant(productId: number, input: VariantCreateInput, options: VariantOptionChoice[]): V3Variant {
      const product = ctx.products.get(productId);
      if (!product) throw notFound('product');
      const siblings = ctx.variantsByProduct.get(productId) ?? [];
      if (siblings.length >= VARIANTS_PER_PRODUCT_LIMIT) {
        throw unprocessable(`Product ${productId} already has ${siblings.length} variants, the most a product may have (${VARIANTS_PER_PRODUCT_LIMIT}).`, { product_id: `at most ${VARIANTS_PER_PRODUCT_LIMIT} variants per product` });
      }
      if (options.length === 0) {
        throw unprocessable(`Product ${productId} has no variant options, so it has only its base variant. Create an option with POST /v3/catalog/products/${productId}/options first.`, { option_values: 'the product has no variant options' });
      }
      const values = input.option_values.map((ov, i) => {
        const option = options.find((o) => o.id === ov.option_id);
        if (!option) throw unprocessable(`Option ${ov.option_id} is not an option of product ${productId} (its options: ${options.map((o) => o.id).join(', ')}).`, { [`option_values[${i}].option_id`]: `not an option of product ${productId}` });
        const value = option.values.find((v) => v.id === ov.id);
        if (!value) throw unprocessable(`Option value ${ov.id} is not a value of option ${option.id} ("${option.display_name}").`, { [`option_values[${i}].id`]: `not a value of option ${option.id}` });
        return { id: value.id, label: value.label, option_id: option.id, option_display_name: option.display_name };
      });
      for (const option of options) {
        const named = values.filter((v) => v.option_id === option.id).length;
        if (named !== 1) throw unprocessable(`A variant of product ${productId} names exactly one value of each option; option ${option.id} ("${option.display_name}") is named ${named} times.`, { option_values: `name one value of option ${option.id}` });
      }
      const combination = (list: { id: number }[]) => list.map((v) => v.id).sort((a, b) => a - b).join(',');
      const twin = siblings.find((v) => combination(v.option_values) === combination(values));
      if (twin) throw conflict(`Variant ${twin.id} of product ${productId} already has these option values.`, { option_values: `same as variant ${twin.id}` });
      if (variantBySku(ctx.variants, input.sku) || [...ctx.products.values()].some((p) => p.sku === input.sku)) {
        throw conflict(`The SKU "${input.sku}" is a duplicate.`, { sku: 'duplicate sku' });
      }
      const id = ids.variant.next();
      const { inventory_level, option_values: _named, ...fields } = input;
      void _named;
      const variant: V3Variant = {
        ...seededVariant({ id, product, sku: input.sku, skuId: id + CREATED_SKU_ID_OFFSET, inventoryLevel: 0, values }),
        ...fields,
      };
      variant.calculated_price = variant.sale_price ?? variant.price ?? product.calculated_price;
      variant.calculated_weight = variant.weight ?? product.weight;
      ctx.variants.set(id, variant);
      siblings.push(variant);
      ctx.variantsByProduct.set(productId, siblings);
      product.date_modified = iso(clock.now());
      changed('resource:created', 'variant', id, variant);
      emit('store/sku/created', { type: 'sku', id, sku: { product_id: productId, variant_id: id } });
      if (inventory_level !== undefined) {
        ctx.absoluteBaseline.add(stockKey('variant', id));
        applyStock(variant, Math.min(inventory_level, 2_147_483_647), 'absolute', false);
      }
      return variant;
    },

    /**
     * Delete one variant (`DELETE /v3/catalog/products/{id}/variants/{variant_id}`). A product
     * always keeps a variant (its base one), so the last is refused: delete the product instead.
     */
    deleteVariant(productId: number, variantId: number): V3Variant {
      const product = ctx.products.get(productId);
      if (!product) throw notFound('product');
      const siblings = ctx.variantsByProduct.get(productId) ?? [];
      const variant = siblings.find((v) => v.id === variantId);
      if (!variant) throw new DomainError('not-found', `The requested variant was not found: product ${productId} has no variant ${variantId}.`);
      if (siblings.length === 1) {
        throw unprocessable(`Variant ${variantId} is the last variant of product ${productId} and cannot be deleted alone. Delete the product with DELETE /v3/catalog/products/${productId}.`, { variant_id: `the last variant of product ${productId}` });
      }
      const rest = siblings.filter((v) => v.id !== variantId);
      ctx.variantsByProduct.set(productId, rest);
      ctx.variants.delete(variantId);
      ctx.absoluteBaseline.delete(stockKey('variant', variantId));
      // The product's stock is the sum of its variants' (stock.ts); its base variant must be one it still has.
      product.inventory_level = rest.reduce((s, v) => s + v.inventory_level, 0);
      if (product.base_variant_id === variantId) product.base_variant_id = rest[0]!.id;
      product.date_modified = iso(clock.now());
      changed('resource:deleted', 'variant', variantId, variant);
      emit('store/sku/deleted', { type: 'sku', id: variantId, sku: { product_id: productId, variant_id: variantId } });
      return variant;
    },

    createProduct(input: { name: string; type: 'physical' | 'digital'; weight: number; price: number; sku?: string; inventory_level?: number; inventory_tracking?: 'none' | 'product' | 'variant'; brand_id?: number }): V3Product {
      if ([...ctx.products.values()].some((p) => p.name === input.name)) throw conflict(`The product name "${input.name}" is a duplicate.`, { name: 'duplicate name' });
      if (input.sku && [...ctx.variants.values()].some((v) => v.sku === input.sku)) throw conflict(`The SKU "${input.sku}" is a duplicate.`, { sku: 'duplicate sku' });
      if (input.brand_id !== undefined && !api.hasBrand(input.brand_id)) throw unknownBrand(input.brand_id, 'brand_id');
      const id = ids.product.next();
      const now = iso(clock.now());
      // What a product created with only these fields holds: nothing borrowed from another product
      // (its categories, description or codes), and no dependence on the store having any left.
      const product: V3Product = {
        id,
        name: input.name,
        type: input.type,
        sku: input.sku ?? '',
        description: '',
        weight: input.weight,
        width: 0,
        depth: 0,
        height: 0,
        price: input.price,
        cost_price: 0,
        retail_price: 0,
        sale_price: 0,
        map_price: 0,
        tax_class_id: 0,
        product_tax_code: '',
        calculated_price: input.price,
        categories: [],
        brand_id: input.brand_id ?? 0,
        inventory_level: 0,
        inventory_warning_level: 0,
        inventory_tracking: input.inventory_tracking ?? 'none',
        is_free_shipping: false,
        fixed_cost_shipping_price: 0,
        is_visible: true,
        is_featured: false,
        upc: '',
        mpn: '',
        gtin: '',
        availability: 'available',
        condition: 'New',
        base_variant_id: 0,
        date_created: now,
        date_modified: now,
        option_set_id: 0,
        custom_url: { url: `/${input.name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}/`, is_customized: false },
      };
      const variant = seededVariant({ id: ids.variant.next(), product, sku: input.sku ?? '', skuId: null, inventoryLevel: 0, values: [] });
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
