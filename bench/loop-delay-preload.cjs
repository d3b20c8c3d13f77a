// Preloaded into the UAT's Node children by bench/uat-profile.ts (NODE_OPTIONS=--require ...):
// samples the main thread's event-loop delay for the process's whole life and, at exit, writes it
// with the process's own CPU use to $BENCH_LOOP_DELAY_DIR/<pid>.json. A process killed by a
// signal it does not handle writes nothing; the bench then has only its /proc samples.
'use strict';
const { isMainThread } = require('node:worker_threads');
const dir = process.env.BENCH_LOOP_DELAY_DIR;
if (isMainThread && dir) {
  const { monitorEventLoopDelay } = require('node:perf_hooks');
  const { writeFileSync } = require('node:fs');
  const { join } = require('node:path');
  const RESOLUTION_MS = 10;
  const h = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  h.enable();
  process.on('exit', () => {
    h.disable();
    // The histogram includes the sampling interval itself; what matters is the lateness beyond it
    // (as src/uat/orchestrator.ts reports the harness's own lag).
    const late = (ns) => Math.max(0, ns / 1e6 - RESOLUTION_MS);
    const cpu = process.cpuUsage();
    try {
      writeFileSync(
        join(dir, `${process.pid}.json`),
        JSON.stringify({
          pid: process.pid,
          argv: process.argv,
          samples: h.count,
          p50Ms: h.count > 0 ? late(h.percentile(50)) : null,
          p99Ms: h.count > 0 ? late(h.percentile(99)) : null,
          maxMs: h.count > 0 ? late(h.max) : null,
          cpuSeconds: (cpu.user + cpu.system) / 1e6,
        }),
      );
    } catch {
      // The bench falls back to its /proc samples.
    }
  });
}
