// A campaign's issues (问题汇总) over HTTP, on a fixture scored through the real services and counted by hand:
//
//   a1 (unit A): S1-01 and veto V03, by both reviewers      a2 (unit A): S3-01, by both reviewers
//   b1 (unit B): S1-01 and S3-01 by both; ra also writes the 其他问题 “卷宗装订顺序混乱”
//   c1 (unit C): S1-01 by both; ra also writes the 其他问题 “卷内文书未按时间顺序排列”
//
// Issues: S1-01 in 3 units (3 files), S3-01 in 2 units, V03 in 1, each 其他问题 in 1 (2 once merged, B and C).
//   threshold 3: common 1 (S1-01), individual 2 + 1 + 1 + 1 = 5; merged: 2 + 1 + 2 = 5
//   threshold 2: common 2 (S1-01, S3-01), individual 1 + 1 + 1 = 3; merged: common 3, individual 1
//   threshold 4: common 0, individual 3 + 2 + 1 + 1 + 1 = 8; merged: 3 + 2 + 1 + 2 = 8
// An earlier-year (2025) campaign, released, found S1-01 in unit B (屡查屡犯 for B only); another 2025 campaign, still
// being reviewed, found S1-01 in unit C (not counted: not released).
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SheetInput } from '../../src/domain/review-sheet.ts';
import { transitionCampaign } from '../../src/features/campaigns/service.ts';
import { saveSheet } from '../../src/features/reviews/service.ts';
import { addUser, ADMIN_PASSWORD, createTestApp, loginAs, type TestApp } from '../support/app.ts';
import { ctxFor, FIXTURE_PASSWORD, saveAs, setUpReviewCampaign, type ReviewFixture } from '../support/review-fixture.ts';

let t: TestApp;
let fx: ReviewFixture;
let adminId: number;
let earlierReleased: number;
let earlierOpen: number;
const OTHER_B = '卷宗装订顺序混乱';
const OTHER_C = '卷内文书未按时间顺序排列';
const OTHER_2025 = '封面填写不全';
const sessions: Record<string, { agent: request.Agent; csrf: string }> = {};

const S101 = 'item:penalty-general:S1-01';
const S301 = 'item:penalty-general:S3-01';
const V03 = 'veto:penalty-general:V03';

/** A reviewer's sheet saved and submitted through the service, with 其他问题 if given. */
async function score(campaignId: number, reviewerId: number, fileId: number, marks: { deductions?: Record<string, number>; vetoes?: string[]; others?: string[] }) {
  const input: SheetInput = {
    deductions: Object.entries(marks.deductions ?? {}).map(([itemCode, count]) => ({
      itemCode, count, note: `${itemCode} 问题说明`, document: '行政处罚决定书', page: '3',
    })),
    vetoes: (marks.vetoes ?? []).map((code) => ({ code, note: `${code} 具体问题`, document: '询问笔录', page: '5' })),
    others: (marks.others ?? []).map((note) => ({ note, document: '卷宗封面', page: '1' })),
    opinion: '',
  };
  return saveSheet(await ctxFor(t, reviewerId), campaignId, fileId, input, 0, true, true);
}

