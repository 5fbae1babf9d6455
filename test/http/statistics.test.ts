// The campaign statistics page (统计分析) over HTTP, on the review fixture scored through the real services and
// counted by hand. Every sheet, its total and grade (penalty standard: 优秀 ≥ 90, 良好 ≥ 80, 合格 ≥ 60; V03 fails a file):
//
//   a1 (unit A)  rb 92 (S2-01×3, S1-01×2)            rc 95 (S2-01×2, S1-01)             → agreed 93.5 优秀
//   a2 (unit A)  rb 99 (V03, S1-01) 不合格            rc 100 (V03) 不合格                → agreed 99.5 不合格, vetoed
//   c1 (unit C)  ra 70 (S3-05 15, S7-04×5, S2-01×2, S1-01)  rb 72 (S3-05 15, S7-04×4, S2-01×2, S1-01) → agreed 71 合格
//   b1 (unit B)  ra 85 (S3-05 10, S2-01×2, S1-01) 良好  rc 75 (S3-05 15, S2-01×3, S1-01×2, S9-01) 合格 → re-check;
//                rd re-checks 80 (S3-05 12, S2-01×3, S1-01×2) → 80 良好
//
// Before b1's re-check (provisional): 3 files; average (93.5 + 99.5 + 71) / 3 = 88; pass 2/3 = 66.7 %; excellent
// 1/3 = 33.3 %; 1 veto; ranks A 1 (96.5), C 2 (71), B none (no result yet, listed last).
// Complete: 4 files; average 344 / 4 = 86; each grade 1 (25.0 %); pass 3/4 = 75.0 %; excellent 1/4 = 25.0 %; 1 veto.
//   Units: A rank 1, 2 files, 96.5, 优秀 1 不合格 1, pass 50.0 %, excellent 50.0 %, 1 veto, unit grade 优秀;
//          B rank 2, 1 file, 80, 良好, pass 100.0 %, excellent 0.0 %;  C rank 3, 1 file, 71, 合格, 100.0 %, 0.0 %.
//   Reviewers (gap = own total − the co-reviewer's on the same file):
//     丙评查员 rc: 3 sheets (95, 100, 75) avg 90; gaps +3, +1, −10 → mean −2, mean |gap| 14/3 = 4.7
//     乙评查员 rb: 3 sheets (92, 99, 72) avg 263/3 = 87.7; gaps −3, −1, +2 → mean −2/3 = −0.7, |gap| 6/3 = 2
//     甲评查员 ra: 2 sheets (85, 70) avg 77.5; gaps +10, −2 → mean +4, |gap| 6
//     丁复核员 rd: no review sheet, 1 re-check
//   Issues (the marks of the sheets each final result rests on): S1-01 in 4 files (3 units), S2-01 in 3 files
//   (a1, b1, c1), S3-05 in 2 (b1, c1), S7-04 in 1 (c1), V03 in 1 (a2). (rc's S9-01 on b1 is not in the final result.)
// Trend: a 2025 campaign (released) inserted directly: unit A 80 and 90, unit B 70 → region 80, A 85; 2026 (once
// released) region 86, A 96.5.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transitionCampaign } from '../../src/features/campaigns/service.ts';
import { assignRechecker } from '../../src/features/reviews/service.ts';
import { addUser, createTestApp, loginAs, loginAsAdmin, type TestApp } from '../support/app.ts';
import { adminCtxOf, FIXTURE_PASSWORD, saveAs, setUpReviewCampaign, type ReviewFixture, insertPastYear } from '../support/review-fixture.ts';

let t: TestApp;
let fx: ReviewFixture;
type Session = Awaited<ReturnType<typeof loginAs>>;
const s = {} as Record<'admin' | 'leader' | 'ra' | 'outsider' | 'da' | 'db', Session>;

const UNIT_A = '东安区市场监督管理局';
const UNIT_B = '阳明区生态环境局';
const UNIT_C = '爱民区交通运输局';

