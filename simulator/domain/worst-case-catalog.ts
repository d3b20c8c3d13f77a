/**
 * The worst-case catalog profile (`bc-harness sim --catalog worst-case`): the typical seed, byte for
 * byte, plus the records that break integrations written against friendly data. Added after the
 * typical records, from a stream of its own (derived from the same seed), so the typical part does
 * not move and the same seed gives the same worst case:
 * - a category chain as deep as the platform allows (`MAX_CATEGORY_DEPTH` levels, the categories
 *   family enforces it), its names in several scripts at the name's maximum length;
 * - a product with the platform's maximum number of variants (`MAX_VARIANTS_PER_PRODUCT`), from
 *   three options of 10, 10 and 6 values;
 * - one product per script (German umlauts, Japanese, Arabic right to left, emoji with joiners)
 *   whose name, SKU, UPC, GTIN and custom URL are at the maximum lengths products_catalog.v3.yml
 *   gives, in that document's unit: characters (code points), not UTF-16 units or bytes;
 * - one customer per script with the maximum number of addresses (`MAX_CUSTOMER_ADDRESSES`), names,
 *   company and address fields at the maximum lengths customers.v3.yml gives.
 * The families add their part from `WorstCaseExtras`: the categories family the chain, the price
 * list family records for every variant of the 600-variant product.
 */
import type { Faker } from '@faker-js/faker';
import { deriveSeed } from '../../lib/random.ts';
import { iso } from './format.ts';
import { seededVariant } from './seeded-variant.ts';
import { fitToLength } from './text.ts';
import type { CustomerAddress, ProductOptionDef, V3Customer, V3Product, V3Variant } from './model.ts';

/** "600 SKUs per product limit" (product-variants_catalog.v3.yml, Create a product variant). */
export const MAX_VARIANTS_PER_PRODUCT = 600;
/** "Array of customer addresses. Limited to 10." (customers.v3.yml, customer create and update). */
export const MAX_CUSTOMER_ADDRESSES = 10;
/** "8 levels of child categories depth limit" (categories_catalog.v3.yml); families/categories.ts enforces the same. */
export const WORST_CASE_CATEGORY_DEPTH = 8;
/** The chain's first id: after the 40 categories of the seeded taxonomy (families/categories.ts). */
export const WORST_CASE_FIRST_CATEGORY_ID = 41;

/** Maximum lengths, in characters, from the official documents. */
export const MAX_LENGTH = {
  // products_catalog.v3.yml, product_Base_PUT / product_Base_POST
  productName: 250,
  productSku: 255,
  upc: 14,
  gtin: 14,
  customUrl: 255,
  // product-variants_catalog.v3.yml, productVariant_Base
  variantSku: 255,
  // categories_catalog.v3.yml: a category name is at most 50 characters
  categoryName: 50,
  // customers.v3.yml, customer_Post / customer_Put
  customerFirstName: 100,
  customerLastName: 100,
  customerCompany: 255,
  customerPhone: 50,
  // customers.v3.yml, address_Post
  addressName: 255,
  addressCompany: 255,
  address1: 255,
  address2: 255,
  city: 100,
  stateOrProvince: 100,
  postalCode: 30,
  phone: 50,
} as const;

export const CATALOG_PROFILES = ['typical', 'worst-case'] as const;
export type CatalogProfile = (typeof CATALOG_PROFILES)[number];

/** What the families add for a worst-case store (read through the store by their seeds). */
export interface WorstCaseExtras {
  /** The deep chain, root first: each one's parent is the one before it (the root's is 0). */
  categories: { id: number; parent_id: number; name: string; description: string }[];
  /** The product with `MAX_VARIANTS_PER_PRODUCT` variants. */
  bigProductId: number;
  productIds: number[];
  customerIds: number[];
}

/** A text in one script, at the length a field allows. */
interface Script {
  key: string;
  /** Repeated and cut to length, by code point (an emoji is one character, as the platform counts). */
  text: string;
  country: { code: string; name: string; city: string; state: string };
}

const SCRIPTS: readonly Script[] = [
  { key: 'de', text: 'Größenverstellbare Überzieh-Fäustlinge für äußerst kalte Tage, Übergröße, weiß ', country: { code: 'DE', name: 'Germany', city: 'Düsseldorf-Oberkassel ', state: 'Nordrhein-Westfalen ' } },
  { key: 'ja', text: '超軽量ダウンジャケット・撥水加工（日本製）メンズ・レディース兼用　', country: { code: 'JP', name: 'Japan', city: '東京都千代田区丸の内', state: '東京都' } },
  { key: 'ar', text: 'حقيبة ظهر جلدية مقاومة للماء بتصميم عصري ', country: { code: 'AE', name: 'United Arab Emirates', city: 'دبي ', state: 'إمارة دبي ' } },
  { key: 'emoji', text: '🎁 Geschenkbox 🎄✨ 👩‍👩‍👧 für die Familie 🇩🇪 ', country: { code: 'GB', name: 'United Kingdom', city: 'London 🏙️ ', state: 'England 🏴 ' } },
];

