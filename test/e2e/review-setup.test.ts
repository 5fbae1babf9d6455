// Browser journey (issue 4): an administrator sets up a cross review from nothing to reviewers' queues —
// creates the campaign, chooses the participating units, starts the sampling stage, imports the units' file
// lists, adds a sampling rule, draws with a typed seed, checks the draw against its record, fills the reviewer
// pool and assigns automatically; then a reviewer signs in and sees exactly the files assigned to them.
//
// Tree: 市司法局 → 东安县司法局 → 县市场监督管理局 (A), 县生态环境局 (B), 县交通运输局 (C). One reviewer in each of
// A, B and C; a cross review never gives a reviewer a file of their own unit, so with two reviewers per file each
// of A's files goes to the reviewers of B and C, and so on.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUnit, addUser, ADMIN_PASSWORD, rootUnitId, type TestApp } from '../support/app.ts';
import { screenshot, startBrowserApp, type BrowserApp } from './browser.ts';

let app: BrowserApp;
let t: TestApp;
let base: string;
let page: Page;
let campaignUrl = '';
let year = 0;

const UNITS = [
  { code: 'E2E-SJ', name: '县市场监督管理局', prefix: '东市监罚', reviewer: { username: 'rev-sj', name: '赵敏' } },
  { code: 'E2E-HB', name: '县生态环境局', prefix: '东环罚', reviewer: { username: 'rev-hb', name: '钱立' } },
  { code: 'E2E-JT', name: '县交通运输局', prefix: '东交罚', reviewer: { username: 'rev-jt', name: '孙卓' } },
] as const;
const SEED_TYPED = '7k3m 9qxa-2bhd';
const SEED_SHOWN = '7K3M-9QXA-2BHD';
const REVIEWER_PASSWORD = 'Passw0rd1';

beforeAll(async () => {
  app = await startBrowserApp();
  ({ t, base } = app);
  // The campaign form proposes this year's period (from the app's clock); the list's closing dates fall inside it.
  year = Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(t.clock.now()));
  const root = await rootUnitId(t.db);
  const county = await addUnit(t.db, 'E2E-CTY', '东安县司法局', 'bureau', root);
  for (const u of UNITS) {
    const unitId = await addUnit(t.db, u.code, u.name, 'department', county);
    await addUser(t.db, { username: u.reviewer.username, role: 'reviewer', unitId, displayName: u.reviewer.name, password: REVIEWER_PASSWORD });
  }
  ({ page } = await app.newPage());
  // Stage changes and a repeated draw ask for confirmation (data-confirm); the administrator agrees.
  page.on('dialog', (dialog) => { void dialog.accept(); });
});

afterAll(async () => {
  await app?.close();
});

/** The file list as a unit hands it in: four penalty files per unit, and one licence file in A (no rule draws it). */
function fileListCsv(): string {
  const lines = ['单位编码,案卷编号,案卷类型,执法门类,案由,当事人,执法人员,是否重大,结案日期,页数'];
  const handlers = [['王建国', '李春梅'], ['张海波', '刘亚楠'], ['陈德明', '杨晓东']];
  UNITS.forEach((u, i) => {
    for (let n = 1; n <= 4; n++) {
      lines.push([u.code, `${u.prefix}〔${year}〕${n}号`, '行政处罚', u.name.replace(/^县|局$/g, ''), `当事人${i}${n}违法经营案`,
        `东安县某某商贸有限公司${i}${n}`, handlers[i]!.join('、'), n === 1 ? '是' : '否', `${year}-0${n + 2}-1${n}`, String(20 + n * 7)].join(','));
    }
  });
  lines.push(`E2E-SJ,东市监许〔${year}〕1号,行政许可,市场监管,食品经营许可,东安县鑫源食品有限公司,王建国、李春梅,否,${year}-05-20,18`);
  return `${lines.join('\n')}\n`;
}

const flashSuccess = () => page.locator('.flash-success');
const flashError = () => page.locator('.flash-error');
const panel = (heading: string | RegExp) => page.locator('section.panel', { has: page.getByRole('heading', { name: heading }) });

