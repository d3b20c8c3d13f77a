/**
 * `bc-harness mapping-doc`: the data-mapping deliverable, rendered from the executable specs with
 * examples computed on the simulator's worst-case order. Writes mapping-doc.<ext> into --out.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { flowIds } from '../../mappings/flows.ts';
import { defaultMappingsDir, formatSpecIssue, loadSpecs, type LoadedSpec } from '../../mappings/load-spec.ts';
import { createSampleWorld } from '../../mappings/sample-sources.ts';
import { buildMappingDoc } from '../../reports/mapping-doc/build.ts';
import { mappingDocFormats, renderMappingDoc, type MappingDocFormat } from '../../reports/mapping-doc/render.ts';
import { EXIT, UsageError } from '../exit-codes.ts';
import { intOption } from '../options.ts';

export interface MappingDocFlags {
  flow?: string;
  format: string;
  out: string;
  mappings: string;
  seed: number;
}

export function parseFormats(value: string): MappingDocFormat[] {
  const requested = value.split(',').map((f) => f.trim().toLowerCase()).filter(Boolean);
  const aliases: Record<string, MappingDocFormat> = { markdown: 'md', htm: 'html' };
  const formats = requested.map((f) => aliases[f] ?? f);
  const unknown = formats.filter((f) => !(mappingDocFormats as readonly string[]).includes(f));
  if (formats.length === 0 || unknown.length > 0) {
    throw new UsageError(`--format must be html, md or csv (or several, comma-separated); got "${value}".`);
  }
  return [...new Set(formats)] as MappingDocFormat[];
}

/** Specs of one flow id or one spec name; every spec when no filter is given. */
export function selectSpecs(specs: LoadedSpec[], filter: string | undefined): LoadedSpec[] {
  if (!filter) return specs;
  const chosen = specs.filter((s) => s.compiled.spec.flow === filter || s.compiled.spec.name === filter);
  if (chosen.length === 0) {
    const names = specs.map((s) => s.compiled.spec.name);
    throw new UsageError(`--flow "${filter}" names no flow or spec. Flows: ${flowIds.join(', ')}. Specs: ${names.join(', ')}.`);
  }
  return chosen;
}

export async function runMappingDoc(flags: MappingDocFlags, log: (line: string) => void): Promise<number> {
  const formats = parseFormats(flags.format);
  const dir = path.resolve(flags.mappings);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new UsageError(`--mappings ${flags.mappings} is not a directory of mapping specs (*.yml).`);
  const loaded = loadSpecs(dir);
  if (loaded.issues.length > 0) {
    for (const issue of loaded.issues) console.error(formatSpecIssue(issue));
    console.error(`error: ${loaded.issues.length} problem(s) in the mapping specs; fix them and run again (format: mappings/README.md).`);
    return EXIT.invalidInput;
  }
  if (loaded.specs.length === 0) throw new UsageError(`--mappings ${flags.mappings} holds no mapping specs (*.yml).`);
  const specs = selectSpecs(loaded.specs, flags.flow);

  const world = createSampleWorld({ seed: flags.seed });
  try {
    const { order, sources } = world.sample('worst-case');
    const doc = buildMappingDoc({
      specs,
      samples: sources,
      sampleOrder: { id: order.order.id, lines: order.products.length, addresses: order.shippingAddresses.length, currency: order.order.currency_code },
      seed: flags.seed,
      generatedAt: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    });
    const out = path.resolve(flags.out);
    fs.mkdirSync(out, { recursive: true });
    const base = flags.flow ? `mapping-doc-${flags.flow}` : 'mapping-doc';
    for (const format of formats) {
      const file = path.join(out, `${base}.${format}`);
      fs.writeFileSync(file, renderMappingDoc(doc, format));
      log(`wrote ${path.relative(process.cwd(), file) || file}`);
    }
    log(`${doc.totals.specs} spec(s) in ${doc.totals.flows} flow(s): ${doc.totals.fields} target fields, ${doc.totals.mapped} of ${doc.totals.sourceFields} source fields mapped, ${doc.totals.unaccounted} unaccounted; worst-case example rejected by ${doc.totals.rejectedExamples} spec(s).`);
  } finally {
    world.close();
  }
  return EXIT.ok;
}

export function registerMappingDoc(program: Command, run: (action: () => Promise<number>) => Promise<void>): void {
  program
    .command('mapping-doc')
    .description('Render the data-mapping document (every field, transform, direction, frequency, system of record) from the mapping specs')
    .option('--flow <name>', `one flow (${flowIds.join(', ')}) or one spec name`)
    .option('--format <formats>', 'html, md or csv; several comma-separated', 'html')
    .option('--out <dir>', 'directory to write mapping-doc.<format> into', 'reports/out')
    .option('--mappings <dir>', 'directory of mapping specs', path.relative(process.cwd(), defaultMappingsDir) || defaultMappingsDir)
    .option('--seed <n>', 'seed of the simulated store whose worst-case order gives the examples', intOption('--seed', 0, 2 ** 31 - 1), 1)
    .addHelpText(
      'after',
      `
Examples:
  $ bc-harness mapping-doc                               # reports/out/mapping-doc.html, all eight flows
  $ bc-harness mapping-doc --format html,md,csv --out deliverables/
  $ bc-harness mapping-doc --flow orders --format md     # one flow, for a pull request
  $ bc-harness mapping-doc --flow orders-to-erp-sales-order --format csv`,
    )
    .action((flags: MappingDocFlags) => run(() => runMappingDoc(flags, (l) => console.log(l))));
}