const DAY_MS = 86_400_000;

export interface WorstCaseInput {
  /** The faker for the worst case: its own stream, derived from the store's seed. */
  faker: Faker;
  now: number;
  /** The ids to continue from (the typical catalog's next ids). */
  next: { product: number; variant: number; option: number; optionValue: number; customer: number; address: number };
  /** The typical leaves a product may name as well (seed.ts: 18..40). */
  leafCategory: number;
  brandId: number;
}

export interface WorstCaseCatalog {
  products: V3Product[];
  variants: V3Variant[];
  options: ProductOptionDef[];
  customers: V3Customer[];
  extras: WorstCaseExtras;
}

export const worstCaseSeed = (seed: number): number => deriveSeed(seed, 'worst-case');

export function generateWorstCase(input: WorstCaseInput): WorstCaseCatalog {
  const f = input.faker;
  const ids = { ...input.next };
  const created = input.now - 400 * DAY_MS;

  const categories = Array.from({ length: WORST_CASE_CATEGORY_DEPTH }, (_, level) => {
    const script = SCRIPTS[level % SCRIPTS.length]!;
    const id = WORST_CASE_FIRST_CATEGORY_ID + level;
    // The level number first, so the names differ even where the script repeats.
    return { id, parent_id: level === 0 ? 0 : id - 1, name: fitToLength(`${level + 1} ${script.text}`, MAX_LENGTH.categoryName), description: `<p>${fitToLength(script.text, 1000)}</p>` };
  });
  const deepest = categories.at(-1)!.id;

  const products: V3Product[] = [];
  const variants: V3Variant[] = [];
  const options: ProductOptionDef[] = [];

  const product = (name: string, sku: string, description: string): V3Product => {
    const id = ids.product++;
    const price = Number(f.commerce.price({ min: 5, max: 900 }));
    return {
      id,
      name,
      type: 'physical',
      sku,
      description,
      weight: f.number.float({ min: 0.1, max: 40, fractionDigits: 2 }),
      width: f.number.int({ min: 1, max: 80 }),
      depth: f.number.int({ min: 1, max: 80 }),
      height: f.number.int({ min: 1, max: 80 }),
      price,
      cost_price: Math.round(price * 0.55 * 100) / 100,
      retail_price: 0,
      sale_price: 0,
      map_price: 0,
      tax_class_id: 0,
      product_tax_code: '',
      calculated_price: price,
      categories: [deepest, input.leafCategory],
      brand_id: input.brandId,
      inventory_level: 0,
      inventory_warning_level: 5,
      inventory_tracking: 'product',
      is_free_shipping: false,
      fixed_cost_shipping_price: 0,
      is_visible: true,
      is_featured: false,
      upc: f.string.numeric(MAX_LENGTH.upc),
      mpn: f.string.alphanumeric({ length: 8, casing: 'upper' }),
      gtin: f.string.numeric(MAX_LENGTH.gtin),
      availability: 'available',
      condition: 'New',
      base_variant_id: 0,
      date_created: iso(created),
      date_modified: iso(created),
      option_set_id: 0,
      // A URL path keeps to ASCII here; the script is in the name.
      custom_url: { url: `/${fitToLength(`worst-case-${id}-`, MAX_LENGTH.customUrl - 2)}/`, is_customized: false },
    };
  };
  const variant = (p: V3Product, sku: string, values: V3Variant['option_values']): V3Variant => {
    const id = ids.variant++;
    return seededVariant({ id, product: p, sku, skuId: values.length > 0 ? id + 100_000 : null, inventoryLevel: f.number.int({ min: 0, max: 50 }), values });
  };

  // The 600-variant product: 10 sizes x 10 colours x 6 materials, labels in several scripts.
  const big = product(fitToLength('Maximal-Variante 600 SKUs – Größe × Farbe × Material – 全サイズ・全色 – جميع المقاسات ', MAX_LENGTH.productName), 'WC-600', `<p>${fitToLength(SCRIPTS.map((s) => s.text).join(''), 4000)}</p>`);
  big.inventory_tracking = 'variant';
  const optionOf = (display_name: string, type: ProductOptionDef['type'], labels: string[]): ProductOptionDef => ({
    id: ids.option++,
    product_id: big.id,
    display_name,
    type,
    option_values: labels.map((label, i) => ({ id: ids.optionValue++, label, sort_order: i, is_default: i === 0 })),
  });
  const sizes = optionOf('Größe', 'rectangles', ['XXS', 'XS', 'S', 'M', 'L', 'XL', 'XXL', '3XL', '4XL', '5XL']);
  const colours = optionOf('色 / Farbe', 'swatch', ['黒', '白', '赤', '青', '緑', 'Weiß', 'Grün', 'Türkis', 'أحمر', '🌈 Regenbogen']);
  const materials = optionOf('المادة', 'dropdown', ['قطن', 'صوف', 'Baumwolle', 'Schurwolle', '絹', 'Leinen ✨']);
  options.push(sizes, colours, materials);
  const value = (o: ProductOptionDef, v: ProductOptionDef['option_values'][number]) => ({ id: v.id, label: v.label, option_id: o.id, option_display_name: o.display_name });
  for (const [si, s] of sizes.option_values.entries()) {
    for (const [ci, c] of colours.option_values.entries()) {
      for (const [mi, m] of materials.option_values.entries()) {
        variants.push(variant(big, `WC-600-${si + 1}-${ci + 1}-${mi + 1}`, [value(sizes, s), value(colours, c), value(materials, m)]));
      }
    }
  }
  const bigVariants = variants.filter((v) => v.product_id === big.id);
  big.inventory_level = bigVariants.reduce((sum, v) => sum + v.inventory_level, 0);
  big.base_variant_id = bigVariants[0]!.id;
  products.push(big);

  // One product per script, every limited field at its maximum.
  for (const script of SCRIPTS) {
    const p = product(
      fitToLength(`${script.key.toUpperCase()} ${script.text}`, MAX_LENGTH.productName),
      fitToLength(`WC-${script.key}-${script.text}`, MAX_LENGTH.productSku),
      `<p>${fitToLength(script.text, 4000)}</p>`,
    );
    // A product without options has one base variant carrying the product's SKU.
    const base = variant(p, p.sku, []);
    base.inventory_level = f.number.int({ min: 10, max: 500 });
    p.inventory_level = base.inventory_level;
    p.base_variant_id = base.id;
    variants.push(base);
    products.push(p);
  }

  // One customer per script, with the maximum number of addresses.
  const customers: V3Customer[] = SCRIPTS.map((script, i) => {
    const id = ids.customer++;
    const first = fitToLength(script.text, MAX_LENGTH.customerFirstName);
    const last = fitToLength(`${i + 1} ${script.text}`, MAX_LENGTH.customerLastName);
    const company = fitToLength(`${script.text}GmbH `, MAX_LENGTH.customerCompany);
    const addresses: CustomerAddress[] = Array.from({ length: MAX_CUSTOMER_ADDRESSES }, (_, n) => ({
      id: ids.address++,
      customer_id: id,
      first_name: fitToLength(`${script.text}`, MAX_LENGTH.addressName),
      last_name: fitToLength(`${n + 1} ${script.text}`, MAX_LENGTH.addressName),
      company: fitToLength(script.text, MAX_LENGTH.addressCompany),
      address1: fitToLength(`${n + 1} ${script.text}`, MAX_LENGTH.address1),
      address2: fitToLength(script.text, MAX_LENGTH.address2),
      city: fitToLength(script.country.city, MAX_LENGTH.city),
      state_or_province: fitToLength(script.country.state, MAX_LENGTH.stateOrProvince),
      postal_code: fitToLength(f.string.numeric(5), MAX_LENGTH.postalCode),
      country: script.country.name,
      country_code: script.country.code,
      phone: fitToLength('+49 211 5550 ', MAX_LENGTH.phone),
      address_type: n % 2 === 0 ? 'commercial' : 'residential',
    }));
    // customers.v3.yml: email at most 255; the local part keeps to RFC 5321's 64 and each
    // domain label to 63, so the address stays valid at the maximum length.
    const local = fitToLength(`worst.case.${script.key}.`, 64);
    const labels = fitToLength(`${script.key}example`, 63);
    const domain = `${labels}.${labels}.${fitToLength('mail', 255 - local.length - 1 - 2 * 64 - 4)}.com`;
    return {
      id,
      email: `${local}@${domain}`.toLowerCase(),
      first_name: first,
      last_name: last,
      company,
      phone: fitToLength('+49 211 5550 ', MAX_LENGTH.customerPhone),
      notes: '',
      tax_exempt_category: '',
      // Wholesale and Distributor in turn, so group pricing meets the long names too.
      customer_group_id: 2 + (i % 2),
      date_created: iso(created),
      date_modified: iso(created),
      accepts_product_review_abandoned_cart_emails: i % 2 === 0,
      registration_ip_address: f.internet.ipv4(),
      origin_channel_id: 1,
      channel_ids: [1],
      address_count: addresses.length,
      attribute_count: 0,
      addresses,
      store_credit_amounts: [{ amount: 0 }],
      authentication: { force_password_reset: false },
    };
  });

  return {
    products,
    variants,
    options,
    customers,
    extras: { categories, bigProductId: big.id, productIds: products.map((p) => p.id), customerIds: customers.map((c) => c.id) },
  };
}
