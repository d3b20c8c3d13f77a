/**
 * The fuzz suite's library: run seeded, bounded, property-based cases (fast-check) against a
 * surface running as a real child process, check every answer and the process after every case,
 * and report per surface. `fuzz/run.ts` is the command line over this; the tests call it directly.
 *
 * A run has up to three phases:
 * 1. survey: every case runs and every problem is counted (the property never fails, so the counts
 *    are real, not "the first one");
 * 2. settle (surfaces with background work, the engine): wait, bounded, until the work the cases
 *    started has ended, and count what is stuck;
 * 3. shrink: when a case failed, fast-check replays it from its seed and path and shrinks it to a
 *    smaller request that fails the same way, printed as a request to replay by hand and as the
 *    `--seed`/`--path` to replay with the suite.
 */
import fc from 'fast-check';
import { checkAnswer, type CheckOptions, type Problem, type ProblemKind } from './checker.ts';
import { formatRequest, headBytes, NODE_MAX_HEADER_BYTES, send, type FuzzAnswer, type FuzzRequest } from './http.ts';

export const SURFACES = ['simulator', 'control', 'mocks', 'engine'] as const;
export type SurfaceName = (typeof SURFACES)[number];

/** A surface started and ready for cases. */
export interface FuzzTarget {
  /** Where requests go (it changes when the process is restarted after a crash). */
  baseUrl(): string;
  arbitrary: fc.Arbitrary<FuzzRequest>;
  checkOptions(req: FuzzRequest): CheckOptions;
  /** How a process of the surface ended, or undefined while every one is up. */
  down(): string | undefined;
  /** Why the surface's health endpoint did not answer 200 within `timeoutMs`, or undefined. */
  health(timeoutMs: number): Promise<string | undefined>;
  /** Start again whatever ended (after a crash, so the next case has something to talk to). */
  restart(): Promise<void>;
  /** Sees every answer (the engine counts the webhooks it accepted). */
  observe?(req: FuzzRequest, answer: FuzzAnswer): void | Promise<void>;
  /** Wait up to `budgetMs` for the work the cases started to end; what did not end is stuck. */
  settle?(budgetMs: number): Promise<{ stuck: number; details: string[]; counts: Record<string, number> }>;
  /** Values never printed (tokens), by the name printed instead. */
  secrets(): Record<string, string>;
  /** The end of the stderr of the process that ended. */
  stderr(): string;
  stop(): Promise<void>;
}

export interface Surface {
  name: string;
  start(options: { seed: number }): Promise<FuzzTarget>;
}

export interface RunOptions {
  /** Cases per surface. */
  cases: number;
  seed: number;
  /** Replay one case (fast-check's counterexample path) instead of a survey. */
  path?: string;
  /** Bound on one request (head and body). */
  requestTimeoutMs?: number;
  /** How fast the health endpoint must answer after each case. */
  healthTimeoutMs?: number;
  /** Bound on the survey phase; past it the run stops and says so. */
  timeLimitMs?: number;
  /** Bound on shrinking a failure. */
  shrinkTimeLimitMs?: number;
  /** Bound on waiting for background work to end (settle). */
  settleTimeoutMs?: number;
  /** Progress lines (stderr in the CLI). */
  log?: (line: string) => void;
}

export interface Counterexample {
  problems: Problem[];
  request: string;
  seed: number;
  path: string;
  shrinks: number;
}

export interface SurfaceSummary {
  surface: string;
  seed: number;
  cases: number;
  counts: Record<ProblemKind, number>;
  /** Surface-specific numbers (accepted webhooks, dead letters). */
  extra: Record<string, number>;
  /** The first few problems seen, each with the request that caused it. */
  examples: { problems: Problem[]; request: string; index: number }[];
  stuckDetails: string[];
  counterexample?: Counterexample;
  /** Set when the time limit stopped the survey before every case ran. */
  interrupted: boolean;
  wallMs: number;
  clean: boolean;
}

const zeroCounts = (): Record<ProblemKind, number> => ({ crash: 0, '5xx': 0, shape: 0, leak: 0, hang: 0, 'no-answer': 0, unhealthy: 0, stuck: 0 });

