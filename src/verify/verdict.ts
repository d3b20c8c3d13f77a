/**
 * The one place that decides a run's verdict (DESIGN.md section 8, "Which verdict wins"):
 *
 * - `interrupted`: the run was stopped (Ctrl-C) before it finished; nothing is judged.
 * - `fail`: a criterion failed that no time scale could have caused (a corrupted or duplicated
 *   record, a record still missing after the drain gave the integration its full time, a crash,
 *   a reject rule broken, a write made without reading the record) — even when the run was not
 *   faithful; the report still shows the fidelity problem.
 * - `inconclusive`: the harness could not run the scenario faithfully, so an outcome that could
 *   flip with a faithful run (latencies, pacing, 429 handling, a backlog not yet drained) neither
 *   clears nor blames the integration.
 * - `pass` needs every criterion it exercised passed and a faithful run; otherwise `fail`. A
 *   criterion the run did not exercise (`not-exercised`: no 429 answered, no order to carry)
 *   neither fails nor counts as passed; the reason names it.
 */
import type { CriterionResult } from './criteria.ts';
import type { FidelityProblem } from './fidelity.ts';

export const VERDICTS = ['pass', 'fail', 'inconclusive', 'interrupted'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** Exit codes per verdict (README, "Result and exit codes"). */
export const VERDICT_EXIT: Record<Verdict, number> = { pass: 0, fail: 1, inconclusive: 3, interrupted: 130 };

export const VERDICT_TEXT: Record<Verdict, string> = { pass: 'PASS', fail: 'FAIL', inconclusive: 'INCONCLUSIVE', interrupted: 'INTERRUPTED' };

export interface RobustnessContext {
  /** The drain ended because the system settled or went quiet (or the integration died), not on the deadline. */
  drainComplete: boolean;
  /** Every failed delivery to the integration's hooks was provoked by an injected fault. */
  deliveryFailuresProvoked: boolean;
  /**
   * The streams a complete drain waited for, when it did not wait for all: a drain that settled
   * waited for orders to reach the ERP and for stock and price changes to reach the store, not for
   * the flows that follow by polls (credit memos, invoices, shipments, ...). Undefined: all (the
   * drain went quiet: nothing reached any target for a long while).
   */
  drainCovers?: ReadonlySet<string>;
}

const ROBUST_FINDINGS = new Set(['findings.integrationCrashed', 'findings.payloadAsData', 'findings.mappingDrift', 'findings.silentFailure']);

/**
 * Whether a failed criterion stands whatever the time scale: its measure counts something the
 * integration did (or failed to do) that more real time per simulated second would not change.
 */
export function failureIsRobust(measure: string, ctx: RobustnessContext): boolean {
  if (ROBUST_FINDINGS.has(measure)) return true;
  if (measure === 'mapping.silentlyEmptied' || measure === 'deadLetter.unexplained') return true;
  if (measure === 'findings.webhookDeactivation' || measure === 'webhooks.deactivatedAtEnd' || measure === 'webhooks.scopesUncoveredAtEnd') return ctx.deliveryFailuresProvoked;
  const [stream = '', m = ''] = measure.split('.');
  if (m === 'corrupted' || m === 'duplicated' || m === 'corruptedBeforeDrift' || m === 'deadLetteredUnjustified' || m === 'unexpectedWrites') return true;
  // A record still missing is the integration's only when the drain waited for its flow: on a run
  // that was not faithful, a credit memo a polled flow had not carried when the orders settled may
  // be the compression's doing (its poll came late in real time), not a loss.
  if (m === 'lost' || m === 'correct') return ctx.drainComplete && (ctx.drainCovers === undefined || ctx.drainCovers.has(stream));
  return false;
}

export interface VerdictDecision {
  verdict: Verdict;
  /** The failed criteria that decided a `fail` on a run that was not faithful. */
  robustFailures: string[];
  /** The criteria the run did not exercise (no 429, no order to carry, ...): neither failed nor passed. */
  notExercised: string[];
  /** One sentence: why this verdict. */
  reason: string;
}

const ids = (list: readonly CriterionResult[]) => `${list.slice(0, 5).map((c) => c.id).join(', ')}${list.length > 5 ? ', …' : ''}`;

/** "; 2 were not exercised (honours-429, order-latency)", or '' when every criterion was exercised. */
function notExercisedText(list: readonly CriterionResult[]): string {
  return list.length === 0 ? '' : `; ${list.length} ${list.length === 1 ? 'was' : 'were'} not exercised (${ids(list)})`;
}

/**
 * A criterion the run did not exercise neither fails nor counts as passed: a run whose exercised
 * criteria all passed is `pass`, and the reason names what was not exercised. That holds for a
 * scenario's own criteria too (a `honours-429` of doorbuster that saw no 429): an integration that
 * paces itself by the rate-limit headers never gets a 429, which is the behaviour wanted, not a
 * harness that failed to apply the load (load and fidelity problems are judged in fidelity.ts).
 * A run that exercised none of its criteria cleared nothing: `inconclusive`.
 */
export function decideVerdict(input: { interrupted: boolean; criteria: readonly CriterionResult[]; problems: readonly FidelityProblem[]; robustness: RobustnessContext }): VerdictDecision {
  const skipped = input.criteria.filter((c) => c.status === 'not-exercised');
  const notExercised = skipped.map((c) => c.id);
  if (input.interrupted) return { verdict: 'interrupted', robustFailures: [], notExercised, reason: 'The run was interrupted before it finished; what it recorded is shown, but it is not a verdict.' };
  const failed = input.criteria.filter((c) => c.status === 'failed');
  const exercised = input.criteria.length - skipped.length;
  const robust = failed.filter((c) => failureIsRobust(c.measure, input.robustness));
  const skippedText = notExercisedText(skipped);
  if (input.problems.length === 0) {
    if (failed.length > 0) return { verdict: 'fail', robustFailures: robust.map((c) => c.id), notExercised, reason: `${failed.length} of ${input.criteria.length} acceptance criteria failed${skippedText}.` };
    if (skipped.length === 0) return { verdict: 'pass', robustFailures: [], notExercised, reason: `All ${input.criteria.length} acceptance criteria passed on a faithful run.` };
    if (exercised === 0) return { verdict: 'inconclusive', robustFailures: [], notExercised, reason: `None of the ${input.criteria.length} acceptance criteria was exercised (${ids(skipped)}), so the run neither clears nor blames the integration; run a scenario that provokes what they judge.` };
    return { verdict: 'pass', robustFailures: [], notExercised, reason: `All ${exercised} acceptance criteria it exercised passed on a faithful run${skippedText}.` };
  }
  if (robust.length > 0) {
    return { verdict: 'fail', robustFailures: robust.map((c) => c.id), notExercised, reason: `${robust.length} criterion(s) failed in a way no time scale could cause (${robust.slice(0, 3).map((c) => c.id).join(', ')}); the run was also not faithful (${input.problems.map((p) => p.kind).join(', ')}), which the report shows.` };
  }
  return {
    verdict: 'inconclusive',
    robustFailures: [],
    notExercised,
    reason: `The harness could not run the scenario faithfully (${input.problems.map((p) => p.kind).join(', ')}), so the result ${failed.length > 0 ? `(${failed.length} criterion(s) failed, each of a kind compression can cause)` : skipped.length > 0 ? '(every criterion it exercised passed)' : '(every criterion passed)'} neither clears nor blames the integration${skippedText}.`,
  };
}