/** A campaign of an earlier year for one unit with one file, reviewed by two reviewers of other units. */
async function earlierCampaign(year: number, unitId: number, fileNumber: string, reviewerIds: [number, number]) {
  const now = new Date().toISOString();
  const { id } = await t.db.insertInto('campaigns').values({
    name: `${year}年度行政执法案卷交叉评查`, year, kind: 'cross', status: 'reviewing', description: null, period_from: null, period_to: null,
    reviewers_per_file: 2, disagreement_threshold_tenths: 50, common_issue_threshold: 3, objection_window_days: 5, rectification_days: 30,
    doc_number_pattern: '案评整改〔{year}〕{seq}号', created_at: now, created_by: null, updated_at: now, status_changed_at: now,
  }).returning('id').executeTakeFirstOrThrow();
  await t.db.insertInto('campaign_units').values({ campaign_id: id, unit_id: unitId }).execute();
  const pinned = await t.db.selectFrom('campaign_rubrics').select('rubric_version_id').where('campaign_id', '=', fx.campaignId).where('case_type', '=', 'penalty')
    .executeTakeFirstOrThrow();
  await t.db.insertInto('campaign_rubrics').values({ campaign_id: id, case_type: 'penalty', rubric_version_id: pinned.rubric_version_id }).execute();
  for (const r of reviewerIds) await t.db.insertInto('reviewer_pool').values({ campaign_id: id, user_id: r, added_at: now }).execute();
  const { id: fileId } = await t.db.insertInto('case_files').values({
    campaign_id: id, unit_id: unitId, file_number: fileNumber, case_type: 'penalty', cause: '超范围经营', handlers: '王五、赵六', is_major: 0,
    closed_on: `${year}-03-01`, pages: 30, source: 'import', created_at: now, created_by: null, field: '市场监管', party: '某公司',
  }).returning('id').executeTakeFirstOrThrow();
  await t.db.insertInto('sampled_files').values({
    campaign_id: id, case_file_id: fileId, origin: 'draw', draw_id: null, added_at: now, added_by: null, added_reason: null,
    removed_at: null, removed_by: null, removed_reason: null,
  }).execute();
  for (const r of reviewerIds) {
    await t.db.insertInto('assignments').values({
      campaign_id: id, case_file_id: fileId, reviewer_id: r, origin: 'auto', assigned_at: now, assigned_by: null,
      removed_at: null, removed_by: null, removed_reason: null,
    }).execute();
  }
  return { id, fileId };
}

beforeAll(async () => {
  t = await createTestApp();
  fx = await setUpReviewCampaign(t);
  adminId = (await t.db.selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow()).id;
  await addUser(t.db, { username: 'rev-x', role: 'reviewer', unitId: fx.units.d, displayName: '池外评查员' });

  const released = await earlierCampaign(2025, fx.units.b, 'DB-2025-007', [fx.reviewers.ra, fx.reviewers.rc]);
  await score(released.id, fx.reviewers.ra, released.fileId, { deductions: { 'S1-01': 1 }, others: [OTHER_2025] });
  await score(released.id, fx.reviewers.rc, released.fileId, { deductions: { 'S1-01': 1 } });
  await t.db.updateTable('campaigns').set({ status: 'released', released_at: new Date().toISOString() }).where('id', '=', released.id).execute();
  earlierReleased = released.id;
  const open = await earlierCampaign(2025, fx.units.c, 'DC-2025-003', [fx.reviewers.ra, fx.reviewers.rb]);
  await score(open.id, fx.reviewers.ra, open.fileId, { deductions: { 'S1-01': 1 } });
  await score(open.id, fx.reviewers.rb, open.fileId, { deductions: { 'S1-01': 1 } });
  earlierOpen = open.id;

  sessions.admin = await loginAs(t, 'admin', ADMIN_PASSWORD);
  for (const name of ['leader', 'dept-a', 'dept-b', 'dept-c', 'rev-a', 'rev-x']) sessions[name] = await loginAs(t, name, FIXTURE_PASSWORD);
});
afterAll(async () => { await t.close(); });

const issuesPath = () => `/campaigns/${fx.campaignId}/issues`;
const issuePath = (key: string) => `${issuesPath()}/${encodeURIComponent(key)}`;
const resultPath = (fileId: number) => `/campaigns/${fx.campaignId}/files/${fileId}/result`;
const get = (who: string, path: string) => sessions[who]!.agent.get(path);
const post = (who: string, path: string, body: Record<string, string | string[]>) =>
  sessions[who]!.agent.post(path).type('form').send({ _csrf: sessions[who]!.csrf, ...body });
async function postAndFollow(who: string, path: string, body: Record<string, string | string[]>) {
  const res = await post(who, path, body);
  expect(res.status).toBe(302);
  expect(res.headers.location).toBe(`${issuesPath()}#others`);
  return get(who, issuesPath());
}
const flashError = (html: string) => /<div class="flash flash-error"[^>]*>([^<]*)<\/div>/.exec(html)?.[1] ?? null;
const flashSuccess = (html: string) => /<div class="flash flash-success"[^>]*>([^<]*)<\/div>/.exec(html)?.[1] ?? null;
const sentenceOf = (html: string) => /<p class="issues-sentence">([^<]*)<\/p>/.exec(html)?.[1] ?? null;
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();

