// Preloaded into the UAT's Node children by bench/uat-profile.ts (NODE_OPTIONS=--require ...):
// samples the main thread's event-loop delay for the process's whole life and, at exit, writes it
// with the process's own CPU use to $BENCH_LOOP_DELAY_DIR/<pid>.json. A process killed by a
// signal it does not handle writes nothing; the bench then has only its /proc samples.
// With $BENCH_CHILD_PROFILE_DIR set (uat-profile --cpu-prof) it also runs V8's sampling profiler
// for the process's whole life and writes <pid>.cpuprofile there at exit: every process of the
// run profiled, not only the orchestrator (issue 15: what blocks each event loop, and when).
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
  const profileDir = process.env.BENCH_CHILD_PROFILE_DIR;
  let session;
  if (profileDir) {
    const { Session } = require('node:inspector');
    session = new Session();
    session.connect();
    // An in-process session answers synchronously, so the profile can be taken in 'exit'.
    session.post('Profiler.enable');
    session.post('Profiler.start');
  }
  process.on('exit', () => {
    h.disable();
    if (session) {
      session.post('Profiler.stop', (error, result) => {
        if (error) return;
        try {
          writeFileSync(join(profileDir, `${process.pid}.cpuprofile`), JSON.stringify(result.profile));
        } catch {
          // A profile is a diagnostic: the run's figures do not depend on it.
        }
      });
    }
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
