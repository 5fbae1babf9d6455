// The annual rating (年度考评) over HTTP, on the review fixture scored through the real services and counted by hand.
// Penalty standard: 优秀 ≥ 90, 良好 ≥ 80, 合格 ≥ 60; S1-01 costs 1 point per occurrence, S2-01 2; V03 fails a file.
//
//   a1 (A)  rb 98 (S1-01×2)            rc 98 (S1-01×2)            → 98 优秀
//   a2 (A)  rb 99 (V03, S1-01) 不合格   rc 100 (V03) 不合格         → 99.5 不合格, vetoed
//   b1 (B)  ra 92 (S1-01×2, S2-01×4: the 立案 section is capped at 6)  rc 92 (same)  → 92 优秀
//   c1 (C)  ra 92 (same)               rb 92 (same)               → 92 优秀
//   unit E takes part but has no file.
// Issues (threshold 3 units): S1-01 in A, B, C → common; V03 (A) and S2-01 (B, C; 2 units) → individual.
// Notices: A (S1-01, V03), B (S1-01, S2-01), C (S1-01, S2-01); A's S1-01 has a verified measure → A 1/2, B and C 0/2.
//
//   A: rank 1, 2 files, 197.5 / 2 = 98.75 → 98.8, pass 1/2 50.0 %, excellent 1/2 50.0 %, 1 veto, common 1, individual 1,
//      rectified 1/2 50.0 %; default level (average banded) 优秀, strict rule (优秀 needs excellence ≥ 85 %) 良好
//   B, C: tied rank 2 (same average 92, same total 92), 1 file, 100.0 %, 100.0 %, 0 vetoes, 1, 1, 0/2 0.0 %, 优秀
//   E: no rank, no level, dashes.
// After publication a second 2026 campaign (released) gives B a file of 60 (合格): B 2 files, 152 / 2 = 76, pass 2/2,
// excellent 1/2 → strict level 合格, rank 3 (C stays 2).
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transitionCampaign } from '../../src/features/campaigns/service.ts';
import { issueNotices } from '../../src/features/rectification/service.ts';
import { addUnit, createTestApp, loginAs, loginAsAdmin, rootUnitId, type TestApp } from '../support/app.ts';
import { adminCtxOf, FIXTURE_PASSWORD, saveAs, setUpReviewCampaign, type ReviewFixture } from '../support/review-fixture.ts';

let t: TestApp;
let fx: ReviewFixture;
let unitE = 0;
type Session = Awaited<ReturnType<typeof loginAs>>;
const s = {} as Record<'admin' | 'leader' | 'ra' | 'da' | 'db', Session>;

const UNIT_A = '东安区市场监督管理局';
const UNIT_B = '阳明区生态环境局';
const UNIT_C = '爱民区交通运输局';
const UNIT_E = '南湖区文化市场综合执法支队';
const STRICT = JSON.stringify([
  { label: '优秀', minAverage: 90, minExcellenceRate: 85, minPassRate: 100, maxVetoes: 0 },
  { label: '良好', minAverage: 80 },
  { label: '合格', minAverage: 60 },
  { label: '不合格' },
]);

beforeAll(async () => {
  t = await createTestApp();
  fx = await setUpReviewCampaign(t);
  unitE = await addUnit(t.db, 'DE', UNIT_E, 'department', await rootUnitId(t.db));
  await t.db.insertInto('campaign_units').values({ campaign_id: fx.campaignId, unit_id: unitE }).execute();
  s.admin = await loginAsAdmin(t);
  ADMIN_NAME = (await t.db.selectFrom('users').select('display_name').where('username', '=', 'admin').executeTakeFirstOrThrow()).display_name;
  s.leader = await loginAs(t, 'leader', FIXTURE_PASSWORD);
  s.ra = await loginAs(t, 'rev-a', FIXTURE_PASSWORD);
  s.da = await loginAs(t, 'dept-a', FIXTURE_PASSWORD);
  s.db = await loginAs(t, 'dept-b', FIXTURE_PASSWORD);
});
afterAll(async () => { await t.close(); });

