/**
 * A product's variant options and modifiers with their values
 * (product-variant-options_catalog.v3.yml, product-modifiers_catalog.v3.yml). Options are what
 * variants are made of (Size, Colour): seeded from the store's catalog (seed.ts), whose variants'
 * `option_values` name the same option and value ids. Modifiers are shopper choices that make no
 * variant (a gift message, an engraving); list-type modifiers have values with price and weight
 * adjusters.
 *
 * Platform rules kept: an option's `type` is one of the variant option types, a modifier's one of
 * the modifier types, and only list types (radio buttons, rectangles, dropdown, product lists,
 * swatch; and checkbox for modifiers) take values; `display_name` is unique per product (422);
 * a value's `label` is unique within its option (422); one default value per option. Values live
 * in their own tables and the option's `option_values` are read from them. Every change raises
 * `store/product/updated` for the product.
 *
 * Chosen, because the platform does not say: an option or option value that a variant uses
 * cannot be deleted (422 naming the variants; delete them first), so the variants never name an
 * option that is gone. The store's own option list (store.productOptions, read by the storefront
 * side) is the seed and is not written back.
 */
import { z } from 'zod';
import { DomainError } from '../domain/errors.ts';
import { ofProduct, productUpdated, requireProduct } from './product-details.ts';
import type { FamilyContext, FamilyDecl, Item, OperationRequest, ResourceDecl, RouteDecl } from './model.ts';

const OPTIONS_FILE = 'product-variant-options_catalog.v3.yml';
const MODIFIERS_FILE = 'product-modifiers_catalog.v3.yml';
const BASE = '/catalog/products/{product_id}';

const OPTION_TYPES = ['radio_buttons', 'rectangles', 'dropdown', 'product_list', 'product_list_with_images', 'swatch'] as const;
const MODIFIER_TYPES = ['date', 'checkbox', 'file', 'text', 'multi_line_text', 'numbers_only_text', ...OPTION_TYPES] as const;
/** Modifier types that take values (the rest are free input). */
const LIST_TYPES = new Set<string>([...OPTION_TYPES, 'checkbox']);

export interface ProductOption extends Item {
  id: number;
  product_id: number;
  name: string;
  display_name: string;
  type: string;
  sort_order: number;
  config: Record<string, unknown>;
}

export interface Modifier extends ProductOption {
  required: boolean;
}

export interface OptionValue extends Item {
  id: number;
  product_id: number;
  option_id: number;
  label: string;
  sort_order: number;
  is_default: boolean;
  value_data: Record<string, unknown> | null;
}

export interface ModifierValue extends OptionValue {
  adjusters: Record<string, unknown>;
}

const valueBody = z.object({
  label: z.string().min(1, 'is required').max(255, 'must be at most 255 characters'),
  sort_order: z.number('must be an integer').int(),
  is_default: z.boolean().optional(),
  value_data: z.record(z.string(), z.unknown()).nullable().optional(),
});
const adjuster = z.object({ adjuster: z.enum(['relative', 'percentage']).nullable(), adjuster_value: z.number() }).partial();
const modifierValueBody = valueBody.extend({
  adjusters: z.object({ price: adjuster, weight: adjuster, image_url: z.string(), purchasing_disabled: z.object({ status: z.boolean(), message: z.string() }).partial() }).partial().optional(),
});

const optionBody = z.object({
  display_name: z.string().min(1, 'is required').max(255, 'must be at most 255 characters'),
  type: z.enum(OPTION_TYPES),
  sort_order: z.number().int().optional(),
  config: z.record(z.string(), z.unknown()).optional(),
  option_values: z.array(valueBody).optional(),
});
const modifierBody = z.object({
  display_name: z.string().min(1, 'is required').max(255, 'must be at most 255 characters'),
  type: z.enum(MODIFIER_TYPES),
  required: z.boolean('is required (true or false)'),
  sort_order: z.number().int().optional(),
  config: z.record(z.string(), z.unknown()).optional(),
  option_values: z.array(modifierValueBody).optional(),
});

const NO_ADJUSTERS = { price: { adjuster: null, adjuster_value: 0 }, weight: { adjuster: null, adjuster_value: 0 }, image_url: '', purchasing_disabled: { status: false, message: '' } };

/** What the option routes share for an option or a modifier table. */
interface Kind {
  option: string;
  value: string;
  label: string;
  /** Option values keep `option_id` off the answer (the document has none); modifier values carry it. */
  valueView(value: OptionValue): Record<string, unknown>;
}

