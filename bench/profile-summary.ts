/**
 * Summarise a V8 .cpuprofile (from `node --cpu-prof`, or `npm run bench -- --profile`): the
 * functions with the most self time, the same grouped by file, and the inclusive (total) time
 * of the heaviest functions.
 *
 *   node --import tsx bench/profile-summary.ts <file.cpuprofile> [top=25]
 *   node --import tsx bench/profile-summary.ts <file.cpuprofile> --stretches=30
 *
 * --stretches=MS lists what kept the event loop busy for MS or more without a break: runs of
 * consecutive samples with no idle sample between them (at the 1 ms sampling interval, so
 * slices let go with setImmediate and run back to back can still show as one), how many and how
 * long in all, and for the longest the project frames nearest the top of their samples' stacks.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { ROOT } from './lib.ts';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export function summarise(profile: Profile, top = 25): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...selfUs.values()].reduce((s, v) => s + v, 0);

  const where = (n: ProfileNode) => {
    const url = n.callFrame.url.replace(/^file:\/\//, '');
    const file = url ? (url.startsWith(ROOT) ? relative(ROOT, url) : url.replace(/.*node_modules\//, 'node_modules/')) : '(native)';
    return { file, label: `${n.callFrame.functionName || '(anonymous)'} ${file}:${n.callFrame.lineNumber + 1}:${(n.callFrame as { columnNumber?: number }).columnNumber ?? 0}` };
  };
  const self = new Map<string, number>();
  const files = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const n = byId.get(id)!;
    const { file, label } = where(n);
    self.set(label, (self.get(label) ?? 0) + us);
    files.set(file, (files.get(file) ?? 0) + us);
    // Inclusive: charge every distinct frame on the stack once.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const l = where(byId.get(cur)!).label;
      if (seen.has(l)) continue;
      seen.add(l);
      inclusive.set(l, (inclusive.get(l) ?? 0) + us);
    }
  }
  const pct = (us: number) => `${((100 * us) / total).toFixed(1).padStart(5)}%`;
  const table = (title: string, m: Map<string, number>, n: number) =>
    [title, ...[...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, us]) => `  ${pct(us)}  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`)].join('\n');
  return [
    `Profile: ${(total / 1e6).toFixed(2)} s of samples`,
    table('Self time by function:', self, top),
    table('Self time by file:', files, 15),
    table('Inclusive time (function and its callees):', inclusive, top),
  ].join('\n\n');
}

/** Busy stretches of `minMs` or more: see the file's comment. */
export function stretches(profile: Profile, minMs: number, show = 15): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const idle = new Set(profile.nodes.filter((n) => ['(idle)', '(program)'].includes(n.callFrame.functionName)).map((n) => n.id));
  const nearestProjectFrame = (id: number): string => {
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)!.callFrame;
      const url = f.url.replace(/^file:\/\//, '');
      if (url.startsWith(ROOT) && !url.includes('node_modules')) return `${f.functionName || '(anonymous)'} ${relative(ROOT, url)}`;
    }
    return byId.get(id)!.callFrame.functionName || '(native)';
  };
  const found: { startUs: number; us: number; samples: number[] }[] = [];
  let t = 0;
  let current: { startUs: number; us: number; samples: number[] } | undefined;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    t += dt;
    if (idle.has(id)) {
      if (current && current.us >= minMs * 1000) found.push(current);
      current = undefined;
      return;
    }
    if (current) {
      current.us += dt;
      current.samples.push(id);
    } else current = { startUs: t, us: 0, samples: [id] };
  });
  if (current && current.us >= minMs * 1000) found.push(current);
  const total = found.reduce((sum, f) => sum + f.us, 0);
  const lines = [`Busy stretches of ${minMs} ms or more: ${found.length}, ${(total / 1000).toFixed(0)} ms in all, over ${(t / 1e6).toFixed(1)} s of profile`];
  for (const f of [...found].sort((a, b) => b.us - a.us).slice(0, show)) {
    const frames = new Map<string, number>();
    for (const id of f.samples) {
      const label = nearestProjectFrame(id);
      frames.set(label, (frames.get(label) ?? 0) + 1);
    }
    const top = [...frames].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([k, n]) => `${k} (${n})`).join(', ');
    lines.push(`  at ${(f.startUs / 1e6).toFixed(1)} s, ${(f.us / 1000).toFixed(0)} ms: ${top}`);
  }
  return lines.join('\n');
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: node --import tsx bench/profile-summary.ts <file.cpuprofile> [top] | --stretches=MS');
    process.exit(2);
  }
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const stretchArg = process.argv.slice(3).find((a) => a.startsWith('--stretches='));
  if (stretchArg) {
    const ms = Number(stretchArg.slice('--stretches='.length));
    if (!Number.isFinite(ms) || ms <= 0) {
      console.error(`--stretches must be a positive number of milliseconds; got "${stretchArg.slice('--stretches='.length)}".`);
      process.exit(2);
    }
    console.log(stretches(profile, ms));
  } else console.log(summarise(profile, Number(process.argv[3] ?? 25)));
}