beforeAll(async () => {
  t = await createTestApp();
  fx = await setUpReviewCampaign(t);
  // A reviewer outside the campaign's pool.
  await addUser(t.db, { username: 'rev-out', role: 'reviewer', unitId: fx.units.d, displayName: '库外评查员' });
  s.admin = await loginAsAdmin(t);
  s.leader = await loginAs(t, 'leader', FIXTURE_PASSWORD);
  s.ra = await loginAs(t, 'rev-a', FIXTURE_PASSWORD);
  s.outsider = await loginAs(t, 'rev-out', FIXTURE_PASSWORD);
  s.da = await loginAs(t, 'dept-a', FIXTURE_PASSWORD);
  s.db = await loginAs(t, 'dept-b', FIXTURE_PASSWORD);
});
afterAll(async () => { await t.close(); });

const statsUrl = (query = '') => `/campaigns/${fx.campaignId}/statistics${query}`;

// ---------------------------------------------------------------------------------------------------------
// Reading the page

const decode = (s: string) => s.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#x27;/g, "'");
const textOf = (html: string) => decode(html.replace(/<[^>]+>/g, '')).replace(/\s+/g, ' ').trim();

/** A headline tile: its value and its link, by the start of its label. */
function tile(html: string, label: string): { value: string; href: string | null } {
  const m = new RegExp(`<(a|div) class="stat[^"]*"(?: href="([^"]*)")?><span class="stat-value">([^<]*)</span><span class="stat-label">${label}`).exec(html);
  if (!m) throw new Error(`no tile ${label}`);
  return { value: m[3]!, href: m[2] ? decode(m[2]) : null };
}

/** The HTML of a table by its data-table name. */
function table(html: string, name: string): string {
  const start = html.indexOf(`data-table="${name}"`);
  if (start < 0) throw new Error(`no table ${name}`);
  return html.slice(start, html.indexOf('</table>', start));
}

