/**
 * Small, dependency-free SVG charts for the self-contained HTML report: time on the x axis (shown
 * as simulated time since the run started), stacked bars or lines, horizontal limit lines (the
 * plan's quota, 80% of it) and vertical markers (a hook deactivated, the load ended). Pure
 * functions returning markup; every text is escaped, nothing is fetched, no script runs.
 *
 * Written by hand because no chart library is installed and the four charts need only bars, lines
 * and rules; the output is plain SVG 1.1 that every browser and most Markdown viewers render.
 */
export interface Series {
  name: string;
  color: string;
}

export interface TimeBucket {
  /** Simulated epoch ms the bucket starts. */
  start: number;
  values: Record<string, number>;
}

export interface RuleLine {
  value: number;
  label: string;
  color: string;
  dashed?: boolean;
}

export interface Marker {
  at: number;
  label: string;
  color: string;
}

export interface ChartFrame {
  title: string;
  /** Simulated epoch ms of the run's start (x = 0). */
  origin: number;
  from: number;
  to: number;
  yLabel: string;
  width?: number;
  height?: number;
  /** Ticks on the x axis instead of round simulated durations since the origin (e.g. years). */
  xTicks?: { at: number; label: string }[];
  /** The x axis title; default "simulated time since the run started". */
  xLabel?: string;
  /** How an x value reads in a tooltip; default the offset from the origin. */
  formatX?: (at: number) => string;
  /** How a y value reads on the axis and in tooltips (money, say). */
  formatY?: (value: number) => string;
}

const W = 920;
const H = 260;
const PAD = { left: 64, right: 20, top: 30, bottom: 44 };

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const round = (n: number) => Math.round(n * 10) / 10;

/** Nice round tick values from 0 to at least max. */
export function niceTicks(max: number, count = 4): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let v = 0; v <= max + step * 0.999; v += step) ticks.push(Math.round(v * 1e6) / 1e6);
  return ticks;
}

/** "+5h07m" over long spans, "+21m49s" over short ones: simulated time since the origin. */
export function formatOffset(ms: number, spanMs: number): string {
  const sign = ms < 0 ? '-' : '+';
  const abs = Math.abs(ms);
  if (spanMs >= 2 * 3_600_000) {
    const h = Math.floor(abs / 3_600_000);
    const m = Math.floor((abs % 3_600_000) / 60_000);
    return `${sign}${h}h${String(m).padStart(2, '0')}m`;
  }
  const m = Math.floor(abs / 60_000);
  const s = Math.floor((abs % 60_000) / 1000);
  return `${sign}${m}m${String(s).padStart(2, '0')}s`;
}

function formatY(v: number): string {
  if (Math.abs(v) >= 10_000) return `${Math.round(v / 1000)}k`;
  if (Number.isInteger(v)) return String(v);
  return v.toFixed(v < 1 ? 2 : 1);
}

interface Plot {
  width: number;
  height: number;
  x: (t: number) => number;
  y: (v: number) => number;
  yMax: number;
  parts: string[];
}

