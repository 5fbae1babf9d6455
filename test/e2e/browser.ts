// Shared set-up for the browser journeys: a fresh app (createTestApp) on a random local port, driven by
// headless Debian chromium. Needs /usr/bin/chromium and a CJK font (fonts-noto-cjk); `.ci/run` installs both.
import fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createTestApp, type TestApp } from '../support/app.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const RESULTS = path.resolve(import.meta.dirname, '../../test-results');
export const SCREENSHOTS = path.join(RESULTS, 'screenshots');

export interface BrowserApp {
  t: TestApp;
  /** http://127.0.0.1:PORT */
  base: string;
  browser: Browser;
  /** A new context with its own cookies (zh-CN, Asia/Shanghai, 1280×800) and one page in it. */
  newPage(): Promise<{ context: BrowserContext; page: Page }>;
  close(): Promise<void>;
}

export async function startBrowserApp(): Promise<BrowserApp> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} not found: install it with "apt-get install -y chromium fonts-noto-cjk" (or run bash .ci/run)`);
  }
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  let t: TestApp | undefined;
  let server: Server | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server!.close(() => resolve()));
    }
    await t?.close();
  };
  try {
    t = await createTestApp();
    const listening = t.app.listen(0, '127.0.0.1');
    server = listening;
    await new Promise<void>((resolve, reject) => {
      listening.once('listening', resolve);
      listening.once('error', reject);
    });
    const base = `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
    const launched = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
        '--disable-sync', '--no-first-run', '--disable-quic'],
    });
    browser = launched;
    const newPage = async () => {
      const context = await launched.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1280, height: 800 } });
      return { context, page: await context.newPage() };
    };
    return { t, base, browser: launched, newPage, close };
  } catch (e) {
    await close(); // vitest still runs afterAll, but the caller has nothing to close yet
    throw e;
  }
}

/** A full-page screenshot into test-results/screenshots/NAME.png. */
export const screenshot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
