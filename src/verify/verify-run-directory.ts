/**
 * A finished run directory to verdict and reports: read the files the run wrote (each described
 * once, by the schemas in src/uat/run-directory.ts and here), hand them to the verifier with what
 * the orchestrator knew about the run (how the load went, whether the integration died, the
 * harness's own lag), and write the reports. `bc-harness uat` ends here, and `uat --verify DIR`
 * runs it again on a finished run.
 */
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { type Cart, type Store, renderCart } from '../../simulator/index.ts';
import { writePrivateFile } from '../../lib/private-files.ts';
import { HarnessError } from '../errors.ts';
import { acceptanceSchema } from '../load/acceptance.ts';
import type { CompiledSpec } from '../mappings/compile.ts';
import { loadSpecs, MappingSpecError } from '../mappings/load-spec.ts';
import { buildUatReport, type RunInfo } from '../reports/uat/build.ts';
import type { UatReport } from '../reports/uat/model.ts';
import { renderUatReport, xmlText } from '../reports/uat/render.ts';
import { openRunMeasure, type RunMeasure } from '../tco/measure-run.ts';
import { createTcoReport, writeTcoReport } from '../tco/run-tco.ts';
import { parseDuration } from '../uat/config.ts';
import { loadFacts, type LoadRunResult } from '../uat/load-process.ts';
import { readRunFiles, writeJson, type CatalogSnapshot } from '../uat/run-directory.ts';
import type { ResolvedCriteria } from './criteria.ts';
import type { StreamId } from './streams.ts';
import { VERDICT_EXIT, VERDICT_TEXT, type Verdict } from './verdict.ts';
import { verifyRun, type Verification } from './verify-run.ts';

export interface UatResult {
  exitCode: number;
  verdict: Verdict;
  runDir?: string;
  error?: string;
  /** `tco` is the cost-of-ownership report's HTML, when it was rendered (tco.md and tco.json sit beside it). */
  reports?: { html: string; md: string; json: string; junit: string; tco?: string };
  report?: UatReport;
  tco?: { html: string; md: string; json: string; summary: string };
  verification?: Verification;
  /** The final `--json` line (DESIGN.md section 8). */
  line: Record<string, unknown>;
}

/** GET /v3/carts/{id} as the simulator renders it, from the catalog snapshot in the run directory. */
export function cartRenderer(catalog: CatalogSnapshot): (body: Record<string, unknown>) => Record<string, unknown> {
  const products = new Map(catalog.products.map((p) => [p.id, { id: p.id, name: p.name, type: p.type, custom_url: { url: p.url } }]));
  // renderCart reads only the store's products and hash; this is that much of a store.
  const storeView = { products, info: { hash: catalog.storeHash } } as unknown as Store;
  return (body) => renderCart(storeView, body as unknown as Cart) as unknown as Record<string, unknown>;
}

/**
 * run.json as runUat writes it (several times during the run, so a crash leaves what was known)
 * and as verification reads it. Loose objects: a newer harness may add fields, and an older run
 * directory without the newer optional ones still verifies.
 */
