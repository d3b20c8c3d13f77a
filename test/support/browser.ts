/**
 * Reports looked at in a real browser: Debian's chromium driven by playwright-core. Tests that need
 * it run only where it is installed and say so in a skipped test's title elsewhere.
 */
import fs from 'node:fs';
import type { Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = fs.existsSync(CHROMIUM);

/**
 * Open a local HTML file in headless Chromium at 1280x900 and hand the page to `use`, with every
 * request that went anywhere but the file system (a self-contained report makes none).
 */
export async function withReportPage<T>(file: string, use: (page: Page, external: string[]) => Promise<T>): Promise<T> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const external: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith('file:')) external.push(r.url());
    });
    await page.goto(`file://${file}`);
    return await use(page, external);
  } finally {
    await browser.close();
  }
}

/** The document's width: a report fits the viewport; wide tables scroll inside their own box. */
export const documentWidth = (page: Page): Promise<number> => page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth);
