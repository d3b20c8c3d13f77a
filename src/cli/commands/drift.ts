/**
 * `bc-harness drift`: the mapping specs and resource contracts against a new BigCommerce OpenAPI
 * document. Exit 1 on a breaking change (a mapped field removed, renamed or retyped, a request
 * field newly required), 0 otherwise; additive changes are reported and never fail the build.
 * Exit 2 when no mapped field was compared (the documents given define none of the operations the
 * specs use) or two documents claim one API: a pass that checked nothing would be a false pass.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { createContractRegistry } from '../../mappings/contracts.ts';
import { checkDrift, DriftInputError, renderDriftJunit, renderDriftMarkdown, type DriftReport } from '../../mappings/drift.ts';
import { defaultMappingsDir, formatSpecIssue, loadSpecs } from '../../mappings/load-spec.ts';
import { loadOpenApiSet, OpenApiLoadError } from '../../mappings/openapi.ts';
import { EXIT, UsageError } from '../exit-codes.ts';

export interface DriftFlags {
  spec: string[];
  against?: string[];
  junit?: string;
  format: string;
  json?: boolean;
  out?: string;
  mappings: string;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export async function runDrift(flags: DriftFlags, write: (text: string) => void): Promise<{ code: number; report?: DriftReport }> {
  const format = flags.json ? 'json' : flags.format.toLowerCase();
  if (!['md', 'markdown', 'json'].includes(format)) throw new UsageError(`--format must be md or json; got "${flags.format}".`);
  if (!flags.spec?.length) throw new UsageError('--spec is required: the new OpenAPI document (a file, or a directory of them such as ../shared/bigcommerce-specs/current).');

  const dir = path.resolve(flags.mappings);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new UsageError(`--mappings ${flags.mappings} is not a directory of mapping specs (*.yml).`);
  const registry = createContractRegistry();
  const loaded = loadSpecs(dir, registry);
  if (loaded.issues.length > 0) {
    for (const issue of loaded.issues) console.error(formatSpecIssue(issue));
    console.error(`error: ${loaded.issues.length} problem(s) in the mapping specs; fix them before checking drift.`);
    return { code: EXIT.invalidInput };
  }

  let current;
  let previous;
  try {
    current = await loadOpenApiSet(flags.spec);
    previous = flags.against?.length ? await loadOpenApiSet(flags.against) : undefined;
  } catch (error) {
    if (error instanceof OpenApiLoadError) throw new UsageError(`${error.message}`);
    throw error;
  }

  let report: DriftReport;
  try {
    report = checkDrift({ specs: loaded.specs, registry, current, ...(previous ? { previous } : {}), generatedAt: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') });
  } catch (error) {
    if (error instanceof DriftInputError) throw new UsageError(error.message);
    throw error;
  }
  const text = format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : renderDriftMarkdown(report);
  if (flags.out) {
    fs.mkdirSync(path.dirname(path.resolve(flags.out)), { recursive: true });
    fs.writeFileSync(flags.out, text);
  } else write(text);
  if (flags.junit) {
    fs.mkdirSync(path.dirname(path.resolve(flags.junit)), { recursive: true });
    fs.writeFileSync(flags.junit, renderDriftJunit(report));
  }
  if (report.verdict === 'nothing-compared') {
    // The report is still written (its documents table says what each file was taken for), but
    // the run is invalid input, never a pass.
    console.error(`error: ${report.nothingComparedReason}`);
    return { code: EXIT.invalidInput, report };
  }
  return { code: report.verdict === 'breaking' ? EXIT.failed : EXIT.ok, report };
}

export function registerDrift(program: Command, run: (action: () => Promise<number>) => Promise<void>): void {
  program
    .command('drift')
    .description('Check the mapping specs against a new BigCommerce OpenAPI document: breaking changes exit 1')
    .requiredOption('--spec <path>', 'the new OpenAPI document, or a directory of them (repeatable); each is recognised by its content, not its file name', collect)
    .option('--against <path>', 'the document(s) the specs were written against, to list every field-level difference (repeatable)', collect)
    .option('--junit <file>', 'also write JUnit XML for CI')
    .option('--format <format>', 'md or json', 'md')
    .option('--json', 'same as --format json')
    .option('--out <file>', 'write the report to a file instead of stdout')
    .option('--mappings <dir>', 'directory of mapping specs', path.relative(process.cwd(), defaultMappingsDir) || defaultMappingsDir)
    .addHelpText(
      'after',
      `
Documents are matched to contracts by content: the operations they define (GET /orders/{order_id}
is Orders V2), then the API version in servers, basePath or title. Two documents claiming one API
exit 2; so does a run that compared no mapped field.

Exit codes: 0 no breaking change, 1 breaking change, 2 invalid input (including nothing compared), 3 harness error.

Examples:
  $ bc-harness drift --spec ../shared/bigcommerce-specs/current
  $ bc-harness drift --spec new/orders.v2.oas2.yml --against old/orders.v2.oas2.yml --junit reports/out/drift.xml
  $ bc-harness drift --spec specs/2026-04 --against specs/2024-03 --json > drift.json`,
    )
    .action((flags: DriftFlags) =>
      run(async () => {
        const { code } = await runDrift(flags, (t) => process.stdout.write(t));
        return code;
      }),
    );
}
