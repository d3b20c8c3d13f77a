/**
 * Whether the integration under test stayed up for the whole run (DESIGN.md section 4,
 * `integration-crashed`). Two ways to die: the process exited on its own before the harness
 * stopped it (the orchestrator saw the exit and wrote its simulated time to run.json), or it kept
 * running but its receiver stopped answering: every webhook delivery from some moment to the end
 * failed with a timeout or a refused connection that no injected fault explains.
 *
 * Records that appeared after the integration died are its crash's consequence, not evidence of
 * another pattern, so the findings attribute them here.
 */
import type { WebhookAttemptRecord } from './ledger-index.ts';

export interface IntegrationExit {
  /** Simulated ms the process exited. */
  at: number;
  /** "exited with code 1", "killed by SIGKILL". */
  text: string;
}

export interface IntegrationHealth {
  /** Undefined while the integration was alive and answering until the end. */
  died?: { kind: 'exited' | 'unresponsive'; at: number; text: string };
}

/**
 * Consecutive failed deliveries through the end of the run before a silent receiver counts as
 * dead. One or two failures are weather (a slow answer under a burst); the platform itself starts
 * treating a destination as failing after several, and the retry ladder keeps trying.
 */
export const UNRESPONSIVE_MIN_FAILURES = 5;

export function judgeIntegrationHealth(input: { exit?: IntegrationExit; attempts: readonly WebhookAttemptRecord[]; hookIds: ReadonlySet<number>; endAt: number }): IntegrationHealth {
  if (input.exit && input.exit.at <= input.endAt) return { died: { kind: 'exited', at: input.exit.at, text: input.exit.text } };
  const mine = input.attempts.filter((a) => input.hookIds.has(a.hookId) && a.at <= input.endAt && a.outcome !== 'denylisted').sort((a, b) => a.at - b.at);
  let tail = 0;
  for (let i = mine.length - 1; i >= 0; i--) {
    const a = mine[i]!;
    if ((a.outcome === 'timeout' || a.outcome === 'network-error') && !a.fault) tail++;
    else break;
  }
  if (tail < UNRESPONSIVE_MIN_FAILURES) return {};
  const first = mine[mine.length - tail]!;
  const timeouts = mine.slice(mine.length - tail).filter((a) => a.outcome === 'timeout').length;
  return {
    died: {
      kind: 'unresponsive',
      at: first.at,
      text: `stopped answering webhooks: the last ${tail} deliveries to it failed (${timeouts} timed out, ${tail - timeouts} could not connect) and none succeeded afterwards, with no injected fault to explain it`,
    },
  };
}
