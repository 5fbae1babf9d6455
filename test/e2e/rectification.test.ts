// Browser journey (issue 6): a department records a measure on its 整改清单, uploads evidence and submits its report;
// the bureau returns a measure with a reason; the department reads the reason, fixes the measure and submits again;
// the bureau verifies and the issue shows 已整改. Also the printed 整改通知书. Data up to the notices is set up
// through the services (scores, release, issuing), as the pages for those are tested elsewhere.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, beijingDate } from '../../src/domain/rectification.ts';
import { transitionCampaign } from '../../src/features/campaigns/service.ts';
import { issueNotices } from '../../src/features/rectification/service.ts';
import { ADMIN_PASSWORD } from '../support/app.ts';
import { ctxFor, FIXTURE_PASSWORD, scoreAllAgreeing, setUpReviewCampaign, type ReviewFixture } from '../support/review-fixture.ts';
import { screenshot, startBrowserApp, type BrowserApp } from './browser.ts';

let app: BrowserApp;
let fx: ReviewFixture;
let dept: Page;
let admin: Page;
let noticeUrl = '';
let docNumber = '';
let today = '';

const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

beforeAll(async () => {
  app = await startBrowserApp();
  const t = app.t;
  fx = await setUpReviewCampaign(t);
  await scoreAllAgreeing(t, fx);
  const adminCtx = await ctxFor(t, (await t.db.selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow()).id);
  await transitionCampaign(adminCtx, fx.campaignId, 'rechecking');
  await transitionCampaign(adminCtx, fx.campaignId, 'released');
  today = beijingDate(t.clock.now());
  await issueNotices(adminCtx, fx.campaignId, { issuedOn: today, deadline: addDays(today, 30), requirements: '' });
  const notice = await t.db.selectFrom('rectification_notices').selectAll().where('unit_id', '=', fx.units.a).executeTakeFirstOrThrow();
  noticeUrl = `${app.base}/rectification/notices/${notice.id}`;
  docNumber = notice.doc_number;
  // Two people in two browsers: the department's liaison and the bureau's administrator. Both agree to confirmations.
  ({ page: dept } = await app.newPage());
  ({ page: admin } = await app.newPage());
  for (const p of [dept, admin]) p.on('dialog', (dialog) => { void dialog.accept(); });
});

afterAll(async () => {
  await app?.close();
});

async function login(p: Page, username: string, password: string): Promise<void> {
  await p.goto(`${app.base}/login`);
  await p.getByLabel('用户名').fill(username);
  await p.getByLabel('密码').fill(password);
  await p.getByRole('button', { name: '登录' }).click();
  await p.waitForURL(`${app.base}/`);
}

const item = (p: Page, n: number) => p.locator('.rect-item').nth(n);
const measure = (p: Page, n: number, m = 0) => item(p, n).locator('.rect-measure').nth(m);
const success = (p: Page) => p.locator('.flash-success');

