// The bureau's progress board, a campaign's result list and the reviewer's queue, over a known scoring sequence:
// drafts, submissions, an agreement (final), a disagreement (待复核) with and without a rechecker, then release,
// where a department sees only its own unit's results, and an upheld objection shows as a revision.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transitionCampaign } from '../../src/features/campaigns/service.ts';
import { assignRechecker, decideObjection, raiseObjection } from '../../src/features/reviews/service.ts';
import { createTestApp, loginAs, loginAsAdmin, type TestApp } from '../support/app.ts';
import { ctxFor, FIXTURE_PASSWORD, saveAs, setUpReviewCampaign, type ReviewFixture } from '../support/review-fixture.ts';

let t: TestApp;
let fx: ReviewFixture;
let b2 = 0; // a licensing file of unit B, reviewed by ra + rc
type Session = Awaited<ReturnType<typeof loginAs>>;
const s = {} as Record<'admin' | 'leader' | 'ra' | 'rb' | 'rc' | 'rd' | 'da' | 'db', Session>;

beforeAll(async () => {
  t = await createTestApp();
  fx = await setUpReviewCampaign(t);
  const now = new Date().toISOString();
  b2 = (await t.db.insertInto('case_files').values({
    campaign_id: fx.campaignId, unit_id: fx.units.b, file_number: 'DB-2026-XK1', case_type: 'license', cause: '排污许可证核发',
    handlers: '王五、赵六', is_major: 0, closed_on: '2026-03-05', pages: 30, source: 'import', created_at: now, created_by: null,
    field: '生态环境', party: '某化工厂',
  }).returning('id').executeTakeFirstOrThrow()).id;
  await t.db.insertInto('sampled_files').values({
    campaign_id: fx.campaignId, case_file_id: b2, origin: 'draw', draw_id: null, added_at: now, added_by: null, added_reason: null,
    removed_at: null, removed_by: null, removed_reason: null,
  }).execute();
  for (const reviewerId of [fx.reviewers.ra, fx.reviewers.rc]) {
    await t.db.insertInto('assignments').values({
      campaign_id: fx.campaignId, case_file_id: b2, reviewer_id: reviewerId, origin: 'auto', assigned_at: now, assigned_by: null,
      removed_at: null, removed_by: null, removed_reason: null,
    }).execute();
  }

  // The known sequence:
  // a1 (A): rb draft, rc nothing              → 评查中
  // a2 (A): rb 85, rc veto V03                → 待复核 (spread and grade and veto differ)
  // b1 (B): ra 98, rc 97                      → final 97.5 优秀
  // b2 (B, license): ra 97, rc nothing        → 评查中
  // c1 (C): ra draft, rb nothing              → 评查中
  await saveAs(t, fx, fx.reviewers.rb, fx.files.a1, { deductions: { 'S1-01': 1 } }, false);
  await saveAs(t, fx, fx.reviewers.rb, fx.files.a2, { deductions: { 'S3-05': '15' } });
  await saveAs(t, fx, fx.reviewers.rc, fx.files.a2, { vetoes: ['V03'] });
  await saveAs(t, fx, fx.reviewers.ra, fx.files.b1, { deductions: { 'S2-01': 1 } });
  await saveAs(t, fx, fx.reviewers.rc, fx.files.b1, { deductions: { 'S2-01': 1, 'S2-02': 1 } });
  await saveAs(t, fx, fx.reviewers.ra, b2, { deductions: { 'S1-01': 1 } });
  await saveAs(t, fx, fx.reviewers.ra, fx.files.c1, { deductions: { 'S9-01': 1 } }, false);

  s.admin = await loginAsAdmin(t);
  s.leader = await loginAs(t, 'leader', FIXTURE_PASSWORD);
  for (const key of ['ra', 'rb', 'rc', 'rd'] as const) s[key] = await loginAs(t, fx.usernames[key]!, FIXTURE_PASSWORD);
  s.da = await loginAs(t, 'dept-a', FIXTURE_PASSWORD);
  s.db = await loginAs(t, 'dept-b', FIXTURE_PASSWORD);
});
afterAll(async () => { await t.close(); });

const adminCtx = async () => ctxFor(t, (await t.db.selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow()).id);
const progressUrl = (query = '') => `/campaigns/${fx.campaignId}/progress${query}`;
const resultsUrl = (query = '') => `/campaigns/${fx.campaignId}/results${query}`;

/** The figure of a stat tile by its label. */
function stat(html: string, label: string): string {
  const m = new RegExp(`<span class="stat-value">([^<]*)</span><span class="stat-label">${label}</span>`).exec(html);
  if (!m) throw new Error(`no stat ${label}`);
  return m[1]!;
}

