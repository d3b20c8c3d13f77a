/**
 * Benchmark 3: resident memory after 100,000 shopper orders (typical profile) with their ledger.
 *
 * The simulator runs in this process (`startSimulator`, Enterprise plan, the ledger written to a
 * temporary run directory as in a real run); orders are placed with `store.placeShopperOrder` in
 * batches, yielding to the event loop between batches so the ledger's flush timer and the clock
 * run. Memory is read after a forced full GC, so it is what the simulator retains, not garbage.
 * Run it with `node --expose-gc --import tsx bench/memory.ts` (the runner does).
 *
 * Env: BENCH_MEMORY_ORDERS (default 100000), BENCH_MEMORY_BATCH (1000), BENCH_HEAP_SNAPSHOT=<file>
 * to write a heap snapshot at the end (summarise it with bench/heap-summary.ts; use a smaller
 * order count, a snapshot of 100,000 orders is several hundred MB).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { getHeapSpaceStatistics, writeHeapSnapshot } from 'node:v8';
import { log, mib, processRss, report, round, startInProcess } from './lib.ts';

const total = Number(process.env.BENCH_MEMORY_ORDERS ?? 100_000);
const batch = Number(process.env.BENCH_MEMORY_BATCH ?? 1000);
type GcOptions = { type?: 'major' | 'minor'; execution?: 'sync' | 'async'; flavor?: 'regular' | 'last-resort' };
const gc = (globalThis as { gc?: (options?: GcOptions) => void }).gc;

async function settle() {
  // Two passes with a turn of the event loop between them: the first can leave work (weak
  // callbacks, finalizers) that the second collects.
  gc?.();
  await yieldToLoop();
  gc?.();
}

function snapshot() {
  const m = process.memoryUsage();
  return { rssMiB: round(mib(m.rss)), heapUsedMiB: round(mib(m.heapUsed)), heapTotalMiB: round(mib(m.heapTotal)), externalMiB: round(mib(m.external)) };
}

/** Committed vs used per V8 heap space: a large gap in old_space is fragmentation. */
function heapSpaces() {
  return Object.fromEntries(
    getHeapSpaceStatistics()
      .filter((s) => s.space_size > 8 * 2 ** 20)
      .map((s) => [s.space_name, { committedMiB: round(mib(s.space_size)), usedMiB: round(mib(s.space_used_size)), physicalMiB: round(mib(s.physical_space_size)) }]),
  );
}

async function main() {
  if (!gc) log('[memory] global.gc is not available (run with --expose-gc): figures include garbage');
  const dir = mkdtempSync(join(tmpdir(), 'bc-harness-bench-'));
  const ledgerPath = join(dir, 'ledger.jsonl');
  const sim = await startInProcess({ plan: 'enterprise', seed: 1, ledgerPath });
  try {
    const store = sim.running.sim.stores.get(sim.hash)!;
    await settle();
    const before = snapshot();
    const ledgerBefore = sim.running.sim.ledger.count;
    log(`[memory] placing ${total} typical orders in batches of ${batch} (baseline rss ${before.rssMiB} MiB, heap ${before.heapUsedMiB} MiB)`);
    const t0 = performance.now();
    let placed = 0;
    let failure: string | undefined;
    const progress: { orders: number; seconds: number; rssMiB: number }[] = [];
    try {
      while (placed < total) {
        const n = Math.min(batch, total - placed);
        for (let i = 0; i < n; i++) store.placeShopperOrder('typical');
        placed += n;
        await yieldToLoop();
        if (placed % 20_000 === 0) {
          const p = { orders: placed, seconds: round((performance.now() - t0) / 1000, 1), rssMiB: round(mib(process.memoryUsage().rss)) };
          progress.push(p);
          log(`[memory] ${p.orders} orders, ${p.seconds} s, rss ${p.rssMiB} MiB (before GC)`);
        }
      }
    } catch (error) {
      failure = (error as Error).message;
      log(`[memory] stopped after ${placed} orders: ${failure}`);
    }
    const seconds = (performance.now() - t0) / 1000;
    sim.running.sim.ledger.flush();
    await settle();
    const after = snapshot();
    const spaces = heapSpaces();
    const peak = processRss(process.pid);
    // A second reading after a memory-reducing collection (what V8 does under memory pressure:
    // it compacts fragmented pages and returns them). Not the headline figure, an explanation
    // of the gap between rss and heapUsed.
    let compacted: ReturnType<typeof snapshot> | null = null;
    if (gc) {
      gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
      await yieldToLoop();
      compacted = snapshot();
    }
    const out = {
      name: 'memory',
      orders: placed,
      failure: failure ?? null,
      seconds: round(seconds, 1),
      ordersPerSecond: round(placed / seconds, 0),
      gcForced: gc !== undefined,
      before,
      after,
      heapSpaces: spaces,
      afterMemoryReducingGc: compacted,
      peakRssMiB: peak.hwm !== undefined ? round(mib(peak.hwm)) : null,
      heapPerOrderKiB: round(((after.heapUsedMiB - before.heapUsedMiB) * 1024) / Math.max(placed, 1), 2),
      ordersInStore: store.orders.size,
      cartsInStore: store.carts.size,
      ledgerEntries: sim.running.sim.ledger.count - ledgerBefore,
      ledgerFileMiB: round(mib(statSync(ledgerPath).size)),
      progress,
      targetMiB: 1024,
    };
    log(`[memory] ${placed} orders in ${out.seconds} s: rss ${after.rssMiB} MiB, heapUsed ${after.heapUsedMiB} MiB after GC (peak rss ${out.peakRssMiB} MiB)`);
    if (process.env.BENCH_HEAP_SNAPSHOT) log(`[memory] heap snapshot: ${writeHeapSnapshot(process.env.BENCH_HEAP_SNAPSHOT)}`);
    report(out);
  } finally {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
