// A file's result page over HTTP: blind double review, the bureau's view, disagreement → re-check with the rechecker
// named through the form and the sheets side by side, release, objections raised and decided through the forms
// (upheld into a new revision, rejected keeps the result), the window, scoping and the audit trail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeductionInput, OtherInput } from '../../src/domain/review-sheet.ts';
import { transitionCampaign } from '../../src/features/campaigns/service.ts';
import { saveSheet } from '../../src/features/reviews/service.ts';
import { createTestApp, loginAs, loginAsAdmin, type TestApp } from '../support/app.ts';
import { ctxFor, FIXTURE_PASSWORD, saveAs, setUpReviewCampaign, type ReviewFixture } from '../support/review-fixture.ts';

type Session = Awaited<ReturnType<typeof loginAs>>;

let t: TestApp;
let fx: ReviewFixture;
const s: Record<string, Session> = {};

const DAY_MS = 24 * 60 * 60 * 1000;

beforeAll(async () => {
  t = await createTestApp();
  // The story starts a week ago, so that the last test can move the clock forward past the objection window to
  // today (sessions carry real-time cookie expiry: a clock moved beyond real time would end every session).
  t.clock.set(new Date(Date.now() - 7 * DAY_MS));
  fx = await setUpReviewCampaign(t);
  s.admin = await loginAsAdmin(t);
  for (const [key, username] of Object.entries(fx.usernames)) s[key] = await loginAs(t, username, FIXTURE_PASSWORD);
});
afterAll(async () => { await t.close(); });

const resultPath = (fileId: number) => `/campaigns/${fx.campaignId}/files/${fileId}/result`;
const view = (who: string, fileId: number) => s[who]!.agent.get(resultPath(fileId));
const post = (who: string, path: string, body: Record<string, string>) =>
  s[who]!.agent.post(path).type('form').send({ _csrf: s[who]!.csrf, ...body });
/** Posts, checks the redirect back to the file's result page, and returns that page (with its flash message). */
async function postAndFollow(who: string, path: string, body: Record<string, string>, fileId: number) {
  const res = await post(who, path, body);
  expect(res.status).toBe(302);
  expect(res.headers.location).toBe(resultPath(fileId));
  return view(who, fileId);
}
const flashError = (html: string) => /<div class="flash flash-error"[^>]*>([^<]*)<\/div>/.exec(html)?.[1] ?? null;
const flashSuccess = (html: string) => /<div class="flash flash-success"[^>]*>([^<]*)<\/div>/.exec(html)?.[1] ?? null;
const occurrences = (html: string, needle: string) => html.split(needle).length - 1;
const adminCtx = async () => ctxFor(t, (await t.db.selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow()).id);
const finalOf = (fileId: number) => t.db.selectFrom('final_results').selectAll().where('case_file_id', '=', fileId).where('superseded_at', 'is', null).executeTakeFirst();
const objectionsOf = (fileId: number) => t.db.selectFrom('objections').selectAll().where('case_file_id', '=', fileId).orderBy('id').execute();
const objectionAction = (fileId: number) => `/campaigns/${fx.campaignId}/files/${fileId}/objections`;
/** Submits a first sheet with 其他问题 as well (saveAs records deductions and vetoes only). */
const submitWithOthers = async (reviewerId: number, fileId: number, deductions: DeductionInput[], others: OtherInput[]) =>
  saveSheet(await ctxFor(t, reviewerId), fx.campaignId, fileId, { deductions, vetoes: [], others, opinion: '' }, 0, true, true);
/** rb's 其他问题 on a1: findings outside the rubric, no points. */
const RB_OTHERS = [
  { note: '卷内目录与实际文书顺序不一致', document: '卷内目录', page: '1' },
  { note: '部分文书未加盖骑缝章', document: '', page: '' },
];
/** The 其他问题 table of the result page's sheets, or '' when none is shown. */
const othersTables = (html: string) => [...html.matchAll(/<table class="table compact sheet-others-result">[\s\S]*?<\/table>/g)].map((m) => m[0]).join('\n');

