/* eslint-disable */
/**
 * GENERATED FILE - DO NOT EDIT.
 * Source: contracts/bigcommerce/v2-error.schema.json
 * Regenerate with `npm run contracts:types` (scripts/generate-contract-types.ts).
 */

/**
 * The body of a V2 (orders, shipments) error: an array, not an object, e.g. [{"status":404,"message":"The requested resource was not found."}] (facts section d). Mirrors orders.v2.oas2.yml components.responses.404_Resp, the only error body that spec defines.
 *
 * @minItems 1
 */
export type V2Error = V2ErrorItem[];

export interface V2ErrorItem {
  /**
   * The HTTP status, repeated in the body.
   */
  status: number;
  message: string;
  /**
   * Optional extra detail on an error (e.g. {invalid_reason}). In neither the spec nor the facts; optional and open so simulated bodies may carry it.
   */
  details?: {
    [k: string]: unknown;
  };
  [k: string]: unknown;
}
