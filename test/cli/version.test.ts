/**
 * `bc-harness --version` and `-V`: the version a bug report should quote, from package.json (the
 * CLI runs from source, so nothing else could stamp it).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = join(process.cwd(), 'bin/bc-harness.js');
const { version } = JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')) as { version: string };

describe('bc-harness --version', () => {
  it.each(['--version', '-V'])('%s prints the package version and exits 0', (flag) => {
    const r = spawnSync(process.execPath, [BIN, flag], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${version}\n`);
    expect(r.stderr).toBe('');
  });

  it('is listed in --help', () => {
    const r = spawnSync(process.execPath, [BIN, '--help'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/-V, --version\s+print the version/);
  });
});
