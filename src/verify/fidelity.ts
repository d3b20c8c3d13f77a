/**
 * Whether the harness ran the scenario faithfully, judged before the integration is. A run the
 * harness could not run as planned (load not applied, time compressed so far that the
 * integration's own milliseconds or the harness's own lag become a large share of a quota
 * window, ground truth partly unreadable) can neither clear nor blame the integration on anything
 * the compression could have changed: its verdict is `inconclusive` (DESIGN.md section 8, "Which
 * verdict wins"), with what to change.
 */

export type FidelityProblemKind = 'load-threshold' | 'dropped-arrivals' | 'load-short' | 'receiver-latency' | 'harness-lag' | 'rate-limit-precision' | 'drain-cut-short' | 'lost-under-compression' | 'unreadable-input' | 'interception-failed' | 'harness-delivery-failed';

export interface FidelityProblem {
  kind: FidelityProblemKind;
  /** What happened, with the numbers. */
  text: string;
  /** What to change so the next run is faithful. */
  fix: string;
}

export interface FidelityInput {
  timeScale: number;
  windowMs: number;
  /** The integration's receiver answer time, p95, real ms (null: nothing was delivered). */
  receiverAnswerP95RealMs: number | null;
  /** How much the 429 judgement had to allow for timer precision at this scale (simulated ms). */
  rateLimitGraceMs: number;
  rateLimitToleranceMs: number;
  /** 429s the integration received: the precision only matters when there was one to judge. */
  rateLimited: number;
  /** The harness process's own event-loop delay during the load, real ms (absent: not measured). */
  harnessLagP99RealMs?: number;
  load?: {
    exitCode?: number;
    droppedIterations: number;
    /** Orders the scenario plans at this volume (expectedOrders times the volume scale). */
    expectedOrders?: number;
    /** Orders the ledger shows placed. */
    ordersPlaced: number;
  };
  malformedLines: number;
  /**
   * The tightest simulated timing the run's criteria judge, which compression must not distort:
   * the quota window when a criterion judges quota use or 429 handling, each latency limit. Null
   * when no criterion judges timing (a run judged only on what arrived): then the integration's and
   * the harness's answer times cannot change the verdict and are not held against the run.
   * Undefined: the quota window (the strictest reading, for callers that do not say).
   */
  timing?: { budgetBasisMs: number; basis: string } | null;
  /** Whether a criterion judges 429 handling (only then does timer precision around a 429 matter). */
  judges429s?: boolean;
  /** The drain stopped on a real-time cap that shortened its simulated wait, with records outstanding. */
  drainCutShort?: { waitedSimMs: number; configuredSimMs: number; outstanding: number };
  /**
   * TLS handshakes with the simulator's HTTPS front that failed while the harness routed an
   * unchanged integration to it: the integration did not trust the run's CA (it pins a
   * certificate or ships its own bundle) or asked for a platform name the harness does not serve.
   * Its requests never reached the simulator, so whatever it failed to sync says nothing about it.
   */
  interceptFailures?: { handshakes: number; names: string[] };
  /** Webhook deliveries the harness failed to make (its delivery worker died): none reached the receiver. */
  harnessDeliveryFailures?: number;
}

/** A tenth of the quota window: the share of it that the harness may take without changing what is judged. */
export const FAITHFUL_SHARE_OF_WINDOW = 0.1;
/** A receiver answer time (real ms, p95) no busy machine explains: the receiver works before it answers. */
export const SLOW_RECEIVER_REAL_MS = 1_000;
/** A run more than this short of its planned orders did not apply the scenario (DESIGN.md section 3). */
export const MAX_LOAD_SHORTFALL = 0.02;

/** The scenarios' own allowance for dropped arrivals (scenarios/lib baseThresholds: 1%, at least 1). */
export function droppedArrivalsAllowed(expectedOrders: number | undefined): number {
  return expectedOrders === undefined ? 0 : Math.max(1, Math.ceil(expectedOrders * 0.01));
}

