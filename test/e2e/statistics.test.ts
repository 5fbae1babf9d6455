// Browser check of the statistics page (统计分析): the administrator opens it from the campaign page and the
// server-rendered SVG charts (grade distribution, unit averages, most frequent issues, year-on-year trend) render
// with a real size and their Chinese labels, without tripping the Content-Security-Policy; a department sees its
// own unit with its line next to the region's. Scores are entered through the services; a 2025 campaign's final
// results are inserted directly for the trend.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transitionCampaign } from '../../src/features/campaigns/service.ts';
import { ADMIN_PASSWORD } from '../support/app.ts';
import { adminCtxOf, FIXTURE_PASSWORD, saveAs, setUpReviewCampaign, type ReviewFixture, insertPastYear } from '../support/review-fixture.ts';
import { screenshot, SCREENSHOTS, startBrowserApp, type BrowserApp } from './browser.ts';

let app: BrowserApp;
let fx: ReviewFixture;
let page: Page;
const cspErrors: string[] = [];

beforeAll(async () => {
  app = await startBrowserApp();
  const t = app.t;
  fx = await setUpReviewCampaign(t);
  const { ra, rb, rc } = fx.reviewers;
  // a1 93.5 优秀, a2 99.5 不合格 (veto), b1 85 良好, c1 71 合格.
  await saveAs(t, fx, rb, fx.files.a1, { deductions: { 'S2-01': 3, 'S1-01': 2 } });
  await saveAs(t, fx, rc, fx.files.a1, { deductions: { 'S2-01': 2, 'S1-01': 1 } });
  await saveAs(t, fx, rb, fx.files.a2, { deductions: { 'S1-01': 1 }, vetoes: ['V03'] });
  await saveAs(t, fx, rc, fx.files.a2, { vetoes: ['V03'] });
  await saveAs(t, fx, ra, fx.files.b1, { deductions: { 'S3-05': '10', 'S2-01': 2 } });
  await saveAs(t, fx, rc, fx.files.b1, { deductions: { 'S3-05': '12', 'S2-01': 2 } });
  await saveAs(t, fx, ra, fx.files.c1, { deductions: { 'S3-05': '15', 'S7-04': 5, 'S2-01': 2, 'S1-01': 1 } });
  await saveAs(t, fx, rb, fx.files.c1, { deductions: { 'S3-05': '15', 'S7-04': 4, 'S2-01': 2, 'S1-01': 1 } });
  const admin = await adminCtxOf(t);
  await transitionCampaign(admin, fx.campaignId, 'rechecking');
  await transitionCampaign(admin, fx.campaignId, 'released');

  // 2025: unit A 80 and 90, unit B 70 (region 80).
  await insertPastYear(t, fx, 'closed');

  ({ page } = await app.newPage());
  page.on('console', (message) => { if (/Content.Security.Policy/i.test(message.text())) cspErrors.push(message.text()); });
});

afterAll(async () => {
  await app?.close();
});

