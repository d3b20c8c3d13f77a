/**
 * Summarise a V8 heap snapshot (from `BENCH_HEAP_SNAPSHOT=<file>` with bench/memory.ts): self
 * size by node type and constructor, the most duplicated string values, and plain objects that
 * each carry their own hidden class (a map and descriptor array per object instead of one shared
 * map, which costs memory per object).
 *
 *   BENCH_MEMORY_ORDERS=20000 BENCH_HEAP_SNAPSHOT=/tmp/orders.heapsnapshot node --expose-gc --import tsx bench/memory.ts
 *   node --max-old-space-size=8192 --import tsx bench/heap-summary.ts /tmp/orders.heapsnapshot
 */
import { readFileSync } from 'node:fs';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] } };
  nodes: number[];
  edges: number[];
  strings: string[];
}

const file = process.argv[2];
if (!file) {
  console.error('usage: node --import tsx bench/heap-summary.ts <file.heapsnapshot>');
  process.exit(2);
}
const s = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
const { meta } = s.snapshot;
const nf = meta.node_fields.length;
const ef = meta.edge_fields.length;
const types = meta.node_types[0];
const etypes = meta.edge_types[0];
const N = s.nodes;
const E = s.edges;
const S = s.strings;
const TYPE = meta.node_fields.indexOf('type');
const NAME = meta.node_fields.indexOf('name');
const SELF = meta.node_fields.indexOf('self_size');
const EDGES = meta.node_fields.indexOf('edge_count');
const nodeCount = N.length / nf;
const MiB = (b: number) => `${(b / 2 ** 20).toFixed(1).padStart(7)} MiB`;

let totalSize = 0;
const byKind = new Map<string, { n: number; size: number }>();
const stringValues = new Map<string, { n: number; size: number }>();
for (let i = 0; i < nodeCount; i++) {
  const type = types[N[i * nf + TYPE]!]!;
  const name = S[N[i * nf + NAME]!]!;
  const size = N[i * nf + SELF]!;
  totalSize += size;
  const key = type === 'object' || type === 'closure' ? `${type} ${name}` : type === 'string' || type.endsWith('string') ? type : `${type} ${name.slice(0, 40)}`;
  const e = byKind.get(key) ?? { n: 0, size: 0 };
  e.n++;
  e.size += size;
  byKind.set(key, e);
  if (type === 'string') {
    const v = stringValues.get(name) ?? { n: 0, size: 0 };
    v.n++;
    v.size += size;
    stringValues.set(name, v);
  }
}
console.log(`Heap snapshot: ${MiB(totalSize)} in ${nodeCount} nodes\n\nSelf size by type and constructor:`);
for (const [k, v] of [...byKind].sort((a, b) => b[1].size - a[1].size).slice(0, 20)) console.log(`  ${MiB(v.size)}  ${String(v.n).padStart(9)}  ${k}`);

let dupBytes = 0;
for (const v of stringValues.values()) if (v.n > 1) dupBytes += (v.size / v.n) * (v.n - 1);
console.log(`\nDuplicated strings (same value, separate copies): ${MiB(dupBytes)} could be shared. Most copied values:`);
for (const [k, v] of [...stringValues].sort((a, b) => b[1].size - a[1].size).slice(0, 12)) console.log(`  ${MiB(v.size)}  ${String(v.n).padStart(9)}  ${JSON.stringify(k.slice(0, 50))}`);

// Plain objects per hidden class: many single-instance maps mean objects do not share shapes.
let firstEdge = 0;
const perMap = new Map<number, { n: number; props: string }>();
for (let i = 0; i < nodeCount; i++) {
  const count = N[i * nf + EDGES]!;
  const start = firstEdge;
  firstEdge += count * ef;
  if (types[N[i * nf + TYPE]!] !== 'object' || S[N[i * nf + NAME]!] !== 'Object') continue;
  let map = -1;
  const props: string[] = [];
  for (let e = start; e < start + count * ef; e += ef) {
    const et = etypes[E[e]!];
    if (et === 'internal' && S[E[e + 1]!] === 'map') map = E[e + 2]!;
    else if (et === 'property' && props.length < 6) props.push(S[E[e + 1]!]!);
  }
  const m = perMap.get(map);
  if (m) m.n++;
  else perMap.set(map, { n: 1, props: props.join(',') });
}
const singles = new Map<string, number>();
for (const m of perMap.values()) if (m.n === 1) singles.set(m.props, (singles.get(m.props) ?? 0) + 1);
const singleCount = [...singles.values()].reduce((a, b) => a + b, 0);
console.log(`\nPlain objects: ${[...perMap.values()].reduce((a, m) => a + m.n, 0)} in ${perMap.size} hidden classes; ${singleCount} objects have a hidden class of their own. Most common such shapes (first properties):`);
for (const [k, v] of [...singles].sort((a, b) => b[1] - a[1]).slice(0, 6)) console.log(`  ${String(v).padStart(9)}  {${k}, ...}`);