/** The issue table's rows: the link (decoded key) and each cell's text. */
function issueRows(html: string) {
  const table = /<table class="table compact issues-table">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
  return [...table.matchAll(/<tr class="issue-(common|individual)">([\s\S]*?)<\/tr>/g)].map((m) => {
    const href = /<a href="([^"]+)"/.exec(m[2]!)?.[1] ?? '';
    return {
      key: decodeURIComponent(href.slice(href.lastIndexOf('/') + 1)),
      href,
      cells: [...m[2]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => text(c[1]!)),
    };
  });
}

const setThreshold = (n: number) => t.db.updateTable('campaigns').set({ common_issue_threshold: n }).where('id', '=', fx.campaignId).execute();
const otherMarks = async () => {
  const rows = await t.db.selectFrom('review_marks').innerJoin('reviews', 'reviews.id', 'review_marks.review_id')
    .select(['review_marks.id', 'review_marks.note', 'reviews.campaign_id']).where('review_marks.kind', '=', 'other').execute();
  const byNote = (note: string) => rows.find((r) => r.note === note)!.id;
  return { b: byNote(OTHER_B), c: byNote(OTHER_C), earlier: byNote(OTHER_2025) };
};
/** The two unmerged 其他问题 keys in the domain's order for equally frequent issues (by key text). */
const otherKeys = async () => {
  const marks = await otherMarks();
  return [`other:${marks.b}`, `other:${marks.c}`].sort((x, y) => x.localeCompare(y));
};
/** What a merge or split could change. */
async function snapshot() {
  const groups = await t.db.selectFrom('issue_groups').selectAll().orderBy('id').execute();
  const members = await t.db.selectFrom('issue_group_members').selectAll().orderBy('review_mark_id').execute();
  const audit = await t.db.selectFrom('audit_log').select('id').where('action', 'in', ['issue.merge', 'issue.split']).execute();
  return JSON.stringify({ groups, members, audit: audit.length });
}
const sentence = (files: number, common: number, individual: number, threshold: number) =>
  `共 ${files} 卷案卷有最后得分；发现共性问题 ${common} 个、个性问题 ${individual} 个（同一问题出现在 ${threshold} 个及以上单位的案卷中为共性问题）`;

describe('while the campaign is being reviewed', () => {
  it('counts only files with a final result, and tells the bureau so', async () => {
    await saveAs(t, fx, fx.reviewers.rb, fx.files.a1, { deductions: { 'S1-01': 1 }, vetoes: ['V03'] });
    await saveAs(t, fx, fx.reviewers.rc, fx.files.a1, { deductions: { 'S1-01': 1 }, vetoes: ['V03'] });
    const page = await get('admin', issuesPath());
    expect(page.status).toBe(200);
    expect(sentenceOf(page.text)).toBe(sentence(1, 0, 2, 3));
    expect(page.text).toContain('活动仍处于“评查中”阶段：参评案卷 4 卷，其中 1 卷已有最后得分。以下数字只统计已有最后得分的案卷');
    expect(issueRows(page.text).map((r) => r.key)).toEqual([S101, V03]);
    const leader = await get('leader', issuesPath());
    expect(leader.status).toBe(200);
    expect(sentenceOf(leader.text)).toBe(sentence(1, 0, 2, 3));
  });

  it('tells a department results are not released yet, on the list and on an issue, and shows no issue', async () => {
    for (const path of [issuesPath(), issuePath(S101)]) {
      const page = await get('dept-a', path);
      expect(page.status).toBe(200);
      expect(page.text).toContain('本活动的评查结果尚未发布（当前阶段：评查中）');
      expect(page.text).not.toContain('<table');
      expect(page.text).not.toContain('执法人员未出示执法证件');
    }
    const show = await get('dept-a', `/campaigns/${fx.campaignId}`);
    expect(show.text).not.toContain('问题汇总');
  });

  it('refuses reviewers (403), and answers 404 to one outside the campaign', async () => {
    expect((await get('rev-a', issuesPath())).status).toBe(403);
    expect((await get('rev-a', issuePath(S101))).status).toBe(403);
    expect((await get('rev-x', issuesPath())).status).toBe(404);
    expect((await get('rev-x', issuePath(S101))).status).toBe(404);
    expect((await get('admin', '/campaigns/999999/issues')).status).toBe(404);
  });

  it('links the campaign page to the issues for the bureau', async () => {
    for (const who of ['admin', 'leader']) {
      const show = await get(who, `/campaigns/${fx.campaignId}`);
      expect(show.text).toContain(`<a class="button secondary" href="${issuesPath()}">问题汇总</a>`);
    }
  });
});

