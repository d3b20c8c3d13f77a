/**
 * The cost-of-ownership report's model. Renderers (HTML and Markdown through
 * reports/templates/tco.*.hbs, JSON as is) only format what is here; texts are final, so the
 * templates stay free of logic (the UAT report's convention). The raw numbers ride along in
 * `data` for whoever reads the JSON with a program.
 */
import { z } from 'zod';

const text = z.string();
const tone = z.enum(['ok', 'bad', 'warn', 'neutral']);
const flowRow = z.object({ label: text, requests: text, quota429s: text, oneOff: text, scheduled: text, orderDriven: text, perOrder: text });

export const tcoReportSchema = z.object({
  title: text,
  generatedAt: text,
  currency: text,
  years: z.number().int().min(1),
  headline: text,
  run: z.object({
    id: text,
    dir: text,
    scenario: text,
    integration: text,
    planText: text,
    timeScaleText: text,
    volumeText: text,
    spanText: text,
    /** How --volume-scale and --quota shaped the run, and how the projection undoes them. */
    scalingText: text,
    /** Relative link to the UAT report of the run ('' when there is none beside it). */
    uatReport: text,
  }),
  cards: z.array(z.object({ label: text, value: text, tone })),
  measured: z.object({
    facts: z.array(z.object({ label: text, value: text, note: text })),
    /** Requests by flow; each row's perOrder is its requests ÷ orders synced, so the rows add up to `flowsTotal`. */
    flows: z.array(flowRow),
    flowsTotal: flowRow,
    behaviour: z.object({ kind: z.enum(['queues', 'drops', 'unproven']), label: text, tone, text }),
    warnings: z.array(text),
  }),
  capacity: z.object({
    assumptions: z.array(z.object({ label: text, value: text, source: text })),
    plans: z.array(z.object({ label: text, quotaText: text, ordersText: text, spikeText: text, normalDayText: text, flashSaleText: text, tone })),
    yearLabels: z.array(text),
    planLabels: z.array(text),
    rows: z.array(
      z.object({
        label: text,
        ordersPerDay: text,
        callsPerDay: text,
        webhooksPerDay: text,
        peakOrders: text,
        peakDemand: text,
        flashDemand: text,
        plans: z.array(z.object({ label: text, headroom: text, multiplier: text, tone })),
      }),
    ),
    schedule: z.array(z.object({ plan: text, from: text, reason: text })),
    conclusions: z.array(text),
  }),
  costs: z.object({
    yearLabels: z.array(text),
    methods: z.array(
      z.object({
        id: text,
        label: text,
        summary: text,
        totalText: text,
        midText: text,
        excludedText: text,
        perYear: z.array(text),
        recommended: z.boolean(),
        items: z.array(z.object({ label: text, basisText: text, quoted: z.boolean(), quotedText: text, totalText: text, perYear: z.array(text), source: text })),
      }),
    ),
    excluded: z.array(z.object({ label: text, methods: text, totalText: text })),
  }),
  recommendation: z.object({ method: text, label: text, headline: text, reasons: z.array(text) }),
  assumptionsFile: text,
  charts: z.array(z.object({ id: text, title: text, caption: text, svg: text })),
  notes: z.array(text),
  /** The numbers behind the texts, for programs reading report JSON. */
  data: z.object({
    /** src/verify/figures.ts requestsPerOrder: the UAT report's calls per synced order; null when no order synced. */
    requestsPerOrder: z.number().nullable(),
    /** The same number under its older name (the `bc-harness tco --json` line prints it). */
    callsPerOrder: z.number().nullable(),
    /** Its order-driven part: what the projection multiplies by orders, for a day, a busy window and a sale. */
    orderDrivenPerOrder: z.number().nullable(),
    /**
     * Kept for the `--json` line only: the per-order cost the projection charges a peak window,
     * which is orderDrivenPerOrder. There is no separate "at the peak" measurement any more.
     */
    peakCallsPerOrder: z.number(),
    /** Each flow's requests and requests per order synced; the perOrder values add up to requestsPerOrder. */
    flows: z.array(z.object({ id: text, requests: z.number(), perOrder: z.number().nullable() })),
    ordersPlaced: z.number(),
    ordersSynced: z.number(),
    quota429s: z.number(),
    peakWindowShare: z.number().nullable(),
    webhookDeliveries: z.number(),
    volumeScale: z.number(),
    /** The run's quota at full volume (its quota ÷ volumeScale); null when unlimited. */
    fullVolumeQuota: z.number().nullable(),
    scheduledPerDay: z.number(),
    behaviour: text,
    plans: z.array(z.object({ label: text, perWindow: z.number().nullable(), ordersPerWindow: z.number().nullable(), normalDayOutgrownInYears: z.number().nullable(), flashSaleOutgrownInYears: z.number().nullable(), maxFlashSaleMultiplierToday: z.number().nullable() })),
    methods: z.array(z.object({ id: text, low: z.number(), high: z.number(), excludedLow: z.number(), excludedHigh: z.number() })),
    recommended: text,
  }),
});
export type TcoReport = z.infer<typeof tcoReportSchema>;
