/**
 * The ledger's file (lib/ledger.ts, decision 0004): every entry is one JSON line, in append order,
 * whatever its characters and wherever the chunk boundaries fall. Issue 15 changed how lines are
 * encoded into the chunk buffer (straight in, measured only near a chunk's end), so these pin the
 * bytes: multi-byte text across boundaries, a line that fills a chunk exactly, one larger than a
 * chunk, and the tap seeing the same objects that are written.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLedger, tapLedger, type LedgerEntry } from '../../lib/ledger.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function ledgerFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bc-harness-ledger-test-'));
  dirs.push(dir);
  return join(dir, 'ledger.jsonl');
}

const entry = (i: number, text: string): LedgerEntry => ({ kind: 'api:request', at: '2026-01-01T00:00:00.000Z', i, text });

/** What the file must hold: each entry's JSON and a newline, in order. */
const expected = (entries: LedgerEntry[]) => entries.map((e) => `${JSON.stringify(e)}\n`).join('');

describe('ledger file', () => {
  it('writes every line whole and in order across small chunks, with 1-, 2-, 3- and 4-byte characters', () => {
    const path = ledgerFile();
    // 200 bytes a chunk: most lines below land near a boundary, so both encoding paths run.
    const ledger = createLedger({ path, chunkBytes: 200 });
    const texts = ['plain', 'Zoë Ångström', '東京都渋谷区', 'ÉTÉ-2026-🎉🎉', 'x'.repeat(150), '€'.repeat(55), '\u{1F600}'.repeat(40)];
    const entries = Array.from({ length: 300 }, (_, i) => entry(i, texts[i % texts.length]!));
    for (const e of entries) ledger.append(e);
    expect(ledger.count).toBe(300);
    ledger.close();
    const text = readFileSync(path, 'utf8');
    expect(text).toBe(expected(entries));
    expect(text.split('\n').slice(0, -1).map((line) => (JSON.parse(line) as { i: number }).i)).toEqual(entries.map((_, i) => i));
  });

  it('writes a line that fills a chunk to the byte, and one larger than a chunk, between ordinary lines', () => {
    const path = ledgerFile();
    const chunkBytes = 256;
    const ledger = createLedger({ path, chunkBytes });
    const skeleton = Buffer.byteLength(`${JSON.stringify(entry(1, ''))}\n`);
    // Multi-byte filler, so the line's UTF-16 length and its UTF-8 size differ (3 bytes per character).
    const room = chunkBytes - skeleton;
    const exact = entry(1, `${'€'.repeat(Math.floor(room / 3))}${'a'.repeat(room % 3)}`);
    expect(Buffer.byteLength(`${JSON.stringify(exact)}\n`)).toBe(chunkBytes);
    const entries = [entry(0, 'before'), exact, entry(2, 'ü'.repeat(400)), entry(3, 'after')];
    for (const e of entries) ledger.append(e);
    ledger.close();
    expect(readFileSync(path, 'utf8')).toBe(expected(entries));
  });

  it('lets a reader see buffered lines after a flush, and the tap sees each entry before it is written', async () => {
    const path = ledgerFile();
    const seen: unknown[] = [];
    const ledger = tapLedger(createLedger({ path }), (e) => seen.push(e));
    const entries = [entry(0, 'a'), entry(1, 'ß')];
    for (const e of entries) ledger.append(e);
    expect(seen).toEqual(entries);
    expect(seen[0]).toBe(entries[0]);
    let streamed = '';
    for await (const chunk of ledger.stream()) streamed += chunk as string;
    expect(streamed).toBe(expected(entries));
    ledger.close();
  });
});