export const runRecordSchema = z.looseObject({
  id: z.string(),
  status: z.enum(['complete', 'interrupted']),
  scenario: z.looseObject({ name: z.string(), acceptance: acceptanceSchema.nullable() }),
  integration: z.looseObject({
    label: z.string(),
    command: z.string().nullable(),
    exit: z.string().nullable(),
    /** The integration exited on its own during the run (simulated time). */
    died: z.object({ at: z.string(), text: z.string() }).nullable().optional(),
  }),
  options: z.looseObject({ plan: z.string(), volumeScale: z.number().optional(), quota: z.number().optional(), seed: z.number(), timeScale: z.number() }),
  // Criteria were validated when the run started; here they are read back as written.
  criteria: z.custom<ResolvedCriteria>((v) => typeof v === 'object' && v !== null && Array.isArray((v as ResolvedCriteria).criteria)),
  simulator: z.looseObject({ clientId: z.string(), quotaPerWindow: z.number().nullable() }).nullable(),
  clock: z.looseObject({ scale: z.number(), simStart: z.string(), loadStartedAt: z.string().nullable(), loadEndedAt: z.string().nullable(), endAt: z.string().nullable() }),
  drain: z.looseObject({
    reason: z.string(),
    text: z.string(),
    outstanding: z.number().optional(),
    drainRealMs: z.number().optional(),
    cutShort: z.object({ waitedSimMs: z.number(), configuredSimMs: z.number() }).optional(),
  }),
  load: z.looseObject({ exitCode: z.number(), runner: z.string().nullable() }).nullable(),
  /** The orchestrator's own event-loop lag during load and drain (real ms). */
  harness: z.looseObject({ eventLoopLagP99Ms: z.number(), eventLoopLagMaxMs: z.number() }).nullable().optional(),
  /** How an unchanged integration was routed to the simulator (src/intercept); null when it was not. */
  intercept: z
    .looseObject({ tlsFailures: z.object({ handshakes: z.number(), names: z.array(z.string()) }).optional() })
    .nullable()
    .optional(),
  realStartedAt: z.string(),
  realSeconds: z.number().optional(),
  /** How the time scale was chosen; with `--time-scale auto`, the calibration (src/uat/calibrate-time-scale.ts). Informative: a record it cannot read is ignored. */
  timeScale: z
    .looseObject({
      mode: z.enum(['auto', 'fixed']),
      chosen: z.number(),
      calibration: z.looseObject({ basis: z.string(), budgetSimMs: z.number().optional(), measurement: z.looseObject({ scale: z.number(), lagP99Ms: z.number(), answerP95Ms: z.number().nullable() }).optional() }).optional(),
    })
    .optional()
    .catch(undefined),
  notes: z.array(z.string()),
});
export type RunRecordFile = z.infer<typeof runRecordSchema>;

/**
 * The JUnit file of a run that produced no verdict (the harness failed, or the input was wrong
 * after the run directory existed): one error test case, so CI never reads it as an empty pass.
 */
