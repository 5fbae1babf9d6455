// Browser journeys in headless Debian chromium: log in, manage units, import a CSV, log out.
// Needs /usr/bin/chromium and a CJK font (fonts-noto-cjk); `.ci/run` installs both on a new machine.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, type TestApp } from '../support/app.ts';
import { screenshot, startBrowserApp, type BrowserApp } from './browser.ts';

let app: BrowserApp;
let t: TestApp;
let base: string;
let page: Page;

beforeAll(async () => {
  app = await startBrowserApp();
  ({ t, base } = app);
  // One context for the whole file: the journeys run in order and share the admin's session.
  ({ page } = await app.newPage());
});

afterAll(async () => {
  await app?.close();
});

const shot = (name: string) => screenshot(page, name);
const nav = () => page.getByRole('navigation', { name: '主导航' });
const flash = () => page.locator('.flash-success');

describe('administrator journey', () => {
  it('logs in, creates a unit under the root bureau, sees it in the tree and the audit log', async () => {
    await page.goto(`${base}/`);
    await expect.poll(() => new URL(page.url()).pathname).toBe('/login');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/');
    await shot('login');

    await page.getByLabel('用户名').fill('admin');
    await page.getByLabel('密码').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(`${base}/`);

    await expect.poll(() => page.locator('h1').textContent()).toBe('工作台');
    const topbar = page.locator('header.topbar');
    expect(await topbar.textContent()).toContain('系统管理员');
    expect(await topbar.textContent()).toContain('市司法局');
    await shot('dashboard');

    await nav().getByRole('link', { name: '单位管理' }).click();
    await page.waitForURL(`${base}/units`);
    expect(await page.locator('h1').textContent()).toBe('单位管理');

    await page.getByRole('link', { name: '新建单位' }).click();
    await page.waitForURL(`${base}/units/new`);

    // First a save with a missing name: the form comes back with the error beside the field.
    await page.getByLabel('单位编码').fill('E2E-DA');
    await page.getByRole('button', { name: '保存' }).click();
    await page.locator('.field-error').first().waitFor();
    expect(await page.locator('.field-error').allTextContents()).toContain('单位名称不能为空');
    expect(await page.getByLabel('单位编码').inputValue()).toBe('E2E-DA');
    await shot('unit-form-error');

    await page.getByLabel('单位名称').fill('东安区司法局');
    // The labels wrap the selects, so their accessible names include the options: select by field name.
    await page.locator('select[name="kind"]').selectOption({ label: '司法局' });
    await page.locator('select[name="parentId"]').selectOption({ label: '市司法局' });
    await page.getByRole('button', { name: '保存' }).click();
    await page.waitForURL(/\/units\/\d+$/);
    expect(await page.locator('h1').textContent()).toContain('东安区司法局');
    expect(await flash().textContent()).toContain('已新建单位“东安区司法局”');
    expect(await page.locator('dl.facts').textContent()).toContain('市司法局');

    await nav().getByRole('link', { name: '单位管理' }).click();
    await page.waitForURL(`${base}/units`);
    const row = page.locator('table.tree tbody tr', { hasText: '东安区司法局' });
    expect(await row.count()).toBe(1);
    expect(await row.locator('td').nth(1).textContent()).toBe('E2E-DA');
    expect(await row.locator('.tree-indent').count()).toBeGreaterThan(0); // shown beneath the root
    await shot('unit-tree');

    await nav().getByRole('link', { name: '操作日志' }).click();
    await page.waitForURL(`${base}/audit`);
    const entry = page.locator('table.audit tbody tr', { hasText: '新建单位“东安区司法局”' });
    expect(await entry.count()).toBe(1);
    expect(await entry.textContent()).toContain('新建单位');
    expect(await entry.textContent()).toContain('系统管理员');
    await shot('audit');
  });

  it('imports units from a CSV file and sees them in the tree', async () => {
    const file = path.join(t.dir, '单位导入.csv');
    fs.writeFileSync(file, '\uFEFF单位编码,单位名称,单位类型,上级单位编码\r\n'
      + 'E2E-SCJ,市市场监督管理局,执法部门,ROOT\r\n'
      + 'E2E-HL-CD,长汀镇,乡镇（街道）,E2E-HL\r\n' // its parent comes later in the same file
      + 'E2E-HL,海林市司法局,司法局,ROOT\r\n', 'utf8');

    await page.goto(`${base}/units`);
    await page.getByRole('link', { name: '批量导入' }).click();
    await page.waitForURL(`${base}/units/import`);
    await page.locator('input[type=file][name=file]').setInputFiles(file);
    await page.getByRole('button', { name: '导入' }).click();
    await page.waitForURL(`${base}/units`);
    expect(await flash().textContent()).toContain('导入成功：新增 3 个单位');
    const names = await page.locator('table.tree tbody tr td:first-child a').allTextContents();
    expect(names).toEqual(expect.arrayContaining(['市市场监督管理局', '海林市司法局', '长汀镇']));
    // The town sits directly under its county bureau.
    expect(names.indexOf('长汀镇')).toBe(names.indexOf('海林市司法局') + 1);
    await shot('unit-tree-after-import');

    // A bad file is rejected as a whole, with every problem listed by row.
    const bad = path.join(t.dir, 'bad.csv');
    fs.writeFileSync(bad, '单位编码,单位名称,单位类型,上级单位编码\r\nE2E-X,某局,执法部门,NOPE\r\n', 'utf8');
    await page.getByRole('link', { name: '批量导入' }).click();
    await page.locator('input[type=file][name=file]').setInputFiles(bad);
    await page.getByRole('button', { name: '导入' }).click();
    await page.locator('.import-failure').waitFor();
    expect(await page.locator('.import-failure').textContent()).toContain('第 2 行');
    expect(await page.locator('.import-failure').textContent()).toContain('NOPE');
  });

  it('logs out and can no longer open pages', async () => {
    await page.goto(`${base}/`);
    await page.getByRole('button', { name: '退出' }).click();
    await page.waitForURL(`${base}/login`);
    expect(await page.getByRole('button', { name: '登录' }).count()).toBe(1);
    await page.goto(`${base}/units`);
    expect(new URL(page.url()).pathname).toBe('/login');
  });
});