const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function judgeFidelity(input: FidelityInput): FidelityProblem[] {
  const problems: FidelityProblem[] = [];
  const timing = input.timing === undefined ? { budgetBasisMs: input.windowMs, basis: `the ${sec(input.windowMs)} quota window` } : input.timing;
  const budgetMs = timing ? timing.budgetBasisMs * FAITHFUL_SHARE_OF_WINDOW : Infinity;
  const scale = input.timeScale > 0 ? input.timeScale : 1;
  const highestScale = (realMs: number) => Math.max(1, Math.floor(budgetMs / Math.max(realMs, 0.001)));
  const load = input.load;
  if (load) {
    if (load.exitCode === 99) {
      problems.push({ kind: 'load-threshold', text: 'The load runner exited 99: a threshold of the scenario (placing orders, its checks, or dropped arrivals) was crossed, so the load was not applied as planned.', fix: 'Read load.log for the threshold; lower --time-scale or run on a quieter machine.' });
    }
    const allowed = droppedArrivalsAllowed(load.expectedOrders);
    if (load.droppedIterations > allowed) {
      problems.push({ kind: 'dropped-arrivals', text: `The load generator fell behind and dropped ${load.droppedIterations} arrival(s) (the scenario allows ${allowed}): less load was applied than planned.`, fix: 'Lower --time-scale (or --volume-scale), or run on a quieter machine.' });
    }
    if (load.expectedOrders !== undefined && load.expectedOrders > 0 && load.ordersPlaced < load.expectedOrders * (1 - MAX_LOAD_SHORTFALL)) {
      problems.push({ kind: 'load-short', text: `${load.ordersPlaced} order(s) were placed of the ${Math.round(load.expectedOrders)} the scenario plans at this volume: more than ${MAX_LOAD_SHORTFALL * 100}% short.`, fix: 'Lower --time-scale so every stage of the scenario gets enough real time.' });
    }
  }
  if (timing && input.receiverAnswerP95RealMs !== null && input.receiverAnswerP95RealMs * scale > budgetMs) {
    problems.push({
      kind: 'receiver-latency',
      text: `The integration's receiver took ${input.receiverAnswerP95RealMs.toFixed(1)} real ms to answer (p95), which is ${sec(input.receiverAnswerP95RealMs * scale)} simulated at ${input.timeScale}x: more than a tenth of ${timing.basis}, so its latencies and pacing are not what they would be in real time.`,
      // Seconds to answer are the receiver's own work (the harness adds tens of milliseconds on a
      // busy machine): say so, or a buyer reads the advice as "the harness was too slow".
      fix: `Use --time-scale ${highestScale(input.receiverAnswerP95RealMs)} or lower (or --time-scale auto).${input.receiverAnswerP95RealMs >= SLOW_RECEIVER_REAL_MS ? ` An answer of ${sec(input.receiverAnswerP95RealMs)} is the receiver's own work, not the harness's: the contract asks for the answer before the work (docs/integration-contract.md, section 5), and a receiver that does so can be compressed.` : ''}`,
    });
  }
  if (timing && input.harnessLagP99RealMs !== undefined && input.harnessLagP99RealMs * scale > budgetMs) {
    problems.push({
      kind: 'harness-lag',
      text: `The harness fell behind its own clock: its event loop was ${input.harnessLagP99RealMs.toFixed(1)} real ms late (p99) while the load ran, ${sec(input.harnessLagP99RealMs * scale)} simulated at ${input.timeScale}x, more than a tenth of ${timing.basis}. The machine was too busy for this time scale.`,
      fix: `Use --time-scale ${highestScale(input.harnessLagP99RealMs)} or lower (or --time-scale auto), or run on a quieter machine.`,
    });
  }
  if (input.judges429s !== false && input.rateLimited > 0 && (input.rateLimitGraceMs >= input.windowMs / 2 || input.rateLimitToleranceMs >= input.windowMs / 10)) {
    problems.push({
      kind: 'rate-limit-precision',
      text: `At ${input.timeScale}x a few real milliseconds of timer jitter are a large part of a ${sec(input.windowMs)} window, so whether ${input.rateLimited} 429(s) were respected cannot be judged tightly (grace ${sec(input.rateLimitGraceMs)}, tolerance ${sec(input.rateLimitToleranceMs)} simulated).`,
      fix: 'Use a lower --time-scale to judge rate-limit handling.',
    });
  }
  if (input.drainCutShort) {
    const d = input.drainCutShort;
    problems.push({
      kind: 'drain-cut-short',
      text: `The drain stopped after ${(d.waitedSimMs / 60_000).toFixed(1)} simulated minutes instead of the configured ${(d.configuredSimMs / 60_000).toFixed(1)} (the harness caps its real-time wait at this scale) with ${d.outstanding} record(s) outstanding: the integration was not given its full time (a periodic sweep, say) to deliver them.`,
      fix: `Give it a drain the cap covers at this scale (--drain-quiet or --drain-deadline of at most ${Math.max(1, Math.floor(d.waitedSimMs / 60_000))}m), or a higher --time-scale if the run stays faithful.`,
    });
  }
  if (input.interceptFailures && input.interceptFailures.handshakes > 0) {
    const f = input.interceptFailures;
    const names = f.names.length > 0 ? ` (asked for ${f.names.join(', ')})` : '';
    problems.push({
      kind: 'interception-failed',
      text: `${f.handshakes} TLS handshake(s) between the integration and the simulator failed${names}: the integration did not accept the harness's stand-in for the platform (it pins a certificate, ships its own CA bundle, or calls a platform host the harness does not serve), so some of its requests never reached the simulator.`,
      fix: "Give the integration the run's CA (its config for a CA bundle, or NODE_EXTRA_CA_CERTS / SSL_CERT_FILE / REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE), or run it with --no-intercept and give it BIGCOMMERCE_API_URL. integration.log and run.json's intercept.tlsFailures show each failure.",
    });
  }
  if (input.harnessDeliveryFailures !== undefined && input.harnessDeliveryFailures > 0) {
    problems.push({
      kind: 'harness-delivery-failed',
      text: `${input.harnessDeliveryFailures} webhook delivery attempt(s) failed inside the harness (its delivery worker stopped with them in flight), not at the integration's receiver: they were retried on the platform's ladder, but counted against the receiver's success ratio, which can deactivate a hook or block a domain.`,
      fix: 'Re-run; if it repeats, report it with the run directory (the simulator logged why its delivery worker stopped).',
    });
  }
  if (input.malformedLines > 0) {
    problems.push({ kind: 'unreadable-input', text: `${input.malformedLines} line(s) of the ledger, the journals or the published changes could not be read, so part of the ground truth is missing.`, fix: 'Re-run; if it repeats, report it with the run directory.' });
  }
  return problems;
}