/** The numeric cells of the row labelled `label` in the table under the heading `heading`. */
function row(html: string, heading: string, label: string): number[] {
  const start = html.indexOf(`<h2>${heading}</h2>`);
  expect(start, heading).toBeGreaterThan(-1);
  const table = html.slice(start, html.indexOf('</table>', start));
  const cells = new RegExp(`<tr>\\s*<td>${label}</td>([\\s\\S]*?)</tr>`).exec(table)?.[1];
  if (cells === undefined) throw new Error(`no row ${label} under ${heading}`);
  return [...cells.matchAll(/<td class="num">([\s\S]*?)<\/td>/g)].map((m) => Number(m[1]!.replace(/<[^>]+>/g, '').trim()));
}

/** The file numbers listed in the board's file list (or the results table). */
function listed(html: string): string[] {
  const from = html.indexOf('id="files"');
  const part = from >= 0 ? html.slice(from) : html;
  return [...part.matchAll(/<td class="nowrap">(D[ABC]-2026-[0-9A-Z]+)<\/td>/g)].map((m) => m[1]!);
}

/** The board's list row of a file, as text. */
function fileRow(html: string, fileNumber: string): string {
  const m = new RegExp(`<tr>\\s*<td>[^<]*</td>\\s*<td class="nowrap">${fileNumber}</td>([\\s\\S]*?)</tr>`).exec(html);
  if (!m) throw new Error(`no row for ${fileNumber}`);
  return m[1]!;
}

