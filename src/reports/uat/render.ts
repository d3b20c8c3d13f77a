/**
 * Renders the UAT report: HTML, Markdown and JUnit XML through the Handlebars templates in
 * reports/templates/ (uat.html.hbs, uat.md.hbs, uat.junit.xml.hbs), JSON as the validated model
 * itself. Every renderer takes the model and returns a string; writing files is the caller's job.
 */
import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { markdownCell, templatesDir } from '../mapping-doc/render.ts';
import { uatReportSchema, type UatReport } from './model.ts';

export const uatFormats = ['html', 'md', 'json', 'junit'] as const;
export type UatFormat = (typeof uatFormats)[number];

const FILES: Record<Exclude<UatFormat, 'json'>, string> = { html: 'uat.html.hbs', md: 'uat.md.hbs', junit: 'uat.junit.xml.hbs' };

/** XML 1.0 forbids most control characters even as references; drop them. */
export function xmlText(value: unknown): string {
  return String(value ?? '')
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** The Handlebars instance with the report helpers; the TCO report's renderer shares it. */
export function createReportHandlebars(): typeof Handlebars {
  const hb = Handlebars.create();
  hb.registerHelper('md', (value: unknown) => markdownCell(value));
  hb.registerHelper('xml', (value: unknown) => new hb.SafeString(xmlText(value)));
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hb.registerHelper('gt', (a: number, b: number) => a > b);
  // A criterion's result (pass, fail, not-exercised; a boolean means pass or fail): never a tick for one the run did not exercise.
  hb.registerHelper('mark', (status: string | boolean) => (status === true || status === 'pass' ? '✅' : status === 'not-exercised' ? '⚪ not exercised' : '❌'));
  // SVG comes from our own chart helpers, which escape every text they embed.
  hb.registerHelper('svg', (markup: string) => new hb.SafeString(markup));
  return hb;
}

const cache = new Map<string, Handlebars.TemplateDelegate>();

function template(format: Exclude<UatFormat, 'json'>, dir: string): Handlebars.TemplateDelegate {
  const file = path.join(dir, FILES[format]);
  let compiled = cache.get(file);
  if (!compiled) {
    if (!fs.existsSync(file)) throw new Error(`Failed to render the UAT report: template ${file} is missing. Restore it from the repository.`);
    compiled = createReportHandlebars().compile(fs.readFileSync(file, 'utf8'), { noEscape: format !== 'html', strict: true });
    cache.set(file, compiled);
  }
  return compiled;
}

export function renderUatReport(report: UatReport, format: UatFormat, options: { templatesDir?: string } = {}): string {
  const valid = uatReportSchema.parse(report);
  switch (format) {
    case 'json':
      return `${JSON.stringify(valid, null, 2)}\n`;
    case 'html':
    case 'md':
    case 'junit':
      return template(format, options.templatesDir ?? templatesDir)(valid);
    default:
      return format satisfies never;
  }
}
