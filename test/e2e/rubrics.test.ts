// Browser journeys over the rubric pages (评查标准): the bundled standards and the printable score sheet
// (on screen, and as an A4 PDF), uploading good and broken versions, comparing versions, and what a
// reviewer sees. Needs /usr/bin/chromium and a CJK font (fonts-noto-cjk); `.ci/run` installs both.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, addUser, rootUnitId, type TestApp } from '../support/app.ts';
import { RESULTS, screenshot, startBrowserApp, type BrowserApp } from './browser.ts';

const MINIMAL = path.resolve(import.meta.dirname, '../fixtures/rubrics/good/minimal.json');
const MINIMAL_TITLE = '行政处罚案卷评查标准（测试用最小样例）';
const PENALTY_TITLE = '行政处罚案卷（一般程序）评查标准';
const BUNDLED_TITLES = [PENALTY_TITLE, '行政许可案卷评查标准', '行政检查案卷评查标准', '行政强制案卷评查标准'];

let app: BrowserApp;
let t: TestApp;
let base: string;
let page: Page;

beforeAll(async () => {
  app = await startBrowserApp();
  ({ t, base } = app);
  // The administrator's journeys share one context (and so one session) and run in order.
  ({ page } = await app.newPage());
});

afterAll(async () => {
  await app?.close();
});

const nav = (p: Page) => p.getByRole('navigation', { name: '主导航' });
const pathOf = (p: Page) => new URL(p.url()).pathname;
const visible = (p: Page, selector: string) => p.locator(selector).first().isVisible();

async function logIn(p: Page, username: string, password: string) {
  await p.goto(`${base}/login`);
  await p.getByLabel('用户名').fill(username);
  await p.getByLabel('密码').fill(password);
  await p.getByRole('button', { name: '登录' }).click();
  await p.waitForURL((url) => url.pathname !== '/login');
}

/** The standard's panel on /rubrics, found by its heading. */
const standardPanel = (p: Page, title: string) =>
  p.locator('section.panel', { has: p.getByRole('heading', { level: 2, name: title }) });

/** minimal.json with its version (and anything else) changed, written into the test's folder. */
function rubricFile(name: string, change: (rubric: Record<string, any>) => void): string {
  const rubric = JSON.parse(fs.readFileSync(MINIMAL, 'utf8')) as Record<string, any>;
  delete rubric.$schema;
  change(rubric);
  const file = path.join(t.dir, name);
  fs.writeFileSync(file, `${JSON.stringify(rubric, null, 2)}\n`, 'utf8');
  return file;
}

async function upload(file: string) {
  await page.goto(`${base}/rubrics`);
  await page.getByRole('link', { name: '上传新版本' }).click();
  await page.waitForURL(`${base}/rubrics/upload`);
  await page.locator('input[type=file][name=file]').setInputFiles(file);
  await page.getByRole('button', { name: '检查并载入' }).click();
  await page.waitForLoadState('load');
}

