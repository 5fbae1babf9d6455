// Browser journey: an administrator sets up a review campaign — creates it from the defaults, sees why it cannot
// move on yet, chooses the participating units and starts the sampling stage.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUnit, ADMIN_PASSWORD, rootUnitId, type TestApp } from '../support/app.ts';
import { screenshot, startBrowserApp, type BrowserApp } from './browser.ts';

let app: BrowserApp;
let t: TestApp;
let base: string;
let page: Page;

beforeAll(async () => {
  app = await startBrowserApp();
  ({ t, base } = app);
  const root = await rootUnitId(t.db);
  const county = await addUnit(t.db, 'E2E-CTY', '东安县司法局', 'bureau', root);
  await addUnit(t.db, 'E2E-SJ', '县市场监督管理局', 'department', county);
  await addUnit(t.db, 'E2E-HB', '县生态环境局', 'department', county);
  await addUnit(t.db, 'E2E-JT', '县交通运输局', 'department', county);
  ({ page } = await app.newPage());
  // The stage change asks for confirmation (data-confirm); the administrator agrees.
  page.on('dialog', (dialog) => { void dialog.accept(); });
});

afterAll(async () => {
  await app?.close();
});

const nav = () => page.getByRole('navigation', { name: '主导航' });
const stages = () => page.locator('ol.stages li');
const currentStage = () => page.locator('ol.stages li.current').textContent();

describe('setting up a campaign', () => {
  it('creates a campaign from the defaults with a new name', async () => {
    await page.goto(`${base}/login`);
    await page.getByLabel('用户名').fill('admin');
    await page.getByLabel('密码').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(`${base}/`);

    await nav().getByRole('link', { name: '评查活动' }).click();
    await page.waitForURL(`${base}/campaigns`);
    expect(await page.locator('h1').textContent()).toBe('评查活动');
    await page.getByRole('link', { name: '新建评查活动' }).click();
    await page.waitForURL(`${base}/campaigns/new`);

    // The defaults are filled in; only the name changes.
    expect(await page.locator('input[name="reviewersPerFile"]').inputValue()).toBe('2');
    expect(await page.locator('input[name="disagreementThresholdTenths"]').inputValue()).toBe('5');
    expect(await page.locator('select[name="kind"]').inputValue()).toBe('cross');
    await shot('campaign-form');
    await page.getByLabel('活动名称').fill('东安县2026年行政执法案卷交叉评查');
    await page.getByRole('button', { name: '保存' }).click();
    await page.waitForURL(/\/campaigns\/\d+$/);

    expect(await page.locator('h1').textContent()).toContain('东安县2026年行政执法案卷交叉评查');
    expect(await page.locator('.flash-success').textContent()).toContain('评查活动已创建');
    expect(await stages().allTextContents()).toEqual(['筹备中', '抽取案卷', '评查中', '复核中', '结果已发布', '已结束']);
    expect(await currentStage()).toBe('筹备中');
  });

  it('shows in the 下一步 panel why sampling cannot start yet', async () => {
    const panel = page.locator('section.panel', { has: page.getByRole('heading', { name: '下一步' }) });
    const button = panel.getByRole('button', { name: '开始抽取案卷' });
    expect(await button.isDisabled()).toBe(true);
    expect(await panel.locator('ul.problems li').allTextContents()).toEqual(['尚未选择参评单位']);
    // The four bundled standards are already pinned.
    const rubrics = page.locator('#rubrics tbody tr');
    expect(await rubrics.count()).toBe(4);
    await shot('campaign-draft');
  });

  it('chooses two participating units', async () => {
    await page.getByRole('link', { name: '选择参评单位' }).click();
    await page.waitForURL(/\/campaigns\/\d+\/units$/);
    await page.getByRole('checkbox', { name: '县市场监督管理局' }).check();
    await page.getByRole('checkbox', { name: '县生态环境局' }).check();
    await page.getByRole('button', { name: '保存参评单位' }).click();
    await page.waitForURL(/\/campaigns\/\d+$/);

    expect(await page.locator('.flash-success').textContent()).toBe('参评单位已保存（共 2 个）');
    const units = page.locator('section.panel', { has: page.getByRole('heading', { name: /参评单位/ }) });
    expect(await units.locator('h2').textContent()).toContain('参评单位（2）');
    expect(await units.locator('tbody tr td:first-child').allTextContents()).toEqual(['县生态环境局', '县市场监督管理局']);
    const start = page.getByRole('button', { name: '开始抽取案卷' });
    expect(await start.isEnabled()).toBe(true);
  });

  it('starts the sampling stage after confirming', async () => {
    await page.getByRole('button', { name: '开始抽取案卷' }).click();
    await page.locator('.flash-success').waitFor();
    expect(await page.locator('.flash-success').textContent()).toBe('活动已转入“抽取案卷”阶段');
    expect(await currentStage()).toBe('抽取案卷');
    expect(await page.locator('h1 .tag').textContent()).toBe('抽取案卷');
    // Sampling may go back to preparation; reviewing waits for a sample.
    const panel = page.locator('section.panel', { has: page.getByRole('heading', { name: '下一步' }) });
    expect(await panel.getByRole('button', { name: '退回筹备' }).isEnabled()).toBe(true);
    expect(await panel.getByRole('button', { name: '开始评查' }).isDisabled()).toBe(true);
    expect(await panel.locator('ul.problems li').allTextContents()).toContain('尚未抽取任何案卷');
    // The change is in the campaign's history.
    const history = page.locator('section.panel', { has: page.getByRole('heading', { name: '活动记录' }) });
    expect(await history.textContent()).toContain('由“筹备中”转入“抽取案卷”');
    await shot('campaign');
  });
});

function shot(name: string) {
  return screenshot(page, name);
}
