/**
 * The run directory: everything a UAT run recorded, so the verdict can be recomputed and the
 * reports re-rendered after every process has exited (DESIGN.md section 3, "Storage").
 *
 *   run.json              what ran: options, integration, simulator, clock times, load result
 *   ledger.jsonl          the simulator's ground truth
 *   journal-<system>.jsonl  every write each connected system received
 *   published-<system>.jsonl  every change each connected system published on its feeds
 *   alerts.jsonl          everything the integration sent to ALERT_URL
 *   dead-letters.json     its dead-letter queue, when an export command printed it
 *   quota.json            the store's quota windows
 *   catalog.json          the store's products (abandoned carts are rendered with them)
 *   load-summary.json     the load runner's summary (k6 --summary-export shape)
 *   integration.log, load.log
 *   verdict.json, report.json, report.html, report.md, junit.xml
 */
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { makePrivateDir, writePrivateFile } from '../../lib/private-files.ts';
import { alertLineSchema, quotaSnapshotSchema, type AlertLine, type QuotaSnapshot } from '../verify/inputs.ts';
import { createJournalIndex, createLedgerIndex, createPublishedIndex, type JournalIndex, type LedgerIndex, type PublishedIndex } from '../verify/ledger-index.ts';

export const JOURNAL_SYSTEMS = ['erp', '3pl', 'crm', 'marketing'] as const;

export function runId(scenario: string, integration: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${scenario}-${integration}`.replace(/[^A-Za-z0-9._-]/g, '_');
}

export function createRunDirectory(out: string | undefined, id: string): string {
  const dir = resolve(out ?? join('reports', 'out', 'uat', id));
  // It will hold orders with their customers' details and the integration's logs: owner-only.
  makePrivateDir(dir);
  return dir;
}

export function writeJson(dir: string, name: string, value: unknown): string {
  const file = join(dir, name);
  writePrivateFile(file, `${JSON.stringify(value, null, 2)}\n`);
  return file;
}

/** Stream a JSON Lines file line by line; unparseable lines go to `onBad`. */
export async function readJsonLines(file: string, onLine: (value: unknown) => void, onBad: () => void = () => {}): Promise<number> {
  if (!existsSync(file)) return 0;
  let n = 0;
  const rl = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const line of rl) {
    if (line.trim() === '') continue;
    n++;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      onBad();
      continue;
    }
    onLine(value);
  }
  return n;
}

export interface RunFiles {
  ledger: LedgerIndex;
  journals: JournalIndex;
  /** Absent for runs recorded before the mocks kept what they published. */
  published?: PublishedIndex;
  alerts: AlertLine[];
  quota?: QuotaSnapshot;
  catalog?: CatalogSnapshot;
}

export interface CatalogSnapshot {
  storeHash: string;
  products: { id: number; name: string; type: string; url: string }[];
}

/**
 * What the integration reported to ALERT_URL (alerts.jsonl), plus its exported dead-letter queue
 * (dead-letters.json), which reads like dead-letter reports that arrived when each entry was made.
 */
export async function readAlertLines(dir: string): Promise<AlertLine[]> {
  const alerts: AlertLine[] = [];
  await readJsonLines(join(dir, 'alerts.jsonl'), (v) => {
    const parsed = alertLineSchema.safeParse(v);
    if (parsed.success) alerts.push(parsed.data);
  });
  const exported = join(dir, 'dead-letters.json');
  if (existsSync(exported)) {
    const entries = JSON.parse(readFileSync(exported, 'utf8')) as { entries: Record<string, unknown>[] };
    for (const e of entries.entries) {
      const at = typeof e.createdAt === 'number' ? new Date(e.createdAt).toISOString() : typeof e.at === 'string' ? e.at : new Date(0).toISOString();
      alerts.push({ at, path: '(dead-letter export)', body: { ...e, queueKind: e.kind, kind: 'dead-letter' } });
    }
  }
  return alerts;
}

/** Read a run directory's ground truth and journals into the verifier's indexes. */
export async function readRunFiles(dir: string, options: { alsoLedger?: { add(line: unknown): void; bad(): void } } = {}): Promise<RunFiles> {
  const ledger = createLedgerIndex();
  // `alsoLedger` takes the same lines (the cost-of-ownership measurement): one pass over a ledger
  // of hundreds of megabytes instead of two.
  const also = options.alsoLedger;
  await readJsonLines(
    join(dir, 'ledger.jsonl'),
    (v) => {
      ledger.add(v);
      also?.add(v);
    },
    () => {
      ledger.add(null);
      also?.bad();
    },
  );
  const journals = createJournalIndex();
  for (const system of JOURNAL_SYSTEMS) await readJsonLines(join(dir, `journal-${system}.jsonl`), (v) => journals.add(v), () => journals.add(null));
  let published: PublishedIndex | undefined;
  for (const system of JOURNAL_SYSTEMS) {
    const file = join(dir, `published-${system}.jsonl`);
    if (!existsSync(file)) continue;
    published ??= createPublishedIndex();
    await readJsonLines(file, (v) => published!.add(v), () => published!.add(null));
  }
  const alerts = await readAlertLines(dir);
  const quotaFile = join(dir, 'quota.json');
  const quota = existsSync(quotaFile) ? quotaSnapshotSchema.parse(JSON.parse(readFileSync(quotaFile, 'utf8'))) : undefined;
  const catalogFile = join(dir, 'catalog.json');
  const catalog = existsSync(catalogFile) ? (JSON.parse(readFileSync(catalogFile, 'utf8')) as CatalogSnapshot) : undefined;
  return { ledger, journals, ...(published ? { published } : {}), alerts, ...(quota ? { quota } : {}), ...(catalog ? { catalog } : {}) };
}
