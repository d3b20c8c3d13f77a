/**
 * Progress while a UAT run works: the phase, the simulated clock, orders placed and synced to the
 * ERP, 429s, failed webhook deliveries, dead letters and the backlog. Counts come from taps on the
 * simulator's ledger and the mocks' state in this process (never from the integration). On a
 * terminal one line is redrawn in place with a bar; in CI a plain line is printed every few seconds.
 */
export type Phase = 'starting' | 'integration' | 'load' | 'drain' | 'stopping' | 'verifying' | 'reporting' | 'done';

export interface ProgressCounts {
  ordersPlaced: number;
  ordersSynced: number;
  deadLetters: number;
  rateLimited: number;
  webhookFailures: number;
  hooksDeactivated: number;
}

export interface ProgressState extends ProgressCounts {
  phase: Phase;
  /** Simulated epoch ms now. */
  simNow: number;
  /** Simulated epoch ms the load started (undefined before). */
  loadStartedAt?: number;
  /** Simulated duration of the scenario, for the load phase's share. */
  scenarioMs?: number;
  detail?: string;
}

export interface ProgressSink {
  write(text: string): void;
  isTTY?: boolean;
}

function hms(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

export function renderProgressLine(s: ProgressState, tty: boolean): string {
  const elapsed = s.loadStartedAt !== undefined ? s.simNow - s.loadStartedAt : 0;
  const share = s.phase === 'load' && s.scenarioMs ? Math.min(1, elapsed / s.scenarioMs) : s.phase === 'load' ? 0 : 1;
  const width = 16;
  const bar = tty && s.phase === 'load' ? ` [${'='.repeat(Math.round(share * width)).padEnd(width)}] ${String(Math.floor(share * 100)).padStart(3)}%` : s.phase === 'load' ? ` ${Math.floor(share * 100)}%` : '';
  const backlog = Math.max(0, s.ordersPlaced - s.ordersSynced - s.deadLetters);
  return [
    `${s.phase}${bar}`,
    `sim ${new Date(s.simNow).toISOString().slice(0, 19).replace('T', ' ')} (+${hms(elapsed)})`,
    `orders ${s.ordersPlaced} placed, ${s.ordersSynced} in ERP, ${s.deadLetters} dead-lettered`,
    `backlog ${backlog}`,
    `429s ${s.rateLimited}`,
    `webhook failures ${s.webhookFailures}${s.hooksDeactivated > 0 ? `, hooks deactivated ${s.hooksDeactivated}` : ''}`,
    ...(s.detail ? [s.detail] : []),
  ].join(' | ');
}

export interface ProgressPrinter {
  /** Print a one-off message line (phase changes, warnings). */
  note(text: string): void;
  stop(): void;
}

export function createProgressPrinter(sink: ProgressSink | false, snapshot: () => ProgressState, options: { intervalMs?: number } = {}): ProgressPrinter {
  if (!sink) return { note: () => {}, stop: () => {} };
  const tty = sink.isTTY === true;
  const interval = options.intervalMs ?? (tty ? 250 : 5_000);
  let drawn = false;
  const clear = () => {
    if (tty && drawn) sink.write('\r\x1b[2K');
    drawn = false;
  };
  const draw = () => {
    const line = renderProgressLine(snapshot(), tty);
    if (tty) {
      sink.write(`\r\x1b[2K${line.slice(0, 400)}`);
      drawn = true;
    } else sink.write(`[uat] ${line}\n`);
  };
  const timer = setInterval(draw, interval);
  timer.unref();
  return {
    note(text) {
      clear();
      sink.write(`[uat] ${text}\n`);
    },
    stop() {
      clearInterval(timer);
      draw();
      if (tty) sink.write('\n');
      drawn = false;
    },
  };
}