const decode = (x: string) => x.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&gt;/g, '>');
const textOf = (html: string) => decode(html.replace(/<[^>]+>/g, '')).replace(/\s+/g, ' ').trim();

/** The rows of a rating table, by unit id, each as its cells' text. */
function ratingRows(html: string, name = 'ratings'): Map<number, string[]> {
  const start = html.indexOf(`data-table="${name}"`);
  if (start < 0) throw new Error(`no table ${name}`);
  const body = html.slice(start, html.indexOf('</table>', start));
  return new Map([...body.matchAll(/<tr data-unit="(\d+)">([\s\S]*?)<\/tr>/g)].map((m) => [
    Number(m[1]), [...m[2]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => textOf(c[1]!)),
  ]));
}

const listOf = (html: string, name: string): string[] => {
  const m = new RegExp(`data-changes="${name}">([\\s\\S]*?)</ul>`).exec(html);
  return m ? [...m[1]!.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((x) => textOf(x[1]!)) : [];
};

let ADMIN_NAME = '';
const publicationCount = async () => (await t.db.selectFrom('rating_publications').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;

async function post(session: Session, path: string, body: Record<string, string>) {
  return session.agent.post(path).type('form').send({ _csrf: session.csrf, ...body });
}

async function readWorkbook(buffer: Buffer): Promise<{ rows: unknown[][]; all: string }> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buffer as unknown as ArrayBuffer);
  const rows: unknown[][] = [];
  wb.worksheets[0]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  const all: string[] = [];
  for (const ws of wb.worksheets) ws.eachRow((row) => all.push(JSON.stringify(row.values)));
  return { rows, all: all.join('\n') };
}

const binary = (res: { body: unknown }) => res.body as Buffer;
const xlsx = (session: Session, path: string) => session.agent.get(path).buffer(true).parse((res, cb) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
});