export function writeNoVerdictJunit(runDir: string, o: { scenario: string; integration: string; message: string; kind: 'invalid-input' | 'harness' | 'interrupted'; realStartedAt: string; realSeconds: number; copyTo?: string }): string {
  const x = xmlText;
  const verdict = o.kind === 'interrupted' ? 'interrupted' : 'inconclusive';
  const name = `bc-harness uat ${o.scenario} (${o.integration})`;
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="${x(name)}" tests="1" failures="0" errors="1" time="${o.realSeconds.toFixed(3)}">
  <testsuite name="uat.${x(o.scenario)}.harness" tests="1" failures="0" errors="1" skipped="0" timestamp="${x(o.realStartedAt.replace(/\.\d+Z$/, ''))}" time="0">
    <properties>
      <property name="integration" value="${x(o.integration)}"/>
      <property name="verdict" value="${verdict}"/>
    </properties>
    <testcase classname="uat.${x(o.scenario)}.harness" name="run: the run produced a verdict" time="0">
      <error type="${o.kind}" message="${x(`${VERDICT_TEXT[verdict]}: ${o.message}`.slice(0, 2000))}">${x(o.message)}</error>
    </testcase>
  </testsuite>
</testsuites>
`;
  const file = join(runDir, 'junit.xml');
  writePrivateFile(file, xml);
  if (o.copyTo) {
    mkdirSync(dirname(resolve(o.copyTo)), { recursive: true });
    copyFileSync(file, resolve(o.copyTo));
  }
  return file;
}

/**
 * Verify a run directory and write its reports: the verdict from the ledger, the journals and
 * what the integration reported, nothing else. runUat ends here; `bc-harness uat --verify DIR`
 * re-runs it on a finished run (after editing a criterion in run.json, say).
 */
export async function verifyRunDirectory(runDir: string, options: { specs?: CompiledSpec[]; junit?: string; now?: () => Date; log?: (line: string) => void } = {}): Promise<UatResult> {
  const now = options.now ?? (() => new Date());
  const file = join(runDir, 'run.json');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new HarnessError('invalid-input', `Failed to read ${file}: ${(error as Error).message}. Pass the run directory a UAT run wrote.`);
  }
  const parsed = runRecordSchema.safeParse(raw);
  if (!parsed.success) {
    throw new HarnessError('invalid-input', `Failed to read ${file}: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}. Pass a run directory this version of bc-harness uat wrote.`);
  }
  const run = parsed.data;
  if (!run.simulator || !run.clock.endAt) throw new HarnessError('invalid-input', `Failed to verify ${runDir}: the run stopped before the simulator ran (run.json has no simulator or end time), so there is nothing to verify.`);
  let specs = options.specs;
  if (!specs) {
    const loaded = loadSpecs();
    if (loaded.issues.length > 0) throw new HarnessError('harness', new MappingSpecError(loaded.issues).message);
    specs = loaded.specs.map((x) => x.compiled);
  }
  // The cost-of-ownership report measures the same ledger: it takes the lines as they are read. A
  // run.json it cannot use only means no TCO report (said below), never a failed verification.
  let tcoMeasure: RunMeasure | undefined;
  let tcoOpenError: Error | undefined;
  try {
    tcoMeasure = openRunMeasure(runDir);
  } catch (error) {
    tcoOpenError = error as Error;
  }
  const files = await readRunFiles(runDir, tcoMeasure ? { alsoLedger: tcoMeasure } : {});
  const endAt = Date.parse(run.clock.endAt);
  let summary: LoadRunResult['summary'];
  try {
    summary = JSON.parse(readFileSync(join(runDir, 'load-summary.json'), 'utf8')) as LoadRunResult['summary'];
  } catch {
    summary = undefined;
  }
  const facts = loadFacts(summary);
  const volume = run.options.volumeScale ?? 1;
  const expectedOrders = run.scenario.acceptance ? run.scenario.acceptance.expectedOrders * volume : undefined;
  const declaredScope = (run.options as { config?: { acceptance?: { scope?: StreamId[] } } | null }).config?.acceptance?.scope;
  const verification = verifyRun({
    specs,
    ledger: files.ledger,
    journals: files.journals,
    ...(files.published ? { published: files.published } : {}),
    alerts: files.alerts,
    ...(files.quota ? { quota: files.quota } : {}),
    integrationClientId: run.simulator.clientId,
    timeScale: run.clock.scale,
    endAt,
    criteria: run.criteria.criteria,
    scope: run.criteria.scope,
    waived: run.criteria.waived,
    ...(declaredScope ? { declaredScope } : {}),
    ...(files.catalog ? { renderCart: cartRenderer(files.catalog) } : {}),
    run: {
      interrupted: run.status === 'interrupted',
      ...(run.integration.died ? { integrationExit: { at: Date.parse(run.integration.died.at), text: run.integration.died.text } } : {}),
      ...(run.harness ? { harnessLagP99RealMs: run.harness.eventLoopLagP99Ms } : {}),
      drainReason: run.drain.reason,
      ...(run.drain.drainRealMs !== undefined ? { drainRealMs: run.drain.drainRealMs } : {}),
      ...(run.intercept?.tlsFailures && run.intercept.tlsFailures.handshakes > 0 ? { interceptFailures: run.intercept.tlsFailures } : {}),
      ...(run.drain.cutShort && (run.drain.outstanding ?? 0) > 0 ? { drainCutShort: { ...run.drain.cutShort, outstanding: run.drain.outstanding ?? 0 } } : {}),
      ...(run.load
        ? {
            load: {
              exitCode: run.load.exitCode,
              droppedIterations: facts.droppedIterations,
              ...(expectedOrders !== undefined ? { expectedOrders } : {}),
              // The ledger decides how many orders were placed, not the load runner's own count.
              ordersPlaced: files.ledger.created.get('order') ?? 0,
            },
          }
        : {}),
    },
  });
  const acceptance = run.scenario.acceptance;
  const msOf = (t: string | null) => (t ? Date.parse(t) : undefined);
  const loadStartedAt = msOf(run.clock.loadStartedAt);
  const loadEndedAt = msOf(run.clock.loadEndedAt);
  const runInfo: RunInfo = {
    id: run.id,
    dir: runDir,
    scenario: { name: run.scenario.name, ...(acceptance ? { description: acceptance.description, simulatedDurationMs: parseDuration(acceptance.simulatedDuration) } : { description: 'A k6 script without acceptance criteria: the default criteria apply.' }) },
    integration: { label: run.integration.label, command: run.integration.command ?? '', ...(run.integration.exit ? { exit: run.integration.exit } : {}) },
    plan: run.options.plan,
    quotaPerWindow: run.simulator.quotaPerWindow,
    timeScale: run.clock.scale,
    ...(run.timeScale?.mode === 'auto' ? { timeScaleCalibration: { basis: run.timeScale.calibration?.basis ?? 'default', budgetSimMs: run.timeScale.calibration?.budgetSimMs, measurement: run.timeScale.calibration?.measurement } } : {}),
    ...(run.options.volumeScale !== undefined ? { volumeScale: run.options.volumeScale } : {}),
    seed: run.options.seed,
    simStart: Date.parse(run.clock.simStart),
    ...(loadStartedAt !== undefined ? { loadStartedAt } : {}),
    ...(loadEndedAt !== undefined ? { loadEndedAt } : {}),
    endAt,
    realStartedAt: run.realStartedAt,
    realSeconds: run.realSeconds ?? 0,
    drain: run.drain,
    load: { ...(run.load?.runner ? { runner: run.load.runner } : {}), ...(run.load ? { exitCode: run.load.exitCode } : {}), ordersPlaced: facts.ordersPlaced, droppedIterations: facts.droppedIterations, stepsSkipped: facts.stepsSkipped, failedChecks: facts.failedChecks },
    status: run.status,
    notes: run.notes,
  };
  // The cost-of-ownership report measures the same run; it informs, it never judges, so a failure
  // to render it is a warning and the verdict stands.
  let tco: UatResult['tco'];
  try {
    if (!tcoMeasure) throw tcoOpenError ?? new Error('the run could not be measured');
    const tcoReport = await createTcoReport({ runDir, measures: verification.measures, fed: tcoMeasure, now });
    const files = writeTcoReport(tcoReport, runDir);
    tco = { ...files, summary: tcoReport.headline };
  } catch (error) {
    (options.log ?? ((line: string) => process.stderr.write(`${line}\n`)))(`warning: the cost-of-ownership report was not written (the verdict is unaffected): ${(error as Error).message}`);
  }
  const report = buildUatReport({ verification, run: runInfo, waived: run.criteria.waived, generatedAt: now(), ...(tco ? { tco: { html: 'tco.html', md: 'tco.md', summary: tco.summary } } : {}) });
  const reports = {
    html: join(runDir, 'report.html'),
    md: join(runDir, 'report.md'),
    json: join(runDir, 'report.json'),
    junit: join(runDir, 'junit.xml'),
    ...(tco ? { tco: tco.html } : {}),
  };
  // The reports quote records (names, addresses) where they differ from the ground truth.
  writePrivateFile(reports.html, renderUatReport(report, 'html'));
  writePrivateFile(reports.md, renderUatReport(report, 'md'));
  writePrivateFile(reports.json, renderUatReport(report, 'json'));
  writePrivateFile(reports.junit, renderUatReport(report, 'junit'));
  if (options.junit) {
    mkdirSync(dirname(resolve(options.junit)), { recursive: true });
    copyFileSync(reports.junit, resolve(options.junit));
  }
  const verdict = verification.verdict;
  const died = verification.health.died;
  const line = {
    verdict,
    reason: verification.decision.reason,
    reportDir: runDir,
    criteria: verification.criteria.map((c) => ({ name: c.name, flow: c.flow, status: c.status, passed: c.passed, value: c.value, limit: c.limit, id: c.id, measure: c.measure, op: c.op, ...(c.status === 'not-exercised' && c.note ? { note: c.note } : {}) })),
    notExercised: verification.decision.notExercised,
    findings: verification.findings.map((f) => ({ pattern: f.pattern, flow: f.flow, count: f.count, ...(f.stream ? { stream: f.stream } : {}) })),
    scenario: run.scenario.name,
    integration: run.integration.label,
    timeScale: run.clock.scale,
    faithful: verification.fidelity.faithful,
    fidelity: verification.fidelity.problems.map((p) => ({ kind: p.kind, text: p.text, fix: p.fix })),
    ...(died ? { integrationCrashed: { kind: died.kind, at: new Date(died.at).toISOString(), text: died.text } } : {}),
    waived: run.criteria.waived.map((w) => ({ id: w.criterion.id, reason: w.reason })),
    reports,
    ...(verdict === 'interrupted' ? { error: 'interrupted' } : {}),
  };
  writeJson(runDir, 'verdict.json', { ...line, measures: verification.measures });
  const exitCode = VERDICT_EXIT[verdict];
  return { exitCode, verdict, runDir, reports, report, verification, line, ...(tco ? { tco } : {}) };
}