function frame(f: ChartFrame, yMax: number): Plot {
  const width = f.width ?? W;
  const height = f.height ?? H;
  // A little room above the highest value, so a limit line at the top does not touch the title.
  const ticks = niceTicks(yMax * 1.1);
  const top = ticks.at(-1)!;
  const span = Math.max(1, f.to - f.from);
  const x = (t: number) => PAD.left + ((t - f.from) / span) * (width - PAD.left - PAD.right);
  const y = (v: number) => height - PAD.bottom - (v / top) * (height - PAD.top - PAD.bottom);
  const parts: string[] = [];
  parts.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`);
  parts.push(`<text x="${PAD.left}" y="18" font-size="13" font-weight="600" fill="#1d2433">${escapeXml(f.title)}</text>`);
  const yText = f.formatY ?? formatY;
  for (const t of ticks) {
    const yy = round(y(t));
    parts.push(`<line x1="${PAD.left}" y1="${yy}" x2="${width - PAD.right}" y2="${yy}" stroke="#e6e9ef" stroke-width="1"/>`);
    parts.push(`<text x="${PAD.left - 6}" y="${yy + 4}" font-size="11" text-anchor="end" fill="#5b6478">${escapeXml(yText(t))}</text>`);
  }
  // Ticks on round simulated durations from the origin (every 5 minutes, every 2 hours, ...).
  const steps = [1_000, 5_000, 10_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 10_800_000, 21_600_000, 43_200_000, 86_400_000, 172_800_000];
  const step = steps.find((st) => span / st <= 8) ?? 172_800_000;
  const firstTick = f.origin + Math.ceil((f.from - f.origin) / step) * step;
  const xTicks = f.xTicks ?? [];
  if (!f.xTicks) for (let t = firstTick; t <= f.to + 1; t += step) xTicks.push({ at: t, label: formatOffset(t - f.origin, f.to - f.origin) });
  for (const tick of xTicks) {
    const xx = round(x(tick.at));
    parts.push(`<line x1="${xx}" y1="${height - PAD.bottom}" x2="${xx}" y2="${height - PAD.bottom + 4}" stroke="#9aa3b5"/>`);
    parts.push(`<text x="${xx}" y="${height - PAD.bottom + 17}" font-size="11" text-anchor="middle" fill="#5b6478">${escapeXml(tick.label)}</text>`);
  }
  parts.push(`<line x1="${PAD.left}" y1="${height - PAD.bottom}" x2="${width - PAD.right}" y2="${height - PAD.bottom}" stroke="#9aa3b5"/>`);
  parts.push(`<text x="${(PAD.left + width - PAD.right) / 2}" y="${height - 8}" font-size="11" text-anchor="middle" fill="#5b6478">${escapeXml(f.xLabel ?? 'simulated time since the run started')}</text>`);
  parts.push(`<text transform="translate(14 ${(PAD.top + height - PAD.bottom) / 2}) rotate(-90)" font-size="11" text-anchor="middle" fill="#5b6478">${escapeXml(f.yLabel)}</text>`);
  return { width, height, x, y, yMax: top, parts };
}

function legend(p: Plot, items: { name: string; color: string; dashed?: boolean }[]): void {
  let xx = p.width - PAD.right;
  for (const item of [...items].reverse()) {
    const w = 24 + item.name.length * 6.6;
    xx -= w;
    p.parts.push(item.dashed ? `<line x1="${round(xx)}" y1="14" x2="${round(xx + 14)}" y2="14" stroke="${item.color}" stroke-width="2" stroke-dasharray="4 3"/>` : `<rect x="${round(xx)}" y="8" width="12" height="12" rx="2" fill="${item.color}"/>`);
    p.parts.push(`<text x="${round(xx + 17)}" y="18" font-size="11" fill="#1d2433">${escapeXml(item.name)}</text>`);
  }
}

function rulesAndMarkers(p: Plot, f: ChartFrame, rules: RuleLine[], markers: Marker[]): void {
  for (const r of rules) {
    if (r.value > p.yMax) continue;
    const yy = round(p.y(r.value));
    p.parts.push(`<line x1="${PAD.left}" y1="${yy}" x2="${p.width - PAD.right}" y2="${yy}" stroke="${r.color}" stroke-width="1.5"${r.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    // Rule labels sit at the left end: the right end is where the legend and the "load ended" marker are.
    p.parts.push(`<text x="${PAD.left + 4}" y="${yy - 4}" font-size="11" fill="${r.color}">${escapeXml(r.label)}</text>`);
  }
  markers
    .filter((m) => m.at >= f.from && m.at <= f.to)
    .forEach((m, i) => {
      const xx = round(p.x(m.at));
      // Labels near the right edge go to the left of their line, so they stay inside the chart.
      const leftSide = xx > p.width - PAD.right - m.label.length * 6;
      p.parts.push(`<line x1="${xx}" y1="${PAD.top}" x2="${xx}" y2="${p.height - PAD.bottom}" stroke="${m.color}" stroke-width="1.5" stroke-dasharray="3 3"/>`);
      p.parts.push(`<text x="${leftSide ? xx - 4 : xx + 4}" y="${PAD.top + 12 + (i % 3) * 12}" font-size="10.5" text-anchor="${leftSide ? 'end' : 'start'}" fill="${m.color}">${escapeXml(m.label)}</text>`);
    });
}

function wrap(p: Plot, f: ChartFrame): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${p.width} ${p.height}" width="100%" role="img" aria-label="${escapeXml(f.title)}" font-family="-apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif">${p.parts.join('')}</svg>`;
}