const optionKind: Kind = { option: 'product-option', value: 'product-option-value', label: 'option', valueView: ({ product_id: _p, option_id: _o, ...v }) => v };
const modifierKind: Kind = { option: 'product-modifier', value: 'product-modifier-value', label: 'modifier', valueView: ({ product_id: _p, ...v }) => v };

const valuesOf = (ctx: FamilyContext, kind: Kind, optionId: number) =>
  ctx
    .collection<OptionValue>(kind.value)
    .all()
    .filter((v) => v.option_id === optionId)
    .sort((a, b) => a.sort_order - b.sort_order || a.id - b.id);

/** An option as the platform answers it: its values inside. */
const optionView = (kind: Kind) => (item: Item, ctx: FamilyContext) => ({ ...item, option_values: valuesOf(ctx, kind, item.id as number).map(kind.valueView) });

function optionResource(kind: Kind, seed?: ResourceDecl<ProductOption>['seed']): ResourceDecl<ProductOption> {
  const modifier = kind === modifierKind;
  // The option_values of the create being served (requests are served one at a time).
  let pending: Record<string, unknown>[] = [];
  return {
    name: kind.option,
    label: kind.label,
    id: 'sequence',
    ...(seed ? { seed } : {}),
    create: (input) => {
      const { option_values: values, ...rest } = input as { option_values?: Record<string, unknown>[] } & Record<string, unknown>;
      // The values sent with the option are checked now, so a bad one creates nothing, and made in afterChange.
      const labels = (values ?? []).map((v) => String(v.label).toLowerCase());
      const dup = labels.findIndex((l, i) => labels.indexOf(l) !== i);
      if (dup >= 0) throw new DomainError('unprocessable', `The ${kind.label}'s option_values repeat the label "${String(values![dup]!.label)}".`, { [`option_values[${dup}].label`]: 'already used by another value of this option' });
      if (modifier && values?.length && !LIST_TYPES.has(String(input.type))) throw new DomainError('unprocessable', `A ${String(input.type)} modifier takes no values.`, { option_values: `a ${String(input.type)} modifier takes no values` });
      pending = values ?? [];
      return { sort_order: 0, config: {}, ...rest, name: `${String(input.display_name)}${modifier ? '' : `-${Number(input.product_id)}`}` } as Omit<ProductOption, 'id'>;
    },
    update: (item, patch) => {
      const { option_values: _values, ...rest } = patch;
      return { ...item, ...rest, id: item.id, product_id: item.product_id } as ProductOption;
    },
    check(next, ctx) {
      const clash = ctx
        .collection<ProductOption>(kind.option)
        .all()
        .find((o) => o.product_id === next.product_id && o.id !== next.id && o.display_name.toLowerCase() === next.display_name.toLowerCase());
      if (clash) throw new DomainError('unprocessable', `Product ${next.product_id} already has ${kind.label} ${clash.id} named "${next.display_name}".`, { display_name: `already used by ${kind.label} ${clash.id} of this product` });
      if (modifier && !LIST_TYPES.has(next.type) && valuesOf(ctx, kind, next.id).length > 0) throw new DomainError('unprocessable', `A ${next.type} modifier takes no values; delete its values first or keep a list type.`, { type: 'takes no values' });
    },
    afterChange(when, item, ctx) {
      if (when !== 'created') return;
      const values = ctx.collection<OptionValue>(kind.value);
      const initial = pending;
      pending = [];
      for (const v of initial) values.insert(valueResourceOf(kind).create!({ ...v, product_id: item.product_id, option_id: item.id }, ctx) as OptionValue);
    },
    onDelete(option, ctx) {
      if (!modifier) {
        const used = ctx.store.variantsOf(option.product_id).filter((v) => v.option_values.some((ov) => ov.option_id === option.id));
        if (used.length > 0) throw new DomainError('unprocessable', `Option ${option.id} is used by variants ${used.map((v) => v.id).join(', ')}; delete those variants first.`, { option_id: 'used by variants' });
      }
      const values = ctx.collection<OptionValue>(kind.value);
      for (const v of valuesOf(ctx, kind, option.id)) values.remove(v.id);
    },
    webhooks: productUpdated<ProductOption>(),
  };
}