describe('setting up a cross review up to the reviewers\' queues', () => {
  it('creates a cross-review campaign', async () => {
    await page.goto(`${base}/login`);
    await page.getByLabel('用户名').fill('admin');
    await page.getByLabel('密码').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(`${base}/`);

    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '评查活动' }).click();
    await page.getByRole('link', { name: '新建评查活动' }).click();
    await page.waitForURL(`${base}/campaigns/new`);
    await page.getByLabel('活动名称').fill(`东安县${year}年行政执法案卷交叉评查`);
    await page.locator('select[name="kind"]').selectOption({ label: '交叉评查' });
    await page.getByRole('button', { name: '保存' }).click();
    await page.waitForURL(/\/campaigns\/\d+$/);
    campaignUrl = page.url();
    expect(await flashSuccess().textContent()).toContain('评查活动已创建');
  });

  it('chooses the participating units and starts the sampling stage', async () => {
    await page.getByRole('link', { name: '选择参评单位' }).click();
    await page.waitForURL(/\/units$/);
    for (const u of UNITS) await page.getByRole('checkbox', { name: u.name }).check();
    await page.getByRole('button', { name: '保存参评单位' }).click();
    await page.waitForURL(campaignUrl);
    expect(await flashSuccess().textContent()).toBe('参评单位已保存（共 3 个）');

    await page.getByRole('button', { name: '开始抽取案卷' }).click();
    await flashSuccess().waitFor();
    expect(await flashSuccess().textContent()).toBe('活动已转入“抽取案卷”阶段');
    expect(await page.locator('ol.stages li.current').textContent()).toBe('抽取案卷');
  });

  it('imports the units\' file lists from a CSV file on the 案卷目录 import page', async () => {
    const csv = path.join(t.dir, '东安县案卷目录.csv');
    fs.writeFileSync(csv, fileListCsv());
    await page.locator('.page-head').getByRole('link', { name: '案卷目录' }).click();
    await page.waitForURL(`${campaignUrl}/files`);
    await page.getByRole('link', { name: '批量导入' }).click();
    await page.waitForURL(`${campaignUrl}/files/import`);
    // One file for several units: the unit comes from each row's 单位编码.
    expect(await page.locator('select[name="unitId"]').inputValue()).toBe('');
    await page.locator('input[type="file"]').setInputFiles(csv);
    await page.getByRole('button', { name: '导入' }).click();
    await page.waitForURL(`${campaignUrl}/files`);
    expect(await flashSuccess().textContent()).toBe('导入成功：新增 13 卷案卷（3 个单位）');
    const summary = panel('各单位报送情况');
    const listed = Object.fromEntries(await summary.locator('tbody tr').evaluateAll((rows) =>
      rows.map((r) => [r.querySelector('td')!.textContent!.trim(), r.querySelectorAll('td')[1]!.textContent!.trim()])));
    expect(listed).toEqual({ 县市场监督管理局: '5', 县生态环境局: '4', 县交通运输局: '4' });
  });

  it('adds a sampling rule and draws with a typed seed, which the page shows', async () => {
    await page.goto(campaignUrl);
    await page.locator('.page-head').getByRole('link', { name: '抽取案卷' }).click();
    await page.waitForURL(`${campaignUrl}/sampling`);
    const ruleForm = page.locator('form[action$="/sampling/rules"]');
    await ruleForm.getByLabel('案卷类型').selectOption({ label: '行政处罚' });
    await ruleForm.getByLabel('方式').selectOption({ label: '按卷数' });
    await ruleForm.getByLabel('数量').fill('2');
    await ruleForm.getByRole('button', { name: '添加规则' }).click();
    await page.waitForURL(`${campaignUrl}/sampling`);
    expect(await flashSuccess().textContent()).toBe('抽取规则已添加');
    expect(await panel('抽取规则').locator('tbody td').first().textContent()).toBe('全部单位 · 行政处罚：按 2 卷抽取');

    const drawForm = page.locator('form[action$="/sampling/draw"]');
    await drawForm.getByLabel(/随机种子/).fill(SEED_TYPED);
    await drawForm.getByRole('button', { name: '抽取' }).click();
    await page.waitForURL(`${campaignUrl}/sampling`);
    expect(await flashError().count()).toBe(0);
    expect(await flashSuccess().textContent()).toBe(`已按种子 ${SEED_SHOWN} 抽取 6 卷案卷`);
    // The seed is on the page for anyone to repeat the draw, in the grouped form however it was typed.
    expect(await page.locator('.seed').textContent()).toBe(SEED_SHOWN);

    const groups = await panel('随机抽取').locator('tbody tr').evaluateAll((rows) =>
      rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent!.trim())));
    expect(groups.map((g) => [g[0], g[1], g[2], g[5]])).toEqual([
      ['县市场监督管理局', '行政处罚', '4', '2'],
      ['县市场监督管理局', '行政许可', '1', '0'],
      ['县生态环境局', '行政处罚', '4', '2'],
      ['县交通运输局', '行政处罚', '4', '2'],
    ]);
    expect(groups[1]![4]).toBe('无规则，不抽取');
    expect(await panel(/抽取名单/).locator('h2').textContent()).toBe('抽取名单（6 卷）');
    await screenshot(page, 'sampling');
  });

  it('re-runs the recorded draw from the 核对 link and finds it the same', async () => {
    await page.getByRole('link', { name: '按记录重新抽取并核对' }).click();
    await page.waitForURL(`${campaignUrl}/sampling?verify=1`);
    const check = panel('随机抽取').locator('p[role="status"]');
    expect(await check.textContent()).toContain('复核一致');
    expect(await check.textContent()).toContain('得到的 6 卷与记录相同');
  });

  it('fills the reviewer pool and assigns every drawn file automatically', async () => {
    await page.goto(campaignUrl);
    await page.locator('.page-head').getByRole('link', { name: '分配评查人员' }).click();
    await page.waitForURL(`${campaignUrl}/assignments`);
    expect(await page.locator('.assignment-table tbody tr').count()).toBe(6);
    for (const u of UNITS) await page.getByRole('checkbox', { name: u.reviewer.name }).check();
    await page.getByRole('button', { name: '加入评查员库' }).click();
    await page.waitForURL(`${campaignUrl}/assignments`);
    expect(await flashSuccess().textContent()).toBe('已加入评查员库 3 人');

    await page.getByRole('button', { name: /自动分配/ }).click();
    await page.waitForURL(`${campaignUrl}/assignments`);
    expect(await flashSuccess().textContent()).toBe('自动分配完成：新增 12 人次；全部案卷已配齐');
    expect(await panel('分配情况').locator('p').first().textContent()).toBe('待评查案卷 6 卷，每卷 2 人，已分配 12 人次；0 卷尚未配齐。');
    expect(await page.locator('.assignment-table .short-row').count()).toBe(0);
    expect(await page.getByRole('button', { name: /自动分配/ }).isDisabled()).toBe(true);

    // Every file has two reviewers, neither from the file's own unit; each reviewer carries four files.
    const rows = await assignmentRows();
    for (const row of rows) {
      expect(row.reviewers).toHaveLength(2);
      const own = UNITS.find((u) => u.name === row.unit)!.reviewer.name;
      expect(row.reviewers).not.toContain(own);
    }
    const loads = await panel(/评查员库/).locator('tbody tr').evaluateAll((trs) =>
      trs.map((tr) => [tr.querySelector('td')!.textContent!.trim(), tr.querySelector('td.num')!.textContent!.trim()]));
    expect(Object.fromEntries(loads)).toEqual({ 赵敏: '4', 钱立: '4', 孙卓: '4' });
    await screenshot(page, 'assignments');
  });

  it('shows a reviewer exactly their files on 我的评查任务', async () => {
    const rows = await assignmentRows();
    const reviewer = UNITS[0].reviewer;
    const expected = rows.filter((r) => r.reviewers.includes(reviewer.name)).map((r) => r.fileNumber).sort();
    // 赵敏 of 县市场监督管理局 gets every drawn file of the other two units, and none of her own unit's.
    expect(expected).toEqual(rows.filter((r) => r.unit !== UNITS[0].name).map((r) => r.fileNumber).sort());

    const { page: reviewerPage } = await app.newPage();
    await reviewerPage.goto(`${base}/login`);
    await reviewerPage.getByLabel('用户名').fill(reviewer.username);
    await reviewerPage.getByLabel('密码').fill(REVIEWER_PASSWORD);
    await reviewerPage.getByRole('button', { name: '登录' }).click();
    await reviewerPage.waitForURL(`${base}/`);
    await reviewerPage.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '我的评查任务' }).click();
    await reviewerPage.waitForURL(`${base}/queue`);
    expect(await reviewerPage.locator('h1').textContent()).toBe('我的评查任务');
    expect(await reviewerPage.locator('section.panel h2').textContent()).toContain(`东安县${year}年行政执法案卷交叉评查`);
    const queue = await reviewerPage.locator('section.panel tbody tr').evaluateAll((trs) =>
      trs.map((tr) => ({ unit: tr.querySelector('td')!.textContent!.trim(), fileNumber: tr.querySelector('td.mono')!.textContent!.trim() })));
    expect(queue.map((q) => q.fileNumber).sort()).toEqual(expected);
    expect(queue.map((q) => q.unit)).not.toContain(UNITS[0].name);
    await screenshot(reviewerPage, 'queue');
  });
});

/** The assignment table as [unit, file number, reviewers]. */
async function assignmentRows(): Promise<{ unit: string; fileNumber: string; reviewers: string[] }[]> {
  return page.locator('.assignment-table tbody tr').evaluateAll((trs) => trs.map((tr) => {
    const cells = tr.querySelectorAll('td');
    return {
      unit: cells[0]!.textContent!.trim(),
      fileNumber: cells[1]!.textContent!.trim(),
      reviewers: [...cells[4]!.querySelectorAll('.tag')].map((s) => s.textContent!.trim()),
    };
  }));
}