/** Stacked bars per time bucket. */
export function createBarChart(f: ChartFrame & { buckets: TimeBucket[]; bucketMs: number; series: Series[]; rules?: RuleLine[]; markers?: Marker[]; empty?: string }): string {
  const totals = f.buckets.map((b) => f.series.reduce((s, x) => s + (b.values[x.name] ?? 0), 0));
  const ruleMax = Math.max(0, ...(f.rules ?? []).map((r) => r.value));
  const p = frame(f, Math.max(1, ...totals, ruleMax));
  const bw = Math.max(1, p.x(f.from + f.bucketMs) - p.x(f.from) - 1);
  for (const b of f.buckets) {
    let base = 0;
    for (const s of f.series) {
      const v = b.values[s.name] ?? 0;
      if (v <= 0) continue;
      const y0 = p.y(base);
      const y1 = p.y(base + v);
      const w = Math.max(0.5, Math.min(bw, p.x(f.to) - p.x(b.start)));
      p.parts.push(`<rect x="${round(p.x(b.start))}" y="${round(y1)}" width="${round(w)}" height="${round(Math.max(0.5, y0 - y1))}" fill="${s.color}"><title>${escapeXml(`${formatOffset(b.start - f.origin, f.to - f.origin)}: ${s.name} ${formatY(v)}`)}</title></rect>`);
      base += v;
    }
  }
  if (f.buckets.length === 0 && f.empty) p.parts.push(`<text x="${p.width / 2}" y="${p.height / 2}" font-size="13" text-anchor="middle" fill="#5b6478">${escapeXml(f.empty)}</text>`);
  rulesAndMarkers(p, f, f.rules ?? [], f.markers ?? []);
  legend(p, [...f.series, ...(f.rules ?? []).map((r) => ({ name: r.label, color: r.color, dashed: true }))].slice(0, 5));
  return wrap(p, f);
}

/** Lines over time (a point per bucket that has a value). */
export function createLineChart(f: ChartFrame & { lines: (Series & { points: { at: number; value: number }[] })[]; rules?: RuleLine[]; markers?: Marker[]; empty?: string }): string {
  const max = Math.max(1, ...f.lines.flatMap((l) => l.points.map((pt) => pt.value)), ...(f.rules ?? []).map((r) => r.value));
  const p = frame(f, max);
  for (const l of f.lines) {
    if (l.points.length === 0) continue;
    const d = l.points.map((pt, i) => `${i === 0 ? 'M' : 'L'}${round(p.x(pt.at))} ${round(p.y(pt.value))}`).join(' ');
    p.parts.push(`<path d="${d}" fill="none" stroke="${l.color}" stroke-width="2" stroke-linejoin="round"/>`);
    const xText = f.formatX ?? ((at: number) => formatOffset(at - f.origin, f.to - f.origin));
    if (l.points.length <= 60) for (const pt of l.points) p.parts.push(`<circle cx="${round(p.x(pt.at))}" cy="${round(p.y(pt.value))}" r="2.5" fill="${l.color}"><title>${escapeXml(`${xText(pt.at)}: ${l.name} ${(f.formatY ?? formatY)(pt.value)}`)}</title></circle>`);
  }
  if (f.lines.every((l) => l.points.length === 0) && f.empty) p.parts.push(`<text x="${p.width / 2}" y="${p.height / 2}" font-size="13" text-anchor="middle" fill="#5b6478">${escapeXml(f.empty)}</text>`);
  rulesAndMarkers(p, f, f.rules ?? [], f.markers ?? []);
  legend(p, [...f.lines, ...(f.rules ?? []).map((r) => ({ name: r.label, color: r.color, dashed: true }))].slice(0, 5));
  return wrap(p, f);
}

/** Bucket events into fixed slices of the span (at most `max` buckets, on round durations). */
export function bucketSize(spanMs: number, max = 96): number {
  const steps = [1_000, 5_000, 10_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 21_600_000, 43_200_000, 86_400_000];
  return steps.find((s) => spanMs / s <= max) ?? 86_400_000;
}

export interface ColumnGroup {
  label: string;
  /** Side-by-side stacked columns of the group (e.g. the low and the high estimate). */
  columns: { label: string; values: Record<string, number> }[];
}

