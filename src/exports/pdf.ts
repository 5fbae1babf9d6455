// HTML → PDF with the machine's Chromium (Debian's /usr/bin/chromium) driven by playwright-core. The page is handed
// over as a complete document (styles inline) with page.setContent, so Chromium never fetches anything from the app
// or the network; every request the page would still make is refused. One module, so the engine stays swappable.
import fs from 'node:fs';
import { chromium } from 'playwright-core';

/** Where Chromium lives; an installation (or a test) may point elsewhere. */
export const pdfSettings = { executablePath: '/usr/bin/chromium', timeoutMs: 30_000 };

const LAUNCH_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Whether a PDF can be made on this machine. */
export function pdfAvailable(): boolean {
  try {
    fs.accessSync(pdfSettings.executablePath, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A complete HTML document around a rendered body, with the given style sheets inline. */
export function htmlDocument(input: { title: string; body: string; css: readonly string[] }): string {
  // A style sheet cannot close its own element early: "</style" inside it would end it.
  const styles = input.css.map((css) => `<style>${css.replace(/<\/style/gi, '<\\/style')}</style>`).join('\n');
  return `<!doctype html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n<title>${escapeHtml(input.title)}</title>\n${styles}\n</head>\n<body>\n${input.body}\n</body>\n</html>\n`;
}

// One Chromium at a time: a burst of PDF requests queues instead of starting a browser each.
let queue: Promise<unknown> = Promise.resolve();

/** Prints the document on A4 (backgrounds included) and returns the PDF's bytes. */
export function htmlToPdf(html: string): Promise<Buffer> {
  const run = queue.then(() => render(html));
  queue = run.catch(() => undefined);
  return run;
}

async function render(html: string): Promise<Buffer> {
  const browser = await chromium.launch({ executablePath: pdfSettings.executablePath, args: LAUNCH_ARGS, timeout: pdfSettings.timeoutMs });
  try {
    const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', javaScriptEnabled: false, offline: true });
    const page = await context.newPage();
    await page.route('**/*', (route) => route.abort());
    await page.setContent(html, { waitUntil: 'load', timeout: pdfSettings.timeoutMs });
    return await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
  } finally {
    await browser.close();
  }
}
