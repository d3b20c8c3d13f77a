/**
 * Summarise a V8 .cpuprofile (from `node --cpu-prof`, or `npm run bench -- --profile`): the
 * functions with the most self time, the same grouped by file, and the inclusive (total) time
 * of the heaviest functions.
 *
 *   node --import tsx bench/profile-summary.ts <file.cpuprofile> [top=25]
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

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: node --import tsx bench/profile-summary.ts <file.cpuprofile> [top]');
    process.exit(2);
  }
  console.log(summarise(JSON.parse(readFileSync(file, 'utf8')) as Profile, Number(process.argv[3] ?? 25)));
}
