/**
 * A seeded store: catalog (products, options, variants, SKUs, prices, inventory), customer groups
 * for B2B pricing, and customers. The same seed gives the same store, byte for byte, because every
 * value comes from one Faker instance seeded once and consumed in a fixed order, and dates are
 * computed from the injected `now`.
 */
import { Faker, base, en } from '@faker-js/faker';
import { iso } from './format.ts';
import { seededVariant } from './seeded-variant.ts';
import type { CustomerAddress, CustomerGroup, OptionValue, ProductOptionDef, V3Customer, V3Product, V3Variant } from './model.ts';
import { type CatalogProfile, generateWorstCase, type WorstCaseExtras, worstCaseSeed } from './worst-case-catalog.ts';

export interface SeedOptions {
  seed: number;
  /** Simulated now, epoch ms; seeded records are dated before it. */
  now: number;
  products?: number;
  customers?: number;
  /** `typical` (the default) or `worst-case`: the typical records plus worst-case-catalog.ts's. */
  catalog?: CatalogProfile;
}

export interface SeededCatalog {
  products: V3Product[];
  variants: V3Variant[];
  options: ProductOptionDef[];
  customerGroups: CustomerGroup[];
  customers: V3Customer[];
  /** Brand ids products may name (0, no brand, is always valid too). */
  brandIds: number[];
  /** Only for the worst-case profile: what the families add (the deep category chain, the big product). */
  worstCase?: WorstCaseExtras;
}

export const DEFAULT_PRODUCTS = 200;
export const DEFAULT_CUSTOMERS = 100;
/** Seeded products belong to brands 1..12, or to none (0). */
export const SEEDED_BRAND_COUNT = 12;

export function createSeededFaker(seed: number): Faker {
  const faker = new Faker({ locale: [en, base] });
  faker.seed(seed);
  return faker;
}

const DAY_MS = 86_400_000;

export const CUSTOMER_GROUPS: CustomerGroup[] = [
  { id: 1, name: 'Retail', discountPercent: 0, is_default: true },
  { id: 2, name: 'Wholesale', discountPercent: 15, is_default: false },
  { id: 3, name: 'Distributor', discountPercent: 25, is_default: false },
];

