/**
 * Input `bc-harness uat` refuses (exit 2) and how it says so: a misspelt integration, scenario,
 * measure, waiver or config key gets the name it was probably meant to be, a missing field says
 * what to write, and a typo of a built-in integration is never run through the shell. Where the
 * behaviour lives in a function it is called in-process; the exit code, the escape hatch and
 * "nothing was run" need the real command.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { unknownScenarioMessage } from '../../src/load/scenario-catalog.ts';
import { DEFAULTS, loadConfigFile, type UatOptions } from '../../src/uat/config.ts';
import { checkIntegrationName, integrationLabel, IntegrationStartError, parseIntegration } from '../../src/uat/integration-process.ts';
import { prepareUat, UatInputError } from '../../src/uat/orchestrator.ts';
import { runId } from '../../src/uat/run-directory.ts';
import { CriteriaError, resolveCriteria } from '../../src/verify/criteria.ts';
import { BIN, cleanupTempDirs, tempDir, type UatLine } from './support/run-uat.ts';

afterAll(cleanupTempDirs);

/** `bc-harness uat` as a user runs it, with extra environment (a PATH holding a fake program). */
async function uat(args: string[], env: Record<string, string> = {}) {
  const started = Date.now();
  const child = spawn(process.execPath, [BIN, 'uat', '--json', '--no-progress', '--runner', 'embedded', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exitCode = await new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
  const line = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as UatLine;
  return { exitCode, line, stderr, ms: Date.now() - started };
}

/**
 * A program called `refrence` on a PATH of its own that leaves a marker when it runs, so a test
 * can tell whether the harness ran it.
 */
function fakeRefrence(): { path: string; marker: string } {
  const dir = tempDir('bc-harness-fake-');
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  const marker = join(dir, 'refrence-ran');
  writeFileSync(join(bin, 'refrence'), `#!/bin/sh\necho ran > '${marker}'\necho "refrence: a fake that exits at once" >&2\nexit 4\n`);
  chmodSync(join(bin, 'refrence'), 0o755);
  return { path: `${bin}${delimiter}${process.env.PATH ?? ''}`, marker };
}

const REFRENCE = '"refrence" is not a built-in integration. Did you mean "reference"? To run a command of that name, write it as "./refrence" or with arguments';

describe('--integration: a typo of a built-in name is refused, not run as a command', () => {
  it.each([
    ['refrence', 'reference'],
    ['Reference', 'reference'],
    ['refernece', 'reference'],
    ['naiv-drift-blind', 'naive-drift-blind'],
    ['fixed-poller', 'naive-fixed-poller'],
    ['naive-fixed-poler', 'naive-fixed-poller'],
  ])('%s: did you mean %s', (given, meant) => {
    expect(() => parseIntegration(given)).toThrow(IntegrationStartError);
    expect(() => parseIntegration(given)).toThrow(new RegExp(`^Failed to choose the integration: .*${given}.* Did you mean "${meant}"\\?`));
  });

  it('says how to run a command of that name anyway', () => {
    expect(() => parseIntegration('refrence')).toThrow(REFRENCE);
  });

  it.each(['./refrence', 'refrence --json', 'exec refrence', 'python3 my_integration.py', 'node', 'my-connector', 'bin/refrence'])('%s is a command', (given) => {
    expect(parseIntegration(given)).toEqual({ kind: 'command', command: given });
  });

  it('exits 2 without running the program, before anything starts', async () => {
    const fake = fakeRefrence();
    const out = join(tempDir(), 'run');
    const { exitCode, line, stderr, ms } = await uat(['--scenario', 'doorbuster', '--integration', 'refrence', '--out', out], { PATH: fake.path });
    expect(exitCode).toBe(2);
    expect(stderr).toContain(`error: Failed to choose the integration: ${REFRENCE}`);
    expect(line).toMatchObject({ verdict: 'inconclusive', reportDir: null });
    expect(line.error).toContain('Did you mean "reference"?');
    // Never spawned: no marker, no run directory, and no simulator was started and stopped.
    expect(existsSync(fake.marker)).toBe(false);
    expect(existsSync(out)).toBe(false);
    expect(stderr).not.toMatch(/run directory|exited with code/);
    expect(ms).toBeLessThan(20_000);
  }, 30_000);

  it('runs the escape hatch as a command, labelled with --name in the run', async () => {
    const fake = fakeRefrence();
    const out = join(tempDir(), 'run');
    const { exitCode, stderr } = await uat(['--scenario', 'doorbuster', '--integration', 'exec refrence', '--name', 'Acme Sync 2.1', '--time-scale', '300', '--out', out], { PATH: fake.path });
    // It ran as a command, and failed as one (its exit code is uat-command.test.ts's business).
    expect(existsSync(fake.marker)).toBe(true);
    expect(exitCode).not.toBe(0);
    expect(stderr).toMatch(/Failed to start the integration \(exec refrence\): it exited with code 4 before it was ready/);
    expect(stderr).toContain('against Acme Sync 2.1');
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { integration: { label: string } };
    expect(run.integration.label).toBe('Acme Sync 2.1');
  }, 60_000);
});

describe('--name', () => {
  it('labels the integration in place of the one derived from it', () => {
    expect(integrationLabel({ kind: 'command', command: 'python3 x.py' })).toBe('command');
    expect(integrationLabel({ kind: 'command', command: 'python3 x.py' }, '  Acme Sync 2.1 ')).toBe('Acme Sync 2.1');
    expect(integrationLabel({ kind: 'reference' }, 'reference-v2')).toBe('reference-v2');
  });

  it('stays one directory in the run id, whatever it holds', () => {
    const id = runId('doorbuster', integrationLabel({ kind: 'command', command: 'x y' }, '../Acme / Sync'), new Date('2026-11-27T10:15:00Z'));
    expect(id).toBe('20261127-101500-doorbuster-.._Acme___Sync');
    expect(id).not.toContain('/');
  });

  it.each([
    ['', /it is empty/],
    ['   ', /it is empty/],
    ['acme\u0007sync', /control or invisible character/],
    ['acme\u200bsync', /control or invisible character/],
    ['x'.repeat(61), /61 characters long, at most 60/],
    ['-- / --', /no letter or digit/],
  ])('refuses %j', (name, reason) => {
    expect(() => checkIntegrationName(name)).toThrow(IntegrationStartError);
    expect(() => checkIntegrationName(name)).toThrow(reason);
    expect(() => checkIntegrationName(name)).toThrow(/^Failed to use --name.*Give a short label/);
  });

  it('accepts 60 characters and any script', () => {
    expect(checkIntegrationName('x'.repeat(60))).toBe('x'.repeat(60));
    expect(checkIntegrationName('Connecteur Élan №2')).toBe('Connecteur Élan №2');
  });

  it('exits 2 on an empty --name before anything starts', async () => {
    const out = join(tempDir(), 'run');
    const { exitCode, stderr } = await uat(['--scenario', 'doorbuster', '--integration', 'reference', '--name', ' ', '--out', out]);
    expect(exitCode).toBe(2);
    expect(stderr).toContain('error: Failed to use --name: it is empty.');
    expect(existsSync(out)).toBe(false);
  }, 30_000);
});

describe('--scenario', () => {
  it.each([
    ['doorbustr', 'there is no scenario of that name in scenarios/. Did you mean "doorbuster"?'],
    ['flash-sale', 'Did you mean "flash-sale-10x"?'],
    ['doorbuster.js', 'there is no such file. Did you mean "doorbuster"?'],
  ])('%s', (given, text) => {
    const message = unknownScenarioMessage(given);
    expect(message).toMatch(new RegExp(`^Failed to find the scenario "${given.replace('.', '\\.')}": `));
    expect(message).toContain(text);
    expect(message).toContain('Use one of api-drift,');
  });

  it('suggests nothing when nothing is near', () => {
    expect(unknownScenarioMessage('zzz')).not.toContain('Did you mean');
  });

  it('exits 2 with the nearest name', async () => {
    const { exitCode, stderr, line } = await uat(['--scenario', 'doorbustr', '--integration', 'reference']);
    expect(exitCode).toBe(2);
    expect(stderr).toContain('error: Failed to find the scenario "doorbustr": there is no scenario of that name in scenarios/. Did you mean "doorbuster"?');
    expect(line.verdict).toBe('inconclusive');
  }, 30_000);
});

const criterion = (over: Record<string, unknown> = {}) => ({ id: 'x', name: 'x', flow: 'orders' as const, measure: 'orders.lost', op: '==' as const, limit: 0, why: 'w', ...over });

describe('a criterion naming a measure the verifier does not compute', () => {
  it('names the measure and the nearest ones, not every measure there is', () => {
    let message = '';
    try {
      resolveCriteria({ config: { criteria: [criterion({ measure: 'orders.lostt' })] } });
    } catch (error) {
      expect(error).toBeInstanceOf(CriteriaError);
      message = (error as Error).message;
    }
    expect(message).toMatch(/^Failed to accept criterion "x" \(config\): the verifier does not compute the measure "orders\.lostt"\. Did you mean "orders\.lost"\? /);
    expect(message).toContain('README.md lists every measure ("Measures are ..."');
    expect(message).not.toContain('webhooks.failedDeliveries');
    expect(message.length).toBeLessThan(300);
  });

  it.each([
    ['orders.syncLatencyP95', 'Did you mean "orders.syncLatencyP95Seconds"?'],
    ['order.lost', 'Did you mean "orders.lost"?'],
  ])('%s', (measure, text) => {
    expect(() => resolveCriteria({ config: { criteria: [criterion({ measure })] } })).toThrow(text);
  });

  it('suggests nothing rather than something unrelated', () => {
    expect(() => resolveCriteria({ config: { criteria: [criterion({ measure: 'orders.happiness' })] } })).toThrow(/"orders\.happiness"\. Fix the measure/);
  });

  it("says so for a scenario's own criteria too, before anything starts", async () => {
    const dir = tempDir();
    const script = join(dir, 'my-scenario.js');
    const acceptance = { scenario: 'my-scenario', description: 'd', simulatedDuration: '5m', expectedOrders: 1, requires: ['simulator'], patterns: [], criteria: [criterion({ id: 'lost', measure: 'orders.lostt' })] };
    writeFileSync(script, `export const options = {};\nexport const acceptance = ${JSON.stringify(acceptance)};\nexport default function () {}\n`);
    const options: UatOptions = { scenario: script, integration: 'reference', plan: 'standard', timeScale: 60, seed: 1, runner: 'embedded', scenarioEnv: {}, readyTimeoutMs: DEFAULTS.readyTimeoutMs, products: 10, customers: 10, pastOrders: 0 };
    const refused = prepareUat(options);
    await expect(refused).rejects.toThrow(UatInputError);
    await expect(prepareUat(options)).rejects.toThrow('Failed to accept criterion "lost" (scenario): the verifier does not compute the measure "orders.lostt". Did you mean "orders.lost"?');
  });

  it('exits 2 for a --config criterion, with the suggestion and without the list', async () => {
    const config = join(tempDir(), 'uat.yml');
    writeFileSync(config, 'acceptance:\n  criteria:\n    - { id: x, name: x, flow: orders, measure: orders.lostt, op: "==", limit: 0, why: w }\n');
    const { exitCode, stderr } = await uat(['--scenario', 'doorbuster', '--integration', 'reference', '--config', config]);
    expect(exitCode).toBe(2);
    expect(stderr).toContain('error: Failed to accept criterion "x" (config): the verifier does not compute the measure "orders.lostt". Did you mean "orders.lost"?');
    expect(stderr.length).toBeLessThan(1_000);
  }, 30_000);
});

describe('a waiver of a criterion the run does not have', () => {
  it('gets the nearest id', () => {
    expect(() => resolveCriteria({ config: { waive: [{ id: 'quota-headrom', reason: 'r' }] } })).toThrow(/^Failed to waive criterion "quota-headrom": no such criterion in this run\. Did you mean "quota-headroom"\? /);
  });
});

describe('the --config file', () => {
  const write = (text: string) => {
    const file = join(tempDir(), 'uat.yml');
    writeFileSync(file, text);
    return file;
  };
  const refusal = (file: string) => {
    try {
      loadConfigFile(file);
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error(`${file} was accepted`);
  };

  it('names a missing field, where it is and what to write', () => {
    const file = write('acceptance:\n  criteria:\n    - { id: x, name: x, flow: orders, measure: orders.lost, op: "==", limit: 0 }\n');
    expect(refusal(file)).toContain(`Failed to accept the config file ${file}: acceptance.criteria[0] (id "x"): "why" is required: say why the limit matters (shown in the report next to the criterion).`);
  });

  it('gives one message per missing field', () => {
    const file = write('acceptance:\n  criteria:\n    - { id: x, name: x, flow: orders, measure: orders.lost }\n');
    const message = refusal(file);
    expect(message).toContain('acceptance.criteria[0] (id "x"): "op" is required: how the measure compares with the limit');
    expect(message).toContain('acceptance.criteria[0] (id "x"): "limit" is required: the number the measure is compared with');
    expect(message).toContain('acceptance.criteria[0] (id "x"): "why" is required: say why the limit matters');
    expect(message).not.toContain('Invalid input');
  });

  it.each([
    ['acceptence:\n  defaults: true\n', 'unknown key "acceptence" (did you mean "acceptance"?)'],
    ['acceptance:\n  criteria:\n    - { id: x, name: x, flow: orders, measur: orders.lost, op: "==", limit: 0, why: w }\n', 'acceptance.criteria[0] (id "x"): unknown key "measur" (did you mean "measure"?)'],
    ['drain: { quite: 5m }\n', 'drain: unknown key "quite" (did you mean "quiet"?)'],
    ['acceptance:\n  wiave: []\n', 'acceptance: unknown key "wiave" (did you mean "waive"?)'],
    ['acceptance:\n  scope: [order]\n', 'acceptance.scope[0]: expected one of'],
    ['acceptance:\n  criteria:\n    - { id: x, name: x, flow: order, measure: orders.lost, op: "==", limit: 0, why: w }\n', '"flow": expected one of'],
  ])('a misspelt key or value gets the nearest known one (%#)', (text, expected) => {
    const message = refusal(write(text));
    expect(message).toContain(expected);
  });

  it('reports a misspelt key once, not also as the missing key it was meant to be', () => {
    const message = refusal(write('acceptance:\n  criteria:\n    - { id: x, name: x, flow: orders, measur: orders.lost, op: "==", limit: 0, why: w }\n'));
    expect(message).not.toContain('"measure" is required');
  });

  it('suggests the nearest value of a choice', () => {
    expect(refusal(write('acceptance:\n  scope: [order]\n'))).toContain('got "order". Did you mean "orders"?');
  });
});