function valueResource(kind: Kind, seed?: ResourceDecl<OptionValue>['seed']): ResourceDecl<OptionValue> {
  const modifier = kind === modifierKind;
  return {
    name: kind.value,
    label: `${kind.label} value`,
    id: 'sequence',
    ...(seed ? { seed } : {}),
    create: (input) => ({ is_default: false, value_data: {}, ...(modifier ? { adjusters: NO_ADJUSTERS } : {}), ...input }) as Omit<OptionValue, 'id'>,
    update: (item, patch) => ({ ...item, ...patch, id: item.id, option_id: item.option_id, product_id: item.product_id }) as OptionValue,
    check(next, ctx) {
      const option = ctx.collection<ProductOption>(kind.option).find(next.option_id);
      if (option && modifier && !LIST_TYPES.has(option.type)) throw new DomainError('unprocessable', `Modifier ${option.id} is a ${option.type} modifier, which takes no values.`, { option_id: `a ${option.type} modifier takes no values` });
      const clash = valuesOf(ctx, kind, next.option_id).find((v) => v.id !== next.id && v.label.toLowerCase() === next.label.toLowerCase());
      if (clash) throw new DomainError('unprocessable', `${kind.label === 'option' ? 'Option' : 'Modifier'} ${next.option_id} already has value ${clash.id} labelled "${next.label}".`, { label: `already used by value ${clash.id}` });
    },
    // One default value per option: a new default takes over.
    afterChange(when, item, ctx) {
      if (when === 'deleted' || !item.is_default) return;
      const values = ctx.collection<OptionValue>(kind.value);
      for (const other of valuesOf(ctx, kind, item.option_id)) if (other.id !== item.id && other.is_default) values.replace({ ...other, is_default: false });
    },
    onDelete(value, ctx) {
      if (modifier) return;
      const used = ctx.store.variantsOf(value.product_id).filter((v) => v.option_values.some((ov) => ov.id === value.id));
      if (used.length > 0) throw new DomainError('unprocessable', `Option value ${value.id} is used by variants ${used.map((v) => v.id).join(', ')}; delete those variants first.`, { value_id: 'used by variants' });
    },
    webhooks: productUpdated<OptionValue>(),
  };
}

// Seeded from the store's catalog: the options its variants are made of, with the same ids.
const optionSeed = (ctx: FamilyContext): ProductOption[] =>
  ctx.store.productOptions.map((o, i) => ({ id: o.id, product_id: o.product_id, name: `${o.display_name}-${o.product_id}`, display_name: o.display_name, type: o.type, sort_order: i % 2, config: {} }));
const optionValueSeed = (ctx: FamilyContext): OptionValue[] =>
  ctx.store.productOptions.flatMap((o) => o.option_values.map((v) => ({ id: v.id, product_id: o.product_id, option_id: o.id, label: v.label, sort_order: v.sort_order, is_default: v.is_default, value_data: {} })));
// A free-text engraving on the first three products, and a gift-wrap choice that adds to the price.
const modifierSeed = (ctx: FamilyContext): ProductOption[] =>
  [...ctx.store.products.keys()]
    .sort((a, b) => a - b)
    .slice(0, 3)
    .flatMap((productId, i) => [
      { id: 2 * i + 1, product_id: productId, name: 'Engraving', display_name: 'Engraving', type: 'text', required: false, sort_order: 0, config: { text_characters_limited: true, text_min_length: 1, text_max_length: 30 } },
      { id: 2 * i + 2, product_id: productId, name: 'Gift wrap', display_name: 'Gift wrap', type: 'radio_buttons', required: true, sort_order: 1, config: {} },
    ]);
const modifierValueSeed = (ctx: FamilyContext): OptionValue[] =>
  ctx
    .collection<ProductOption>('product-modifier')
    .all()
    .filter((m) => m.type === 'radio_buttons')
    .flatMap((m, i) => [
      { id: 2 * i + 1, product_id: m.product_id, option_id: m.id, label: 'No wrapping', sort_order: 0, is_default: true, value_data: {}, adjusters: NO_ADJUSTERS },
      { id: 2 * i + 2, product_id: m.product_id, option_id: m.id, label: 'Gift wrap', sort_order: 1, is_default: false, value_data: {}, adjusters: { ...NO_ADJUSTERS, price: { adjuster: 'relative', adjuster_value: 4.5 } } },
    ]);