/** The body rows of a table, each as its cells' text and the links in it. */
function rows(tableHtml: string): { cells: string[]; links: { text: string; href: string }[]; html: string }[] {
  const start = tableHtml.indexOf('<tbody>');
  const body = tableHtml.slice(start, tableHtml.indexOf('</tbody>', start));
  return [...body.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((m) => ({
    html: m[0],
    cells: [...m[1]!.matchAll(/<t[dh][^>]*>([\s\S]*?)<\/t[dh]>/g)].map((c) => textOf(c[1]!)),
    links: [...m[1]!.matchAll(/<a href="([^"]+)">([\s\S]*?)<\/a>/g)].map((a) => ({ href: decode(a[1]!), text: textOf(a[2]!) })),
  }));
}

/** A chart's SVG by its data-chart name. */
function chart(html: string, name: string): string {
  const start = html.indexOf(`data-chart="${name}"`);
  if (start < 0) throw new Error(`no chart ${name}`);
  return html.slice(start, html.indexOf('</figure>', start));
}

/** The file numbers listed on the result list (or the progress board's file list). */
function listed(html: string): string[] {
  const from = html.indexOf('id="files"');
  const part = from >= 0 ? html.slice(from) : html;
  return [...part.matchAll(/<td class="nowrap">(D[ABC]-2026-\d+)<\/td>/g)].map((m) => m[1]!);
}

/** Follows a link and returns the files it lists. */
async function filesBehind(session: Session, href: string): Promise<string[]> {
  const res = await session.agent.get(href);
  expect(res.status, href).toBe(200);
  return listed(res.text);
}

const postForms = (html: string) => [...html.matchAll(/<form method="post" action="([^"]+)"/g)].map((m) => m[1]);

const results = (query: string) => `/campaigns/${fx.campaignId}/results${query}`;

// ---------------------------------------------------------------------------------------------------------

describe('before any file has a final result', () => {
  it('shows the bureau a clear empty state, with the figures declared provisional', async () => {
    const res = await s.admin.agent.get(statsUrl());
    expect(res.status).toBe(200);
    expect(res.text).toContain('尚无最后得分');
    expect(res.text).toContain('data-empty');
    expect(textOf(res.text)).toContain('活动仍处于“评查中”阶段，以下均为临时统计：只计入已有最后得分的 0 卷案卷，另有 4 卷尚无最后得分（评查中 4 卷、待复核 0 卷）');
    expect(res.text).not.toContain('<svg'); // no chart without data (and no earlier year yet)
    expect(res.text).not.toContain('data-table="units"');
    expect(res.text).toContain('统计口径');
  });

  it('tells a department the results are not released, with status 200 and no figures', async () => {
    const res = await s.da.agent.get(statsUrl());
    expect(res.status).toBe(200);
    expect(res.text).toContain('本活动的评查结果尚未发布（当前阶段：评查中）');
    expect(res.text).not.toContain('<table');
    expect(res.text).not.toContain('<svg');
  });

  it('refuses reviewers: 403 inside the pool, 404 outside it', async () => {
    const inPool = await s.ra.agent.get(statsUrl());
    expect(inPool.status).toBe(403);
    expect(inPool.text).toContain('您没有权限访问此页面或执行此操作');
    expect((await s.outsider.agent.get(statsUrl())).status).toBe(404);
  });

  it('is not linked from the campaign page for a department or a reviewer yet', async () => {
    const admin = await s.admin.agent.get(`/campaigns/${fx.campaignId}`);
    expect(admin.text).toContain(`href="/campaigns/${fx.campaignId}/statistics">统计分析</a>`);
    const leader = await s.leader.agent.get(`/campaigns/${fx.campaignId}`);
    expect(leader.text).toContain(`href="/campaigns/${fx.campaignId}/statistics"`);
    for (const who of ['da', 'ra'] as const) expect((await s[who].agent.get(`/campaigns/${fx.campaignId}`)).text).not.toContain('/statistics');
  });
});

describe('while b1 waits for its re-check (provisional figures)', () => {
  beforeAll(async () => {
    const { ra, rb, rc } = fx.reviewers;
    await saveAs(t, fx, rb, fx.files.a1, { deductions: { 'S2-01': 3, 'S1-01': 2 } });
    await saveAs(t, fx, rc, fx.files.a1, { deductions: { 'S2-01': 2, 'S1-01': 1 } });
    await saveAs(t, fx, rb, fx.files.a2, { deductions: { 'S1-01': 1 }, vetoes: ['V03'] });
    await saveAs(t, fx, rc, fx.files.a2, { vetoes: ['V03'] });
    await saveAs(t, fx, ra, fx.files.c1, { deductions: { 'S3-05': '15', 'S7-04': 5, 'S2-01': 2, 'S1-01': 1 } });
    await saveAs(t, fx, rb, fx.files.c1, { deductions: { 'S3-05': '15', 'S7-04': 4, 'S2-01': 2, 'S1-01': 1 } });
    await saveAs(t, fx, ra, fx.files.b1, { deductions: { 'S3-05': '10', 'S2-01': 2, 'S1-01': 1 } });
    const disagreed = await saveAs(t, fx, rc, fx.files.b1, { deductions: { 'S3-05': '15', 'S2-01': 3, 'S1-01': 2, 'S9-01': 1 } });
    expect(disagreed.outcome).toContain('本卷转入复核');
  });

  it('counts only the files with a final result and says how many are still open', async () => {
    const res = await s.admin.agent.get(statsUrl());
    expect(textOf(res.text)).toContain('只计入已有最后得分的 3 卷案卷，另有 1 卷尚无最后得分（评查中 0 卷、待复核 1 卷）');
    expect(tile(res.text, '已有最后得分').value).toBe('3');
    expect(tile(res.text, '待复核').value).toBe('1');
    expect(await filesBehind(s.admin, tile(res.text, '待复核').href!)).toEqual(['DB-2026-001']);
    expect(tile(res.text, '平均分').value).toBe('88');
    expect(tile(res.text, '合格率').value).toBe('66.7%');
    expect(tile(res.text, '优秀率').value).toBe('33.3%');
    expect(tile(res.text, '否决').value).toBe('1');
  });

  it('lists the unit without a result last, without a rank', async () => {
    const res = await s.admin.agent.get(statsUrl());
    const units = rows(table(res.text, 'units'));
    expect(units.map((r) => [r.cells[0], r.cells[1], r.cells[2], r.cells[3]])).toEqual([
      ['1', UNIT_A, '2', '96.5'],
      ['2', UNIT_C, '1', '71'],
      ['—', UNIT_B, '0', '—'],
    ]);
    expect(units[2]!.cells).toContain('尚无最后得分');
    // The bar chart of averages has the two ranked units only, in rank order.
    const bars = chart(res.text, 'units');
    expect(bars.indexOf(UNIT_A)).toBeGreaterThan(-1);
    expect(bars.indexOf(UNIT_A)).toBeLessThan(bars.indexOf(UNIT_C));
    expect(bars).not.toContain(UNIT_B);
  });
});

describe('all four files with a final result', () => {
  beforeAll(async () => {
    await assignRechecker(await adminCtxOf(t), fx.campaignId, fx.files.b1, fx.reviewers.rd);
    const settled = await saveAs(t, fx, fx.reviewers.rd, fx.files.b1, { deductions: { 'S3-05': '12', 'S2-01': 3, 'S1-01': 2 } });
    expect(settled.outcome).toContain('本卷最后得分 80 分（良好）');
  });

  it('shows every headline figure as counted by hand', async () => {
    const res = await s.admin.agent.get(statsUrl());
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('data-empty');
    // Still 评查中: provisional, though nothing is open any more.
    expect(textOf(res.text)).toContain('活动仍处于“评查中”阶段，以下为临时统计：参评的 4 卷案卷均已有最后得分，结果发布前数字仍可能变化。');
    expect(tile(res.text, '已有最后得分').value).toBe('4');
    expect(() => tile(res.text, '待复核')).toThrow();
    expect(tile(res.text, '平均分').value).toBe('86');
    expect(tile(res.text, '合格率（3/4）').value).toBe('75.0%');
    expect(tile(res.text, '优秀率（1/4）').value).toBe('25.0%');
    expect(tile(res.text, '否决').value).toBe('1');
    const grades = rows(table(res.text, 'grades'));
    expect(grades.map((r) => r.cells)).toEqual([
      ['案卷数', '1', '1', '1', '1'],
      ['占比', '25.0%', '25.0%', '25.0%', '25.0%'],
    ]);
  });

  it('links each headline count to exactly the files behind it', async () => {
    const res = await s.admin.agent.get(statsUrl());
    expect(await filesBehind(s.admin, tile(res.text, '已有最后得分').href!)).toEqual(['DA-2026-001', 'DA-2026-002', 'DB-2026-001', 'DC-2026-001']);
    expect(await filesBehind(s.admin, tile(res.text, '合格率').href!)).toEqual(['DA-2026-001', 'DB-2026-001', 'DC-2026-001']);
    expect(await filesBehind(s.admin, tile(res.text, '优秀率').href!)).toEqual(['DA-2026-001']);
    expect(await filesBehind(s.admin, tile(res.text, '否决').href!)).toEqual(['DA-2026-002']);
    const grades = rows(table(res.text, 'grades'))[0]!.links;
    expect(grades.map((l) => l.href)).toEqual(['excellent', 'good', 'pass', 'fail'].map((g) => results(`?grade=${g}`)));
    const behind = await Promise.all(grades.map((l) => filesBehind(s.admin, l.href)));
    expect(behind).toEqual([['DA-2026-001'], ['DB-2026-001'], ['DC-2026-001'], ['DA-2026-002']]);
  });

  it('tabulates by case type, linking to the files of that type', async () => {
    const res = await s.admin.agent.get(statsUrl());
    const [penalty, ...others] = rows(table(res.text, 'case-types'));
    expect(others).toEqual([]);
    expect(penalty!.cells).toEqual(['行政处罚', '4', '86', '1', '1', '1', '1', '75.0%', '25.0%', '1']);
    expect(await filesBehind(s.admin, penalty!.links[0]!.href)).toHaveLength(4);
    expect(penalty!.links[0]!.href).toBe(results('?caseType=penalty'));
    expect(await filesBehind(s.admin, results('?caseType=license'))).toEqual([]);
    const vetoLink = penalty!.links.find((l) => l.href.includes('veto=1'))!;
    expect(await filesBehind(s.admin, vetoLink.href)).toEqual(['DA-2026-002']);
  });

  it('ranks the units and gives each its figures, grade and files', async () => {
    const res = await s.admin.agent.get(statsUrl());
    const units = rows(table(res.text, 'units'));
    expect(units.map((r) => r.cells)).toEqual([
      ['1', UNIT_A, '2', '96.5', '1', '0', '0', '1', '50.0%', '50.0%', '1', '优秀', '查看案卷'],
      ['2', UNIT_B, '1', '80', '0', '1', '0', '0', '100.0%', '0.0%', '0', '良好', '查看案卷'],
      ['3', UNIT_C, '1', '71', '0', '0', '1', '0', '100.0%', '0.0%', '0', '合格', '查看案卷'],
    ]);
    const a = units[0]!.links;
    expect(a[0]!.href).toBe(statsUrl(`?unitId=${fx.units.a}`));
    const files = a.find((l) => l.text === '查看案卷')!.href;
    expect(files).toBe(results(`?unitId=${fx.units.a}`));
    expect(await filesBehind(s.admin, files)).toEqual(['DA-2026-001', 'DA-2026-002']);
    const failOfA = a.find((l) => l.href.includes('grade=fail'))!.href;
    expect(failOfA).toBe(results(`?unitId=${fx.units.a}&grade=fail`));
    expect(await filesBehind(s.admin, failOfA)).toEqual(['DA-2026-002']);
    const passOfA = a.find((l) => l.href.includes('passing=1'))!.href;
    expect(await filesBehind(s.admin, passOfA)).toEqual(['DA-2026-001']);
    const vetoOfA = a.find((l) => l.href.includes('veto=1'))!.href;
    expect(await filesBehind(s.admin, vetoOfA)).toEqual(['DA-2026-002']);
    // No veto in B or C: the veto filter finds nothing there.
    expect(await filesBehind(s.admin, results(`?unitId=${fx.units.b}&veto=1`))).toEqual([]);
    expect(await filesBehind(s.admin, units[2]!.links.find((l) => l.text === '查看案卷')!.href)).toEqual(['DC-2026-001']);
  });

  it('shows each reviewer\'s sheets, re-checks and gaps to co-reviewers, explaining the sign', async () => {
    const res = await s.admin.agent.get(statsUrl());
    const reviewers = rows(table(res.text, 'reviewers'));
    expect(reviewers.map((r) => r.cells)).toEqual([
      ['丙评查员', '3', '0', '90', '3', '−2', '4.7'],
      ['乙评查员', '3', '0', '87.7', '3', '−0.7', '2'],
      ['甲评查员', '2', '0', '77.5', '2', '+4', '6'],
      ['丁复核员', '0', '1', '—', '0', '—', '—'],
    ]);
    expect(reviewers[2]!.html).toContain('stats-lenient');
    expect(reviewers[0]!.html).toContain('stats-strict');
    expect(res.text).toContain('正数表示比同卷其他评查人员宽松（给分偏高），负数表示偏严');
    // The sheets behind the counts, on the progress board.
    expect(await filesBehind(s.admin, reviewers[1]!.links[0]!.href)).toEqual(['DA-2026-001', 'DA-2026-002', 'DC-2026-001']);
    expect(await filesBehind(s.admin, reviewers[2]!.links[0]!.href)).toEqual(['DB-2026-001', 'DC-2026-001']);
    expect(await filesBehind(s.admin, reviewers[3]!.links[0]!.href)).toEqual(['DB-2026-001']);
  });

  it('lists the most frequent issues, each linking to its issue page with its files', async () => {
    const res = await s.admin.agent.get(statsUrl());
    const issues = rows(table(res.text, 'issues'));
    expect(issues.map((r) => [r.cells[0], r.cells[1], r.cells[3], r.cells[4], r.cells[5]])).toEqual([
      ['1', '执法人员未出示执法证件 扣分项 S1-01', '共性问题', '4', '3'],
      ['2', '未立案或者先调查后立案 扣分项 S2-01', '共性问题', '3', '3'],
      ['3', '违法实施行政强制措施 扣分项 S3-05', '个性问题', '2', '2'],
      ['4', '行政处罚决定书内容不完整 扣分项 S7-04', '个性问题', '1', '1'],
      ['5', '执法人员不具备执法资格或者少于两人 否决项 V03', '个性问题', '1', '1'],
    ]);
    expect(issues[0]!.links[0]!.href).toBe(`/campaigns/${fx.campaignId}/issues/${encodeURIComponent('item:penalty-general:S1-01')}`);
    const page = await s.admin.agent.get(issues[1]!.links[0]!.href);
    expect(page.status).toBe(200);
    expect([...new Set(page.text.match(/D[ABC]-2026-\d+/g))].sort()).toEqual(['DA-2026-001', 'DB-2026-001', 'DC-2026-001']);
    // The horizontal bar chart of the same issues.
    const bars = chart(res.text, 'issues');
    for (const wording of ['执法人员未出示执法证件', '未立案或者先调查后立案', '违法实施行政强制措施']) expect(bars).toContain(wording);
  });

  it('draws the grade distribution and the unit averages as SVG charts the CSP lets through', async () => {
    const res = await s.admin.agent.get(statsUrl());
    const pie = chart(res.text, 'grades');
    expect(pie).toContain('<svg');
    for (const label of ['优秀：1（25%）', '良好：1（25%）', '合格：1（25%）', '不合格：1（25%）']) expect(pie).toContain(label);
    const bars = chart(res.text, 'units');
    for (const value of ['96.5分', '80分', '71分']) expect(bars).toContain(`>${value}</text>`);
    expect(bars.indexOf(UNIT_A)).toBeLessThan(bars.indexOf(UNIT_B));
    expect(bars.indexOf(UNIT_B)).toBeLessThan(bars.indexOf(UNIT_C));
    // No inline style (forbidden by the CSP): the fonts are presentation attributes.
    for (const svg of [pie, bars]) {
      expect(svg).not.toMatch(/\sstyle="/);
      expect(svg).not.toContain('<style');
      expect(svg).toContain('font-size="12px"');
    }
    // No trend yet: nothing is released.
    expect(res.text).not.toContain('data-chart="trend"');
  });

  it('shows one unit on ?unitId=, with its rank, figures and files', async () => {
    const res = await s.admin.agent.get(statsUrl(`?unitId=${fx.units.a}`));
    expect(res.status).toBe(200);
    expect(res.text).toContain(`<h1>统计分析 · ${UNIT_A}`);
    expect(tile(res.text, '已有最后得分').value).toBe('2');
    expect(tile(res.text, '平均分').value).toBe('96.5');
    expect(tile(res.text, '合格率（1/2）').value).toBe('50.0%');
    expect(tile(res.text, '排名').value).toBe('第 1 名');
    expect(res.text).toContain('排名（共 3 个单位参加排名）');
    expect(tile(res.text, '单位等次').value).toBe('优秀');
    expect(await filesBehind(s.admin, tile(res.text, '已有最后得分').href!)).toEqual(['DA-2026-001', 'DA-2026-002']);
    expect(await filesBehind(s.admin, tile(res.text, '否决').href!)).toEqual(['DA-2026-002']);
    expect(res.text).not.toContain('data-table="units"');
    expect(res.text).not.toContain('data-table="reviewers"');
    // An unknown unit is ignored: the whole campaign.
    const unknown = await s.admin.agent.get(statsUrl('?unitId=999999'));
    expect(unknown.status).toBe(200);
    expect(tile(unknown.text, '已有最后得分').value).toBe('4');
  });

  it('lets the leader read everything but offers no form that changes anything', async () => {
    const res = await s.leader.agent.get(statsUrl());
    expect(res.status).toBe(200);
    expect(tile(res.text, '平均分').value).toBe('86');
    expect(rows(table(res.text, 'reviewers'))).toHaveLength(4);
    expect(postForms(res.text)).toEqual(['/logout']);
  });

  it('shows coverage (评查面) for a self-check, with 未报送 where a unit reported no total', async () => {
    await t.db.updateTable('campaigns').set({ kind: 'self' }).where('id', '=', fx.campaignId).execute();
    const total = (unitId: number, n: number | null) => t.db.updateTable('campaign_units').set({ reported_total: n })
      .where('campaign_id', '=', fx.campaignId).where('unit_id', '=', unitId).execute();
    await total(fx.units.a, 10);
    await total(fx.units.b, 4);
    try {
      const res = await s.admin.agent.get(statsUrl());
      const coverageTable = table(res.text, 'coverage');
      expect(rows(coverageTable).map((r) => r.cells)).toEqual([
        [UNIT_A, '10', '2', '20.0%'],
        [UNIT_B, '4', '1', '25.0%'],
        [UNIT_C, '未报送', '1', '未报送'],
      ]);
      expect(/<tfoot>([\s\S]*?)<\/tfoot>/.exec(coverageTable)![1]!.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim()).toBe('合计 14 3 21.4%');
      expect(res.text).toContain('1 个单位未报送案卷总数，不计入合计');
      expect(res.text).toContain('评查面</dt>');
      const unitOnly = await s.admin.agent.get(statsUrl(`?unitId=${fx.units.b}`));
      expect(rows(table(unitOnly.text, 'coverage')).map((r) => r.cells)).toEqual([[UNIT_B, '4', '1', '25.0%']]);
    } finally {
      await t.db.updateTable('campaigns').set({ kind: 'cross' }).where('id', '=', fx.campaignId).execute();
    }
    expect((await s.admin.agent.get(statsUrl())).text).not.toContain('data-table="coverage"');
  });
});

describe('after release', () => {
  beforeAll(async () => {
    const admin = await adminCtxOf(t);
    await transitionCampaign(admin, fx.campaignId, 'rechecking');
    await transitionCampaign(admin, fx.campaignId, 'released');
  });

  it('is final: no provisional notice', async () => {
    const res = await s.admin.agent.get(statsUrl());
    expect(res.text).not.toContain('data-notice');
    expect(res.text).not.toContain('临时统计');
  });

  it('shows a department its own unit only, with every link leading to its own files', async () => {
    const page = await s.da.agent.get(`/campaigns/${fx.campaignId}`);
    expect(page.text).toContain(`href="/campaigns/${fx.campaignId}/statistics">统计分析</a>`);
    const res = await s.da.agent.get(statsUrl());
    expect(res.status).toBe(200);
    expect(res.text).toContain(`<h1>统计分析 · ${UNIT_A}`);
    expect(tile(res.text, '已有最后得分').value).toBe('2');
    expect(tile(res.text, '平均分').value).toBe('96.5');
    expect(tile(res.text, '合格率（1/2）').value).toBe('50.0%');
    expect(tile(res.text, '优秀率（1/2）').value).toBe('50.0%');
    expect(tile(res.text, '排名').value).toBe('第 1 名');
    expect(tile(res.text, '否决').value).toBe('1');
    // Nothing of the other units, nor of the reviewers, and no unit picker.
    for (const other of [UNIT_B, UNIT_C, 'DB-2026', 'DC-2026', '甲评查员', '乙评查员', '丙评查员', '丁复核员']) expect(res.text).not.toContain(other);
    expect(res.text).not.toContain('data-table="units"');
    expect(res.text).not.toContain('data-table="reviewers"');
    expect(res.text).not.toContain('name="unitId"');
    expect(res.text).not.toContain('/progress');
    // Its issues, counted on its own files.
    expect(rows(table(res.text, 'issues')).map((r) => [r.cells[1], r.cells[4]])).toEqual([
      ['执法人员未出示执法证件 扣分项 S1-01', '2'],
      ['未立案或者先调查后立案 扣分项 S2-01', '1'],
      ['执法人员不具备执法资格或者少于两人 否决项 V03', '1'],
    ]);
    // Every link on the page opens, and the result-list links list its own files only.
    const hrefs = [...new Set([...res.text.matchAll(/<a [^>]*href="(\/[^"]*)"/g)].map((m) => decode(m[1]!)).filter((h) => !h.startsWith('/assets/')))];
    for (const href of hrefs) {
      const linked = await s.da.agent.get(href);
      expect(linked.status, href).toBe(200);
      if (href.includes('/results')) expect(listed(linked.text).every((f) => f.startsWith('DA-')), href).toBe(true);
    }
    expect(await filesBehind(s.da, tile(res.text, '否决').href!)).toEqual(['DA-2026-002']);
    expect(await filesBehind(s.da, tile(res.text, '合格率').href!)).toEqual(['DA-2026-001']);
  });

  it('refuses a department another unit\'s figures, and shows unit B its own', async () => {
    const other = await s.da.agent.get(statsUrl(`?unitId=${fx.units.b}`));
    expect(other.status).toBe(403);
    expect(other.text).not.toContain(UNIT_B);
    expect((await s.da.agent.get(statsUrl(`?unitId=${fx.units.a}`))).status).toBe(200);
    const b = await s.db.agent.get(statsUrl());
    expect(tile(b.text, '平均分').value).toBe('80');
    expect(tile(b.text, '排名').value).toBe('第 2 名');
    expect(b.text).not.toContain(UNIT_A);
  });

  it('still refuses reviewers', async () => {
    expect((await s.ra.agent.get(statsUrl())).status).toBe(403);
    expect((await s.outsider.agent.get(statsUrl())).status).toBe(404);
  });
});

describe('year-on-year trend', () => {
  beforeAll(async () => {
    // A released 2025 campaign of units A and B, with final results inserted directly (the trend reads only
    // final_results, campaigns and case_files): A 80 and 90, B 70.
    await insertPastYear(t, fx, 'released', true);
  });

  /** The value labels of a line chart's SVG, in drawing order. */
  const labelsOf = (svg: string) => [...svg.matchAll(/>([^<>]+)<\/text>/g)].map((m) => m[1]!);

  it('draws the region\'s average per year for the bureau', async () => {
    const res = await s.admin.agent.get(statsUrl());
    const trend = chart(res.text, 'trend');
    expect(trend).toContain('<svg');
    const labels = labelsOf(trend);
    for (const expected of ['2025年', '2026年', '80', '86', '全部单位平均分']) expect(labels).toContain(expected);
    expect(labels).not.toContain('96.5');
  });

  it('draws the unit\'s own line next to the region\'s on a unit filter, and for a department', async () => {
    for (const [session, query] of [[s.admin, `?unitId=${fx.units.a}`], [s.da, '']] as const) {
      const res = await session.agent.get(statsUrl(query));
      const labels = labelsOf(chart(res.text, 'trend'));
      for (const expected of ['2025年', '2026年', '80', '86', '85', '96.5', '全部单位平均分', `${UNIT_A}平均分`]) expect(labels, expected).toContain(expected);
    }
    // Unit B had 70 in 2025 and 80 in 2026.
    const b = labelsOf(chart((await s.db.agent.get(statsUrl())).text, 'trend'));
    for (const expected of ['70', '80', '86', `${UNIT_B}平均分`]) expect(b).toContain(expected);
  });
});