/** Every link of a page, as the browser reads it (entities decoded). */
const hrefsOf = (html: string) => [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&'));

const postForms = (html: string) => [...html.matchAll(/<form method="post" action="([^"]+)"/g)].map((m) => m[1]);

describe('progress board', () => {
  it('totals files and sheets exactly', async () => {
    const res = await s.admin.agent.get(progressUrl());
    expect(res.status).toBe(200);
    expect(res.text).toContain('评查进度');
    expect([stat(res.text, '案卷数'), stat(res.text, '应交评查表'), stat(res.text, '未开始'), stat(res.text, '草稿'), stat(res.text, '已提交'),
      stat(res.text, '待复核'), stat(res.text, '已有最后得分')]).toEqual(['5', '10', '3', '2', '5', '1', '1']);
  });

  it('counts per unit: files, sheets owed, not started, drafts, submitted, awaiting re-check, final', async () => {
    const res = await s.admin.agent.get(progressUrl());
    expect(row(res.text, '按单位', '东安区市场监督管理局')).toEqual([2, 4, 1, 1, 2, 1, 0]);
    expect(row(res.text, '按单位', '阳明区生态环境局')).toEqual([2, 4, 1, 0, 3, 0, 1]);
    expect(row(res.text, '按单位', '爱民区交通运输局')).toEqual([1, 2, 1, 1, 0, 0, 0]);
  });

  it('counts per reviewer: assigned, not started, draft, submitted, re-checks assigned and done', async () => {
    const res = await s.admin.agent.get(progressUrl());
    expect(row(res.text, '按评查人员', '甲评查员')).toEqual([3, 0, 1, 2, 0, 0]);
    expect(row(res.text, '按评查人员', '乙评查员')).toEqual([3, 1, 1, 1, 0, 0]);
    expect(row(res.text, '按评查人员', '丙评查员')).toEqual([4, 2, 0, 2, 0, 0]);
    expect(res.text).not.toContain('<td>丁复核员</td>');
  });

  it('counts per case type', async () => {
    const res = await s.admin.agent.get(progressUrl());
    expect(row(res.text, '按案卷类型', '行政处罚')).toEqual([4, 8, 2, 2, 4, 1, 1]);
    expect(row(res.text, '按案卷类型', '行政许可')).toEqual([1, 2, 1, 0, 1, 0, 0]);
  });

  it('links each count of files to the list filtered the same way, and the list agrees', async () => {
    const hrefs = hrefsOf((await s.admin.agent.get(progressUrl())).text);
    const rc = fx.reviewers.rc;
    expect(hrefs).toContain(`/campaigns/${fx.campaignId}/progress?reviewerId=${rc}&sheet=none#files`);
    expect(hrefs).toContain(`/campaigns/${fx.campaignId}/progress?unitId=${fx.units.a}&state=recheck#files`);
    expect(hrefs).toContain(`/campaigns/${fx.campaignId}/progress?caseType=license#files`);
    expect(listed((await s.admin.agent.get(progressUrl(`?reviewerId=${rc}&sheet=none`))).text)).toEqual(['DA-2026-001', 'DB-2026-XK1']);
    expect(listed((await s.admin.agent.get(progressUrl(`?reviewerId=${rc}&sheet=submitted`))).text)).toEqual(['DA-2026-002', 'DB-2026-001']);
    expect(listed((await s.admin.agent.get(progressUrl(`?reviewerId=${fx.reviewers.rb}&sheet=draft`))).text)).toEqual(['DA-2026-001']);
    expect(listed((await s.admin.agent.get(progressUrl(`?reviewerId=${fx.reviewers.ra}`))).text)).toEqual(['DB-2026-001', 'DB-2026-XK1', 'DC-2026-001']);
  });

  it('filters the file list by state, unit and case type', async () => {
    expect(listed((await s.admin.agent.get(progressUrl())).text)).toEqual(['DA-2026-001', 'DA-2026-002', 'DB-2026-001', 'DB-2026-XK1', 'DC-2026-001']);
    expect(listed((await s.admin.agent.get(progressUrl('?state=final'))).text)).toEqual(['DB-2026-001']);
    expect(listed((await s.admin.agent.get(progressUrl('?state=recheck'))).text)).toEqual(['DA-2026-002']);
    expect(listed((await s.admin.agent.get(progressUrl('?state=reviewing'))).text)).toEqual(['DA-2026-001', 'DB-2026-XK1', 'DC-2026-001']);
    expect(listed((await s.admin.agent.get(progressUrl(`?unitId=${fx.units.b}`))).text)).toEqual(['DB-2026-001', 'DB-2026-XK1']);
    expect(listed((await s.admin.agent.get(progressUrl(`?unitId=${fx.units.b}&state=reviewing`))).text)).toEqual(['DB-2026-XK1']);
    expect(listed((await s.admin.agent.get(progressUrl('?caseType=license'))).text)).toEqual(['DB-2026-XK1']);
    const nonsense = await s.admin.agent.get(progressUrl('?state=x&unitId=abc&caseType=zzz&page=-1'));
    expect(nonsense.status).toBe(200);
    expect(listed(nonsense.text)).toHaveLength(5);
  });

  it('shows each sheet\'s state, the final score only once there is one, and links every file to its result page', async () => {
    const res = await s.admin.agent.get(progressUrl());
    const a1 = fileRow(res.text, 'DA-2026-001');
    expect(a1).toContain('乙评查员 <span class="tag sheet-draft">草稿</span>');
    expect(a1).toContain('丙评查员 <span class="tag sheet-none">未开始</span>');
    expect(a1).not.toContain('99'); // a draft's running total is the reviewer's business
    const b1 = fileRow(res.text, 'DB-2026-001');
    expect(b1).toContain('已有最后得分');
    expect(b1).toContain('97.5');
    expect(b1).toContain('优秀');
    const a2 = fileRow(res.text, 'DA-2026-002');
    expect(a2).toContain('待复核');
    expect(a2).toContain('未指定复核人员');
    expect(a2).toMatch(/<td class="num"><\/td>/); // no final score yet
    expect(res.text).toContain(`href="/campaigns/${fx.campaignId}/files/${fx.files.b1}/result"`);
    expect(res.text).toContain(`href="/campaigns/${fx.campaignId}/files/${fx.files.a2}/result"`);
  });

  it('names the rechecker once assigned and counts the re-check on the rechecker\'s row', async () => {
    await assignRechecker(await adminCtx(), fx.campaignId, fx.files.a2, fx.reviewers.rd);
    const res = await s.admin.agent.get(progressUrl());
    expect(fileRow(res.text, 'DA-2026-002')).toContain('复核：丁复核员');
    expect(row(res.text, '按评查人员', '丁复核员')).toEqual([0, 0, 0, 0, 1, 0]);
    expect(listed((await s.admin.agent.get(progressUrl(`?recheckerId=${fx.reviewers.rd}`))).text)).toEqual(['DA-2026-002']);
  });

  it('is read by the leader with no change buttons, and refused to reviewers and departments', async () => {
    const res = await s.leader.agent.get(progressUrl());
    expect(res.status).toBe(200);
    expect(stat(res.text, '案卷数')).toBe('5');
    expect(postForms(res.text)).toEqual(['/logout']);
    for (const who of ['ra', 'rd', 'da'] as const) expect((await s[who].agent.get(progressUrl())).status).toBe(403);
  });

  it('is linked from the campaign page for the bureau only', async () => {
    const admin = await s.admin.agent.get(`/campaigns/${fx.campaignId}`);
    expect(admin.text).toContain(`href="/campaigns/${fx.campaignId}/progress"`);
    expect(admin.text).toContain(`href="/campaigns/${fx.campaignId}/results"`);
    expect(admin.text).not.toContain(`/campaigns/${fx.campaignId}/objections`);
    expect(stat(admin.text, '评查表已提交 / 应交')).toBe('5 / 10');
    const leader = await s.leader.agent.get(`/campaigns/${fx.campaignId}`);
    expect(leader.text).toContain(`href="/campaigns/${fx.campaignId}/progress"`);
    for (const who of ['ra', 'da'] as const) {
      const page = await s[who].agent.get(`/campaigns/${fx.campaignId}`);
      expect(page.status).toBe(200);
      expect(page.text).not.toContain(`/campaigns/${fx.campaignId}/progress`);
      expect(page.text).not.toContain(`/campaigns/${fx.campaignId}/results`);
    }
  });
});

describe('reviewer queue', () => {
  it('shows the reviewer\'s own files with their sheet states and progress, and nobody else\'s', async () => {
    const res = await s.rb.agent.get('/queue');
    expect(res.status).toBe(200);
    expect(res.text).toContain('评查表已提交 1 份，共 3 份');
    expect(listed(res.text).length).toBe(0); // the queue marks file numbers as mono, not nowrap
    const numbers = [...res.text.matchAll(/<td class="mono">([^<]+)<\/td>/g)].map((m) => m[1]);
    expect(numbers).toEqual(['DA-2026-001', 'DA-2026-002', 'DC-2026-001']);
    const rowOf = (n: string) => new RegExp(`<td class="mono">${n}</td>([\\s\\S]*?)</tr>`).exec(res.text)![1]!;
    expect(rowOf('DA-2026-001')).toContain('草稿');
    expect(rowOf('DA-2026-001')).toContain('继续填写');
    expect(rowOf('DA-2026-002')).toContain('已提交</span> 85 分 良好');
    expect(rowOf('DA-2026-002')).toContain(`href="/campaigns/${fx.campaignId}/files/${fx.files.a2}/result"`);
    expect(rowOf('DC-2026-001')).toContain('未开始');
    expect(rowOf('DC-2026-001')).toContain(`href="/campaigns/${fx.campaignId}/files/${fx.files.c1}/sheet"`);
    expect(res.text).not.toContain('DB-2026-001');
    expect(res.text).not.toContain('我的复核任务');
  });

  it('lists the rechecker\'s re-check tasks apart', async () => {
    const res = await s.rd.agent.get('/queue');
    expect(res.text).toContain('我的复核任务');
    expect(res.text).toContain('DA-2026-002');
    expect(res.text).toContain('开始复核');
    expect(res.text).toContain('目前没有分配给您的案卷');
    const other = await s.rc.agent.get('/queue');
    expect(other.text).not.toContain('我的复核任务');
  });

  it('is refused to everyone but reviewers', async () => {
    for (const who of ['admin', 'leader', 'da'] as const) expect((await s[who].agent.get('/queue')).status).toBe(403);
  });
});

describe('results', () => {
  it('lists the files with a final result for the bureau, with a count per grade', async () => {
    const res = await s.admin.agent.get(resultsUrl());
    expect(res.status).toBe(200);
    expect(listed(res.text)).toEqual(['DB-2026-001']);
    expect(res.text).toContain('已有最后得分 <strong>1</strong> 卷');
    expect(res.text).toMatch(/优秀 1 卷/);
    expect(res.text).toContain('评查人员评分取平均');
    const leader = await s.leader.agent.get(resultsUrl());
    expect(listed(leader.text)).toEqual(['DB-2026-001']);
    expect(postForms(leader.text)).toEqual(['/logout']);
  });

  it('tells a department that results are not yet released, and shows it nothing', async () => {
    const res = await s.da.agent.get(resultsUrl());
    expect(res.status).toBe(200);
    expect(res.text).toContain('评查结果尚未发布');
    expect(res.text).not.toContain('DA-2026');
    expect(res.text).not.toContain('DB-2026');
  });

  it('is refused to reviewers', async () => {
    expect((await s.ra.agent.get(resultsUrl())).status).toBe(403);
  });

  it('after release shows a department only its own unit\'s results, and an upheld objection as a revision', async () => {
    const r = fx.reviewers;
    await saveAs(t, fx, r.rd, fx.files.a2, { deductions: { 'S3-05': '12' } }); // 88 良好
    await saveAs(t, fx, r.rb, fx.files.a1, { deductions: { 'S1-01': 1 } });
    await saveAs(t, fx, r.rc, fx.files.a1, { deductions: { 'S1-01': 1 } });
    await saveAs(t, fx, r.rc, b2, {});
    await saveAs(t, fx, r.ra, fx.files.c1, { deductions: { 'S9-01': 1 } });
    await saveAs(t, fx, r.rb, fx.files.c1, { deductions: { 'S9-01': 1 } });
    const admin = await adminCtx();
    await transitionCampaign(admin, fx.campaignId, 'rechecking');
    await transitionCampaign(admin, fx.campaignId, 'released');

    const board = await s.admin.agent.get(progressUrl());
    expect([stat(board.text, '案卷数'), stat(board.text, '已提交'), stat(board.text, '待复核'), stat(board.text, '已有最后得分')]).toEqual(['5', '10', '0', '5']);
    expect(row(board.text, '按评查人员', '丁复核员')).toEqual([0, 0, 0, 0, 1, 1]);

    const deptA = await s.da.agent.get(resultsUrl());
    expect(deptA.status).toBe(200);
    expect(listed(deptA.text)).toEqual(['DA-2026-001', 'DA-2026-002']);
    expect(deptA.text).toContain('复核确定');
    expect(deptA.text).not.toContain('阳明区生态环境局');
    // Asking for another unit is refused, not quietly answered.
    expect((await s.da.agent.get(resultsUrl(`?unitId=${fx.units.b}`))).status).toBe(403);
    const deptB = await s.db.agent.get(resultsUrl());
    expect(listed(deptB.text)).toEqual(['DB-2026-001', 'DB-2026-XK1']);

    const page = await s.da.agent.get(`/campaigns/${fx.campaignId}`);
    expect(page.text).toContain(`href="/campaigns/${fx.campaignId}/results"`);
    expect(page.text).toContain(`href="/campaigns/${fx.campaignId}/objections"`);
    expect(page.text).not.toContain(`/campaigns/${fx.campaignId}/progress`);

    const objection = await raiseObjection(await ctxFor(t, fx.departments.a), fx.campaignId, fx.files.a1, 'deduction:S1-01', '执法证件已出示，见询问笔录第 2 页');
    await decideObjection(admin, objection, 'upheld', '询问笔录第 2 页记载已出示证件');
    const revised = await s.da.agent.get(resultsUrl());
    const a1 = new RegExp('DA-2026-001</td>([\\s\\S]*?)</tr>').exec(revised.text)![1]!;
    expect(a1).toContain('第 2 版');
    expect(a1).toContain('100');

    const all = await s.admin.agent.get(resultsUrl());
    expect(listed(all.text)).toEqual(['DA-2026-001', 'DA-2026-002', 'DB-2026-001', 'DB-2026-XK1', 'DC-2026-001']);
    expect(listed((await s.admin.agent.get(resultsUrl(`?unitId=${fx.units.b}`))).text)).toEqual(['DB-2026-001', 'DB-2026-XK1']);
    expect(listed((await s.admin.agent.get(resultsUrl('?grade=good'))).text)).toEqual(['DA-2026-002']);
  });

  it('pages long file lists', async () => {
    const now = new Date().toISOString();
    for (let i = 1; i <= 50; i++) {
      const { id } = await t.db.insertInto('case_files').values({
        campaign_id: fx.campaignId, unit_id: fx.units.c, file_number: `DC-2026-${String(100 + i)}`, case_type: 'penalty', cause: '超限运输',
        handlers: '孙七', is_major: 0, closed_on: '2026-04-01', pages: 20, source: 'import', created_at: now, created_by: null, field: null, party: null,
      }).returning('id').executeTakeFirstOrThrow();
      await t.db.insertInto('sampled_files').values({
        campaign_id: fx.campaignId, case_file_id: id, origin: 'manual', draw_id: null, added_at: now, added_by: null, added_reason: '分页测试',
        removed_at: null, removed_by: null, removed_reason: null,
      }).execute();
    }
    const first = await s.admin.agent.get(progressUrl());
    expect(stat(first.text, '案卷数')).toBe('55');
    expect(listed(first.text)).toHaveLength(50);
    expect(first.text).toContain('第 1 / 2 页，共 55 条');
    const second = await s.admin.agent.get(progressUrl('?page=2'));
    expect(listed(second.text)).toEqual(['DC-2026-146', 'DC-2026-147', 'DC-2026-148', 'DC-2026-149', 'DC-2026-150']);
    const filtered = await s.admin.agent.get(progressUrl(`?unitId=${fx.units.c}&page=2`));
    expect(filtered.text).toContain('第 2 / 2 页，共 51 条');
  });
});