function optionRoutes(kind: Kind, file: string, body: z.ZodObject, valueBodySchema: z.ZodObject): RouteDecl[] {
  const plural = `${kind.label}s`;
  const path = `${BASE}/${plural}`;
  const one = `${path}/{${kind.label}_id}`;
  const values = `${one}/values`;
  const common = { scope: 'store_v2_products' as const, spec: { file } };
  // Values: the product and the option in the path must exist, and the value must be that option's.
  const optionIdOf = (req: OperationRequest) => Number(req.params[`${kind.label}_id`]);
  const valueCommon = {
    ...common,
    resource: kind.value,
    view: (item: Item) => kind.valueView(item as OptionValue),
    guard: (req: OperationRequest, ctx: FamilyContext) => {
      const productId = requireProduct(req, ctx);
      const raw = req.params[`${kind.label}_id`] ?? '';
      const option = /^\d+$/.test(raw) ? ctx.collection<ProductOption>(kind.option).find(Number(raw)) : undefined;
      if (!option || option.product_id !== productId) throw new DomainError('not-found', `The requested ${kind.label} was not found: product ${productId} has no ${kind.label} ${raw}.`);
    },
    scopeTo: (item: Item, req: OperationRequest) => item.option_id === optionIdOf(req),
    fromPath: (req: OperationRequest) => ({ product_id: Number(req.params.product_id), option_id: optionIdOf(req) }),
  };
  const optionCommon = { ...common, ...ofProduct, resource: kind.option, view: optionView(kind) };
  return [
    { ...optionCommon, method: 'GET', path, op: 'list', summary: `List a product's ${plural}` },
    {
      ...optionCommon,
      method: 'POST',
      path,
      op: 'create',
      body,
      summary: `Create a product ${kind.label} with its values`,
    },
    { ...optionCommon, method: 'GET', path: one, op: 'get', summary: `Get a product ${kind.label}` },
    { ...optionCommon, method: 'PUT', path: one, op: 'update', body: body.partial(), summary: `Update a product ${kind.label}` },
    { ...optionCommon, method: 'DELETE', path: one, op: 'delete', summary: `Delete a product ${kind.label} and its values` },
    { ...valueCommon, method: 'GET', path: values, op: 'list', summary: `List a product ${kind.label}'s values` },
    { ...valueCommon, method: 'POST', path: values, op: 'create', body: valueBodySchema, summary: `Create a product ${kind.label} value` },
    { ...valueCommon, method: 'GET', path: `${values}/{value_id}`, op: 'get', summary: `Get a product ${kind.label} value` },
    { ...valueCommon, method: 'PUT', path: `${values}/{value_id}`, op: 'update', body: valueBodySchema.partial(), summary: `Update a product ${kind.label} value` },
    { ...valueCommon, method: 'DELETE', path: `${values}/{value_id}`, op: 'delete', summary: `Delete a product ${kind.label} value` },
  ];
}

const optionValueResource = valueResource(optionKind, optionValueSeed);
const modifierValueResource = valueResource(modifierKind, modifierValueSeed);
/** An option's `option_values` sent with its create become rows of the value table, made like a value created on its own. */
const valueResourceOf = (kind: Kind) => (kind === optionKind ? optionValueResource : modifierValueResource);

export const productOptionsFamily: FamilyDecl = {
  name: 'product-options',
  envelope: 'v3',
  resources: [optionResource(optionKind, optionSeed), optionValueResource, optionResource(modifierKind, modifierSeed), modifierValueResource],
  routes: [...optionRoutes(optionKind, OPTIONS_FILE, optionBody, valueBody), ...optionRoutes(modifierKind, MODIFIERS_FILE, modifierBody, modifierValueBody)],
};

/** `GET /v3/catalog/products?include=options,modifiers`: the product's options and modifiers as their routes answer them. */
/** A product's variant options with their values, as the catalog's variant create checks them (the family is their source of truth once seeded). */
export function variantOptionsOf(ctx: FamilyContext, productId: number): { id: number; display_name: string; values: { id: number; label: string }[] }[] {
  return ctx
    .collection<ProductOption>(optionKind.option)
    .all()
    .filter((o) => o.product_id === productId)
    .map((o) => ({ id: o.id, display_name: o.display_name, values: valuesOf(ctx, optionKind, o.id).map((v) => ({ id: v.id, label: v.label })) }));
}

export function productOptionsOf(ctx: FamilyContext, productId: number): Record<'options' | 'modifiers', unknown[]> {
  const of = (kind: Kind) =>
    ctx
      .collection<ProductOption>(kind.option)
      .all()
      .filter((o) => o.product_id === productId)
      .map((o) => optionView(kind)(o, ctx));
  return { options: of(optionKind), modifiers: of(modifierKind) };
}
