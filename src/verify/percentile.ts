/**
 * Nearest-rank percentile (the value below which p% of the samples fall, taken from the samples
 * themselves), as k6 and most latency dashboards report it; no interpolation, so a p95 is always
 * a latency some record really had.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}
