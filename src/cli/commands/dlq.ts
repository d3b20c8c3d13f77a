/**
 * `bc-harness dlq list | show | replay`: the reference engine's dead-letter queue, read and
 * replayed straight from its SQLite file (the engine may be running: it notices replayed records
 * within ten simulated seconds).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { openEngineDb, type EngineDb } from '../../engine/db.ts';
import { createDeadLetters, type DeadLetter, type DeadLetterState } from '../../engine/dlq.ts';
import { createOutbox } from '../../engine/outbox.ts';
import { createWorkQueue } from '../../engine/work-queue.ts';
import { EXIT, UsageError } from '../exit-codes.ts';

const DEFAULT_DB = 'bc-harness-engine.sqlite';

function openDb(flag: string | undefined): EngineDb {
  const path = resolve(flag ?? process.env.ENGINE_DB ?? DEFAULT_DB);
  if (!existsSync(path)) throw new UsageError(`--db ${path} does not exist. Point --db (or ENGINE_DB) at the engine's state file.`);
  return openEngineDb(path);
}

const at = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString());

function summary(d: DeadLetter): string {
  return `${String(d.id).padStart(5)}  ${d.state.padEnd(10)} ${d.kind.padEnd(9)} ${d.spec} ${d.key}  (${d.attempts} tries, ${at(d.updatedAt)})\n         ${d.reason.slice(0, 200)}`;
}

export function registerDlq(program: Command, run: (action: () => Promise<number>) => Promise<void>): void {
  const dlq = program.command('dlq').description("Inspect and replay the reference engine's dead-letter queue");
  const dbOption = ['--db <file>', `the engine's state file [env ENGINE_DB, default ${DEFAULT_DB}]`] as const;

  dlq
    .command('list')
    .description('List dead letters (open ones by default)')
    .option(...dbOption)
    .option('--state <state>', 'open, replayed, superseded or all', 'open')
    .option('--spec <name>', 'only this mapping spec')
    .option('--json', 'one JSON array on stdout')
    .action((flags: { db?: string; state: string; spec?: string; json?: boolean }) =>
      run(async () => {
        if (!['open', 'replayed', 'superseded', 'all'].includes(flags.state)) throw new UsageError(`--state must be open, replayed, superseded or all; got "${flags.state}".`);
        const db = openDb(flags.db);
        try {
          const entries = createDeadLetters(db).list({ ...(flags.state !== 'all' ? { state: flags.state as DeadLetterState } : {}), ...(flags.spec ? { spec: flags.spec } : {}) });
          if (flags.json) process.stdout.write(`${JSON.stringify(entries.map(({ payload: _p, ...rest }) => rest))}\n`);
          else if (entries.length === 0) console.log(`No ${flags.state === 'all' ? '' : `${flags.state} `}dead letters.`);
          else for (const e of entries) console.log(summary(e));
          return EXIT.ok;
        } finally {
          db.close();
        }
      }),
    );

  dlq
    .command('show <id>')
    .description('Show one dead letter with what was sent and why it failed')
    .option(...dbOption)
    .option('--json', 'the entry as JSON')
    .action((id: string, flags: { db?: string; json?: boolean }) =>
      run(async () => {
        if (!/^\d+$/.test(id)) throw new UsageError(`<id> must be a dead letter number (see bc-harness dlq list); got "${id}".`);
        const db = openDb(flags.db);
        try {
          const entry = createDeadLetters(db).get(Number(id));
          if (!entry) throw new UsageError(`There is no dead letter ${id} in ${db.path}.`);
          if (flags.json) process.stdout.write(`${JSON.stringify(entry)}\n`);
          else {
            console.log(summary(entry));
            console.log(`  target: ${entry.target}   created ${at(entry.createdAt)}${entry.replayedAt ? `   replayed ${at(entry.replayedAt)}` : ''}`);
            console.log(`  reason: ${entry.reason}`);
            console.log(`  payload:\n${JSON.stringify(entry.payload, null, 2).replace(/^/gm, '    ')}`);
          }
          return EXIT.ok;
        } finally {
          db.close();
        }
      }),
    );

  dlq
    .command('replay [ids...]')
    .description('Put dead letters back to work once their cause is fixed (re-send, re-map or re-fetch)')
    .option(...dbOption)
    .option('--all', 'every open dead letter (optionally of one --spec)')
    .option('--spec <name>', 'with --all: only this mapping spec')
    .option('--json', 'the outcome per entry as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ bc-harness dlq replay 12 13
  $ bc-harness dlq replay --all --spec orders-to-erp-sales-order`,
    )
    .action((ids: string[], flags: { db?: string; all?: boolean; spec?: string; json?: boolean }) =>
      run(async () => {
        if (!flags.all && ids.length === 0) throw new UsageError('name the dead letters to replay (bc-harness dlq replay 12 13) or pass --all.');
        const bad = ids.filter((i) => !/^\d+$/.test(i));
        if (bad.length > 0) throw new UsageError(`dead letter ids are numbers; got ${bad.map((b) => `"${b}"`).join(', ')}.`);
        const db = openDb(flags.db);
        try {
          const letters = createDeadLetters(db);
          const deps = { outbox: createOutbox(db), work: createWorkQueue(db) };
          const chosen = flags.all ? letters.list({ state: 'open', ...(flags.spec ? { spec: flags.spec } : {}) }).map((e) => e.id) : ids.map(Number);
          const outcomes = chosen.map((id) => ({ id, ...letters.replay(id, Date.now(), deps) }));
          if (flags.json) process.stdout.write(`${JSON.stringify(outcomes)}\n`);
          else for (const o of outcomes) console.log(o.ok ? `${o.id}: ${o.action}` : `${o.id}: not replayed: ${o.reason}`);
          return outcomes.every((o) => o.ok) ? EXIT.ok : EXIT.invalidInput;
        } finally {
          db.close();
        }
      }),
    );
}