/** Run one case: the request, its answer's checks, then whether the process is up and healthy. */
export async function runCase(target: FuzzTarget, req: FuzzRequest, options: Required<Pick<RunOptions, 'requestTimeoutMs' | 'healthTimeoutMs'>>): Promise<Problem[]> {
  if (target.down()) await target.restart();
  const problems: Problem[] = [];
  const result = await send(target.baseUrl(), req, options.requestTimeoutMs);
  if (result.ok) {
    problems.push(...checkAnswer(req, result.answer, target.checkOptions(req)));
    await target.observe?.(req, result.answer);
  }
  let ended = target.down();
  let unhealthy: string | undefined;
  if (!ended) {
    unhealthy = await target.health(options.healthTimeoutMs);
    // A process that died just after answering shows as refused connections first; its exit is
    // reported a moment later (longer on a busy machine), so look again for up to half a second.
    for (let waited = 0; unhealthy && !ended && waited < 500; waited += 25) {
      await new Promise((r) => setTimeout(r, 25));
      ended = target.down();
    }
  }
  if (ended) problems.push({ kind: 'crash', message: `the process ended (${ended}); stderr ends with: ${target.stderr().slice(-600)}` });
  else if (unhealthy) problems.push({ kind: 'unhealthy', message: unhealthy });
  // Over Node's header limit the HTTP layer answers 431 and closes the connection at once (no
  // route runs); a client still sending its body sees a reset instead of the 431. Not an API answer.
  const refusedByHttpLayer = !result.ok && !result.timedOut && headBytes(req) > NODE_MAX_HEADER_BYTES && /ECONNRESET|EPIPE|UND_ERR_SOCKET/.test(result.error);
  if (!result.ok && !ended && !refusedByHttpLayer) problems.push({ kind: result.timedOut ? 'hang' : 'no-answer', message: result.timedOut ? `no answer within ${options.requestTimeoutMs} ms` : `no answer: ${result.error}` });
  return problems;
}

class CaseFailed extends Error {
  constructor(readonly problems: Problem[]) {
    super(problems.map((p) => `${p.kind}: ${p.message}`).join('\n'));
  }
}

const EXAMPLES_KEPT = 5;

/** Fuzz one surface: start it, survey, settle, shrink the first failure, stop it. */
export async function runSurface(surface: Surface, options: RunOptions): Promise<SurfaceSummary> {
  const started = performance.now();
  const caseOptions = { requestTimeoutMs: options.requestTimeoutMs ?? 10_000, healthTimeoutMs: options.healthTimeoutMs ?? 1_000 };
  const log = options.log ?? (() => undefined);
  const counts = zeroCounts();
  const examples: SurfaceSummary['examples'] = [];
  let stuckDetails: string[] = [];
  let extra: Record<string, number> = {};
  let interrupted = false;
  let cases = 0;
  let counterexample: Counterexample | undefined;

  const target = await surface.start({ seed: options.seed });
  const printable = (req: FuzzRequest) => formatRequest(target.baseUrl(), req, target.secrets());
  try {
    const shrink = async (path: string, kinds: ReadonlySet<ProblemKind> | undefined, numRuns: number) => {
      const details = await fc.check(
        fc.asyncProperty(target.arbitrary, async (req) => {
          const problems = await runCase(target, req, caseOptions);
          const relevant = kinds ? problems.filter((p) => kinds.has(p.kind)) : problems;
          if (relevant.length > 0) throw new CaseFailed(relevant);
        }),
        { seed: options.seed, path, numRuns, interruptAfterTimeLimit: options.shrinkTimeLimitMs ?? 60_000, markInterruptAsFailure: false },
      );
      if (!details.failed || !details.counterexample) return undefined;
      const [req] = details.counterexample;
      const error = details.errorInstance;
      return {
        problems: error instanceof CaseFailed ? error.problems : [{ kind: 'crash' as const, message: String(error) }],
        request: printable(req),
        seed: options.seed,
        path: details.counterexamplePath ?? path,
        shrinks: details.numShrinks,
      };
    };

    if (options.path !== undefined) {
      // Replay: run exactly that case (and shrink it if it still fails).
      const index = Number(options.path.split(':')[0]);
      counterexample = await shrink(options.path, undefined, Math.max(options.cases, index + 1));
      cases = 1;
      if (counterexample) for (const p of counterexample.problems) counts[p.kind]++;
      else log(`[${surface.name}] the case at seed ${options.seed} path ${options.path} passes now`);
    } else {
      let firstFailure: { index: number; kinds: Set<ProblemKind> } | undefined;
      const details = await fc.check(
        fc.asyncProperty(target.arbitrary, async (req) => {
          const index = cases++;
          const problems = await runCase(target, req, caseOptions);
          for (const p of problems) counts[p.kind]++;
          if (problems.length > 0) {
            firstFailure ??= { index, kinds: new Set(problems.map((p) => p.kind)) };
            if (examples.length < EXAMPLES_KEPT) examples.push({ problems, request: printable(req), index });
            log(`[${surface.name}] case ${index}: ${problems.map((p) => `${p.kind}: ${p.message.slice(0, 200)}`).join('; ')}`);
          }
          if (cases % 100 === 0) log(`[${surface.name}] ${cases}/${options.cases} cases`);
        }),
        { seed: options.seed, numRuns: options.cases, ...(options.timeLimitMs ? { interruptAfterTimeLimit: options.timeLimitMs, markInterruptAsFailure: false } : {}) },
      );
      interrupted = details.interrupted;
      if (target.settle) {
        const settled = await target.settle(options.settleTimeoutMs ?? 120_000);
        counts.stuck += settled.stuck;
        stuckDetails = settled.details;
        extra = settled.counts;
      }
      if (firstFailure) {
        log(`[${surface.name}] shrinking the failure of case ${firstFailure.index}...`);
        counterexample = await shrink(String(firstFailure.index), firstFailure.kinds, options.cases);
        if (!counterexample) {
          // Its failure needed the state earlier cases left: report the original request.
          const first = examples[0];
          if (first) counterexample = { problems: first.problems, request: first.request, seed: options.seed, path: String(first.index), shrinks: 0 };
        }
      }
    }
  } finally {
    await target.stop();
  }
  const failed = Object.values(counts).some((n) => n > 0) || interrupted;
  return {
    surface: surface.name,
    seed: options.seed,
    cases,
    counts,
    extra,
    examples,
    stuckDetails,
    ...(counterexample ? { counterexample } : {}),
    interrupted,
    wallMs: Math.round(performance.now() - started),
    clean: !failed,
  };
}