describe('a department works its rectification list and the bureau verifies it', () => {
  it('finds its notice through the menu', async () => {
    await login(dept, 'dept-a', FIXTURE_PASSWORD);
    await dept.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '本单位整改' }).click();
    await dept.waitForURL(`${app.base}/rectification`);
    expect(await dept.locator('h1').textContent()).toBe('本单位整改');
    await dept.getByRole('link', { name: docNumber }).click();
    await dept.waitForURL(noticeUrl);
    expect(await dept.locator('h1').textContent()).toContain(docNumber);
    expect(await dept.locator('.rect-item').count()).toBe(2);
    expect(await item(dept, 0).locator('[data-item-state]').textContent()).toBe('未整改');
    expect(await dept.locator('[data-deadline-note]').textContent()).toBe('（还剩 30 天）');
    await screenshot(dept, 'rectification-notice-new');
  });

  it('records a measure for each issue and uploads evidence', async () => {
    const add = item(dept, 0).locator('.rect-add');
    await add.getByLabel('整改措施').fill('组织全体执法人员学习执法证件管理规定，现场执法一律先出示证件');
    await add.getByLabel('责任人').fill('李明');
    await add.getByLabel('完成日期').fill(addDays(today, 10));
    await add.getByLabel('整改佐证').fill('学习签到表、培训课件');
    await add.getByRole('button', { name: '添加' }).click();
    await dept.waitForURL(noticeUrl);
    expect(await success(dept).textContent()).toContain('整改措施已添加');
    expect(await measure(dept, 0).locator('[data-measure-status]').textContent()).toBe('待报送');
    expect(await item(dept, 0).locator('[data-item-state]').textContent()).toBe('整改中');

    await measure(dept, 0).locator('input[type=file]').setInputFiles({ name: '学习签到表.pdf', mimeType: 'application/pdf', buffer: PDF });
    await measure(dept, 0).getByRole('button', { name: '上传', exact: true }).click();
    await dept.waitForURL(noticeUrl);
    expect(await success(dept).textContent()).toBe('附件“学习签到表.pdf”已上传');
    expect(await measure(dept, 0).getByRole('link', { name: '学习签到表.pdf' }).count()).toBe(1);

    const add2 = item(dept, 1).locator('.rect-add');
    await add2.getByLabel('整改措施').fill('对涉案证据逐项补正，编制证据目录');
    await add2.getByLabel('责任人').fill('王芳');
    await add2.getByLabel('完成日期').fill(addDays(today, 12));
    await add2.getByRole('button', { name: '添加' }).click();
    await dept.waitForURL(noticeUrl);
    expect(await success(dept).textContent()).toContain('整改措施已添加');
    await screenshot(dept, 'rectification-notice-department');
  });

  it('submits the report', async () => {
    await dept.getByRole('button', { name: '报送整改情况' }).click();
    await dept.waitForURL(noticeUrl);
    expect(await success(dept).textContent()).toBe('整改情况已报送：2 项整改措施待评查机关验收');
    expect(await measure(dept, 0).locator('[data-measure-status]').textContent()).toBe('待验收');
    expect(await dept.getByRole('button', { name: '报送整改情况' }).count()).toBe(0);
    expect(await dept.locator('.rect-edit').count()).toBe(0);
  });

  it('the administrator returns a measure with a reason', async () => {
    await login(admin, 'admin', ADMIN_PASSWORD);
    await admin.goto(noticeUrl);
    expect(await admin.locator('.rect-add').count()).toBe(0);
    // Without a reason the browser does not even send the form (the server would refuse it too).
    await measure(admin, 0).getByRole('button', { name: '退回' }).click();
    expect(await measure(admin, 0).locator('textarea[name=reason]').evaluate((el) => (el as HTMLTextAreaElement).validity.valueMissing)).toBe(true);
    await measure(admin, 0).getByLabel('退回理由').fill('签到表未加盖公章，请补充培训考试记录');
    await screenshot(admin, 'rectification-notice-admin');
    await measure(admin, 0).getByRole('button', { name: '退回' }).click();
    await admin.waitForURL(noticeUrl);
    expect(await success(admin).textContent()).toBe('整改措施已退回，被评查单位补正后可再次报送');
    expect(await measure(admin, 0).locator('[data-measure-status]').textContent()).toBe('已退回');
    await measure(admin, 0).waitFor();
    await item(admin, 1).locator('.rect-measure').first().getByRole('button', { name: '验收通过' }).click();
    await admin.waitForURL(noticeUrl);
    expect(await success(admin).textContent()).toBe('整改措施已验收');
    expect(await item(admin, 1).locator('[data-item-state]').textContent()).toBe('已整改');
  });

  it('the department sees the reason, fixes the measure and submits again', async () => {
    await dept.goto(noticeUrl);
    expect(await measure(dept, 0).locator('.rect-return').textContent()).toContain('签到表未加盖公章，请补充培训考试记录');
    await measure(dept, 0).locator('.rect-edit summary').click();
    const edit = measure(dept, 0).locator('.rect-edit');
    await edit.getByLabel('整改措施').fill('组织全体执法人员学习执法证件管理规定并闭卷考试，现场执法一律先出示证件');
    await edit.getByLabel('整改佐证').fill('加盖公章的签到表、考试试卷及成绩单');
    await edit.getByRole('button', { name: '保存修改' }).click();
    await dept.waitForURL(noticeUrl);
    expect(await success(dept).textContent()).toBe('整改措施已修改');
    await measure(dept, 0).locator('input[type=file]').setInputFiles({ name: '考试成绩单.pdf', mimeType: 'application/pdf', buffer: PDF });
    await measure(dept, 0).getByRole('button', { name: '上传', exact: true }).click();
    await dept.waitForURL(noticeUrl);
    expect(await measure(dept, 0).locator('.rect-files li').count()).toBe(2);
    await dept.getByRole('button', { name: '报送整改情况' }).click();
    await dept.waitForURL(noticeUrl);
    expect(await success(dept).textContent()).toBe('整改情况已报送：1 项整改措施待评查机关验收');
  });

  it('the administrator verifies it and every issue shows 已整改', async () => {
    await admin.goto(noticeUrl);
    expect(await measure(admin, 0).textContent()).toContain('闭卷考试');
    await measure(admin, 0).getByRole('button', { name: '验收通过' }).click();
    await admin.waitForURL(noticeUrl);
    expect(await success(admin).textContent()).toBe('整改措施已验收');
    expect(await admin.locator('[data-item-state]').allTextContents()).toEqual(['已整改', '已整改']);
    expect(await admin.locator('[data-deadline-note]').textContent()).toBe('已全部整改验收');

    await admin.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '整改' }).click();
    await admin.waitForURL(`${app.base}/rectification`);
    const row = admin.locator('tr', { hasText: docNumber });
    expect(await row.textContent()).toContain('已完成');
    expect(await admin.locator('.rect-notices tbody tr').count()).toBe(3);
    await screenshot(admin, 'rectification-index');

    await dept.goto(noticeUrl);
    expect(await dept.locator('[data-item-state]').allTextContents()).toEqual(['已整改', '已整改']);
    expect(await measure(dept, 0).textContent()).toContain('曾被退回');
    await screenshot(dept, 'rectification-notice-verified');
  });

  it('prints the 整改通知书', async () => {
    await dept.goto(`${noticeUrl}/print`);
    expect(await dept.locator('h1').textContent()).toBe('行政执法案卷评查整改通知书');
    expect(await dept.locator('.doc-number').textContent()).toBe(docNumber);
    expect(await dept.locator('.salutation').textContent()).toBe('东安区市场监督管理局：');
    expect(await dept.locator('.rect-notice-doc .issue').count()).toBe(2);
    await screenshot(dept, 'rectification-notice-print');
    await dept.emulateMedia({ media: 'print' });
    expect(await dept.locator('.sidenav').isVisible()).toBe(false);
    expect(await dept.getByRole('button', { name: '打印整改通知书' }).isVisible()).toBe(false);
    await screenshot(dept, 'rectification-notice-print-media');
    await dept.emulateMedia({ media: 'screen' });
  });
});
