/* eslint-disable */
/**
 * GENERATED FILE - DO NOT EDIT.
 * Source: contracts/bigcommerce/product.schema.json
 * Regenerate with `npm run contracts:types` (scripts/generate-contract-types.ts).
 */

import type { Variant } from './variant.ts';

/**
 * A V3 catalog product: the `data` of GET /v3/catalog/products/{product_id} and the items of GET /v3/catalog/products. Mirrors products_catalog.v3.yml components.schemas.product_Full (allOf id + product_Base_response + dates/prices/options/modifiers) plus the `channels` the GET responses add. Sub-resource arrays (variants, images, custom_fields, bulk_pricing_rules, options, channels) appear only with the matching include=. `required` lists the fields in every product response example of the spec (the default field set, without include_fields/exclude_fields). Dates are ISO-8601 (facts section e).
 */
export interface Product {
  id: number;
  name: string;
  type: 'physical' | 'digital';
  sku: string;
  description: string;
  weight: number;
  width: number;
  depth: number;
  height: number;
  price: number;
  cost_price: number;
  retail_price: number;
  sale_price: number;
  map_price: number;
  /**
   * sale_price when set, else price (before customer-group or channel pricing).
   */
  calculated_price: number;
  /**
   * The spec types it `number`; it is an id.
   */
  tax_class_id: number;
  product_tax_code: string;
  /**
   * Category ids (the spec's items are `number`).
   */
  categories: number[];
  brand_id: number;
  /**
   * Legacy V2 option set.
   */
  option_set_id: number;
  option_set_display: string;
  inventory_level: number;
  inventory_warning_level: number;
  /**
   * none: not tracked; product: inventory_level on the product; variant: each variant's own inventory_level.
   */
  inventory_tracking: 'none' | 'product' | 'variant';
  reviews_rating_sum: number;
  reviews_count: number;
  total_sold: number;
  fixed_cost_shipping_price: number;
  is_free_shipping: boolean;
  is_visible: boolean;
  is_featured: boolean;
  related_products: number[];
  warranty: string;
  bin_picking_number: string;
  layout_file: string;
  /**
   * maxLength 14 since 2024-08 (was 32; facts section g).
   */
  upc: string;
  mpn: string;
  gtin: string;
  date_last_imported?: string;
  search_keywords: string;
  availability: 'available' | 'disabled' | 'preorder';
  availability_description: string;
  gift_wrapping_options_type: 'any' | 'none' | 'list';
  gift_wrapping_options_list: number[];
  sort_order: number;
  condition: 'New' | 'Used' | 'Refurbished';
  is_condition_shown: boolean;
  order_quantity_minimum: number;
  order_quantity_maximum: number;
  page_title: string;
  meta_keywords: string[];
  meta_description: string;
  date_created: string;
  date_modified: string;
  /**
   * @deprecated
   * Deprecated in the spec but still in its examples.
   */
  view_count: number;
  preorder_release_date: string | null;
  preorder_message: string;
  is_preorder_only: boolean;
  is_price_hidden: boolean;
  price_hidden_label: string;
  custom_url: ProductCustomUrl;
  /**
   * The base variant of a simple product. The spec types it `integer` but its own description says it is null for complex products (products with option variants), so null is allowed.
   */
  base_variant_id: number | null;
  open_graph_type:
    'product' | 'album' | 'book' | 'drink' | 'food' | 'game' | 'movie' | 'song' | 'tv_show';
  open_graph_title: string;
  open_graph_description: string;
  open_graph_use_meta_description: boolean;
  open_graph_use_product_name: boolean;
  open_graph_use_image: boolean;
  /**
   * Only with include=channels: the channel ids the product is assigned to.
   */
  channels?: number[];
  /**
   * Only with include=variants. The spec lists `variants` in the include enum but not in the product response schema; the items are the Variant contract.
   */
  variants?: Variant[];
  /**
   * Only with include=images.
   */
  images?: ProductImage[];
  /**
   * Only with include=custom_fields.
   */
  custom_fields?: ProductCustomField[];
  /**
   * Only with include=bulk_pricing_rules.
   */
  bulk_pricing_rules?: ProductBulkPricingRule[];
  /**
   * Only with include=options: the variant options whose values make up the variants.
   */
  options?: ProductOption[];
  [k: string]: unknown;
}
/**
 * This interface was referenced by `Product`'s JSON-Schema
 * via the `definition` "customUrl".
 */
export interface ProductCustomUrl {
  url: string;
  is_customized: boolean;
  create_redirect?: boolean;
  [k: string]: unknown;
}
/**
 * Spec productImage_Full.
 *
 * This interface was referenced by `Product`'s JSON-Schema
 * via the `definition` "image".
 */
export interface ProductImage {
  id: number;
  product_id: number;
  is_thumbnail: boolean;
  sort_order: number;
  description?: string;
  image_url?: string;
  url_zoom?: string;
  url_standard?: string;
  url_thumbnail?: string;
  url_tiny?: string;
  date_modified?: string;
  [k: string]: unknown;
}
/**
 * Spec productCustomField_Base.
 *
 * This interface was referenced by `Product`'s JSON-Schema
 * via the `definition` "customField".
 */
export interface ProductCustomField {
  id: number;
  name: string;
  value: string;
  [k: string]: unknown;
}
/**
 * Spec bulkPricingRule_Full (with its read-only id).
 *
 * This interface was referenced by `Product`'s JSON-Schema
 * via the `definition` "bulkPricingRule".
 */
export interface ProductBulkPricingRule {
  id: number;
  quantity_min: number;
  quantity_max: number;
  type: 'price' | 'percent' | 'fixed';
  /**
   * The spec allows number or string.
   */
  amount: number | string;
  [k: string]: unknown;
}
/**
 * Spec productOption_Base (config omitted; it stays allowed through additionalProperties).
 *
 * This interface was referenced by `Product`'s JSON-Schema
 * via the `definition` "option".
 */
export interface ProductOption {
  id: number;
  product_id: number;
  display_name: string;
  type:
    | 'radio_buttons'
    | 'rectangles'
    | 'dropdown'
    | 'product_list'
    | 'product_list_with_images'
    | 'swatch';
  sort_order: number;
  option_values: ProductOptionValue[];
  [k: string]: unknown;
}
/**
 * Spec productOptionOptionValue_Full.
 *
 * This interface was referenced by `Product`'s JSON-Schema
 * via the `definition` "optionValue".
 */
export interface ProductOptionValue {
  id: number;
  label: string;
  sort_order: number;
  is_default: boolean;
  /**
   * Option-type specific, e.g. {colors: [...]} for a swatch; null when none.
   */
  value_data?: {
    [k: string]: unknown;
  } | null;
  [k: string]: unknown;
}
