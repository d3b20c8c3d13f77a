/**
 * The cost-of-ownership report's model. Renderers (HTML and Markdown through
 * reports/templates/tco.*.hbs, JSON as is) only format what is here; texts are final, so the
 * templates stay free of logic (the UAT report's convention). The raw numbers ride along in
 * `data` for whoever reads the JSON with a program.
 */
import { z } from 'zod';

const text = z.string();
const tone = z.enum(['ok', 'bad', 'warn', 'neutral']);

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
    /** Relative link to the UAT report of the run ('' when there is none beside it). */
    uatReport: text,
  }),
  cards: z.array(z.object({ label: text, value: text, tone })),
  measured: z.object({
    facts: z.array(z.object({ label: text, value: text, note: text })),
    flows: z.array(z.object({ label: text, requests: text, refused: text, scheduled: text, perOrder: text })),
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
    callsPerOrder: z.number(),
    peakCallsPerOrder: z.number(),
    scheduledPerDay: z.number(),
    behaviour: text,
    plans: z.array(z.object({ label: text, perWindow: z.number().nullable(), ordersPerWindow: z.number().nullable(), normalDayOutgrownInYears: z.number().nullable(), flashSaleOutgrownInYears: z.number().nullable(), maxFlashSaleMultiplierToday: z.number().nullable() })),
    methods: z.array(z.object({ id: text, low: z.number(), high: z.number(), excludedLow: z.number(), excludedHigh: z.number() })),
    recommended: text,
  }),
});
export type TcoReport = z.infer<typeof tcoReportSchema>;
