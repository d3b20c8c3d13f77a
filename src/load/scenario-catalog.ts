/**
 * The load scenarios shipped in scenarios/, and loading a script's exports (options, acceptance)
 * without running it: the init context runs once, as k6 does to read options.
 */
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { didYouMean, readableIssues } from '../suggest.ts';
import { createExecContext, executionStorage, type RunContext, type VuState } from './context.ts';
import { createGroupTree } from './group-tree.ts';
import { createK6Logger } from './logger.ts';
import { createMetricRegistry } from './metrics.ts';
import { consolidateOptions } from './options.ts';
import { importScriptInstance } from './script-loader.ts';
import { acceptanceSchema, type ScenarioAcceptance } from './acceptance.ts';
import { createVuHttpClient } from './vu-http-client.ts';

export const SCENARIOS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'scenarios');

export function listScenarios(dir = SCENARIOS_DIR): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.js'))
    .map((f) => basename(f, '.js'))
    .sort();
}

/** A scenario name (`doorbuster`) or a path to any k6 script. */
export function resolveScenario(nameOrPath: string, dir = SCENARIOS_DIR): { name: string; path: string } | undefined {
  const asPath = resolve(nameOrPath);
  if (existsSync(asPath) && asPath.endsWith('.js')) return { name: basename(asPath, '.js'), path: asPath };
  const named = join(dir, `${nameOrPath}.js`);
  if (/^[a-z0-9-]+$/.test(nameOrPath) && existsSync(named)) return { name: nameOrPath, path: named };
  return undefined;
}

/**
 * Why `resolveScenario` found nothing, with the nearest scenario names: a misspelt name gets the
 * name it was probably meant to be, a missing file is called missing.
 */
export function unknownScenarioMessage(nameOrPath: string, dir = SCENARIOS_DIR): string {
  const names = listScenarios(dir);
  const asPath = /[\\/]/.test(nameOrPath) || nameOrPath.endsWith('.js');
  const why = !asPath ? 'there is no scenario of that name in scenarios/' : existsSync(resolve(nameOrPath)) ? 'it is not a .js k6 script' : 'there is no such file';
  // "./doorbustr.js" was probably meant as the shipped scenario too.
  const near = didYouMean(basename(nameOrPath, '.js'), names);
  return `Failed to find the scenario "${nameOrPath}": ${why}.${near} Use one of ${names.join(', ')}, or a path to a .js k6 script.`;
}

let loads = 0;

/** Run a script's init context once and return its exports (no setup, no iterations). */
export async function loadScriptExports(path: string, env: Record<string, string> = {}): Promise<Record<string, unknown>> {
  const run: RunContext = {
    id: `inspect-${process.pid}-${++loads}`,
    registry: createMetricRegistry(),
    builtin: {} as RunContext['builtin'],
    tree: createGroupTree(),
    options: consolidateOptions({}),
    logger: createK6Logger((line) => process.stderr.write(line)),
    scriptDir: dirname(path),
    startedAt: performance.now(),
    stats: () => ({ iterationsCompleted: 0, iterationsInterrupted: 0, vusActive: 0, vusInitialized: 0 }),
    abortTest: () => {},
    failTest: () => {},
    unsupported: (error) => {
      throw error;
    },
  };
  const http = createVuHttpClient({ insecureSkipTLSVerify: false, noConnectionReuse: false });
  const vu: VuState = { idInTest: 0, exports: {}, http, data: undefined, iterationsInInstance: 0, customTags: {}, metadata: {}, responseCallback: undefined };
  try {
    return await executionStorage.run(createExecContext(run, 'init', vu, { ...env }), () => importScriptInstance(path, run.id, 0));
  } finally {
    await http.close();
  }
}

/** A scenario's acceptance criteria, validated; throws naming the field when they are malformed. */
export async function loadAcceptance(path: string, env: Record<string, string> = {}): Promise<ScenarioAcceptance> {
  const exports = await loadScriptExports(path, env);
  const parsed = acceptanceSchema.safeParse(exports.acceptance);
  if (!parsed.success) {
    const issues = readableIssues(parsed.error, exports.acceptance, acceptanceSchema, { root: 'acceptance' }).join('; ');
    throw new Error(`Failed to read the acceptance criteria of ${path}: ${issues}. Export them as \`export const acceptance = {...}\` (scenarios/README.md).`);
  }
  return parsed.data;
}