/** Fuzz several surfaces, one after the other. */
export async function runFuzz(surfaces: readonly Surface[], options: RunOptions): Promise<SurfaceSummary[]> {
  const out: SurfaceSummary[] = [];
  for (const surface of surfaces) {
    options.log?.(`[${surface.name}] ${options.path !== undefined ? `replaying path ${options.path}` : `${options.cases} cases`}, seed ${options.seed}`);
    out.push(await runSurface(surface, options));
  }
  return out;
}

/** The summary as text: one block per surface, then the counterexample of each failing one. */
export function formatSummary(summaries: readonly SurfaceSummary[]): string {
  const lines: string[] = [];
  const pad = (s: string | number, n: number) => String(s).padStart(n);
  lines.push(`${'surface'.padEnd(10)} ${pad('cases', 6)} ${pad('crashes', 7)} ${pad('5xx', 5)} ${pad('shape', 5)} ${pad('leaks', 5)} ${pad('hangs', 5)} ${pad('no-ans', 6)} ${pad('unhlth', 6)} ${pad('stuck', 5)} ${pad('seed', 11)} ${pad('wall s', 7)}  result`);
  for (const s of summaries) {
    const c = s.counts;
    lines.push(
      `${s.surface.padEnd(10)} ${pad(s.cases, 6)} ${pad(c.crash, 7)} ${pad(c['5xx'], 5)} ${pad(c.shape, 5)} ${pad(c.leak, 5)} ${pad(c.hang, 5)} ${pad(c['no-answer'], 6)} ${pad(c.unhealthy, 6)} ${pad(c.stuck, 5)} ${pad(s.seed, 11)} ${pad((s.wallMs / 1000).toFixed(1), 7)}  ${s.clean ? 'clean' : s.interrupted ? 'FAILED (time limit hit before every case ran)' : 'FAILED'}`,
    );
    if (Object.keys(s.extra).length > 0) lines.push(`${''.padEnd(10)} ${Object.entries(s.extra).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  }
  for (const s of summaries) {
    if (s.stuckDetails.length > 0) lines.push('', `[${s.surface}] stuck work:`, ...s.stuckDetails.slice(0, 20).map((d) => `  ${d}`));
    if (!s.counterexample) continue;
    const ce = s.counterexample;
    lines.push(
      '',
      `[${s.surface}] counterexample (${ce.shrinks} shrinks):`,
      ...ce.problems.map((p) => `  ${p.kind}: ${p.message}`),
      '',
      ...ce.request.split('\n').map((l) => `  ${l}`),
      '',
      `  replay: npm run fuzz -- --surface ${s.surface} --seed ${ce.seed} --path ${ce.path}`,
    );
  }
  return lines.join('\n');
}
