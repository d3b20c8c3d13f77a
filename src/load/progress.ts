/**
 * Progress while a test runs, in k6's words ("running (01.0s), 00/05 VUs, 50 complete and 0
 * interrupted iterations", then one line per scenario). On a terminal the block is redrawn in
 * place with a bar; otherwise (CI) it is printed as plain lines at an interval.
 */
import type { ScenarioProgress } from './executors/types.ts';

export interface ProgressSnapshot {
  elapsedMs: number;
  activeVUs: number;
  initializedVUs: number;
  complete: number;
  interrupted: number;
  scenarios: { name: string; progress: ScenarioProgress; startsInMs: number }[];
}

export interface ProgressSink {
  write(text: string): void;
  isTTY?: boolean;
}

export interface ProgressPrinter {
  stop(): void;
}

function clock(ms: number): string {
  const total = ms / 1000;
  const minutes = Math.floor(total / 60);
  const seconds = (total % 60).toFixed(1).padStart(4, '0');
  return minutes > 0 ? `${minutes}m${seconds}s` : `${seconds}s`;
}

function bar(fraction: number, width = 20): string {
  const filled = Math.round(Math.max(0, Math.min(1, fraction)) * width);
  return `${'='.repeat(Math.max(0, filled - 1))}${filled > 0 ? '>' : ''}${' '.repeat(width - filled)}`;
}

const MARKS: Record<ScenarioProgress['state'], string> = { waiting: '•', running: ' ', stopping: '↓', done: '✓', interrupted: '✗' };

export function renderProgress(s: ProgressSnapshot, tty: boolean): string[] {
  const width = Math.max(...s.scenarios.map((x) => x.name.length));
  const lines = [`running (${clock(s.elapsedMs)}), ${s.activeVUs}/${s.initializedVUs} VUs, ${s.complete} complete and ${s.interrupted} interrupted iterations`];
  for (const sc of s.scenarios) {
    const percent = `${Math.floor(sc.progress.fraction * 100)}%`.padStart(4);
    const detail = sc.progress.state === 'waiting' ? `waiting  ${clock(sc.startsInMs)}` : sc.progress.detail;
    const meter = tty ? `[${bar(sc.progress.fraction)}] ${percent}` : `[ ${percent} ]`;
    lines.push(`${sc.name.padEnd(width)} ${MARKS[sc.progress.state]} ${meter} ${detail}`);
  }
  return lines;
}

export function createProgressPrinter(sink: ProgressSink, snapshot: () => ProgressSnapshot, options: { intervalMs?: number } = {}): ProgressPrinter {
  const tty = sink.isTTY === true;
  const interval = options.intervalMs ?? (tty ? 250 : 5_000);
  let drawn = 0;
  const draw = () => {
    const lines = renderProgress(snapshot(), tty);
    if (tty) {
      // Move up over the previous block and clear each line before rewriting it.
      sink.write(`${drawn ? `\x1b[${drawn}A` : ''}${lines.map((l) => `\x1b[2K${l}`).join('\n')}\n`);
      drawn = lines.length;
    } else {
      sink.write(`${lines.join('\n')}\n\n`);
    }
  };
  const timer = setInterval(draw, interval);
  return {
    stop() {
      clearInterval(timer);
      draw();
    },
  };
}