describe('issue classification on the page', () => {
  beforeAll(async () => {
    await saveAs(t, fx, fx.reviewers.rb, fx.files.a2, { deductions: { 'S3-01': 1 } });
    await saveAs(t, fx, fx.reviewers.rc, fx.files.a2, { deductions: { 'S3-01': 1 } });
    await score(fx.campaignId, fx.reviewers.ra, fx.files.b1, { deductions: { 'S1-01': 1, 'S3-01': 1 }, others: [OTHER_B] });
    await score(fx.campaignId, fx.reviewers.rc, fx.files.b1, { deductions: { 'S1-01': 1, 'S3-01': 1 } });
    await score(fx.campaignId, fx.reviewers.ra, fx.files.c1, { deductions: { 'S1-01': 1 }, others: [OTHER_C] });
    await score(fx.campaignId, fx.reviewers.rb, fx.files.c1, { deductions: { 'S1-01': 1 } });
  });

  it('states the report sentence and lists the issues by frequency with every column', async () => {
    const page = await get('admin', issuesPath());
    expect(sentenceOf(page.text)).toBe(sentence(4, 1, 5, 3));
    const rows = issueRows(page.text);
    const others = await otherKeys();
    expect(rows.map((r) => r.key)).toEqual([S101, S301, ...others, V03]);
    // 序号, 问题, 类别, 类型, 性质, 涉及单位数, 涉及案卷数, 屡查屡犯
    expect(rows[0]!.cells).toEqual(['1', '执法人员未出示执法证件', '执法主体', '扣分项 S1-01', '共性问题', '3', '3', '屡查屡犯 阳明区生态环境局']);
    expect(rows[1]!.cells).toEqual(['2', '调查笔录要素不全', '调查取证', '扣分项 S3-01', '个性问题', '2', '2', '']);
    expect(rows[others.indexOf(`other:${(await otherMarks()).b}`) + 2]!.cells.slice(1)).toEqual([OTHER_B, '其他问题', '其他问题', '个性问题', '1', '1', '']);
    expect(rows[4]!.cells).toEqual(['5', '执法人员不具备执法资格或者少于两人', '执法主体', '否决项 V03', '个性问题', '1', '1', '']);
    // Still in review: the notice stays, now with every file in.
    expect(page.text).toContain('参评案卷 4 卷，其中 4 卷已有最后得分');
  });

  it('counts by the campaign\'s threshold at its edges (2 and 4)', async () => {
    await setThreshold(2);
    let page = await get('admin', issuesPath());
    expect(sentenceOf(page.text)).toBe(sentence(4, 2, 3, 2));
    expect(issueRows(page.text).filter((r) => r.cells[4] === '共性问题').map((r) => r.key)).toEqual([S101, S301]);
    await setThreshold(4);
    page = await get('admin', issuesPath());
    expect(sentenceOf(page.text)).toBe(sentence(4, 0, 8, 4));
    expect(issueRows(page.text).every((r) => r.cells[4] === '个性问题')).toBe(true);
    await setThreshold(3);
  });

  it('filters by scope, category and unit', async () => {
    const common = issueRows((await get('admin', `${issuesPath()}?scope=common`)).text);
    expect(common.map((r) => r.key)).toEqual([S101]);
    const individual = issueRows((await get('admin', `${issuesPath()}?scope=individual`)).text);
    expect(individual).toHaveLength(4);
    const category = await get('admin', `${issuesPath()}?category=${encodeURIComponent('调查取证')}`);
    expect(issueRows(category.text).map((r) => r.key)).toEqual([S301]);
    expect(category.text).toContain('当前筛选：类别：调查取证，列出 1 个问题（共 5 个）');
    const marks = await otherMarks();
    const unitC = await get('admin', `${issuesPath()}?unitId=${fx.units.c}`);
    const rows = issueRows(unitC.text);
    expect(rows.map((r) => r.key)).toEqual([S101, `other:${marks.c}`]);
    expect(rows[0]!.cells.slice(5)).toEqual(['3', '3', '1', '屡查屡犯 阳明区生态环境局']); // campaign-wide, then unit C's files
    expect(unitC.text).toContain('当前筛选：单位：爱民区交通运输局');
    // The report sentence stays the campaign's whatever the filter.
    expect(sentenceOf(unitC.text)).toBe(sentence(4, 1, 5, 3));
    // A filter value that means nothing narrows nothing.
    expect(issueRows((await get('admin', `${issuesPath()}?scope=x&category=nope&unitId=999999`)).text)).toHaveLength(5);
  });

  it('leads from each issue to its files, with every reviewer\'s note, document and page', async () => {
    const page = await get('admin', issuesPath());
    for (const row of issueRows(page.text)) expect((await get('admin', row.href)).status, row.href).toBe(200);

    const s101 = await get('admin', issuePath(S101));
    expect(s101.status).toBe(200);
    expect(s101.text).toContain('<h1>执法人员未出示执法证件 <span class="tag scope-common">共性问题</span>');
    for (const id of [fx.files.a1, fx.files.b1, fx.files.c1]) expect(s101.text).toContain(`href="${resultPath(id)}"`);
    expect(s101.text).not.toContain(`href="${resultPath(fx.files.a2)}"`);
    for (const name of ['东安区市场监督管理局', '阳明区生态环境局', '爱民区交通运输局', 'DA-2026-001', 'DB-2026-001', 'DC-2026-001']) expect(s101.text).toContain(name);
    // a1 was reviewed by rb and rc: both notes, with document and page.
    const findings = /<table class="table compact issue-findings">([\s\S]*?)<\/table>/.exec(s101.text)![1]!;
    expect(text(findings)).toContain('DA-2026-001 乙评查员 S1-01 问题说明 行政处罚决定书 3 丙评查员 S1-01 问题说明 行政处罚决定书 3');
    for (const who of ['甲评查员', '乙评查员', '丙评查员']) expect(findings).toContain(who);
    for (const id of [fx.files.a1, fx.files.b1, fx.files.c1]) expect((await get('admin', resultPath(id))).status).toBe(200);

    const veto = await get('leader', issuePath(V03));
    expect(veto.status).toBe(200);
    expect(text(veto.text)).toContain('乙评查员 V03 具体问题');
    expect(text(veto.text)).toContain('丙评查员 V03 具体问题');

    expect((await get('admin', issuePath('item:penalty-general:S9-99'))).status).toBe(404);
    expect((await get('admin', issuePath('nonsense'))).status).toBe(404);
    expect((await get('leader', issuePath('group:999'))).status).toBe(404);
  });

  it('marks 屡查屡犯 for the unit found with the same issue in an earlier year\'s released campaign only', async () => {
    const s101 = await get('admin', issuePath(S101));
    const units = /<h2>涉及单位<\/h2>[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(s101.text)![1]!;
    const unitRows = [...units.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => text(m[1]!));
    expect(unitRows).toEqual(['东安区市场监督管理局 1', '阳明区生态环境局 1 屡查屡犯', '爱民区交通运输局 1']);
    expect(text(s101.text)).toContain('屡查屡犯 阳明区生态环境局');
    // S3-01 was found in unit B this year but not in 2025; the unreleased 2025 campaign (S1-01 in unit C) does not count.
    const s301 = await get('admin', issuePath(S301));
    expect(s301.text).not.toContain('class="tag repeated"');
    expect(earlierOpen).toBeGreaterThan(earlierReleased);
  });
});

describe('merging 其他问题', () => {
  it('lists the campaign\'s 其他问题 with checkboxes for the administrator', async () => {
    const page = await get('admin', issuesPath());
    const marks = await otherMarks();
    expect(page.text).toContain(`action="${issuesPath()}/merge"`);
    expect(page.text).toContain(`formaction="${issuesPath()}/split"`);
    expect(page.text).toContain(`name="markIds" value="${marks.b}"`);
    expect(page.text).toContain(`name="markIds" value="${marks.c}"`);
    expect(page.text).not.toContain(`name="markIds" value="${marks.earlier}"`); // another campaign's
    expect(page.text).not.toContain(OTHER_2025);
    const section = page.text.slice(page.text.indexOf('id="others"'));
    for (const s of ['阳明区生态环境局', 'DB-2026-001', '甲评查员', OTHER_B, OTHER_C, '卷宗封面', '未归并']) expect(section).toContain(s);
  });

  it('shows the leader the list without the forms, and refuses a leader, department or reviewer merging (403), nothing changed', async () => {
    const page = await get('leader', issuesPath());
    expect(page.text).toContain(OTHER_B);
    expect(page.text).not.toContain('/issues/merge');
    expect(page.text).not.toContain('/issues/split');
    expect(page.text).not.toContain('name="markIds"');
    expect([...page.text.matchAll(/<form method="post" action="([^"]+)"/g)].map((m) => m[1])).toEqual(['/logout']);
    const marks = await otherMarks();
    const before = await snapshot();
    for (const who of ['leader', 'dept-b', 'rev-a']) {
      for (const action of ['merge', 'split']) {
        const res = await post(who, `${issuesPath()}/${action}`, { title: '卷宗装订不规范', markIds: [String(marks.b), String(marks.c)] });
        expect(res.status, `${who} ${action}`).toBe(403);
        expect(res.text).toContain('您没有权限访问此页面或执行此操作');
      }
    }
    expect(await snapshot()).toBe(before);
  });

  it('refuses an empty title or a mark of another campaign with a Chinese message, nothing changed', async () => {
    const marks = await otherMarks();
    const before = await snapshot();
    const empty = await postAndFollow('admin', `${issuesPath()}/merge`, { title: '  ', markIds: [String(marks.b), String(marks.c)] });
    expect(flashError(empty.text)).toBe('请填写归并后的问题表述');
    const foreign = await postAndFollow('admin', `${issuesPath()}/merge`, { title: '卷宗装订不规范', markIds: [String(marks.b), String(marks.earlier)] });
    expect(flashError(foreign.text)).toBe('所选记录中有 1 条不是本活动最后得分中的“其他问题”');
    const none = await postAndFollow('admin', `${issuesPath()}/merge`, { title: '卷宗装订不规范' });
    expect(flashError(none.text)).toBe('请至少选择一条“其他问题”');
    const garbage = await postAndFollow('admin', `${issuesPath()}/merge`, { title: '卷宗装订不规范', markIds: ['abc'] });
    expect(flashError(garbage.text)).toContain('不是本活动最后得分中的“其他问题”');
    const splitUnmerged = await postAndFollow('admin', `${issuesPath()}/split`, { markIds: [String(marks.b)] });
    expect(flashError(splitUnmerged.text)).toBe('请选择已归并的“其他问题”');
    expect(await snapshot()).toBe(before);
    expect(sentenceOf(foreign.text)).toBe(sentence(4, 1, 5, 3));
  });

  it('merges two 其他问题 of different units into one issue, counted as such, and audits it', async () => {
    const marks = await otherMarks();
    const page = await postAndFollow('admin', `${issuesPath()}/merge`, { title: '卷宗装订不规范', markIds: [String(marks.b), String(marks.c)] });
    expect(flashSuccess(page.text)).toBe('已将 2 条“其他问题”归并为一个问题：“卷宗装订不规范”');
    expect(sentenceOf(page.text)).toBe(sentence(4, 1, 5, 3));
    const group = await t.db.selectFrom('issue_groups').selectAll().where('campaign_id', '=', fx.campaignId).executeTakeFirstOrThrow();
    const key = `group:${group.id}`;
    const rows = issueRows(page.text);
    expect(rows.map((r) => r.key)).toEqual([S101, key, S301, V03]);
    expect(rows[1]!.cells).toEqual(['2', '卷宗装订不规范', '其他问题', '其他问题', '个性问题', '2', '2', '']);
    expect(page.text).toContain(`已归并为 <a href="${issuePath(key)}">卷宗装订不规范</a>`);

    await setThreshold(2);
    expect(sentenceOf((await get('admin', issuesPath())).text)).toBe(sentence(4, 3, 1, 2));
    await setThreshold(4);
    expect(sentenceOf((await get('admin', issuesPath())).text)).toBe(sentence(4, 0, 8, 4));
    await setThreshold(3);

    const detail = await get('admin', issuePath(key));
    expect(detail.status).toBe(200);
    expect(detail.text).toContain('由 2 条评查人员记录的“其他问题”归并');
    for (const s of [OTHER_B, OTHER_C, 'DB-2026-001', 'DC-2026-001', `href="${resultPath(fx.files.b1)}"`, `href="${resultPath(fx.files.c1)}"`]) expect(detail.text).toContain(s);
    expect((await get('admin', issuePath(`other:${marks.b}`))).status).toBe(404);

    const audit = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'issue.merge').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: adminId, entity_type: 'campaign', entity_id: String(fx.campaignId) });
    expect(audit[0]!.summary).toContain('卷宗装订不规范');
  });

  it('splits merged 其他问题 back into their own issues, and audits it', async () => {
    const marks = await otherMarks();
    const group = await t.db.selectFrom('issue_groups').selectAll().where('campaign_id', '=', fx.campaignId).executeTakeFirstOrThrow();
    const one = await postAndFollow('admin', `${issuesPath()}/split`, { markIds: [String(marks.c)] });
    expect(flashSuccess(one.text)).toBe('已取消 1 条“其他问题”的归并，它们恢复为各自独立的问题');
    expect(issueRows(one.text).map((r) => r.key)).toEqual([S101, S301, `group:${group.id}`, `other:${marks.c}`, V03]);
    expect(sentenceOf(one.text)).toBe(sentence(4, 1, 5, 3));
    await setThreshold(2);
    expect(sentenceOf((await get('admin', issuesPath())).text)).toBe(sentence(4, 2, 3, 2));
    await setThreshold(3);

    const all = await postAndFollow('admin', `${issuesPath()}/split`, { markIds: [String(marks.b)] });
    expect(flashSuccess(all.text)).toContain('已取消 1 条');
    expect(issueRows(all.text).map((r) => r.key)).toEqual([S101, S301, ...(await otherKeys()), V03]);
    expect(await t.db.selectFrom('issue_groups').selectAll().where('campaign_id', '=', fx.campaignId).execute()).toEqual([]);
    expect((await get('admin', issuePath(`group:${group.id}`))).status).toBe(404);
    const audit = await t.db.selectFrom('audit_log').select(['action', 'actor_id']).where('action', '=', 'issue.split').execute();
    expect(audit).toEqual([{ action: 'issue.split', actor_id: adminId }, { action: 'issue.split', actor_id: adminId }]);
  });
});

