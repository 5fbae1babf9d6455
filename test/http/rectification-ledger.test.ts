// Issuing the notices from a campaign (/campaigns/:id/rectification) and the bureau's rectification ledger
// (整改台账) with its CSV, over a campaign scored and worked through the real services, counted by hand:
//
//   findings: S1-01 in a1, a2, b1, c1 (units A, B, C: common at threshold 3); S3-01 in a1 and c1 (individual to A and C)
//   notices (issued 40 days ago, deadline 10 days ago, so everything not verified is overdue):
//     〔2026〕1号 unit A: A1 S1-01 — m1 verified, m3 submitted          A2 S3-01 — m2 returned
//     〔2026〕2号 unit B: B1 S1-01 — m4 verified, m5 verified (rectified)
//     〔2026〕3号 unit C: C1 S1-01 — m6 draft “=1+1 …” (and a deleted draft) C2 S3-01 — no measure
//   totals: notices 3; issues 5 (common 3, individual 2); rectified 1; measures 6 (draft 1, submitted 1, returned 1,
//   verified 3); 落实整改措施 3 项; completion 1 ÷ 5 = 20.0%; overdue issues 4 (A1, A2, C1, C2); overdue measures 3
//   (m2, m3, m6); overdue notices 2 (A, C).
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, beijingDate } from '../../src/domain/rectification.ts';
import { parseCsv } from '../../src/exports/csv.ts';
import { transitionCampaign } from '../../src/features/campaigns/service.ts';
import { addMeasure, deleteMeasure, DEFAULT_REQUIREMENTS, reviewMeasure, submitReport } from '../../src/features/rectification/service.ts';
import { ADMIN_PASSWORD, createTestApp, loginAs, type TestApp } from '../support/app.ts';
import { ctxFor, FIXTURE_PASSWORD, saveAs, setUpReviewCampaign, type ReviewFixture } from '../support/review-fixture.ts';

let t: TestApp;
let fx: ReviewFixture;
let today: string;
const sessions: Record<string, { agent: request.Agent; csrf: string }> = {};

