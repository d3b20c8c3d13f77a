/**
 * The cost-of-ownership report for one run directory, end to end: measure the run (the only
 * effectful read), project capacity and price the methods (pure), build and render the report
 * and write tco.html, tco.md and tco.json. `bc-harness tco` and the UAT run (which renders it
 * into every run directory) both come through here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { buildTcoReport } from '../reports/tco/build.ts';
import type { TcoReport } from '../reports/tco/model.ts';
import { renderTcoReport, tcoFormats } from '../reports/tco/render.ts';
import { defaultAssumptionsFile, loadAssumptions } from './assumptions.ts';
import { projectCapacity } from './capacity-model.ts';
import { computeCosts, recommend } from './cost-model.ts';
import { measureRunDirectory, type RunMeasure } from './measure-run.ts';

export interface TcoOptions {
  runDir: string;
  /** Default reports/tco-assumptions.yml. */
  assumptionsFile?: string;
  /** Order growth a year; default the assumptions file's. */
  growth?: number;
  years?: number;
  /** Where tco.* go; default the run directory. */
  out?: string;
  /** The verifier's measures, when the caller has them (the UAT run does). */
  measures?: Record<string, number | null>;
  /** A measurement already fed the run's ledger (`openRunMeasure`), so it is not read again. */
  fed?: RunMeasure;
  now?: () => Date;
}

export interface TcoResult {
  report: TcoReport;
  files: { html: string; md: string; json: string };
}

const BEHAVIOUR_ADVICE = {
  queues: 'The measured integration queued behind the quota and drained its backlog: keep that as a contract requirement for whichever method is chosen.',
  drops: 'The measured integration drops orders when the quota runs out: whatever the method, make queuing behind 429s (wait the reset, keep the backlog, lose nothing) a condition of acceptance before signing.',
  unproven: 'The run never pushed the integration to the quota, so whether it queues or drops at the limit is unknown: rehearse a flash sale (doorbuster, flash-sale-10x) before signing.',
} as const;

export async function createTcoReport(options: TcoOptions): Promise<TcoReport> {
  const assumptionsFile = path.resolve(options.assumptionsFile ?? defaultAssumptionsFile);
  const assumptions = loadAssumptions(assumptionsFile);
  const measurements = await measureRunDirectory(options.runDir, { ...(options.measures ? { measures: options.measures } : {}), ...(options.fed ? { fed: options.fed } : {}) });
  const years = options.years ?? 3;
  const growth = options.growth ?? assumptions.store.growthPerYear.value;
  const capacity = projectCapacity({
    callsPerOrder: measurements.callsPerOrder,
    peakCallsPerOrder: measurements.peakCallsPerOrder,
    scheduledPerDay: measurements.scheduledPerDay,
    webhooksPerOrder: measurements.webhooks.perOrder,
    behaviour: measurements.saturation.behaviour,
    ordersPerDay: assumptions.store.ordersPerDay.value,
    growth,
    years,
    peakHourShare: assumptions.store.peakHourShare.value,
    otherAppsShare: assumptions.store.otherAppsShare.value,
    currentPlan: assumptions.store.plan.value,
    flashSale: { multiplier: assumptions.store.flashSale.multiplier.value, durationMinutes: assumptions.store.flashSale.durationMinutes.value, drainWithinMinutes: assumptions.store.flashSale.drainWithinMinutes.value },
  });
  const costInput = { assumptions, years, growth, planSchedule: capacity.planSchedule };
  const costs = computeCosts(costInput);
  const recommendation = recommend({ ...costInput, costs, capacity, behaviourText: BEHAVIOUR_ADVICE[measurements.saturation.behaviour] });
  const out = path.resolve(options.out ?? options.runDir);
  const uat = path.join(path.resolve(options.runDir), 'report.html');
  return buildTcoReport({
    measurements,
    capacity,
    costs,
    recommendation,
    assumptions,
    assumptionsFile: path.relative(process.cwd(), assumptionsFile) || assumptionsFile,
    // The UAT run writes report.html after this report, so link to where it will be.
    uatReport: fs.existsSync(uat) || fs.existsSync(path.join(path.resolve(options.runDir), 'verdict.json')) || options.measures ? path.relative(out, uat) : '',
    generatedAt: (options.now ?? (() => new Date()))(),
  });
}

export function writeTcoReport(report: TcoReport, out: string): TcoResult['files'] {
  fs.mkdirSync(out, { recursive: true });
  const files = { html: path.join(out, 'tco.html'), md: path.join(out, 'tco.md'), json: path.join(out, 'tco.json') };
  for (const format of tcoFormats) fs.writeFileSync(files[format], renderTcoReport(report, format));
  return files;
}

export async function runTco(options: TcoOptions): Promise<TcoResult> {
  const report = await createTcoReport(options);
  return { report, files: writeTcoReport(report, path.resolve(options.out ?? options.runDir)) };
}
