/**
 * Currencies V2 (currencies.v2.yml): the store's display and transactional currencies. Seeded with
 * the default USD and three more. The platform's rules kept here: `currency_code` is unique and
 * cannot change, `is_default` can only be set (never unset: setting it on one un-defaults the
 * others), the default currency cannot be deleted, nor a channel's default currency, and a deleted
 * currency leaves the channels' enabled currencies. V2 answers bare objects and arrays, 204 for
 * an empty list, and 400 naming the field for bad input.
 */
import { z } from 'zod';
import { DomainError } from '../domain/errors.ts';
import type { CurrencyAssignment } from './channels.ts';
import { intFilters } from './filters.ts';
import type { FamilyContext, FamilyDecl, Item, ResourceDecl } from './model.ts';

const FILE = 'currencies.v2.yml';

export interface Currency extends Item {
  id: number;
  is_default: boolean;
  country_iso2: string;
  default_for_country_codes: string[];
  currency_code: string;
  currency_exchange_rate: string;
  auto_update: boolean;
  token_location: 'left' | 'right';
  token: string;
  decimal_token: string;
  thousands_token: string;
  decimal_places: number;
  name: string;
  enabled: boolean;
  is_transactional: boolean;
  use_default_name: boolean;
  last_updated: string;
}

// A string on the platform; a number is taken too, as clients often send one.
const rate = z.preprocess((v) => (typeof v === 'number' ? String(v) : v), z.string('must be a decimal string such as "0.849"').regex(/^\d+(\.\d+)?$/, 'must be a positive decimal such as "0.849"'));

const editable = {
  is_default: z.boolean(),
  country_iso2: z.string().max(2, 'must be a two-letter country code'),
  currency_exchange_rate: rate,
  auto_update: z.boolean(),
  token_location: z.enum(['left', 'right']),
  token: z.string().min(1).max(10),
  decimal_token: z.string().min(1).max(1),
  thousands_token: z.string().max(1),
  decimal_places: z.number().int().min(0).max(4),
  name: z.string().min(1).max(100),
  enabled: z.boolean(),
  is_transactional: z.boolean(),
};

const createBody = z.object({
  ...editable,
  currency_code: z.string().regex(/^[A-Z]{3}$/, 'must be a three-letter ISO 4217 code such as EUR'),
  is_default: editable.is_default.optional(),
  country_iso2: editable.country_iso2.optional(),
  auto_update: editable.auto_update.optional(),
  enabled: editable.enabled.optional(),
  is_transactional: editable.is_transactional.optional(),
});

const updateBody = z
  .object({ ...editable, is_default: z.literal(true, 'can only be set to true: make another currency the default instead') })
  .partial()
  // The code is fixed once created (currencies.v2.yml lists it as read-only on update).
  .extend({ currency_code: z.never('cannot be changed; create a new currency instead').optional() });

const SEED: Partial<Currency>[] = [
  { is_default: true, country_iso2: 'US', default_for_country_codes: ['US'], currency_code: 'USD', currency_exchange_rate: '1.0000000000', auto_update: false, token_location: 'left', token: '$', decimal_token: '.', thousands_token: ',', decimal_places: 2, name: 'US Dollars', enabled: true, is_transactional: true, use_default_name: true },
  { is_default: false, country_iso2: 'EU', default_for_country_codes: ['DE', 'FR', 'NL'], currency_code: 'EUR', currency_exchange_rate: '0.9200000000', auto_update: true, token_location: 'left', token: '€', decimal_token: ',', thousands_token: '.', decimal_places: 2, name: 'Euro', enabled: true, is_transactional: true, use_default_name: true },
  { is_default: false, country_iso2: 'GB', default_for_country_codes: ['GB'], currency_code: 'GBP', currency_exchange_rate: '0.7900000000', auto_update: true, token_location: 'left', token: '£', decimal_token: '.', thousands_token: ',', decimal_places: 2, name: 'British Pounds', enabled: true, is_transactional: false, use_default_name: true },
  { is_default: false, country_iso2: 'CA', default_for_country_codes: ['CA'], currency_code: 'CAD', currency_exchange_rate: '1.3600000000', auto_update: false, token_location: 'left', token: 'C$', decimal_token: '.', thousands_token: ',', decimal_places: 2, name: 'Canadian Dollars', enabled: false, is_transactional: false, use_default_name: true },
];

const bad = (message: string, fields: Record<string, string>) => new DomainError('bad-request', message, fields);