/** Page count of a PDF: its page objects, not the /Type /Pages tree nodes. */
const pdfPageCount = (pdf: Buffer) => (pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;

describe('rubrics as an administrator', () => {
  it('lists the bundled standards and shows the penalty score sheet, on screen and printed to A4', async () => {
    await logIn(page, 'admin', ADMIN_PASSWORD);
    await nav(page).getByRole('link', { name: '评查标准' }).click();
    await page.waitForURL(`${base}/rubrics`);
    expect(await page.locator('h1').textContent()).toBe('评查标准');
    for (const title of BUNDLED_TITLES) expect(await standardPanel(page, title).count(), title).toBe(1);
    expect(await page.getByRole('link', { name: '上传新版本' }).count()).toBe(1);
    expect(await page.locator('.import-failure').count()).toBe(0); // every bundled file loaded
    await screenshot(page, 'rubrics-index');

    await standardPanel(page, PENALTY_TITLE).getByRole('link', { name: '评分表' }).click();
    await page.waitForURL(/\/rubrics\/\d+$/);
    const sheet = page.locator('article.score-sheet');
    await sheet.waitFor();
    expect(await sheet.locator('h1').textContent()).toBe(PENALTY_TITLE);
    expect(await sheet.locator('.sheet-meta').textContent()).toContain('满分 100 分');

    // 一、否决项: all thirteen vetoes, each with its tick boxes.
    expect(await page.getByRole('heading', { name: '一、否决项（合法性审查）' }).isVisible()).toBe(true);
    const vetoes = sheet.locator('table', { has: page.getByRole('columnheader', { name: '否决情形' }) });
    expect(await vetoes.isVisible()).toBe(true);
    expect(await vetoes.locator('tbody tr').count()).toBe(13);
    expect(await vetoes.locator('tbody tr').first().textContent()).toContain('□ 是 □ 否');

    // 二、评分项目: section rows numbered in Chinese, item codes under their numbers.
    expect(await page.getByRole('heading', { name: /^二、评分项目（规范性审查，共 47 项/ }).isVisible()).toBe(true);
    const sectionRows = sheet.locator('.sheet-items tr.section-row th');
    expect(await sectionRows.count()).toBe(10);
    expect(await sectionRows.first().textContent()).toBe('一、执法主体（6 分）');
    expect(await sectionRows.nth(9).textContent()).toBe('十、案卷归档（8 分）');
    expect(await sectionRows.first().isVisible()).toBe(true);
    for (const code of ['S1-01', 'S3-07', 'S7-05', 'S10-05']) {
      expect(await sheet.locator('.sheet-items').getByText(code, { exact: true }).isVisible(), code).toBe(true);
    }
    expect(await sheet.locator('.sheet-items tr.subtotal-row').count()).toBe(10);

    // 三、评定结果 and the signature lines.
    expect(await page.getByRole('heading', { name: '三、评定结果' }).isVisible()).toBe(true);
    const grades = sheet.locator('table', { has: page.getByRole('columnheader', { name: '分数区间' }) });
    expect(await grades.isVisible()).toBe(true);
    expect(await grades.locator('tbody td:first-child').allTextContents()).toEqual(['优秀', '良好', '合格', '不合格']);
    expect(await grades.locator('tbody tr').first().textContent()).toContain('90 分及以上');
    const signatures = sheet.locator('.signatures');
    expect(await signatures.isVisible()).toBe(true);
    expect(await signatures.textContent()).toContain('评查人（签名）');
    expect(await signatures.textContent()).toContain('复核人（签名）');
    expect(await signatures.locator('.sign-line').count()).toBe(4);
    await screenshot(page, 'rubric-sheet');

    // Printed: no navigation, top bar or buttons; the sheet itself stays.
    await page.emulateMedia({ media: 'print' });
    try {
      expect(await visible(page, '.sidenav')).toBe(false);
      expect(await visible(page, 'header.topbar')).toBe(false);
      expect(await page.getByRole('button', { name: '打印评分表' }).isVisible()).toBe(false);
      expect(await sheet.locator('h1').isVisible()).toBe(true);
      expect(await signatures.isVisible()).toBe(true);
      const pdfFile = path.join(RESULTS, 'rubric-sheet.pdf');
      const pdf = await page.pdf({ path: pdfFile, format: 'A4', printBackground: true });
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(pdfPageCount(pdf)).toBeGreaterThan(1);
    } finally {
      await page.emulateMedia({ media: null });
    }
    expect(await visible(page, '.sidenav')).toBe(true);
  });

  it('uploads a new version, refuses a broken one with its problems listed, and compares two versions', async () => {
    // A new standard, version 2026.2: stored, and its score sheet shown with the success message.
    await upload(rubricFile('penalty-minimal-2026.2.json', (r) => { r.version = '2026.2'; }));
    await page.waitForURL(/\/rubrics\/\d+$/);
    const firstId = Number(pathOf(page).split('/').pop());
    expect(await page.locator('.flash-success').textContent()).toContain('评查标准已载入，成为新的版本');
    expect(await page.locator('.score-sheet h1').textContent()).toBe(MINIMAL_TITLE);
    expect(await page.locator('.sheet-meta').textContent()).toContain('版本 2026.2');
    expect(await page.locator('.sheet-items tr.section-row th').first().textContent()).toBe('一、执法主体（10 分）');
    expect(await page.getByRole('link', { name: /版比较$/ }).count()).toBe(0); // the only version so far

    // Sections that do not add up to the scale: nothing stored, the problem shown by JSON path.
    await upload(rubricFile('sections-do-not-sum.json', (r) => { r.version = '2026.9'; r.sections[1].points = 25; }));
    expect(pathOf(page)).toBe('/rubrics/upload');
    const failure = page.locator('.import-failure');
    await failure.waitFor();
    expect(await failure.getByRole('heading', { level: 2 }).textContent()).toBe('未载入：sections-do-not-sum.json');
    expect(await failure.textContent()).toContain('评查标准有 1 处问题，未载入');
    const problem = failure.locator('tbody tr');
    expect(await problem.count()).toBe(1);
    expect(await problem.locator('td').first().textContent()).toBe('/sections');
    const message = await problem.locator('td').nth(1).textContent();
    expect(message).toContain('各评查部分分值之和为 95 分');
    expect(message).toContain('应等于总分（scale）100 分，少 5 分');
    await screenshot(page, 'rubric-upload-problems');
    const stored = await t.db.selectFrom('rubric_versions').select('id').where('version', '=', '2026.9').execute();
    expect(stored).toEqual([]);

    // Version 2026.3: one item's cap changed, one item added.
    await upload(rubricFile('penalty-minimal-2026.3.json', (r) => {
      r.version = '2026.3';
      r.sections[0].items[0].cap = 6;
      r.sections[2].items.push({
        code: 'S3-03', text: '未告知当事人陈述、申辩权利', deduction: { type: 'per_occurrence', points: 3 },
        category: '执法程序', issue: '未告知当事人陈述、申辩权利',
      });
    }));
    await page.waitForURL(/\/rubrics\/\d+$/);
    const secondId = Number(pathOf(page).split('/').pop());
    expect(secondId).not.toBe(firstId);
    expect(await page.locator('.flash-success').textContent()).toContain('评查标准已载入，成为新的版本');
    expect(await page.locator('.sheet-meta').textContent()).toContain('版本 2026.3');
    expect(await page.locator('.sheet-items').getByText('S3-03', { exact: true }).isVisible()).toBe(true);

    // Compare with the form on the list page.
    await nav(page).getByRole('link', { name: '评查标准' }).click();
    await page.waitForURL(`${base}/rubrics`);
    expect(await standardPanel(page, MINIMAL_TITLE).locator('tbody tr').count()).toBe(2);
    await page.locator('select[name="a"]').selectOption({ label: `${MINIMAL_TITLE} 2026.2` });
    await page.locator('select[name="b"]').selectOption({ label: `${MINIMAL_TITLE} 2026.3` });
    await page.getByRole('button', { name: '比较' }).click();
    await page.waitForURL(`${base}/rubrics/compare?a=${firstId}&b=${secondId}`);
    expect(await page.locator('h1').textContent()).toBe('比较评查标准版本');
    const summary = await page.locator('main ul li').allTextContents();
    expect(summary).toEqual(['评查项目：新增 1 项，修改 1 项']);
    expect(await page.locator('.flash-info').count()).toBe(0); // same standard: no warning
    const items = page.locator('section.panel', { has: page.getByRole('heading', { name: '评分项目' }) });
    expect(await items.getByRole('heading', { name: '新增（1）' }).isVisible()).toBe(true);
    expect(await items.getByRole('heading', { name: '修改（1）' }).isVisible()).toBe(true);
    const capRow = items.locator('tr', { hasText: 'S1-01' });
    expect(await capRow.locator('del').textContent()).toBe('4');
    expect(await capRow.locator('ins').textContent()).toBe('6');
    await screenshot(page, 'rubric-compare');

    // The same comparison from the newer version's score sheet.
    await page.goto(`${base}/rubrics/${secondId}`);
    await page.getByRole('link', { name: '与 2026.2 版比较' }).click();
    await page.waitForURL(`${base}/rubrics/compare?a=${firstId}&b=${secondId}`);
    expect(await page.locator('main ul li').allTextContents()).toEqual(['评查项目：新增 1 项，修改 1 项']);
  });
});

describe('rubrics as a reviewer', () => {
  it('opens the standards and a score sheet, but cannot upload', async () => {
    await addUser(t.db, { username: 'e2e-reviewer', displayName: '评查员甲', role: 'reviewer', unitId: await rootUnitId(t.db), password: 'Passw0rd1' });
    const { context, page: reviewer } = await app.newPage();
    try {
      await logIn(reviewer, 'e2e-reviewer', 'Passw0rd1');
      expect(await reviewer.locator('header.topbar').textContent()).toContain('评查员甲');
      await nav(reviewer).getByRole('link', { name: '评查标准' }).click();
      await reviewer.waitForURL(`${base}/rubrics`);
      for (const title of BUNDLED_TITLES) expect(await standardPanel(reviewer, title).count(), title).toBe(1);
      expect(await reviewer.getByRole('link', { name: '上传新版本' }).count()).toBe(0);
      expect(await reviewer.getByText('上传新版本').count()).toBe(0);

      await standardPanel(reviewer, PENALTY_TITLE).getByRole('link', { name: '评分表' }).click();
      await reviewer.waitForURL(/\/rubrics\/\d+$/);
      expect(await reviewer.locator('.score-sheet h1').textContent()).toBe(PENALTY_TITLE);
      expect(await reviewer.locator('.sheet-items').getByText('S1-01', { exact: true }).isVisible()).toBe(true);
      expect(await reviewer.getByRole('button', { name: '打印评分表' }).isVisible()).toBe(true);
      expect(await reviewer.getByText('上传新版本').count()).toBe(0);

      const response = await reviewer.goto(`${base}/rubrics/upload`);
      expect(response?.status()).toBe(403);
    } finally {
      await context.close();
    }
  });
});
