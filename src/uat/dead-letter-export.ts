/**
 * Reading an integration's dead-letter queue after it stopped, for integrations that keep their
 * queue rather than report each entry to ALERT_URL. The command prints JSON (an array, or one
 * object per line); each object needs `key` and `reason` and may name the `spec`. The reference
 * engine's own export is `bc-harness dlq list --json` on its state file.
 *
 * The queue only says where a record that never reached its target is held and why. Whether a
 * record is missing, corrupted or duplicated is still decided from the ledger and the journals.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { BIN, PROJECT_ROOT } from './integration-process.ts';
import { writeJson } from './run-directory.ts';

export function referenceDeadLetterCommand(runDir: string): string {
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  return `${q(process.execPath)} ${q(BIN)} dlq list --state all --json --db ${q(join(runDir, 'engine.sqlite'))}`;
}

export async function exportDeadLetters(command: string, env: Record<string, string>, runDir: string): Promise<{ count: number; error?: string }> {
  const child = spawn(command, { shell: true, cwd: PROJECT_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await new Promise<number>((resolve) => {
    child.once('exit', (c) => resolve(c ?? 1));
    child.once('error', () => resolve(127));
  });
  if (code !== 0) return { count: 0, error: `the dead-letter export (${command}) exited with ${code}: ${err.trim().slice(0, 300)}` };
  let entries: unknown[];
  const text = out.trim();
  try {
    entries = text === '' ? [] : text.startsWith('[') ? (JSON.parse(text) as unknown[]) : text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as unknown);
  } catch (error) {
    return { count: 0, error: `the dead-letter export (${command}) did not print JSON: ${(error as Error).message}` };
  }
  const objects = entries.filter((e): e is Record<string, unknown> => Boolean(e) && typeof e === 'object' && !Array.isArray(e));
  writeJson(runDir, 'dead-letters.json', { command, entries: objects });
  return { count: objects.length };
}