export const currencyResource: ResourceDecl<Currency> = {
  name: 'currency',
  label: 'currency',
  id: 'sequence',
  seed: (ctx) => SEED.map((c, i) => ({ ...c, id: i + 1, last_updated: new Date(ctx.seededAt - 30 * 86_400_000).toISOString() }) as Currency),
  create: (input, ctx) => ({
    is_default: false,
    country_iso2: '',
    default_for_country_codes: [],
    auto_update: false,
    enabled: true,
    is_transactional: false,
    use_default_name: false,
    ...(input as Partial<Currency>),
    currency_code: String(input.currency_code),
    last_updated: ctx.nowIso(),
  }) as Omit<Currency, 'id'>,
  update: (item, patch, ctx) => ({ ...item, ...patch, id: item.id, currency_code: item.currency_code, last_updated: ctx.nowIso() }),
  check(next, ctx, previous) {
    const clash = ctx.collection<Currency>('currency').all().find((c) => c.currency_code === next.currency_code && c.id !== next.id);
    if (clash) throw new DomainError('conflict', `Failed to save the currency: ${next.currency_code} already exists (id ${clash.id}). Update that currency instead.`, { currency_code: 'already exists' });
    if (next.is_default && !next.enabled) throw bad('Failed to save the currency: the default currency must be enabled.', { enabled: 'must be true for the default currency' });
    if (previous?.is_default && !next.enabled) throw bad('Failed to disable the currency: it is the default currency. Make another currency the default first.', { enabled: 'the default currency cannot be disabled' });
  },
  afterChange(when, item, ctx) {
    // One default: the new default takes it from the old one.
    if (when === 'deleted' || !item.is_default) return;
    const currencies = ctx.collection<Currency>('currency');
    for (const other of currencies.all()) if (other.id !== item.id && other.is_default) currencies.replace({ ...other, is_default: false, last_updated: ctx.nowIso() });
  },
  onDelete(item, ctx) {
    if (item.is_default) throw bad(`Failed to delete currency ${item.currency_code}: it is the store's default currency. Make another currency the default first.`, { id: 'the default currency cannot be deleted' });
    // A channel keeps selling in the currencies it still has; one whose default this is must change first.
    const assignments = ctx.collection<CurrencyAssignment>('channel-currency-assignment');
    const defaultOf = assignments.all().find((a) => a.default_currency === item.currency_code);
    if (defaultOf) throw bad(`Failed to delete currency ${item.currency_code}: it is the default currency of channel ${defaultOf.id}. Change that channel's currency assignments first.`, { id: `default currency of channel ${defaultOf.id}` });
    for (const a of assignments.all()) {
      if (a.enabled_currencies.includes(item.currency_code)) assignments.replace({ ...a, enabled_currencies: a.enabled_currencies.filter((c) => c !== item.currency_code) });
    }
  },
  filters: intFilters<Currency>('id', (c) => c.id, ['eq', 'in']),
};

function deleteAll(_req: unknown, ctx: FamilyContext) {
  // "Deletes all non-default currencies" (currencies.v2.yml).
  const currencies = ctx.collection<Currency>('currency');
  for (const c of currencies.all()) if (!c.is_default) currencies.remove(c.id);
  return { status: 204 };
}

export const currenciesFamily: FamilyDecl = {
  name: 'currencies',
  envelope: 'v2',
  resources: [currencyResource],
  routes: [
    { method: 'GET', path: '/currencies', op: 'list', resource: 'currency', scope: 'store_v2_information', spec: { file: FILE }, summary: 'List currencies' },
    { method: 'POST', path: '/currencies', op: 'create', resource: 'currency', scope: 'store_v2_information', spec: { file: FILE }, body: createBody, summary: 'Create a currency' },
    { method: 'DELETE', path: '/currencies', op: 'custom', resource: 'currency', scope: 'store_v2_information', spec: { file: FILE }, handler: deleteAll, summary: 'Delete all non-default currencies' },
    { method: 'GET', path: '/currencies/{id}', op: 'get', resource: 'currency', scope: 'store_v2_information', spec: { file: FILE }, summary: 'Get a currency' },
    { method: 'PUT', path: '/currencies/{id}', op: 'update', resource: 'currency', scope: 'store_v2_information', spec: { file: FILE }, body: updateBody, summary: 'Update a currency' },
    { method: 'DELETE', path: '/currencies/{id}', op: 'delete', resource: 'currency', scope: 'store_v2_information', spec: { file: FILE }, summary: 'Delete a currency' },
  ],
};
