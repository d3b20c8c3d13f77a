/**
 * Quota use per 30-second window against the plan (bigcommerce-facts.md section b: the quota is
 * per store and shared by every app). The integration's share is its own requests per window;
 * the total adds the other apps the fault plan simulates, which is what runs a window dry.
 */
import { msOf, type QuotaSnapshot } from './inputs.ts';

export interface QuotaWindowUse {
  start: number;
  integration: number;
  others: number;
  refused: number;
}

export interface QuotaUse {
  plan: string;
  perWindow: number | null;
  windowMs: number;
  windows: QuotaWindowUse[];
  /** Peak share of a window the integration used alone (null on an unlimited plan). */
  peakShare: number | null;
  peakTotalShare: number | null;
  peakWindowStart: number | null;
  windowsOver80: number;
  windowsExhausted: number;
}

export function analyzeQuota(snapshot: QuotaSnapshot | undefined, clientId: string): QuotaUse | undefined {
  if (!snapshot) return undefined;
  const windows = snapshot.windows
    .map((w) => ({ start: msOf(w.start), integration: w.byClient[clientId] ?? 0, others: w.usedByOthers + Math.max(0, w.used - (w.byClient[clientId] ?? 0)), refused: w.refused }))
    .filter((w) => !Number.isNaN(w.start));
  const per = snapshot.perWindow;
  let peak: QuotaWindowUse | undefined;
  for (const w of windows) if (!peak || w.integration > peak.integration) peak = w;
  const totals = windows.map((w) => w.integration + w.others);
  return {
    plan: snapshot.plan,
    perWindow: per,
    windowMs: snapshot.windowMs,
    windows,
    peakShare: per && peak ? peak.integration / per : per ? 0 : null,
    peakTotalShare: per && totals.length > 0 ? Math.max(...totals) / per : per ? 0 : null,
    peakWindowStart: peak ? peak.start : null,
    windowsOver80: per ? windows.filter((w) => w.integration / per > 0.8).length : 0,
    windowsExhausted: windows.filter((w) => w.refused > 0).length,
  };
}
