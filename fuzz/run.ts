/**
 * `npm run fuzz -- [--cases N] [--seed S] [--surface simulator|control|mocks|engine|all] [--path P]`
 *
 * Seeded, bounded, property-based cases (fast-check) against the simulator's Management API and
 * control plane, the connected-system mocks and the engine's receiver, each a real child process
 * on loopback. Prints a summary per surface (and a shrunk counterexample for a failure) on stdout,
 * progress on stderr. Exit 0 clean, 1 anything failed, 2 bad usage (docs/fuzzing.md).
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { formatSummary, runFuzz, SURFACES, type SurfaceName } from './fuzz.ts';
import { surfacesByName } from './surfaces/index.ts';

export const DEFAULT_CASES = 200;

export interface FuzzCliOptions {
  cases: number;
  seed: number;
  seedWasGiven: boolean;
  surfaces: SurfaceName[];
  path?: string;
  timeLimitMinutes: number;
}

export class FuzzUsageError extends Error {}

const USAGE = `Usage: npm run fuzz -- [--cases N] [--seed S] [--surface simulator|control|mocks|engine|all] [--path P] [--time-limit MINUTES]
  --cases N        cases per surface (default ${DEFAULT_CASES})
  --seed S         fast-check seed, an integer (default: random, printed)
  --surface NAME   one surface or all (default all)
  --path P         replay one case: the path printed with a counterexample (needs --seed and one --surface)
  --time-limit M   stop a surface's cases after M minutes and report it as failed (default 30)`;

/** Parse the command line; a bad flag is a FuzzUsageError naming it. */
export function parseFuzzArgs(argv: string[]): FuzzCliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { cases: { type: 'string' }, seed: { type: 'string' }, surface: { type: 'string' }, path: { type: 'string' }, 'time-limit': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new FuzzUsageError(`${(error as Error).message}\n${USAGE}`);
  }
  const v = parsed.values;
  if (v.help) throw new FuzzUsageError(USAGE);
  const integer = (flag: string, text: string | undefined, min: number, max: number): number | undefined => {
    if (text === undefined) return undefined;
    if (!/^-?\d+$/.test(text.trim()) || Number(text) < min || Number(text) > max) throw new FuzzUsageError(`${flag} must be a whole number from ${min} to ${max}; got "${text}".`);
    return Number(text);
  };
  const cases = integer('--cases', v.cases, 1, 1_000_000) ?? DEFAULT_CASES;
  const given = integer('--seed', v.seed, -(2 ** 31), 2 ** 31 - 1);
  const surface = v.surface ?? 'all';
  if (surface !== 'all' && !(SURFACES as readonly string[]).includes(surface)) throw new FuzzUsageError(`--surface must be one of ${SURFACES.join(', ')} or all; got "${surface}".`);
  if (v.path !== undefined) {
    if (!/^\d+(:\d+)*$/.test(v.path)) throw new FuzzUsageError(`--path must be a fast-check path such as 12 or 12:0:3 (printed with a counterexample); got "${v.path}".`);
    if (given === undefined) throw new FuzzUsageError('--path replays one case of a seed: give the --seed printed with it too.');
    if (surface === 'all') throw new FuzzUsageError('--path replays one case of one surface: give the --surface printed with it too.');
  }
  const timeLimitMinutes = integer('--time-limit', v['time-limit'], 1, 24 * 60) ?? 30;
  return {
    cases,
    seed: given ?? Math.floor(Math.random() * 2 ** 31),
    seedWasGiven: given !== undefined,
    surfaces: surface === 'all' ? [...SURFACES] : [surface as SurfaceName],
    ...(v.path !== undefined ? { path: v.path } : {}),
    timeLimitMinutes,
  };
}

export async function main(argv: string[]): Promise<number> {
  let options: FuzzCliOptions;
  try {
    options = parseFuzzArgs(argv);
  } catch (error) {
    if (error instanceof FuzzUsageError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
  process.stderr.write(`fuzz: seed ${options.seed}${options.seedWasGiven ? '' : ' (random; pass --seed to repeat)'}, ${options.cases} cases per surface, surfaces ${options.surfaces.join(', ')}\n`);
  const summaries = await runFuzz(
    options.surfaces.map((s) => surfacesByName[s]),
    { cases: options.cases, seed: options.seed, ...(options.path ? { path: options.path } : {}), timeLimitMs: options.timeLimitMinutes * 60_000, log: (line) => process.stderr.write(`${line}\n`) },
  );
  process.stdout.write(`${formatSummary(summaries)}\n`);
  return summaries.every((s) => s.clean) ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`fuzz: Failed to run: ${(error as Error).stack ?? String(error)}\n`);
      process.exit(3);
    },
  );
}
