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
import { adviseScenarios } from '../reports/uat/scorecard.ts';
import { formatShare, quotaContactText } from '../verify/figures.ts';
import { defaultAssumptionsFile, loadAssumptions, type Assumptions } from './assumptions.ts';
import { projectCapacity, type CapacityInput } from './capacity-model.ts';
import { computeCosts, recommend } from './cost-model.ts';
import { measureRunDirectory, type RunMeasure, type RunMeasurements } from './measure-run.ts';

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

/**
 * What the measured behaviour at the quota means for the contract, from the numbers behind it:
 * "queued behind the quota" only after 429s it waited out, "paced itself" when it queued below the
 * quota without one, and the rehearsal to run (never the one just run) when it was not shown.
 */
export function behaviourAdvice(m: Pick<RunMeasurements, 'saturation' | 'run' | 'scaling'>): string {
  const s = m.saturation;
  switch (s.behaviour) {
    case 'queues':
      return s.contact === 'ran-into'
        ? `The measured integration waited out the quota's ${s.quota429s} 429(s) and lost no order: keep that as a contract requirement for whichever method is chosen.`
        : `The measured integration paced itself below the quota (no 429; busiest window ${formatShare(s.peakShare)} of the run's quota) and lost no order: keep that as a contract requirement for whichever method is chosen, and ask how it answers a 429, which this run did not test.`;
    case 'drops':
      return 'The measured integration drops orders when the quota runs out: whatever the method, make queuing behind 429s (wait the reset, keep the backlog, lose nothing) a condition of acceptance before signing.';
    case 'unproven': {
      const underPressured = m.scaling.pressure !== null && m.scaling.pressure > 1.25;
      const rehearse = underPressured
        ? `re-run ${m.run.scenario} with --quota ${Math.max(1, Math.round((m.scaling.publishedQuota ?? 0) * m.scaling.volumeScale))} (the plan's quota scaled like --volume-scale ${m.scaling.volumeScale}) before signing`
        : `${adviseScenarios(['doorbuster', 'flash-sale-10x'], m.run.scenario, 'rehearse a flash sale')} before signing`;
      return `The run never pushed the integration to the quota (${quotaContactText({ quota429s: s.quota429s, peakWindowShare: s.peakShare })}), so whether it queues or drops at the limit is unknown: ${rehearse}.`;
    }
  }
}

/**
 * The capacity model's input: only figures that do not change with --volume-scale or --quota
 * (measure-run.ts scalingOf), so a rehearsal and a full-volume run with the same per-order
 * behaviour project the same. No order synced leaves no per-order cost: 0, with the warning the
 * measurement carries.
 */
export function capacityInputOf(m: RunMeasurements, a: Assumptions, o: { growth: number; years: number }): CapacityInput {
  return {
    orderDrivenPerOrder: m.perOrder.orderDriven ?? 0,
    scheduledPerDay: m.scheduledPerDay,
    webhooksPerOrder: m.webhooks.perOrder ?? 0,
    behaviour: m.saturation.behaviour,
    ordersPerDay: a.store.ordersPerDay.value,
    growth: o.growth,
    years: o.years,
    peakHourShare: a.store.peakHourShare.value,
    otherAppsShare: a.store.otherAppsShare.value,
    currentPlan: a.store.plan.value,
    flashSale: { multiplier: a.store.flashSale.multiplier.value, durationMinutes: a.store.flashSale.durationMinutes.value, drainWithinMinutes: a.store.flashSale.drainWithinMinutes.value },
  };
}

export async function createTcoReport(options: TcoOptions): Promise<TcoReport> {
  const assumptionsFile = path.resolve(options.assumptionsFile ?? defaultAssumptionsFile);
  const assumptions = loadAssumptions(assumptionsFile);
  const measurements = await measureRunDirectory(options.runDir, { ...(options.measures ? { measures: options.measures } : {}), ...(options.fed ? { fed: options.fed } : {}) });
  const years = options.years ?? 3;
  const growth = options.growth ?? assumptions.store.growthPerYear.value;
  const capacity = projectCapacity(capacityInputOf(measurements, assumptions, { growth, years }));
  const costInput = { assumptions, years, growth, planSchedule: capacity.planSchedule };
  const costs = computeCosts(costInput);
  const recommendation = recommend({ ...costInput, costs, capacity, behaviourText: behaviourAdvice(measurements) });
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
