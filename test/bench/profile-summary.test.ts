import { describe, expect, it } from 'vitest';
import { stretches } from '../../bench/profile-summary.ts';
import { ROOT } from '../../bench/lib.ts';

// A hand-built profile: root -> (idle), root -> handler (project file) -> JSON.parse (native).
const profile = {
  nodes: [
    { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: 0 }, children: [2, 3] },
    { id: 2, callFrame: { functionName: '(idle)', url: '', lineNumber: 0 } },
    { id: 3, callFrame: { functionName: 'handle', url: `file://${ROOT}/src/engine/planner.ts`, lineNumber: 9 }, children: [4] },
    { id: 4, callFrame: { functionName: 'parse', url: '', lineNumber: 0 } },
  ],
  // 1 ms apart: 2 busy, idle, 40 busy, idle, 35 busy (under parse), idle.
  samples: [3, 3, 2, ...Array(40).fill(3), 2, ...Array(35).fill(4), 2],
  timeDeltas: Array(2 + 1 + 40 + 1 + 35 + 1).fill(1000),
  startTime: 0,
  endTime: 80_000,
};

describe('profile-summary --stretches', () => {
  it('finds the runs of busy samples with no idle sample between them, longest first, and names the project frame nearest the top', () => {
    const out = stretches(profile, 30);
    expect(out).toMatch(/Busy stretches of 30 ms or more: 2, 73 ms in all/);
    const lines = out.split('\n');
    // The 40-sample run is first; the 35-sample run's samples are in JSON.parse, charged to the handler that called it.
    expect(lines[1]).toMatch(/39 ms: handle src\/engine\/planner\.ts \(40\)/);
    expect(lines[2]).toMatch(/34 ms: handle src\/engine\/planner\.ts \(35\)/);
  });

  it('leaves out shorter runs', () => {
    expect(stretches(profile, 100)).toMatch(/Busy stretches of 100 ms or more: 0, 0 ms in all/);
  });
});
