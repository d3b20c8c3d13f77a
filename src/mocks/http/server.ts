/**
 * Start the connected-system mocks on a real HTTP server (loopback, port 0 = any free port).
 * They build the same catalog as the simulator from the same seed, so the ERP's item master and
 * stock, and the CRM's contacts, match the store.
 */
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { createVirtualClock, type Clock } from '../../../lib/clock.ts';
import { createLedger, tapLedger, type Ledger, type LedgerEntry } from '../../../lib/ledger.ts';
import { deriveSeed, createRandom } from '../../../lib/random.ts';
import { generateCatalog, storeHashFor, randomToken, tokenFor, type CatalogProfile } from '../../../simulator/index.ts';
import { createTargetValidator } from '../../mappings/target-validator.ts';
import { createSystems, systemNames, type BackOfficeTiming, type PublishedEntry, type Systems, type SystemName } from '../domain/systems.ts';
import { listen } from '../../../lib/listen.ts';
import { createMocksApp } from './app.ts';

export interface MocksOptions {
  port?: number;
  host?: string;
  /** The simulator's seed: the mocks model the back office of its first store. */
  seed?: number;
  products?: number;
  customers?: number;
  /** The simulator's catalog profile, so the ERP knows every item a worst-case store sells. */
  catalog?: CatalogProfile;
  timeScale?: number;
  start?: number;
  clock?: Clock;
  runDir?: string;
  timing?: Partial<BackOfficeTiming>;
  /** Called for every change a system publishes on its feeds (the UAT run's drain watches them). */
  onPublished?: (entry: PublishedEntry) => void;
  /** Called for every journal line a system writes (the mocks on a thread relay them: mocks-thread.ts). */
  onJournal?: (entry: LedgerEntry) => void;
  /**
   * Derive the control token from the seed, so the same seed gives the same token
   * (`bc-harness mocks --fixed-tokens`). Off by default: the token is random per run.
   */
  deterministicTokens?: boolean;
}

export interface RunningMocks {
  url: string;
  controlToken: string;
  systems: Systems;
  clock: Clock;
  server: Server;
  journals: Record<SystemName, Ledger>;
  /** What each system published on its feeds (`published-<system>.jsonl` in the run directory). */
  published: Record<SystemName, Ledger>;
  close(): Promise<void>;
}

export async function startMocks(options: MocksOptions = {}): Promise<RunningMocks> {
  const seed = options.seed ?? 1;
  const clock = options.clock ?? createVirtualClock({ scale: options.timeScale ?? 1, ...(options.start !== undefined ? { start: options.start } : {}) });
  const storeSeed = deriveSeed(seed, storeHashFor(seed, 0));
  const catalog = generateCatalog({ seed: storeSeed, now: clock.now(), ...(options.products !== undefined ? { products: options.products } : {}), ...(options.customers !== undefined ? { customers: options.customers } : {}), ...(options.catalog ? { catalog: options.catalog } : {}) });
  const onJournal = options.onJournal;
  const journals = Object.fromEntries(
    systemNames.map((n) => {
      const journal = createLedger(options.runDir ? { path: join(options.runDir, `journal-${n}.jsonl`) } : {});
      return [n, onJournal ? tapLedger(journal, onJournal) : journal];
    }),
  ) as Record<SystemName, Ledger>;
  const published = Object.fromEntries(systemNames.map((n) => [n, createLedger(options.runDir ? { path: join(options.runDir, `published-${n}.jsonl`) } : {})])) as Record<SystemName, Ledger>;
  // One ledger per system, like the journals; the systems append to whichever the entry names.
  const publishedSink = {
    append(entry: PublishedEntry) {
      published[entry.system].append(entry as unknown as LedgerEntry);
      options.onPublished?.(entry);
    },
  };
  const systems = createSystems({ clock, seed, catalog, validator: createTargetValidator(), journals, published: publishedSink, ...(options.timing ? { timing: options.timing } : {}) });
  const controlToken = options.deterministicTokens ? tokenFor('mocks', seed, `control-${Math.floor(createRandom(seed)() * 1e9)}`) : randomToken();
  const app = createMocksApp({ clock, systems, journals, published, controlToken, seed });
  const server = createServer({ keepAliveTimeout: 30_000 }, app);
  const url = await listen(server, options.host ?? '127.0.0.1', options.port ?? 0);
  let closing: Promise<void> | undefined;
  return {
    url,
    controlToken,
    systems,
    clock,
    server,
    journals,
    published,
    close() {
      closing ??= (async () => {
        clock.dispose();
        for (const j of [...Object.values(journals), ...Object.values(published)]) j.close();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      })();
      return closing;
    },
  };
}