const pagePath = () => `/campaigns/${fx.campaignId}/rectification`;
const ledgerPath = (query = '') => `/campaigns/${fx.campaignId}/rectification/ledger${query}`;
const get = (who: string, path: string) => sessions[who]!.agent.get(path);
const post = (who: string, path: string, body: Record<string, string>) => sessions[who]!.agent.post(path).type('form').send({ _csrf: sessions[who]!.csrf, ...body });
const flashOf = (html: string, type: 'error' | 'success') => new RegExp(`<div class="flash flash-${type}"[^>]*>([^<]*)</div>`).exec(html)?.[1] ?? null;
const textOf = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&amp;/g, '&').replace(/&#x3D;/g, '=').replace(/\s+/g, ' ').trim();
const notices = () => t.db.selectFrom('rectification_notices').selectAll().orderBy('seq').execute();
const postForms = (html: string) => [...html.matchAll(/<form method="post" action="([^"]+)"/g)].map((m) => m[1]);
/** The ledger's figures, by their data-figure name. */
const figures = (html: string) => Object.fromEntries([...html.matchAll(/data-figure="([a-z-]+)">([^<]*)</g)].map((m) => [m[1], m[2]]));
/** The ledger's measure cells (descriptions) in order. */
const measureCells = (html: string) => [...html.matchAll(/<td class="ledger-measure">([^<]*)/g)].map((m) => m[1]!.trim().replace(/&#x3D;/g, '='));

beforeAll(async () => {
  t = await createTestApp();
  fx = await setUpReviewCampaign(t);
  today = beijingDate(t.clock.now());
  await saveAs(t, fx, fx.reviewers.rb, fx.files.a1, { deductions: { 'S1-01': 1, 'S3-01': 1 } });
  await saveAs(t, fx, fx.reviewers.rc, fx.files.a1, { deductions: { 'S1-01': 1 } });
  await saveAs(t, fx, fx.reviewers.rb, fx.files.a2, { deductions: { 'S1-01': 1 } });
  await saveAs(t, fx, fx.reviewers.rc, fx.files.a2, {});
  await saveAs(t, fx, fx.reviewers.ra, fx.files.b1, { deductions: { 'S1-01': 2 } });
  await saveAs(t, fx, fx.reviewers.rc, fx.files.b1, { deductions: { 'S1-01': 2 } });
  await saveAs(t, fx, fx.reviewers.ra, fx.files.c1, { deductions: { 'S1-01': 1, 'S3-01': 1 } });
  await saveAs(t, fx, fx.reviewers.rb, fx.files.c1, {});
  sessions.admin = await loginAs(t, 'admin', ADMIN_PASSWORD);
  for (const name of ['leader', 'dept-a', 'rev-a']) sessions[name] = await loginAs(t, name, FIXTURE_PASSWORD);
});
afterAll(async () => { await t.close(); });

describe('before the results are released', () => {
  it('shows the issues but no form to issue notices', async () => {
    const res = await get('admin', pagePath());
    expect(res.status).toBe(200);
    expect(res.text).toContain('发现共性问题 1 个、个性问题 2 个');
    expect(res.text).toContain('评查结果发布后才能下发整改通知书（当前阶段：评查中）');
    expect(postForms(res.text)).toEqual(['/logout']);
    // Every unit with issues is listed as not yet issued.
    expect((res.text.match(/<tr class="pending">/g) ?? []).length).toBe(3);
    expect(textOf(res.text)).toContain('未下发 东安区市场监督管理局 2 （1 / 1）');
  });

  it('refuses to issue: nothing issued', async () => {
    const res = await post('admin', `${pagePath()}/notices`, { issuedOn: '', deadline: '', requirements: '' });
    expect(res.status).toBe(302);
    expect(flashOf((await get('admin', pagePath())).text, 'error')).toBe('评查结果发布后、活动结束前才能下发整改通知书');
    expect(await notices()).toHaveLength(0);
  });

  it('no 整改 link on the campaign page yet', async () => {
    expect((await get('admin', `/campaigns/${fx.campaignId}`)).text).not.toContain(`href="${pagePath()}"`);
  });
});

describe('issuing notices through the form', () => {
  beforeAll(async () => {
    const admin = await ctxFor(t, (await t.db.selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow()).id);
    await transitionCampaign(admin, fx.campaignId, 'rechecking');
    await transitionCampaign(admin, fx.campaignId, 'released');
  });

  it('offers the form with today, the computed default deadline and the default requirements', async () => {
    const res = await get('admin', pagePath());
    expect(res.status).toBe(200);
    expect(postForms(res.text)).toContain(`/campaigns/${fx.campaignId}/rectification/notices`);
    expect(res.text).toContain(`name="issuedOn" value="${today}"`);
    expect(res.text).toContain(`今天发文即 ${addDays(today, 30)}`);
    expect(res.text).toContain('留空则为发文日期后 30 日');
    expect(textOf(res.text)).toContain(DEFAULT_REQUIREMENTS);
  });

  it('refuses a deadline before the issue date with the message, keeps what was typed, issues nothing', async () => {
    const res = await post('admin', `${pagePath()}/notices`, { issuedOn: '2026-11-23', deadline: '2026-11-01', requirements: '请限期整改' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('整改期限 2026-11-01 早于发文日期 2026-11-23');
    expect(res.text).toContain('name="issuedOn" value="2026-11-23"');
    expect(res.text).toContain('name="deadline" value="2026-11-01"');
    expect(res.text).toContain('>请限期整改</textarea>');
    expect(await notices()).toHaveLength(0);
  });

  it('issues one notice per unit with issues and says how many', async () => {
    const res = await post('admin', `${pagePath()}/notices`, { issuedOn: addDays(today, -40), deadline: addDays(today, -10), requirements: '' });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(pagePath());
    const page = await get('admin', pagePath());
    expect(flashOf(page.text, 'success')).toBe('已下发整改通知书 3 份');
    const rows = await notices();
    expect(rows.map((n) => [n.doc_number, n.unit_id, n.issued_on, n.deadline, n.requirements])).toEqual([
      ['案评整改〔2026〕1号', fx.units.a, addDays(today, -40), addDays(today, -10), DEFAULT_REQUIREMENTS],
      ['案评整改〔2026〕2号', fx.units.b, addDays(today, -40), addDays(today, -10), DEFAULT_REQUIREMENTS],
      ['案评整改〔2026〕3号', fx.units.c, addDays(today, -40), addDays(today, -10), DEFAULT_REQUIREMENTS],
    ]);
    // All issued: no form, no pending units, each notice linked.
    expect(postForms(page.text)).toEqual(['/logout']);
    expect(page.text).not.toContain('<tr class="pending">');
    for (const n of rows) expect(page.text).toContain(`href="/rectification/notices/${n.id}"`);
  });

  it('says all are issued on a second try', async () => {
    const res = await post('admin', `${pagePath()}/notices`, { issuedOn: '', deadline: '', requirements: '' });
    expect(res.status).toBe(302);
    expect(flashOf((await get('admin', pagePath())).text, 'error')).toBe('所有有问题的单位都已下发整改通知书');
    expect(await notices()).toHaveLength(3);
  });
});

describe('the ledger', () => {
  let ids: Record<string, number>;
  beforeAll(async () => {
    const rows = await notices();
    const items = async (unitId: number) => t.db.selectFrom('rectification_items').select(['id', 'code']).where('notice_id', '=', rows.find((n) => n.unit_id === unitId)!.id)
      .orderBy('position').execute();
    const [a1, a2] = await items(fx.units.a);
    const [b1] = await items(fx.units.b);
    const [c1, c2] = await items(fx.units.c);
    expect([a1!.code, a2!.code, b1!.code, c1!.code, c2!.code]).toEqual(['S1-01', 'S3-01', 'S1-01', 'S1-01', 'S3-01']);
    const measure = (description: string) => ({ description, responsible: '李明', completedOn: addDays(today, -12), evidence: '培训签到表' });
    const deptA = await ctxFor(t, fx.departments.a);
    const deptB = await ctxFor(t, fx.departments.b);
    const deptC = await ctxFor(t, fx.departments.c);
    const admin = await ctxFor(t, (await t.db.selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow()).id);
    const m1 = await addMeasure(deptA, a1!.id, measure('组织执法人员学习出示执法证件的规定'));
    const m2 = await addMeasure(deptA, a2!.id, measure('补正证据材料'));
    const m3 = await addMeasure(deptA, a1!.id, measure('制作执法证件出示提示卡'));
    await submitReport(deptA, rows[0]!.id);
    await reviewMeasure(admin, m1, 'verify', '');
    await reviewMeasure(admin, m2, 'return', '缺少补正后的证据目录');
    const m4 = await addMeasure(deptB, b1!.id, measure('开展专项培训'));
    const m5 = await addMeasure(deptB, b1!.id, measure('修订执法程序规定'));
    await submitReport(deptB, rows[1]!.id);
    await reviewMeasure(admin, m4, 'verify', '');
    await reviewMeasure(admin, m5, 'verify', '');
    const m6 = await addMeasure(deptC, c1!.id, measure('=1+1 建立执法证件核查制度'));
    await deleteMeasure(deptC, await addMeasure(deptC, c2!.id, measure('已删除的草稿措施')));
    ids = { m1, m2, m3, m4, m5, m6 };
  });

  it('totals at the top, exactly, with the completion rate and its definition', async () => {
    const res = await get('admin', ledgerPath());
    expect(res.status).toBe(200);
    expect(figures(res.text)).toEqual({
      notices: '3', issues: '5', rectified: '1', completion: '20.0%', measures: '6', verified: '3', 'overdue-issues': '4', 'overdue-measures': '3',
      draft: '1', submitted: '1', returned: '1', 'verified-hint': '3',
    });
    const text = textOf(res.text);
    expect(text).toContain('下发整改通知书 3 份，涉及问题 5 个，已整改 1 个，落实整改措施 3 项');
    expect(text).toContain('问题（个）：共性 3、个性 2');
    expect(text).toContain('整改完成率 = 已整改问题数 ÷ 问题数（1 ÷ 5）');
    expect(res.text).not.toContain('已删除的草稿措施');
  });

  it('lists every unit, issue and measure with its state, dates and overdue flags', async () => {
    const res = await get('admin', ledgerPath());
    expect(measureCells(res.text)).toEqual(['组织执法人员学习出示执法证件的规定', '制作执法证件出示提示卡', '补正证据材料', '开展专项培训', '修订执法程序规定', '=1+1 建立执法证件核查制度']);
    const text = textOf(res.text);
    for (const unit of ['东安区市场监督管理局 案评整改〔2026〕1号', '阳明区生态环境局 案评整改〔2026〕2号', '爱民区交通运输局 案评整改〔2026〕3号']) expect(text).toContain(unit);
    expect(text).toContain('退回理由（');
    expect(text).toContain('缺少补正后的证据目录');
    expect(text).toContain('尚无整改措施');
    expect(text).toContain(`整改期限 ${addDays(today, -10)}`);
    // Issue rows: A1 in progress and overdue; B1 rectified, not overdue.
    expect(res.text.match(/<span class="tag ledger-item-verified">已整改<\/span>(?! <span class="tag ledger-overdue">)/g)).toHaveLength(1);
    expect(res.text.match(/<span class="tag ledger-item-inProgress">整改中<\/span> <span class="tag ledger-overdue">逾期<\/span>/g)).toHaveLength(3);
    expect(res.text.match(/<span class="tag ledger-item-open">未整改<\/span> <span class="tag ledger-overdue">逾期<\/span>/g)).toHaveLength(1);
    // Verified measures carry their verification date; nothing verified is overdue.
    expect(res.text.match(/<span class="tag ledger-measure-verified">已验收<\/span><\/td>\s*<td class="nowrap">[\d-]+<\/td>\s*<td class="nowrap">[\d-]+<\/td>\s*<td class="nowrap"><\/td>/g)).toHaveLength(3);
    expect(res.text.match(/<td class="nowrap"><span class="tag ledger-overdue">逾期<\/span><\/td>/g)).toHaveLength(3);
    for (const id of Object.values(ids)) expect(id).toBeGreaterThan(0);
  });

  it('filters by unit (totals of that unit), by issue state and by measure state', async () => {
    const unitB = await get('admin', ledgerPath(`?unitId=${fx.units.b}`));
    expect(figures(unitB.text)).toMatchObject({ notices: '1', issues: '1', rectified: '1', completion: '100.0%', verified: '2', 'overdue-issues': '0' });
    expect(measureCells(unitB.text)).toEqual(['开展专项培训', '修订执法程序规定']);
    expect(unitB.text).toContain('当前筛选：单位：阳明区生态环境局');

    const overdue = await get('admin', ledgerPath('?state=overdue'));
    expect(measureCells(overdue.text)).toEqual(['组织执法人员学习出示执法证件的规定', '制作执法证件出示提示卡', '补正证据材料', '=1+1 建立执法证件核查制度']);
    expect(textOf(overdue.text)).toContain('尚无整改措施');
    expect(figures(overdue.text).issues).toBe('5');

    const returned = await get('admin', ledgerPath('?measure=returned'));
    expect(measureCells(returned.text)).toEqual(['补正证据材料']);
    const rectified = await get('admin', ledgerPath(`?state=verified&unitId=${fx.units.a}`));
    expect(measureCells(rectified.text)).toEqual([]);
    expect(rectified.text).toContain('没有符合条件的问题或整改措施');
    // Unknown values are ignored, not errors.
    const odd = await get('admin', ledgerPath('?unitId=999999&state=x&measure=%3D1'));
    expect(odd.status).toBe(200);
    expect(figures(odd.text).notices).toBe('3');
  });

  it('exports the same rows as CSV: BOM, Chinese headers, formulas escaped', async () => {
    const res = await get('admin', ledgerPath('.csv')).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toContain('attachment');
    expect(res.headers['content-disposition']).toContain(encodeURIComponent('整改台账'));
    const body = (res.body as Buffer).toString('utf8');
    expect(body.charCodeAt(0)).toBe(0xfeff);
    const rows = parseCsv(body);
    expect(rows[0]).toEqual([
      '序号', '单位', '文号', '发文日期', '整改期限', '问题序号', '问题', '问题性质', '屡查屡犯', '涉及案卷', '问题整改状态', '问题是否逾期',
      '整改措施', '责任人', '完成日期', '整改佐证', '措施状态', '报送时间', '验收时间', '退回时间', '退回理由', '措施是否逾期',
    ]);
    const data = rows.slice(1);
    expect(data.map((r) => [r[1], r[2], r[5], r[7], r[10], r[11], r[12], r[16], r[21]])).toEqual([
      ['东安区市场监督管理局', '案评整改〔2026〕1号', '1', '共性问题', '整改中', '逾期', '组织执法人员学习出示执法证件的规定', '已验收', ''],
      ['东安区市场监督管理局', '案评整改〔2026〕1号', '1', '共性问题', '整改中', '逾期', '制作执法证件出示提示卡', '待验收', '逾期'],
      ['东安区市场监督管理局', '案评整改〔2026〕1号', '2', '个性问题', '整改中', '逾期', '补正证据材料', '已退回', '逾期'],
      ['阳明区生态环境局', '案评整改〔2026〕2号', '1', '共性问题', '已整改', '', '开展专项培训', '已验收', ''],
      ['阳明区生态环境局', '案评整改〔2026〕2号', '1', '共性问题', '已整改', '', '修订执法程序规定', '已验收', ''],
      ['爱民区交通运输局', '案评整改〔2026〕3号', '1', '共性问题', '整改中', '逾期', "'=1+1 建立执法证件核查制度", '待报送', '逾期'],
      ['爱民区交通运输局', '案评整改〔2026〕3号', '2', '个性问题', '未整改', '逾期', '', '', ''],
    ]);
    expect(data[0]![9]).toBe('DA-2026-001、DA-2026-002');
    expect(data[2]![20]).toBe('缺少补正后的证据目录');
    expect(data[0]![18]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(body).not.toMatch(/(^|,)"?=1\+1/m);

    const filtered = parseCsv((await get('admin', ledgerPath(`.csv?measure=returned`))).text.replace(/^\uFEFF/, ''));
    expect(filtered.slice(1).map((r) => r[12])).toEqual(['补正证据材料']);
  });

  it('is linked from the campaign page with the notices\' progress', async () => {
    const page = await get('admin', pagePath());
    expect(page.text).toContain(`href="${ledgerPath()}"`);
    const text = textOf(page.text);
    expect(text).toContain('下发整改通知书 3 份，涉及问题 5 个，已整改 1 个，落实整改措施 3 项');
    // 〔2026〕1号: 2 issues (2 common? no: 1 common, 1 individual), measures draft 0, submitted 1, returned 1, verified 1, overdue.
    expect(text).toMatch(/案评整改〔2026〕1号 东安区市场监督管理局 \S+ \S+ 2 （1 \/ 1） 0 0 1 1 1 逾期 2 个问题未整改 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 查看/);
    expect(text).toMatch(/案评整改〔2026〕2号 阳明区生态环境局 \S+ \S+ 1 （1 \/ 0） 1 0 0 0 2 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 查看/);
    expect(text).toMatch(/案评整改〔2026〕3号 爱民区交通运输局 \S+ \S+ 2 （1 \/ 1） 0 1 0 0 0 逾期 2 个问题未整改 未报送 查看/);
  });
});

describe('who may see it', () => {
  it('the leader reads both pages without any form, and may not issue', async () => {
    for (const path of [pagePath(), ledgerPath()]) {
      const res = await get('leader', path);
      expect(res.status, path).toBe(200);
      expect(postForms(res.text), path).toEqual(['/logout']);
    }
    expect((await get('leader', ledgerPath('.csv'))).status).toBe(200);
    const before = (await notices()).length;
    const res = await post('leader', `${pagePath()}/notices`, { issuedOn: '', deadline: '', requirements: '' });
    expect(res.status).toBe(403);
    expect(res.text).toContain('您没有权限访问此页面或执行此操作');
    expect(await notices()).toHaveLength(before);
  });

  it('a department and a reviewer are refused the campaign-wide pages', async () => {
    for (const who of ['dept-a', 'rev-a']) {
      for (const path of [pagePath(), ledgerPath(), ledgerPath('.csv')]) {
        const res = await get(who, path);
        expect(res.status, `${who} ${path}`).toBe(403);
        expect(res.text).not.toContain('案评整改');
      }
      expect((await post(who, `${pagePath()}/notices`, { issuedOn: '', deadline: '', requirements: '' })).status).toBe(403);
    }
  });

  it('links 整改 from the campaign page: the bureau to the campaign page, a department to its notices, a reviewer nowhere', async () => {
    expect((await get('admin', `/campaigns/${fx.campaignId}`)).text).toContain(`href="${pagePath()}">整改</a>`);
    expect((await get('leader', `/campaigns/${fx.campaignId}`)).text).toContain(`href="${pagePath()}">整改</a>`);
    expect((await get('dept-a', `/campaigns/${fx.campaignId}`)).text).toContain('href="/rectification">整改</a>');
    expect((await get('rev-a', `/campaigns/${fx.campaignId}`)).text).not.toContain('整改</a>');
  });

  it('an unknown campaign is a 404', async () => {
    expect((await get('admin', '/campaigns/99999/rectification')).status).toBe(404);
    expect((await get('admin', '/campaigns/99999/rectification/ledger')).status).toBe(404);
  });
});

describe('overdue moves with the clock', () => {
  it('on the deadline day nothing is overdue yet; the day after it is', async () => {
    const start = t.clock.now();
    try {
      // A jump of the clock ends the idle session: log in again at each time.
      t.clock.set(new Date(`${addDays(today, -10)}T12:00:00+08:00`));
      const admin = await loginAs(t, 'admin', ADMIN_PASSWORD);
      const onDeadline = figures((await admin.agent.get(ledgerPath())).text);
      expect([onDeadline['overdue-issues'], onDeadline['overdue-measures']]).toEqual(['0', '0']);
      t.clock.set(new Date(`${addDays(today, -9)}T00:30:00+08:00`));
      const again = await loginAs(t, 'admin', ADMIN_PASSWORD);
      const nextDay = figures((await again.agent.get(ledgerPath())).text);
      expect([nextDay['overdue-issues'], nextDay['overdue-measures']]).toEqual(['4', '3']);
    } finally {
      t.clock.set(start);
    }
  });
});
