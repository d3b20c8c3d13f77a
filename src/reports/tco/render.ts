/**
 * Renders the cost-of-ownership report: HTML and Markdown through reports/templates/tco.*.hbs
 * with the UAT report's Handlebars helpers, JSON as the validated model itself. Every renderer
 * takes the model and returns a string; writing files is the caller's job.
 */
import fs from 'node:fs';
import path from 'node:path';
import type Handlebars from 'handlebars';
import { templatesDir } from '../mapping-doc/render.ts';
import { createReportHandlebars } from '../uat/render.ts';
import { tcoReportSchema, type TcoReport } from './model.ts';

export const tcoFormats = ['html', 'md', 'json'] as const;
export type TcoFormat = (typeof tcoFormats)[number];

const cache = new Map<string, Handlebars.TemplateDelegate>();

function template(format: 'html' | 'md', dir: string): Handlebars.TemplateDelegate {
  const file = path.join(dir, `tco.${format}.hbs`);
  let compiled = cache.get(file);
  if (!compiled) {
    if (!fs.existsSync(file)) throw new Error(`Failed to render the cost-of-ownership report: template ${file} is missing. Restore it from the repository.`);
    compiled = createReportHandlebars().compile(fs.readFileSync(file, 'utf8'), { noEscape: format === 'md', strict: true });
    cache.set(file, compiled);
  }
  return compiled;
}

export function renderTcoReport(report: TcoReport, format: TcoFormat, options: { templatesDir?: string } = {}): string {
  const valid = tcoReportSchema.parse(report);
  switch (format) {
    case 'json':
      return `${JSON.stringify(valid, null, 2)}\n`;
    case 'html':
    case 'md':
      return template(format, options.templatesDir ?? templatesDir)(valid);
    default:
      return format satisfies never;
  }
}
