/**
 * The webhook retry ladder (bigcommerce-facts.md section c, "Retries"): after a failed delivery
 * the platform retries 11 times, waiting 60, 180, 300, 600, 900, 1800, 3600, 7200, 21600, 50400
 * and 86400 seconds, about 48 hours in all; after the last retry fails the hook is deactivated.
 */
export const RETRY_LADDER_SECONDS: readonly number[] = [60, 180, 300, 600, 900, 1800, 3600, 7200, 21600, 50400, 86400];

/** The wait before retry number `retry` (1-based), in ms, or undefined when retries are exhausted. */
export function retryDelayMs(ladder: readonly number[], retry: number): number | undefined {
  const seconds = ladder[retry - 1];
  return seconds === undefined ? undefined : seconds * 1000;
}

/** Sum of the ladder: how long a permanently failing receiver keeps a hook alive. */
export function ladderTotalMs(ladder: readonly number[]): number {
  return ladder.reduce((sum, s) => sum + s * 1000, 0);
}
