/**
 * Renders the data-mapping document: HTML and Markdown through the Handlebars templates in
 * reports/templates/, CSV in code (a spreadsheet format is about quoting, not layout). Every
 * renderer takes the validated model and returns a string; writing files is the caller's job.
 */
import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { projectRoot } from '../../mappings/contracts.ts';
import { mappingDocSchema, type MappingDoc } from './model.ts';

export const mappingDocFormats = ['html', 'md', 'csv'] as const;
export type MappingDocFormat = (typeof mappingDocFormats)[number];

export const templatesDir = path.join(projectRoot, 'reports', 'templates');

const OUTCOME_LABELS: Record<string, string> = {
  accepted: 'accepted',
  'accepted-with-warnings': 'warnings',
  rejected: 'rejected',
  skipped: 'skipped',
  'no-sample': 'no sample',
};

const RISK_LABELS: Record<string, string> = {
  authored: 'risk',
  reject: 'reject',
  truncate: 'data cut',
  fallback: 'fallback',
  coverage: 'coverage gap',
};

/** Escape text for a Markdown table cell: pipes, line breaks and raw HTML. */
export function markdownCell(value: unknown): string {
  return String(value ?? '')
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r?\n/g, ' ')
    .replace(/\*/g, '\\*')
    .replace(/_/g, '\\_');
}

function createEngine(): typeof Handlebars {
  const hb = Handlebars.create();
  hb.registerHelper('outcomeLabel', (outcome: string) => OUTCOME_LABELS[outcome] ?? outcome);
  hb.registerHelper('riskLabel', (kind: string) => RISK_LABELS[kind] ?? kind);
  hb.registerHelper('indent', (depth: number) => 10 + depth * 22);
  hb.registerHelper('pct', (part: number, total: number) => (total > 0 ? Math.round((part / total) * 1000) / 10 : 0));
  hb.registerHelper('md', (value: unknown) => markdownCell(value));
  hb.registerHelper('mdIndent', (depth: number) => '↳ '.repeat(depth));
  hb.registerHelper('statusMark', (status: string) => (status === 'error' ? '❌ ' : status === 'warning' ? '⚠️ ' : ''));
  return hb;
}

const cache = new Map<string, Handlebars.TemplateDelegate>();

function template(format: 'html' | 'md', dir: string): Handlebars.TemplateDelegate {
  const file = path.join(dir, `mapping-doc.${format}.hbs`);
  let compiled = cache.get(file);
  if (!compiled) {
    if (!fs.existsSync(file)) throw new Error(`Failed to render the mapping document: template ${file} is missing. Restore it from the repository.`);
    compiled = createEngine().compile(fs.readFileSync(file, 'utf8'), { noEscape: format === 'md', strict: true });
    cache.set(file, compiled);
  }
  return compiled;
}

const CSV_COLUMNS = [
  'flow',
  'spec',
  'direction',
  'status',
  'source',
  'target',
  'transform',
  'required',
  'default',
  'constraint',
  'condition',
  'notes',
  'example',
  'example_status',
  'example_issue',
] as const;

function csvCell(value: unknown): string {
  const text = String(value ?? '');
  // Quote everything that a spreadsheet could misread; a leading = + - @ would run as a formula.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n;]/.test(safe) || safe !== text || safe.trim() !== safe ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One row per field: every mapped target field, then every ignored and unaccounted source field. */
export function renderMappingDocCsv(doc: MappingDoc): string {
  const rows: string[][] = [];
  for (const flow of doc.flows) {
    for (const spec of flow.specs) {
      for (const f of spec.fields) {
        rows.push([flow.title, spec.name, spec.direction, 'mapped', f.source, f.target, f.transform, f.required ? 'yes' : 'no', f.default, f.constraint, f.condition, f.notes, f.example.value, f.example.status, f.example.issue]);
      }
      for (const i of spec.coverage.ignored) rows.push([flow.title, spec.name, spec.direction, 'ignored', i.path, '', '', '', '', '', '', i.reason, '', '', '']);
      for (const u of spec.coverage.unaccounted) rows.push([flow.title, spec.name, spec.direction, 'unaccounted', u, '', '', '', '', '', '', 'neither mapped nor ignored', '', '', '']);
    }
  }
  // A byte-order mark makes Excel read UTF-8 (Arabic, Japanese and emoji examples); CRLF per RFC 4180.
  return `\uFEFF${[[...CSV_COLUMNS], ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

export function renderMappingDoc(doc: MappingDoc, format: MappingDocFormat, options: { templatesDir?: string } = {}): string {
  const valid = mappingDocSchema.parse(doc);
  switch (format) {
    case 'html':
    case 'md':
      return template(format, options.templatesDir ?? templatesDir)(valid);
    case 'csv':
      return renderMappingDocCsv(valid);
    default:
      return format satisfies never;
  }
}