/**
 * Stacked columns by category rather than over time: a group per category (an integration method),
 * side-by-side columns inside it (its low and high estimate), each stacked by series (cost items).
 * The legend wraps under the plot, since a cost breakdown has more series than a time chart.
 */
export function createStackedColumnChart(f: { title: string; yLabel: string; groups: ColumnGroup[]; series: Series[]; formatY?: (v: number) => string; width?: number; height?: number }): string {
  const width = f.width ?? W;
  const perRow = Math.max(1, Math.floor((width - PAD.left - PAD.right) / 190));
  const legendRows = Math.ceil(f.series.length / perRow);
  const height = (f.height ?? 300) + legendRows * 18;
  const bottom = 52 + legendRows * 18;
  const yText = f.formatY ?? formatY;
  const totals = f.groups.flatMap((g) => g.columns.map((c) => f.series.reduce((s, x) => s + (c.values[x.name] ?? 0), 0)));
  const ticks = niceTicks(Math.max(1, ...totals) * 1.08);
  const top = ticks.at(-1)!;
  const y = (v: number) => height - bottom - (v / top) * (height - PAD.top - bottom);
  const parts: string[] = [`<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`, `<text x="${PAD.left}" y="18" font-size="13" font-weight="600" fill="#1d2433">${escapeXml(f.title)}</text>`];
  for (const t of ticks) {
    const yy = round(y(t));
    parts.push(`<line x1="${PAD.left}" y1="${yy}" x2="${width - PAD.right}" y2="${yy}" stroke="#e6e9ef" stroke-width="1"/>`);
    parts.push(`<text x="${PAD.left - 6}" y="${yy + 4}" font-size="11" text-anchor="end" fill="#5b6478">${escapeXml(yText(t))}</text>`);
  }
  const groupW = (width - PAD.left - PAD.right) / Math.max(1, f.groups.length);
  f.groups.forEach((g, gi) => {
    const colW = Math.min(90, (groupW * 0.7) / Math.max(1, g.columns.length));
    const start = PAD.left + gi * groupW + (groupW - colW * g.columns.length - 6 * (g.columns.length - 1)) / 2;
    g.columns.forEach((c, ci) => {
      const x0 = round(start + ci * (colW + 6));
      let base = 0;
      for (const s of f.series) {
        const v = c.values[s.name] ?? 0;
        if (v <= 0) continue;
        parts.push(`<rect x="${x0}" y="${round(y(base + v))}" width="${round(colW)}" height="${round(Math.max(0.5, y(base) - y(base + v)))}" fill="${s.color}"><title>${escapeXml(`${g.label}, ${c.label}: ${s.name} ${yText(v)}`)}</title></rect>`);
        base += v;
      }
      parts.push(`<text x="${round(x0 + colW / 2)}" y="${round(y(base) - 5)}" font-size="11" font-weight="600" text-anchor="middle" fill="#1d2433">${escapeXml(yText(base))}</text>`);
      parts.push(`<text x="${round(x0 + colW / 2)}" y="${height - bottom + 15}" font-size="10.5" text-anchor="middle" fill="#5b6478">${escapeXml(c.label)}</text>`);
    });
    parts.push(`<text x="${round(PAD.left + gi * groupW + groupW / 2)}" y="${height - bottom + 31}" font-size="12" font-weight="600" text-anchor="middle" fill="#1d2433">${escapeXml(g.label)}</text>`);
  });
  parts.push(`<line x1="${PAD.left}" y1="${height - bottom}" x2="${width - PAD.right}" y2="${height - bottom}" stroke="#9aa3b5"/>`);
  parts.push(`<text transform="translate(14 ${(PAD.top + height - bottom) / 2}) rotate(-90)" font-size="11" text-anchor="middle" fill="#5b6478">${escapeXml(f.yLabel)}</text>`);
  f.series.forEach((s, i) => {
    const xx = PAD.left + (i % perRow) * 190;
    const yy = height - bottom + 46 + Math.floor(i / perRow) * 18;
    parts.push(`<rect x="${xx}" y="${yy - 10}" width="12" height="12" rx="2" fill="${s.color}"/>`);
    parts.push(`<text x="${xx + 17}" y="${yy}" font-size="11" fill="#1d2433">${escapeXml(s.name)}</text>`);
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="${escapeXml(f.title)}" font-family="-apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif">${parts.join('')}</svg>`;
}