describe('review result page', () => {
  it('keeps a co-reviewer\'s scores hidden until the viewer has submitted (blind review)', async () => {
    const rb = await submitWithOthers(fx.reviewers.rb, fx.files.a1, [
      { itemCode: 'S1-01', count: 1, note: 'S1-01 问题说明', document: '行政处罚决定书', page: '3' },
      { itemCode: 'S3-06', points: '2.5', note: 'S3-06 问题说明', document: '调查终结报告', page: '12' },
    ], RB_OTHERS);
    expect(rb.score.total).toBe('96.5'); // 其他问题 carry no points
    // rc has only a draft: sees their own draft, and only that rb's sheet exists and is submitted.
    const draft = await saveAs(t, fx, fx.reviewers.rc, fx.files.a1, { deductions: { 'S1-01': 2 } }, false);
    expect(draft.score.total).toBe('98');
    const before = await view('rc', fx.files.a1);
    expect(before.status).toBe(200);
    expect(before.text).toContain('背对背评查：其他评查人员的评查表在您提交本表之后才能查看');
    expect(before.text).toContain('乙评查员');
    expect(before.text).toContain('该评查表已提交，内容暂不可查看');
    expect(before.text).not.toContain('96.5');
    expect(before.text).not.toContain('S3-06'); // rb's deduction, not rc's
    for (const o of RB_OTHERS) expect(before.text).not.toContain(o.note); // nor rb's 其他问题
    expect(othersTables(before.text)).toBe('');
    expect(before.text).toContain('<strong>98</strong>'); // rc's own draft
    expect(before.text).toContain('草稿（未提交）');
    expect(before.text).toContain('已提交评查表 1 份，共需 2 份');

    await saveAs(t, fx, fx.reviewers.rc, fx.files.a1, { deductions: { 'S1-01': 2 } });
    const after = await view('rc', fx.files.a1);
    expect(after.text).not.toContain('背对背评查');
    expect(after.text).toContain('<strong>96.5</strong>');
    expect(after.text).toContain('<strong>98</strong>');
    expect(after.text).toContain('S3-06');
    expect(after.text).toContain('调查终结报告'); // where in the file rb found it
    expect(othersTables(after.text)).toContain(`<td>${RB_OTHERS[0]!.note}</td><td>卷内目录</td><td>1</td>`);
    expect(after.text).toContain('97.3'); // 96.5 and 98 → 97.25 → 97.3
    expect(after.text).toContain(`/campaigns/${fx.campaignId}/files/${fx.files.a1}/sheets/`);
  });

  it('shows the bureau every submitted sheet and the final result', async () => {
    for (const who of ['admin', 'leader']) {
      const page = await view(who, fx.files.a1);
      expect(page.status).toBe(200);
      expect(page.text).toContain('<strong>96.5</strong>');
      expect(page.text).toContain('<strong>98</strong>');
      expect(page.text).toContain('<strong>97.3</strong> 分');
      expect(page.text).toContain('评查人员评分取平均');
      expect(page.text).toContain('已有最后得分');
      expect(page.text).toContain('东安区市场监督管理局');
      expect(page.text).toContain('DA-2026-001');
      expect(page.text).not.toContain('背对背评查');
      // rb's 其他问题, below rb's deductions (rc recorded none), with document and page.
      const others = othersTables(page.text);
      expect(occurrences(others, '<table')).toBe(1);
      expect(others).toContain('其他问题（不扣分）');
      expect(others).toContain(`<tr><td class="num">1</td><td>${RB_OTHERS[0]!.note}</td><td>卷内目录</td><td>1</td></tr>`);
      expect(others).toContain(`<tr><td class="num">2</td><td>${RB_OTHERS[1]!.note}</td><td></td><td></td></tr>`);
      const rbCard = page.text.slice(page.text.indexOf('评查表 · 乙评查员'), page.text.indexOf('评查表 · 丙评查员'));
      expect(rbCard).toContain('sheet-others-result');
      expect(rbCard.indexOf('S3-06 问题说明')).toBeLessThan(rbCard.indexOf(RB_OTHERS[0]!.note));
    }
  });

  it('answers 404 to a reviewer with nothing to do with the file, and to a department for another unit\'s file', async () => {
    expect((await view('ra', fx.files.a1)).status).toBe(404);
    expect((await view('rd', fx.files.a1)).status).toBe(404);
    expect((await view('db', fx.files.a1)).status).toBe(404);
    expect((await post('db', objectionAction(fx.files.a1), { target: 'deduction:S1-01', reason: '不服' })).status).toBe(404);
    expect((await s.admin!.agent.get(resultPath(999999))).status).toBe(404);
  });

  it('answers 403 to the file\'s own department before results are released, on the page and the form', async () => {
    const page = await view('da', fx.files.a1);
    expect(page.status).toBe(403);
    expect(page.text).toContain('评查结果发布后，本单位才能查看案卷的评查结果');
    expect((await post('da', objectionAction(fx.files.a1), { target: 'deduction:S1-01', reason: '不服' })).status).toBe(403);
    expect(await objectionsOf(fx.files.a1)).toHaveLength(0);
  });

  it('sends a disagreement to re-check and lists the reasons', async () => {
    await saveAs(t, fx, fx.reviewers.rb, fx.files.a2, { deductions: { 'S3-05': '15' } });
    const r = await saveAs(t, fx, fx.reviewers.rc, fx.files.a2, { vetoes: ['V03'] });
    expect(r.outcome).toContain('转入复核');
    const page = await view('admin', fx.files.a2);
    expect(page.text).toContain('待复核');
    expect(page.text).toContain('超过复核分差 5 分');
    expect(page.text).toContain('等次不一致');
    expect(page.text).toContain('否决项 V03');
    expect(page.text).toContain('尚未指定复核人员');
    expect(page.text).toContain('compare-table');
  });

  it('lets the administrator name a rechecker from the eligible ones only, and refuses a reviewer of the file', async () => {
    const page = await view('admin', fx.files.a2);
    const select = /<select id="recheckerId"[\s\S]*?<\/select>/.exec(page.text)?.[0] ?? '';
    expect(select).toContain(`value="${fx.reviewers.rd}"`);
    expect(select).not.toContain(`value="${fx.reviewers.rb}"`); // reviewed the file
    expect(select).not.toContain(`value="${fx.reviewers.rc}"`); // reviewed the file
    expect(select).not.toContain(`value="${fx.reviewers.ra}"`); // the file's own unit

    const action = `/campaigns/${fx.campaignId}/files/${fx.files.a2}/rechecker`;
    const refused = await postAndFollow('admin', action, { recheckerId: String(fx.reviewers.rb) }, fx.files.a2);
    expect(flashError(refused.text)).toContain('不能由乙评查员复核案卷 DA-2026-002');
    expect(flashError(refused.text)).toContain('乙评查员评查过本卷');
    const unchanged = await t.db.selectFrom('rechecks').selectAll().where('case_file_id', '=', fx.files.a2).executeTakeFirstOrThrow();
    expect(unchanged.rechecker_id).toBeNull();

    expect((await post('rd', action, { recheckerId: String(fx.reviewers.rd) })).status).toBe(403);
    expect((await post('leader', action, { recheckerId: String(fx.reviewers.rd) })).status).toBe(403);

    const done = await postAndFollow('admin', action, { recheckerId: String(fx.reviewers.rd) }, fx.files.a2);
    expect(flashSuccess(done.text)).toBe('已指定丁复核员复核案卷 DA-2026-002');
    expect(done.text).toContain('复核人员：<strong>丁复核员</strong>');
    const assigned = await t.db.selectFrom('rechecks').selectAll().where('case_file_id', '=', fx.files.a2).executeTakeFirstOrThrow();
    expect(assigned.rechecker_id).toBe(fx.reviewers.rd);
  });

  it('shows the rechecker every sheet side by side with the differences highlighted, then the re-checked result', async () => {
    const page = await view('rd', fx.files.a2);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<tr class="differ" data-code="S3-05">');
    expect(page.text).toContain('<tr class="differ" data-code="V03">');
    expect(page.text).toContain('扣 15 分');
    expect(page.text).toContain(`href="/campaigns/${fx.campaignId}/files/${fx.files.a2}/sheet"`);
    expect(page.text).toContain('填写复核评查表');
    // A reviewer of the file reads both sheets once theirs is in, but the comparison is for the rechecker and the bureau.
    const reviewerPage = await view('rb', fx.files.a2);
    expect(reviewerPage.status).toBe(200);
    expect(reviewerPage.text).not.toContain('compare-table');
    expect(reviewerPage.text).not.toContain('recheckerId');

    const settled = await saveAs(t, fx, fx.reviewers.rd, fx.files.a2, { deductions: { 'S3-05': '10' } });
    expect(settled.outcome).toContain('复核完成');
    const after = await view('admin', fx.files.a2);
    expect(after.text).toContain('复核确定');
    expect(after.text).toContain('<strong>90</strong> 分');
    expect(after.text).toContain('复核评查表 · 丁复核员');
    expect(after.text).not.toContain('id="recheckerId"'); // re-check done: no more choosing
  });

  it('takes an objection from the file\'s department through the form once results are released', async () => {
    await saveAs(t, fx, fx.reviewers.ra, fx.files.b1, { deductions: { 'S2-01': 1 } });
    await saveAs(t, fx, fx.reviewers.rc, fx.files.b1, { deductions: { 'S2-01': 1, 'S2-02': 1 } });
    await saveAs(t, fx, fx.reviewers.ra, fx.files.c1, {});
    await saveAs(t, fx, fx.reviewers.rb, fx.files.c1, {});
    const admin = await adminCtx();
    await transitionCampaign(admin, fx.campaignId, 'rechecking');
    await transitionCampaign(admin, fx.campaignId, 'released');

    const page = await view('da', fx.files.a1);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<strong>97.3</strong> 分');
    expect(page.text).toContain('异议期至');
    expect(page.text).toContain('value="deduction:S1-01"');
    expect(page.text).toContain('扣分项 S1-01「调查、检查时执法人员未主动出示执法证件');
    expect(page.text).toContain('value="deduction:S3-06"');

    const raised = await postAndFollow('da', objectionAction(fx.files.a1), { target: 'deduction:S1-01', reason: '执法人员已出示证件，见询问笔录第 2 页' }, fx.files.a1);
    expect(flashSuccess(raised.text)).toMatch(/^异议已提交（第 \d+ 号）/);
    expect(raised.text).toContain('执法人员已出示证件，见询问笔录第 2 页');
    expect(raised.text).toContain('待处理');
    expect(raised.text).toContain('（异议处理中）');

    const again = await postAndFollow('da', objectionAction(fx.files.a1), { target: 'deduction:S1-01', reason: '再次提出' }, fx.files.a1);
    expect(flashError(again.text)).toBe('对“S1-01”的异议正在处理中，请勿重复提出');
    expect(await objectionsOf(fx.files.a1)).toHaveLength(1);

    const empty = await postAndFollow('da', objectionAction(fx.files.a1), { target: 'deduction:S3-06', reason: '  ' }, fx.files.a1);
    expect(flashError(empty.text)).toBe('请写明异议理由');
    const unknown = await postAndFollow('da', objectionAction(fx.files.a1), { target: 'deduction:S9-01', reason: '不服' }, fx.files.a1);
    expect(flashError(unknown.text)).toContain('最后得分中没有扣分项“S9-01”');
    expect(await objectionsOf(fx.files.a1)).toHaveLength(1);

    // Another unit's file looks like no file at all.
    expect((await post('da', objectionAction(fx.files.b1), { target: 'deduction:S2-01', reason: '不服' })).status).toBe(404);
    expect((await view('da', fx.files.b1)).status).toBe(404);
    expect(await objectionsOf(fx.files.b1)).toHaveLength(0);
    // Only departments object.
    expect((await post('admin', objectionAction(fx.files.a1), { target: 'deduction:S3-06', reason: '不服' })).status).toBe(403);

    await postAndFollow('da', objectionAction(fx.files.a1), { target: 'deduction:S3-06', reason: '案卷中有调查终结报告' }, fx.files.a1);
    await postAndFollow('db', objectionAction(fx.files.b1), { target: 'deduction:S2-01', reason: '立案审批表在第 1 页' }, fx.files.b1);
    expect(await objectionsOf(fx.files.a1)).toHaveLength(2);
  });

  it('lets only an administrator decide: upheld becomes a new revision with its history, rejected keeps the result', async () => {
    const [s101, s306] = await objectionsOf(fx.files.a1);
    const decide = (id: number) => `/objections/${id}/decide`;
    const leaderPage = await view('leader', fx.files.a1);
    expect(leaderPage.text).not.toContain(decide(s101!.id));
    expect((await post('leader', decide(s101!.id), { decision: 'upheld', reason: '理由' })).status).toBe(403);
    expect((await post('da', decide(s101!.id), { decision: 'upheld', reason: '理由' })).status).toBe(403);
    expect((await post('rd', decide(s101!.id), { decision: 'upheld', reason: '理由' })).status).toBe(403);
    expect((await s.admin!.agent.post('/objections/999999/decide').type('form').send({ _csrf: s.admin!.csrf, decision: 'upheld', reason: 'x' })).status).toBe(404);

    const adminPage = await view('admin', fx.files.a1);
    expect(adminPage.text).toContain(`action="${decide(s101!.id)}"`);
    expect(adminPage.text).toContain('data-confirm="确定提交处理结果吗？选择“异议成立”将从最后得分中撤销该扣分项或否决项');

    const noReason = await postAndFollow('admin', decide(s101!.id), { decision: 'upheld', reason: '' }, fx.files.a1);
    expect(flashError(noReason.text)).toBe('请写明处理理由');
    expect(await finalOf(fx.files.a1)).toMatchObject({ revision: 1, total_tenths: 973 });

    const upheld = await postAndFollow('admin', decide(s101!.id), { decision: 'upheld', reason: '询问笔录第 2 页记载已出示证件' }, fx.files.a1);
    expect(flashSuccess(upheld.text)).toBe('异议成立，最后得分由 97.3 分（优秀）改为 98.8 分（优秀）');
    expect(await finalOf(fx.files.a1)).toMatchObject({ revision: 2, total_tenths: 988, objection_id: s101!.id });
    expect(upheld.text).toContain('<strong>98.8</strong> 分');
    expect(upheld.text).toContain('修订记录');
    expect(upheld.text).toContain(`修订第 1 版，因第 ${s101!.id} 号异议（扣分项 S1-01「`);
    expect(upheld.text).toMatch(/第 1 版 <span class="tag">已被修订<\/span>[\s\S]*?97\.3/);
    expect(upheld.text).toContain('最后得分据此修订为第 2 版');

    // The department sees the decision and the revision too.
    const deptPage = await view('da', fx.files.a1);
    expect(deptPage.text).toContain('<strong>98.8</strong> 分');
    expect(deptPage.text).toContain('询问笔录第 2 页记载已出示证件');
    expect(deptPage.text).toContain('异议成立');
    expect(deptPage.text).not.toContain('value="deduction:S1-01"'); // withdrawn: nothing left to contest there

    const rejected = await postAndFollow('admin', decide(s306!.id), { decision: 'rejected', reason: '案卷中没有调查终结报告' }, fx.files.a1);
    expect(flashSuccess(rejected.text)).toBe('异议不成立，维持原评查结果');
    expect(await finalOf(fx.files.a1)).toMatchObject({ revision: 2, total_tenths: 988 });
    expect(rejected.text).toContain('异议不成立');
    expect(rejected.text).not.toContain('第 3 版');

    const twice = await postAndFollow('admin', decide(s306!.id), { decision: 'upheld', reason: '改判' }, fx.files.a1);
    expect(flashError(twice.text)).toBe('该异议已处理（异议不成立），不能重复处理');
    expect(await finalOf(fx.files.a1)).toMatchObject({ revision: 2, total_tenths: 988 });
  });

  it('records every step in the audit log', async () => {
    const rows = await t.db.selectFrom('audit_log').select(['action', 'summary']).execute();
    const of = (action: string) => rows.filter((r) => r.action === action);
    expect(of('recheck.assign')).toHaveLength(1); // the refused choice left no trace of a change
    expect(of('recheck.assign')[0]!.summary).toContain('丁复核员');
    expect(of('objection.raise')).toHaveLength(3);
    expect(of('objection.decide')).toHaveLength(2);
    expect(of('objection.decide').map((r) => r.summary).join('\n')).toContain('异议成立');
    // a1, a2 (re-check), b1, c1, and a1's revision 2
    expect(of('result.final')).toHaveLength(5);
    expect(of('result.final').some((r) => r.summary.includes('修订为第 2 版'))).toBe(true);
  });

  it('lists the campaign\'s objections, each department only its own', async () => {
    const path = `/campaigns/${fx.campaignId}/objections`;
    for (const who of ['admin', 'leader']) {
      const page = await s[who]!.agent.get(path);
      expect(page.status).toBe(200);
      expect(page.text).toContain('DA-2026-001');
      expect(page.text).toContain('DB-2026-001');
      expect(page.text).toContain('东安区市场监督管理局');
      expect(page.text).toContain('阳明区生态环境局');
      expect(page.text).toContain('待处理 <strong>1</strong> 件');
      expect(page.text).toContain(`href="${resultPath(fx.files.a1)}#objections"`);
    }
    const a = await s.da!.agent.get(path);
    expect(a.status).toBe(200);
    expect(a.text).toContain('DA-2026-001');
    expect(a.text).toContain('询问笔录第 2 页记载已出示证件');
    expect(a.text).not.toContain('DB-2026-001');
    expect(a.text).not.toContain('立案审批表在第 1 页');
    const b = await s.db!.agent.get(path);
    expect(b.text).toContain('DB-2026-001');
    expect(b.text).not.toContain('DA-2026-001');
    const c = await s.dc!.agent.get(path);
    expect(c.text).toContain('暂无异议');
    for (const who of ['ra', 'rd']) expect([403, 404]).toContain((await s[who]!.agent.get(path)).status);
  });

  it('refuses an objection after the window has closed', async () => {
    const released = await t.db.selectFrom('campaigns').select('released_at').where('id', '=', fx.campaignId).executeTakeFirstOrThrow();
    t.clock.set(new Date()); // a week after the story began: the fixture's window is 5 days from release
    expect(Date.now() - Date.parse(released.released_at!)).toBeGreaterThan(5 * DAY_MS);
    s.da = await loginAs(t, 'dept-a', FIXTURE_PASSWORD);
    const page = await view('da', fx.files.a1);
    expect(page.text).toContain('异议期已于');
    expect(page.text).not.toContain('name="target"');
    const late = await postAndFollow('da', objectionAction(fx.files.a1), { target: 'deduction:S3-06', reason: '补充理由' }, fx.files.a1);
    expect(flashError(late.text)).toContain('不能再提出异议');
    expect(await objectionsOf(fx.files.a1)).toHaveLength(2);
  });
});