describe('before any campaign is released', () => {
  it('shows a sensible empty page for the list and for a year without campaigns', async () => {
    const list = await s.admin.agent.get('/ratings');
    expect(list.status).toBe(200);
    expect(list.text).toContain('暂无可考评的年度');
    for (const year of [2026, 2025]) {
      const page = await s.admin.agent.get(`/ratings/${year}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain(`${year} 年度没有结果已发布或已结束的评查活动，暂无考评数据`);
      expect(page.text).not.toContain('data-table="ratings"');
      expect(page.text).not.toContain('action="/ratings/' + year + '/publish"');
    }
    const refused = await post(s.admin, '/ratings/2026/publish', { note: '' });
    expect(refused.status).toBe(302);
    expect((await s.admin.agent.get('/ratings/2026')).text).toContain('2026 年度没有结果已发布的评查活动，不能发布年度考评');
    expect(await publicationCount()).toBe(0);
    expect((await s.admin.agent.get('/ratings/20x6')).status).toBe(404);
    expect((await s.admin.agent.get('/ratings/1999')).status).toBe(404);
  });
});

describe('a scored and released year', () => {
  beforeAll(async () => {
    const both = { deductions: { 'S1-01': 2, 'S2-01': 4 } };
    await saveAs(t, fx, fx.reviewers.rb, fx.files.a1, { deductions: { 'S1-01': 2 } });
    await saveAs(t, fx, fx.reviewers.rc, fx.files.a1, { deductions: { 'S1-01': 2 } });
    await saveAs(t, fx, fx.reviewers.rb, fx.files.a2, { deductions: { 'S1-01': 1 }, vetoes: ['V03'] });
    await saveAs(t, fx, fx.reviewers.rc, fx.files.a2, { vetoes: ['V03'] });
    await saveAs(t, fx, fx.reviewers.ra, fx.files.b1, both);
    await saveAs(t, fx, fx.reviewers.rc, fx.files.b1, both);
    await saveAs(t, fx, fx.reviewers.ra, fx.files.c1, both);
    await saveAs(t, fx, fx.reviewers.rb, fx.files.c1, both);
    const admin = await adminCtxOf(t);
    await transitionCampaign(admin, fx.campaignId, 'rechecking');
    await transitionCampaign(admin, fx.campaignId, 'released');
    expect(await issueNotices(admin, fx.campaignId, { issuedOn: '', deadline: '', requirements: '' })).toBe(3);
    const item = await t.db.selectFrom('rectification_items').innerJoin('rectification_notices', 'rectification_notices.id', 'rectification_items.notice_id')
      .select(['rectification_items.id', 'rectification_items.notice_id']).where('rectification_notices.unit_id', '=', fx.units.a)
      .where('rectification_items.code', '=', 'S1-01').executeTakeFirstOrThrow();
    const now = new Date().toISOString();
    const measure = (status: string, deleted: string | null) => t.db.insertInto('rectification_measures').values({
      item_id: item.id, notice_id: item.notice_id, description: '组织全员培训', responsible: '张三', completed_on: '2026-05-01', evidence: '培训记录',
      status, created_by: null, created_at: now, updated_at: now, submitted_at: now, verified_at: status === 'verified' ? now : null, verified_by: null,
      returned_at: null, returned_by: null, return_reason: null, deleted_at: deleted,
    }).execute();
    await measure('verified', null);
    await measure('draft', now); // deleted: does not hold the item back
  });

  it('lists the year and computes every figure, level and rank (ties shared, a unit without files last)', async () => {
    const list = await s.admin.agent.get('/ratings');
    expect(list.text).toContain('href="/ratings/2026"');
    expect(list.text).toContain('未发布');
    const page = await s.admin.agent.get('/ratings/2026');
    expect(page.status).toBe(200);
    expect(page.text).toContain('考评结果（实时计算）');
    const rows = ratingRows(page.text);
    expect([...rows.keys()]).toEqual([fx.units.a, fx.units.b, fx.units.c, unitE]);
    expect(rows.get(fx.units.a)).toEqual(['1', UNIT_A, '2', '98.8', '50.0%（1/2）', '50.0%（1/2）', '1', '1', '1', '50.0%（1/2）', '优秀']);
    expect(rows.get(fx.units.b)).toEqual(['2', UNIT_B, '1', '92', '100.0%（1/1）', '100.0%（1/1）', '0', '1', '1', '0.0%（0/2）', '优秀']);
    expect(rows.get(fx.units.c)).toEqual(['2', UNIT_C, '1', '92', '100.0%（1/1）', '100.0%（1/1）', '0', '1', '1', '0.0%（0/2）', '优秀']);
    expect(rows.get(unitE)).toEqual(['—', UNIT_E, '0', '—', '—', '—', '0', '0', '0', '—', '—']);
    // The default rule in words: the standard's bands applied to the average.
    expect(page.text).toContain('<li>优秀：平均分不低于 90</li>');
    expect(page.text).toContain('<li>不合格：其余有参评案卷的单位</li>');
    expect(page.text).toContain('按单位平均分套用评查标准的等次分档');
  });

  it('refuses an invalid rule with the problems in Chinese and saves nothing', async () => {
    const bad = await post(s.admin, '/ratings/2026/rule', { rule: '[{"label":"优秀"}]' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('考评规则应为至少两个等次的数组，从高到低排列');
    expect(bad.text).toContain('考评规则未保存');
    const worse = await post(s.admin, '/ratings/2026/rule', { rule: '[{"label":"优秀","minScore":90},{"label":"其他","minAverage":1}]' });
    expect(worse.status).toBe(422);
    expect(decode(worse.text)).toContain('第 1 个等次有未知条件“minScore”');
    expect(worse.text).toContain('最后一个等次不能设条件，它容纳其余所有单位');
    expect(decode(worse.text)).toContain('"minScore":90'); // what was typed stays in the form
    expect((await post(s.admin, '/ratings/2026/rule', { rule: 'not json' })).text).toContain('考评规则不是有效的 JSON');
    expect(await t.db.selectFrom('rating_rules').selectAll().execute()).toEqual([]);
  });

  it('applies a stricter rule: the unit with a low excellence rate drops a level', async () => {
    const saved = await post(s.admin, '/ratings/2026/rule', { rule: STRICT });
    expect(saved.status).toBe(302);
    const page = await s.admin.agent.get('/ratings/2026');
    expect(page.text).toContain('已保存 2026 年度考评规则');
    expect(page.text).toContain('<li>优秀：平均分不低于 90，优秀率不低于 85%，合格率不低于 100%，否决项案卷数不超过 0</li>');
    const rows = ratingRows(page.text);
    expect(rows.get(fx.units.a)!.at(-1)).toBe('良好');
    expect(rows.get(fx.units.b)!.at(-1)).toBe('优秀');
    expect(rows.get(fx.units.a)![0]).toBe('1'); // the rank follows the average, not the level
    const audit = await t.db.selectFrom('audit_log').select(['action', 'actor_name']).where('action', '=', 'rating.rule').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor_name).toBe(ADMIN_NAME);
  });

  it('exports the table as a workbook', async () => {
    const res = await xlsx(s.admin, '/ratings/2026.xlsx');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const { rows } = await readWorkbook(binary(res));
    expect(rows[0]).toEqual(['排名', '单位', '参评案卷数', '平均分', '合格率', '优秀率', '否决项案卷数', '共性问题', '个性问题', '整改完成率', '考评等次']);
    expect(rows.slice(1).map((r) => r[1])).toEqual([UNIT_A, UNIT_B, UNIT_C, UNIT_E]);
    expect(rows[1]).toEqual([1, UNIT_A, 2, 98.8, 0.5, 0.5, 1, 1, 1, 0.5, '良好']);
    expect(rows[2]).toEqual([2, UNIT_B, 1, 92, 1, 1, 0, 1, 1, 0, '优秀']);
    expect(rows[4]).toEqual(['—', UNIT_E, 0, '—', '—', '—', 0, 0, 0, '—', '—']);
  });

  it('lets a leader read everything and change nothing', async () => {
    const page = await s.leader.agent.get('/ratings/2026');
    expect(page.status).toBe(200);
    expect(ratingRows(page.text).size).toBe(4);
    expect([...page.text.matchAll(/<form method="post" action="([^"]+)"/g)].map((m) => m[1])).toEqual(['/logout']);
    expect((await post(s.leader, '/ratings/2026/publish', { note: '' })).status).toBe(403);
    expect((await post(s.leader, '/ratings/2026/rule', { rule: STRICT })).status).toBe(403);
    expect(await publicationCount()).toBe(0);
    expect((await xlsx(s.leader, '/ratings/2026.xlsx')).status).toBe(200);
  });

  it('refuses a reviewer', async () => {
    for (const path of ['/ratings', '/ratings/2026', '/ratings/2026.xlsx']) expect((await s.ra.agent.get(path)).status, path).toBe(403);
    expect((await post(s.ra, '/ratings/2026/publish', { note: '' })).status).toBe(403);
  });

  it('shows a department its own row and rank only, on the page and in the workbook', async () => {
    const page = await s.db.agent.get('/ratings/2026');
    expect(page.status).toBe(200);
    const rows = ratingRows(page.text);
    expect([...rows.keys()]).toEqual([fx.units.b]);
    expect(rows.get(fx.units.b)![0]).toBe('2');
    expect(page.text).toContain('本年度共 3 个单位参加排名');
    for (const other of [UNIT_A, UNIT_C, UNIT_E]) expect(page.text).not.toContain(other);
    expect(page.text).not.toContain('<form method="post" action="/ratings');
    const res = await xlsx(s.db, '/ratings/2026.xlsx');
    const book = await readWorkbook(binary(res));
    expect(book.rows).toHaveLength(2);
    expect(book.rows[1]![1]).toBe(UNIT_B);
    for (const other of [UNIT_A, UNIT_C, UNIT_E]) expect(book.all).not.toContain(other);
    expect((await post(s.db, '/ratings/2026/publish', { note: '' })).status).toBe(403);
  });

  describe('publishing', () => {
    it('freezes revision 1 with who published it', async () => {
      const res = await post(s.admin, '/ratings/2026/publish', { note: '' });
      expect(res.status).toBe(302);
      const page = await s.admin.agent.get('/ratings/2026');
      expect(page.text).toContain('已发布 2026 年度考评（第 1 版）');
      expect(page.text).toMatch(new RegExp(`第 1 版由 ${ADMIN_NAME} 于 [^<]+ 发布`));
      expect(page.text).toContain('考评结果（第 1 版）');
      expect(page.text).not.toContain('data-live-differs');
      const audit = await t.db.selectFrom('audit_log').select(['summary', 'actor_id']).where('action', '=', 'rating.publish').execute();
      expect(audit).toHaveLength(1);
      expect(audit[0]!.summary).toBe('发布 2026 年度考评（第 1 版）');
      expect(audit[0]!.actor_id).not.toBeNull();
      expect((await s.admin.agent.get('/ratings')).text).toContain('已发布第 1 版');
    });

    it('keeps revision 1 when the scores change later, and says the live figures differ', async () => {
      const now = new Date().toISOString();
      const rubric = (await t.db.selectFrom('campaign_rubrics').select('rubric_version_id').where('campaign_id', '=', fx.campaignId).where('case_type', '=', 'penalty').executeTakeFirstOrThrow()).rubric_version_id;
      const { id } = await t.db.insertInto('campaigns').values({
        name: '2026年度生态环境专项评查', year: 2026, kind: 'cross', status: 'released', description: null, period_from: null, period_to: null,
        reviewers_per_file: 2, disagreement_threshold_tenths: 50, common_issue_threshold: 3, objection_window_days: 5, rectification_days: 30,
        doc_number_pattern: '专项〔{year}〕{seq}号', created_at: now, created_by: null, updated_at: now, status_changed_at: now, released_at: now,
      }).returning('id').executeTakeFirstOrThrow();
      await t.db.insertInto('campaign_units').values({ campaign_id: id, unit_id: fx.units.b }).execute();
      await t.db.insertInto('campaign_rubrics').values({ campaign_id: id, case_type: 'penalty', rubric_version_id: rubric }).execute();
      const file = (await t.db.insertInto('case_files').values({
        campaign_id: id, unit_id: fx.units.b, file_number: 'DB-2026-ZX-001', case_type: 'penalty', field: null, cause: '专项案由', party: null,
        handlers: '王五、赵六', is_major: 0, closed_on: null, pages: 20, source: 'entry', created_at: now, created_by: null,
      }).returning('id').executeTakeFirstOrThrow()).id;
      await t.db.insertInto('final_results').values({
        campaign_id: id, case_file_id: file, revision: 1, supersedes_id: null, method: 'average', total_tenths: 600, grade_code: 'pass',
        grade_label: '合格', passing: 1, sheets: '[]', basis: '[]', withdrawn: '{"deductions":[],"vetoes":[]}', objection_id: null,
        explanation: '', created_at: now, created_by: null, superseded_at: null,
      }).execute();

      const page = await s.admin.agent.get('/ratings/2026');
      expect(ratingRows(page.text).get(fx.units.b)).toEqual(['2', UNIT_B, '1', '92', '100.0%（1/1）', '100.0%（1/1）', '0', '1', '1', '0.0%（0/2）', '优秀']);
      expect(page.text).toContain('data-live-differs');
      expect(listOf(page.text, 'live')).toEqual([`${UNIT_B}：考评等次 优秀 → 合格；排名 第 2 名 → 第 3 名；平均分 92 → 76；参评案卷数 1 → 2`]);
      const live = ratingRows((await s.admin.agent.get('/ratings/2026?source=live')).text);
      expect(live.get(fx.units.b)).toEqual(['3', UNIT_B, '2', '76', '100.0%（2/2）', '50.0%（1/2）', '0', '1', '1', '0.0%（0/2）', '合格']);
      const revision1 = await s.admin.agent.get('/ratings/2026/revisions/1');
      expect(revision1.status).toBe(200);
      expect(ratingRows(revision1.text, 'revision').get(fx.units.b)).toEqual(['2', UNIT_B, '1', '92', '100.0%（1/1）', '100.0%（1/1）', '0', '1', '1', '0.0%（0/2）', '优秀']);
      // The published workbook is revision 1 as well; ?source=live gives today's figures.
      expect((await readWorkbook(binary(await xlsx(s.admin, '/ratings/2026.xlsx')))).rows[2]![2]).toBe(1);
      expect((await readWorkbook(binary(await xlsx(s.admin, '/ratings/2026.xlsx?source=live')))).rows[3]![1]).toBe(UNIT_B);
    });

    it('refuses a correction without a reason', async () => {
      expect((await post(s.admin, '/ratings/2026/publish', { note: '   ' })).status).toBe(302);
      const page = await s.admin.agent.get('/ratings/2026');
      expect(page.text).toContain('已发布第 1 版，再次发布为更正，须填写更正原因');
      expect(await publicationCount()).toBe(1);
    });

    it('publishes a correction as revision 2 and lists what changed', async () => {
      expect((await post(s.admin, '/ratings/2026/publish', { note: '补入生态环境专项评查结果' })).status).toBe(302);
      expect(await publicationCount()).toBe(2);
      const page = await s.admin.agent.get('/ratings/2026');
      expect(page.text).toContain('已更正发布 2026 年度考评（第 2 版）');
      expect(page.text).toContain('更正原因：补入生态环境专项评查结果');
      expect(listOf(page.text, 'latest')).toEqual([`${UNIT_B}：考评等次 优秀 → 合格；排名 第 2 名 → 第 3 名；平均分 92 → 76；参评案卷数 1 → 2`]);
      expect(page.text).toContain('href="/ratings/2026/revisions/1"');
      expect(page.text).not.toContain('data-live-differs');
      expect(ratingRows(page.text).get(fx.units.b)![0]).toBe('3');
      const revision2 = await s.admin.agent.get('/ratings/2026/revisions/2');
      expect(listOf(revision2.text, 'previous')).toHaveLength(1);
      const revision1 = await s.admin.agent.get('/ratings/2026/revisions/1');
      expect(revision1.text).toContain('此版本已被更正');
      expect(ratingRows(revision1.text, 'revision').get(fx.units.b)![2]).toBe('1');
      expect((await s.admin.agent.get('/ratings/2026/revisions/3')).status).toBe(404);
      const audit = await t.db.selectFrom('audit_log').select('summary').where('action', '=', 'rating.publish').orderBy('id').execute();
      expect(audit.map((a) => a.summary)).toEqual(['发布 2026 年度考评（第 1 版）', '更正发布 2026 年度考评（第 2 版）：补入生态环境专项评查结果']);
    });

    it('shows a department its own unit in every revision and in the changes only', async () => {
      const a = await s.da.agent.get('/ratings/2026');
      expect([...ratingRows(a.text).keys()]).toEqual([fx.units.a]);
      expect(listOf(a.text, 'latest')).toEqual([]);
      for (const other of [UNIT_B, UNIT_C, UNIT_E]) expect(a.text).not.toContain(other);
      const rev = await s.da.agent.get('/ratings/2026/revisions/2');
      expect([...ratingRows(rev.text, 'revision').keys()]).toEqual([fx.units.a]);
      expect(rev.text).not.toContain(UNIT_B);
      const b = await s.db.agent.get('/ratings/2026/revisions/2');
      expect(listOf(b.text, 'previous')).toEqual([`${UNIT_B}：考评等次 优秀 → 合格；排名 第 2 名 → 第 3 名；平均分 92 → 76；参评案卷数 1 → 2`]);
    });

    it('lets the rule be corrected after publication without touching what was published', async () => {
      expect((await post(s.admin, '/ratings/2026/rule', { rule: JSON.stringify([{ label: '达标', minAverage: 60 }, { label: '不达标' }]) })).status).toBe(302);
      const page = await s.admin.agent.get('/ratings/2026');
      expect(ratingRows(page.text).get(fx.units.a)!.at(-1)).toBe('良好'); // revision 2 as published
      expect(page.text).toContain('data-live-differs');
      expect(ratingRows((await s.admin.agent.get('/ratings/2026?source=live')).text).get(fx.units.a)!.at(-1)).toBe('达标');
    });
  });
});
