/* eslint-disable */
/**
 * GENERATED FILE - DO NOT EDIT.
 * Source: contracts/bigcommerce/v3-error.schema.json
 * Regenerate with `npm run contracts:types` (scripts/generate-contract-types.ts).
 */

/**
 * The body of a V3 (catalog, customers, hooks) error, e.g. {"status":422,"title":"JSON data is missing or invalid","type":"/api-docs/getting-started/api-status-codes","errors":{"destination":"error.path.missing."}} (facts sections c and e). Mirrors customers.v3.yml components.schemas.ErrorResponse (status, title, type, instance, errors) and products_catalog.v3.yml components.schemas.errorResponse_422 (adds code). `errors` is not required: the specs' 404 bodies (webhooks error_Full, catalog Not Found) have none.
 */
export interface V3Error {
  /**
   * The HTTP status, repeated in the body.
   */
  status: number;
  title: string;
  /**
   * Usually "/api-docs/getting-started/api-status-codes".
   */
  type: string;
  /**
   * Field or item -> message, e.g. {"destination":"error.path.missing."}; {} when there is nothing to add.
   */
  errors?: {
    [k: string]: unknown;
  };
  instance?: string;
  code?: number;
  [k: string]: unknown;
}