async function login(username: string, password: string): Promise<void> {
  await page.goto(`${app.base}/login`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL(`${app.base}/`);
}

/** Size and text of a chart's SVG as the browser lays it out. */
async function chartOf(name: string) {
  const svg = page.locator(`[data-chart="${name}"] svg`);
  expect(await svg.count(), name).toBe(1);
  const box = await svg.boundingBox();
  const texts = await svg.locator('text').allTextContents();
  const fontSize = await svg.locator('text').first().evaluate((el) => getComputedStyle(el).fontSize);
  return { box, texts, fontSize };
}

describe('the statistics page in a browser', () => {
  it('opens from the campaign page and draws the four charts with their Chinese labels', async () => {
    await login('admin', ADMIN_PASSWORD);
    await page.goto(`${app.base}/campaigns/${fx.campaignId}`);
    await page.getByRole('link', { name: '统计分析' }).click();
    await page.waitForURL(`${app.base}/campaigns/${fx.campaignId}/statistics`);
    expect(await page.locator('h1').textContent()).toContain('统计分析');
    expect(await page.locator('.stats-headline .stat').first().textContent()).toContain('4');

    expect(await page.locator('.stats-chart svg').count()).toBe(4);
    const grades = await chartOf('grades');
    const units = await chartOf('units');
    const issues = await chartOf('issues');
    const trend = await chartOf('trend');
    for (const [name, c] of Object.entries({ grades, units, issues, trend })) {
      expect(c.box, name).not.toBeNull();
      expect(c.box!.width, name).toBeGreaterThan(200);
      expect(c.box!.height, name).toBeGreaterThan(150);
      // The font settings arrive as presentation attributes: 12px labels, not the page's 15px.
      expect(c.fontSize, name).toBe('12px');
    }
    expect(grades.texts).toEqual(expect.arrayContaining(['案卷等次分布', '优秀：1（25%）', '良好：1（25%）', '合格：1（25%）', '不合格：1（25%）']));
    expect(units.texts).toEqual(expect.arrayContaining(['各单位平均分（按排名）', '东安区市场监督管理局', '阳明区生态环境局', '爱民区交通运输局', '96.5分', '85分', '71分']));
    expect(issues.texts).toEqual(expect.arrayContaining(['出现最多的问题（涉及案卷数）', '执法人员未出示执法证件', '未立案或者先调查后立案', '3卷', '2卷']));
    expect(trend.texts).toEqual(expect.arrayContaining(['历年平均分（全部单位）', '2025年', '2026年', '80', '87.3', '全部单位平均分']));
    expect(cspErrors).toEqual([]);
    await screenshot(page, 'statistics-campaign');
    await page.locator('[aria-labelledby="charts-heading"]').screenshot({ path: path.join(SCREENSHOTS, 'statistics-charts.png') });
  });

  it('leads from a figure to the files behind it', async () => {
    await page.locator('.stats-headline a.stat', { hasText: '否决（卷）' }).click();
    await page.waitForURL(/\/results\?veto=1$/);
    expect(await page.locator('table.table tbody tr').count()).toBe(1);
    expect(await page.locator('table.table tbody tr td').nth(1).textContent()).toBe('DA-2026-002');
    expect(await page.locator('select[name="veto"]').inputValue()).toBe('1');
    await screenshot(page, 'statistics-results-veto');
  });

  it('opens the bulletin 通报 from the campaign page: the paragraph, the tables and both charts, printable', async () => {
    await page.goto(`${app.base}/campaigns/${fx.campaignId}`);
    await page.getByRole('link', { name: '通报与导出' }).click();
    await page.waitForURL(`${app.base}/campaigns/${fx.campaignId}/bulletin`);
    const text = await page.locator('body').textContent();
    expect(text).toContain('累计评查案卷 4 件');
    expect(text).toContain('合格率 75.0%');
    const charts = page.locator('.bulletin-chart svg');
    expect(await charts.count()).toBe(2);
    for (let i = 0; i < 2; i++) {
      const box = await charts.nth(i).boundingBox();
      expect(box!.width).toBeGreaterThan(200);
      expect(box!.height).toBeGreaterThan(150);
    }
    expect(await charts.first().locator('text').allTextContents()).toEqual(expect.arrayContaining(['优秀：1（25%）']));
    await page.emulateMedia({ media: 'print' });
    await screenshot(page, 'bulletin-print');
    await page.emulateMedia({ media: 'screen' });
    expect(cspErrors).toEqual([]);
  });

  it('shows a department its own unit, with its line next to the region\'s', async () => {
    await page.context().clearCookies();
    await login('dept-a', FIXTURE_PASSWORD);
    await page.goto(`${app.base}/campaigns/${fx.campaignId}`);
    await page.getByRole('link', { name: '统计分析' }).click();
    await page.waitForURL(`${app.base}/campaigns/${fx.campaignId}/statistics`);
    expect(await page.locator('h1').textContent()).toContain('东安区市场监督管理局');
    expect(await page.locator('.stats-chart svg').count()).toBe(3); // no per-unit chart
    const trend = await chartOf('trend');
    expect(trend.texts).toEqual(expect.arrayContaining(['东安区市场监督管理局平均分', '全部单位平均分', '85', '96.5']));
    expect(await page.locator('body').textContent()).not.toContain('阳明区生态环境局');
    expect(cspErrors).toEqual([]);
    await screenshot(page, 'statistics-department');
  });
});