describe('after release', () => {
  beforeAll(async () => {
    const marks = await otherMarks();
    await postAndFollow('admin', `${issuesPath()}/merge`, { title: '卷宗装订不规范', markIds: [String(marks.b), String(marks.c)] });
    const admin = await ctxFor(t, adminId);
    await transitionCampaign(admin, fx.campaignId, 'rechecking');
    await transitionCampaign(admin, fx.campaignId, 'released');
  });

  it('drops the in-progress notice for the bureau', async () => {
    const page = await get('admin', issuesPath());
    expect(page.text).not.toContain('以下数字只统计已有最后得分的案卷');
    expect(sentenceOf(page.text)).toBe(sentence(4, 1, 5, 3));
  });

  it('shows a department only its own unit\'s issues and files', async () => {
    const a = await get('dept-a', issuesPath());
    expect(a.status).toBe(200);
    expect(sentenceOf(a.text)).toBe('本单位共 2 卷案卷有最后得分；发现问题 3 个，其中共性问题 1 个、个性问题 2 个（同一问题出现在 3 个及以上单位的案卷中为共性问题）');
    const rows = issueRows(a.text);
    expect(rows.map((r) => r.key)).toEqual([S101, S301, V03]);
    // 序号, 问题, 类别, 类型, 性质, 本单位案卷数, 屡查屡犯
    expect(rows[0]!.cells).toEqual(['1', '执法人员未出示执法证件', '执法主体', '扣分项 S1-01', '共性问题', '1', '']);
    for (const other of ['阳明区生态环境局', '爱民区交通运输局', 'DB-2026-001', 'DC-2026-001', '卷宗装订不规范', OTHER_B, '其他问题归并', 'name="unitId"']) {
      expect(a.text).not.toContain(other);
    }
    // Another unit asked for by the filter changes nothing.
    expect(issueRows((await get('dept-a', `${issuesPath()}?unitId=${fx.units.b}`)).text).map((r) => r.key)).toEqual([S101, S301, V03]);

    const detail = await get('dept-a', issuePath(S101));
    expect(detail.status).toBe(200);
    expect(detail.text).toContain(`href="${resultPath(fx.files.a1)}"`);
    for (const other of ['阳明区生态环境局', '爱民区交通运输局', 'DB-2026-001', 'DC-2026-001', resultPath(fx.files.b1)]) expect(detail.text).not.toContain(other);
    expect((await get('dept-a', resultPath(fx.files.a1))).status).toBe(200);

    const show = await get('dept-a', `/campaigns/${fx.campaignId}`);
    expect(show.text).toContain(`href="${issuesPath()}">问题汇总</a>`);
  });

  it('marks 屡查屡犯 on a department\'s own repeated issue', async () => {
    const b = await get('dept-b', issuesPath());
    const rows = issueRows(b.text);
    const group = await t.db.selectFrom('issue_groups').select('id').where('campaign_id', '=', fx.campaignId).executeTakeFirstOrThrow();
    expect(rows.map((r) => r.key)).toEqual([S101, `group:${group.id}`, S301]);
    expect(rows[0]!.cells.slice(5)).toEqual(['1', '屡查屡犯']);
    expect(rows[2]!.cells.slice(5)).toEqual(['1', '']);
    const detail = await get('dept-b', issuePath(S101));
    expect(text(detail.text)).toContain('是：本单位在以往年度已发布的评查中出现过同一问题');
    const c = await get('dept-c', issuePath(S101));
    expect(text(c.text)).toContain('屡查屡犯 否');
    // The merged group reaches B with B's own wording only.
    const merged = await get('dept-b', issuePath(`group:${group.id}`));
    expect(merged.status).toBe(200);
    expect(merged.text).toContain(OTHER_B);
    expect(merged.text).not.toContain(OTHER_C);
  });

  it('answers 404 to a department for an issue that does not occur in its unit', async () => {
    const marks = await otherMarks();
    const group = await t.db.selectFrom('issue_groups').select('id').where('campaign_id', '=', fx.campaignId).executeTakeFirstOrThrow();
    expect((await get('dept-a', issuePath(`group:${group.id}`))).status).toBe(404);
    expect((await get('dept-c', issuePath(V03))).status).toBe(404);
    expect((await get('dept-c', issuePath(S301))).status).toBe(404);
    expect(marks.b).toBeGreaterThan(0);
  });

  it('links every reader, on the issue pages, only to pages it may open', async () => {
    const group = await t.db.selectFrom('issue_groups').select('id').where('campaign_id', '=', fx.campaignId).executeTakeFirstOrThrow();
    const starts: Record<string, string[]> = {
      admin: [issuesPath(), issuePath(S101), issuePath(`group:${group.id}`)],
      leader: [issuesPath(), issuePath(S101), issuePath(`group:${group.id}`)],
      'dept-a': [issuesPath(), issuePath(S101), issuePath(V03)],
      'dept-b': [issuesPath(), issuePath(S101), issuePath(`group:${group.id}`)],
    };
    for (const [who, paths] of Object.entries(starts)) {
      const checked = new Set<string>();
      for (const start of paths) {
        const page = await get(who, start);
        expect(page.status, `${who} ${start}`).toBe(200);
        const hrefs = [...page.text.matchAll(/<a [^>]*href="(\/[^"]*)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&')).filter((h) => !h.startsWith('/assets/'));
        for (const href of hrefs.filter((h) => !checked.has(h))) {
          checked.add(href);
          expect((await get(who, href)).status, `${who}: ${start} links to ${href}`).toBe(200);
        }
      }
      expect(checked.size).toBeGreaterThan(3);
    }
  });

  it('shows the list without forms once the campaign has ended, and refuses a merge then', async () => {
    await t.db.updateTable('campaigns').set({ status: 'closed' }).where('id', '=', fx.campaignId).execute();
    const page = await get('admin', issuesPath());
    expect(page.text).toContain('活动已结束，不能再归并或取消归并');
    expect(page.text).not.toContain('name="markIds"');
    const marks = await otherMarks();
    const before = await snapshot();
    const refused = await postAndFollow('admin', `${issuesPath()}/split`, { markIds: [String(marks.b)] });
    expect(flashError(refused.text)).toBe('活动已结束，不能再归并问题');
    expect(await snapshot()).toBe(before);
    // A department still reads its issues after the campaign ends.
    expect(issueRows((await get('dept-a', issuesPath())).text)).toHaveLength(3);
  });
});