export function generateCatalog(options: SeedOptions): SeededCatalog {
  const f = createSeededFaker(options.seed);
  const productCount = options.products ?? DEFAULT_PRODUCTS;
  const customerCount = options.customers ?? DEFAULT_CUSTOMERS;
  const products: V3Product[] = [];
  const variants: V3Variant[] = [];
  const optionDefs: ProductOptionDef[] = [];
  let variantId = 1;
  let optionId = 1;
  let optionValueId = 1;

  for (let id = 1; id <= productCount; id++) {
    const created = options.now - f.number.int({ min: 30, max: 720 }) * DAY_MS;
    const digital = f.number.float() < 0.08;
    // A few free items (samples, gifts) so zero-price lines exist in the catalog.
    const free = f.number.float() < 0.03;
    const price = free ? 0 : Number(f.commerce.price({ min: 2, max: 900 }));
    const name = `${f.commerce.productName()} ${id}`;
    const sku = `SKU-${String(id).padStart(5, '0')}`;
    const hasOptions = !digital && f.number.float() < 0.45;
    const product: V3Product = {
      id,
      name,
      type: digital ? 'digital' : 'physical',
      sku,
      description: `<p>${f.commerce.productDescription()}</p>`,
      weight: digital ? 0 : f.number.float({ min: 0.1, max: 40, fractionDigits: 2 }),
      width: digital ? 0 : f.number.int({ min: 1, max: 80 }),
      depth: digital ? 0 : f.number.int({ min: 1, max: 80 }),
      height: digital ? 0 : f.number.int({ min: 1, max: 80 }),
      price,
      cost_price: Math.round(price * 0.55 * 100) / 100,
      retail_price: 0,
      sale_price: 0,
      map_price: 0,
      tax_class_id: 0,
      product_tax_code: '',
      calculated_price: price,
      categories: [f.number.int({ min: 18, max: 40 })],
      brand_id: f.number.int({ min: 0, max: SEEDED_BRAND_COUNT }),
      inventory_level: 0,
      inventory_warning_level: 5,
      inventory_tracking: digital ? 'none' : hasOptions ? 'variant' : 'product',
      is_free_shipping: false,
      fixed_cost_shipping_price: 0,
      is_visible: true,
      is_featured: f.number.float() < 0.1,
      upc: f.string.numeric(12),
      mpn: f.string.alphanumeric({ length: 8, casing: 'upper' }),
      gtin: '',
      availability: 'available',
      condition: 'New',
      base_variant_id: 0,
      date_created: iso(created),
      date_modified: iso(created + f.number.int({ min: 0, max: 20 }) * DAY_MS),
      option_set_id: 0,
      custom_url: { url: `/${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}/`, is_customized: false },
    };
    const stock = () => (digital ? 0 : f.number.int({ min: 500, max: 5000 }));
    const makeVariant = (values: OptionValue[], suffix: string): V3Variant => {
      const vid = variantId++;
      return seededVariant({ id: vid, product, sku: suffix ? `${sku}-${suffix}` : sku, skuId: suffix ? variantId + 100_000 : null, inventoryLevel: 0, values });
    };

    if (hasOptions) {
      const size: ProductOptionDef = {
        id: optionId++,
        product_id: id,
        display_name: 'Size',
        type: 'rectangles',
        option_values: ['S', 'M', 'L'].map((label, i) => ({ id: optionValueId++, label, sort_order: i, is_default: i === 0 })),
      };
      const colour: ProductOptionDef = {
        id: optionId++,
        product_id: id,
        display_name: 'Colour',
        type: 'swatch',
        option_values: [f.color.human(), f.color.human()].map((label, i) => ({ id: optionValueId++, label: `${label} ${i + 1}`, sort_order: i, is_default: i === 0 })),
      };
      optionDefs.push(size, colour);
      let total = 0;
      for (const s of size.option_values) {
        for (const c of colour.option_values) {
          const v = makeVariant(
            [
              { id: s.id, label: s.label, option_id: size.id, option_display_name: size.display_name },
              { id: c.id, label: c.label, option_id: colour.id, option_display_name: colour.display_name },
            ],
            `${s.label}-${c.sort_order + 1}`,
          );
          v.inventory_level = stock();
          total += v.inventory_level;
          variants.push(v);
        }
      }
      product.inventory_level = total;
      product.base_variant_id = variants.find((v) => v.product_id === id)!.id;
    } else {
      const v = makeVariant([], '');
      v.inventory_level = stock();
      product.inventory_level = v.inventory_level;
      product.base_variant_id = v.id;
      variants.push(v);
    }
    products.push(product);
  }

  const customers: V3Customer[] = [];
  for (let id = 1; id <= customerCount; id++) {
    const b2b = f.number.float() < 0.2;
    const first = f.person.firstName();
    const last = f.person.lastName();
    const created = options.now - f.number.int({ min: 1, max: 900 }) * DAY_MS;
    const company = b2b ? f.company.name() : '';
    const address: CustomerAddress = {
      id,
      customer_id: id,
      first_name: first,
      last_name: last,
      company,
      address1: f.location.streetAddress(),
      address2: f.number.float() < 0.3 ? f.location.secondaryAddress() : '',
      city: f.location.city(),
      state_or_province: f.location.state(),
      postal_code: f.location.zipCode('#####'),
      country: 'United States',
      country_code: 'US',
      phone: f.phone.number({ style: 'national' }),
      address_type: b2b ? 'commercial' : 'residential',
    };
    customers.push({
      id,
      email: f.internet.email({ firstName: first, lastName: last, provider: `example${id % 7}.com` }).toLowerCase(),
      first_name: first,
      last_name: last,
      company,
      phone: address.phone,
      notes: '',
      tax_exempt_category: '',
      customer_group_id: b2b ? f.helpers.arrayElement([2, 3]) : 0,
      date_created: iso(created),
      date_modified: iso(created),
      accepts_product_review_abandoned_cart_emails: f.datatype.boolean(),
      registration_ip_address: f.internet.ipv4(),
      origin_channel_id: 1,
      channel_ids: [1],
      address_count: 1,
      attribute_count: 0,
      addresses: [address],
      store_credit_amounts: [{ amount: f.number.float() < 0.1 ? 25 : 0 }],
      authentication: { force_password_reset: false },
    });
  }

  const catalog: SeededCatalog = { products, variants, options: optionDefs, customerGroups: CUSTOMER_GROUPS.map((g) => ({ ...g })), customers, brandIds: Array.from({ length: SEEDED_BRAND_COUNT }, (_, i) => i + 1) };
  if ((options.catalog ?? 'typical') === 'typical') return catalog;
  // The worst case comes after every typical record, from its own stream: the typical part stays
  // the same, byte for byte, whatever the profile.
  const worst = generateWorstCase({
    faker: createSeededFaker(worstCaseSeed(options.seed)),
    now: options.now,
    next: { product: productCount + 1, variant: variantId, option: optionId, optionValue: optionValueId, customer: customerCount + 1, address: customerCount + 1 },
    leafCategory: 40,
    brandId: 1,
  });
  return {
    ...catalog,
    products: [...products, ...worst.products],
    variants: [...variants, ...worst.variants],
    options: [...optionDefs, ...worst.options],
    customers: [...customers, ...worst.customers],
    worstCase: worst.extras,
  };
}
