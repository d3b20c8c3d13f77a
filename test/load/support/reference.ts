/**
 * The k6 reference outputs in ../shared/k6-reference (real k6 v1.3.0 runs) and their tiny target
 * server, read at test time and never copied into the project.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REFERENCE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'shared', 'k6-reference');
export const hasReference = existsSync(join(REFERENCE_DIR, 'observed.json')) && existsSync(join(REFERENCE_DIR, 'server.mjs'));

export const referencePath = (file: string) => join(REFERENCE_DIR, file);
export const readReference = (file: string) => readFileSync(referencePath(file), 'utf8');
export const readReferenceJson = <T = any>(file: string): T => JSON.parse(readReference(file)) as T;

export interface Observed {
  exit_code: number;
  iterations: number | null;
  dropped_iterations: number | null;
  http_reqs: number | null;
  checks: { passes: number; fails: number } | null;
  thresholds_ok: string[];
  thresholds_failed: string[];
  final_progress?: { complete: number; interrupted: number };
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolvePort(port));
    });
  });
}

export interface ReferenceServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Spawn ../shared/k6-reference/server.mjs on a free port (it takes the port as its argument;
 * port 0 would print 0, so a free port is picked first). Retries if the port was taken meanwhile.
 */
export async function startReferenceServer(): Promise<ReferenceServer> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const child: ChildProcess = spawn(process.execPath, [referencePath('server.mjs'), String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const ready = await new Promise<boolean>((resolveReady) => {
      const timer = setTimeout(() => resolveReady(false), 5_000);
      child.stdout!.once('data', () => {
        clearTimeout(timer);
        resolveReady(true);
      });
      child.once('exit', () => {
        clearTimeout(timer);
        resolveReady(false);
      });
    });
    if (ready) {
      return {
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((resolveClose) => {
            if (child.exitCode !== null) return resolveClose();
            child.once('exit', () => resolveClose());
            child.kill('SIGTERM');
          }),
      };
    }
    child.kill('SIGKILL');
  }
  throw new Error('Failed to start ../shared/k6-reference/server.mjs on a free port after 5 attempts.');
}
