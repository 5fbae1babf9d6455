// The score sheet pages (一卷一表): the reviewer's form, draft and submit through the form, every refusal of bad
// input with the message beside its control and nothing saved, the two-tabs conflict, locking after submit, who
// may open the form at all, and the printable sheet under the blind-review rules.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignRechecker } from '../../src/features/reviews/service.ts';
import { findVersionById, parseStored } from '../../src/features/rubrics/queries.ts';
import { formatDateTime } from '../../src/web/format.ts';
import type { Rubric } from '../../src/domain/rubric/types.ts';
import { createTestApp, csrfFrom, loginAs, loginAsAdmin, type TestApp } from '../support/app.ts';
import { ctxFor, FIXTURE_PASSWORD, saveAs, setUpReviewCampaign, type ReviewFixture } from '../support/review-fixture.ts';

type Session = Awaited<ReturnType<typeof loginAs>>;
let t: TestApp;
let fx: ReviewFixture;
let rubric: Rubric;
const as = {} as Record<'ra' | 'rb' | 'rc' | 'rd' | 'dept' | 'leader' | 'admin', Session>;

beforeAll(async () => {
  t = await createTestApp();
  fx = await setUpReviewCampaign(t);
  const pin = await t.db.selectFrom('campaign_rubrics').select('rubric_version_id').where('campaign_id', '=', fx.campaignId)
    .where('case_type', '=', 'penalty').executeTakeFirstOrThrow();
  rubric = parseStored((await findVersionById(t.db, pin.rubric_version_id))!.content);
  as.ra = await loginAs(t, 'rev-a', FIXTURE_PASSWORD);
  as.rb = await loginAs(t, 'rev-b', FIXTURE_PASSWORD);
  as.rc = await loginAs(t, 'rev-c', FIXTURE_PASSWORD);
  as.rd = await loginAs(t, 'rev-d', FIXTURE_PASSWORD);
  as.dept = await loginAs(t, 'dept-a', FIXTURE_PASSWORD);
  as.leader = await loginAs(t, 'leader', FIXTURE_PASSWORD);
  as.admin = await loginAsAdmin(t);
});
afterAll(async () => { await t.close(); });

const sheetUrl = (fileId: number) => `/campaigns/${fx.campaignId}/files/${fileId}/sheet`;
const printUrl = (fileId: number, reviewId: number) => `/campaigns/${fx.campaignId}/files/${fileId}/sheets/${reviewId}/print`;

/** A loaded sheet page: its CSRF token and the revision it carries. */
async function open(s: Session, fileId: number) {
  const res = await s.agent.get(sheetUrl(fileId));
  expect(res.status).toBe(200);
  const revision = /name="revision" value="(\d+)"/.exec(res.text)![1]!;
  return { html: res.text, csrf: csrfFrom(res.text), revision };
}

/** Posts the form as loaded by `page`, with the given fields. */
function post(s: Session, fileId: number, page: { csrf: string; revision: string }, fields: Record<string, string>, action = 'save') {
  return s.agent.post(sheetUrl(fileId)).type('form').send({ _csrf: page.csrf, revision: page.revision, action, ...fields });
}

const sheetOf = (fileId: number, reviewerId: number) =>
  t.db.selectFrom('reviews').selectAll().where('case_file_id', '=', fileId).where('reviewer_id', '=', reviewerId).executeTakeFirst();
const marksOf = (reviewId: number) => t.db.selectFrom('review_marks').selectAll().where('review_id', '=', reviewId).orderBy('position').execute();

/** The error shown in the control's own cell (between its id and the end of the cell). */
function errorBeside(html: string, field: string): string | null {
  const id = `id="f-${field.replace(/[^A-Za-z0-9_-]/g, '-')}"`;
  const at = html.indexOf(id);
  if (at < 0) throw new Error(`no control ${field} on the page`);
  const cell = html.slice(at, html.indexOf('</div>', at));
  return /<span class="field-error" role="alert">([^<]*)<\/span>/.exec(cell)?.[1] ?? null;
}
const problemSummary = (html: string) => /<div class="sheet-alert sheet-alert-invalid"[\s\S]*?<\/div>/.exec(html)?.[0] ?? '';

describe('the score sheet form', () => {
  it('shows the file, the rubric, the vetoes first and then every item with an empty control', async () => {
    const { html } = await open(as.rb, fx.files.a1);
    for (const text of ['评查表（一卷一表）', 'DA-2026-001', '东安区市场监督管理局', '行政处罚', '市场监管', '未取得营业执照从事经营活动', '某商行', '张三、李四', '2026-03-01', '46', rubric.title, `版本 ${rubric.version}`]) {
      expect(html).toContain(text);
    }
    const items = rubric.sections.flatMap((s) => s.items);
    expect(items).toHaveLength(47);
    for (const item of items) {
      const name = item.deduction.type === 'per_occurrence' ? `count.${item.code}` : `points.${item.code}`;
      expect(html).toContain(`name="${name}" value=""`);
      for (const f of ['note', 'doc', 'page']) expect(html).toContain(`name="${f}.${item.code}"`);
    }
    expect(html).toContain('name="points.S3-05" value="" min="5" max="15" step="0.1"');
    expect(html).toContain('name="count.S1-01" value="" min="0" max="999" step="1"');
    for (const v of rubric.vetoes) expect(html).toMatch(new RegExp(`name="veto\\.${v.code}" value="1">`));
    expect(html.indexOf('name="veto.V13"')).toBeLessThan(html.indexOf('name="count.S1-01"'));
    expect(html).toContain('勾选后必填');
    expect(html).toContain('name="revision" value="0"');
    expect(html).toContain('确认本卷未发现扣分问题');
    expect(html).toMatch(/<button type="submit" name="action" value="save"[^>]*>保存草稿<\/button>/);
    expect(html).toMatch(/<button type="submit" name="action" value="submit"[^>]*data-confirm="[^"]*不能再修改[^"]*"[^>]*>提交评查表<\/button>/);
    expect(html).toContain('<script src="/assets/js/score-sheet.js" defer></script>');
    expect(html).toContain(`href="/campaigns/${fx.campaignId}/files/${fx.files.a1}/result"`);
    // The rubric for the running total, in tenths, in a block the browser does not execute.
    const json = JSON.parse(/<script type="application\/json" id="sheet-rubric">([\s\S]*?)<\/script>/.exec(html)![1]!);
    expect(json.scale).toBe(1000);
    expect(json.sections[0].items[0]).toEqual({ code: 'S1-01', type: 'per_occurrence', points: 10, min: null, max: null, cap: 20 });
    expect(json.vetoes.find((v: { code: string }) => v.code === 'V01').effect).toBe('zero');
    // Nothing saved yet: the summary starts from full marks.
    expect(html).toMatch(/data-summary="total">100</);
  });

  it('saves a draft, then submits it; the stored marks and scores are the engine\'s', async () => {
    let page = await open(as.rb, fx.files.a1);
    const draft = await post(as.rb, fx.files.a1, page, {
      'count.S1-01': '1', 'note.S1-01': '询问笔录未记载出示证件', 'doc.S1-01': '询问笔录', 'page.S1-01': '5',
      'points.S3-06': '2.5', 'note.S3-06': '调查终结报告未载明处理意见',
      opinion: '整体规范，个别文书需完善',
    });
    expect(draft.status).toBe(302);
    expect(draft.headers.location).toBe(sheetUrl(fx.files.a1));
    const sheet = (await sheetOf(fx.files.a1, fx.reviewers.rb))!;
    expect(sheet).toMatchObject({ status: 'draft', revision: 1, total_tenths: 965, grade_label: '优秀', opinion: '整体规范，个别文书需完善' });
    expect((await marksOf(sheet.id)).map((m) => [m.kind, m.item_code, m.count, m.points_tenths, m.note, m.document, m.page])).toEqual([
      ['deduction', 'S1-01', 1, null, '询问笔录未记载出示证件', '询问笔录', '5'],
      ['deduction', 'S3-06', null, 25, '调查终结报告未载明处理意见', null, null],
    ]);

    page = await open(as.rb, fx.files.a1);
    expect(page.html).toContain('草稿已保存：当前得分 96.5 分，等次优秀');
    expect(page.revision).toBe('1');
    expect(page.html).toContain('name="count.S1-01" value="1"');
    expect(page.html).toContain('name="points.S3-06" value="2.5"');
    expect(page.html).toContain('>询问笔录未记载出示证件</textarea>');
    expect(page.html).toMatch(/class="server-total">96\.5</);
    expect(page.html).toMatch(/data-section-subtotal="S1">5</);
    expect(page.html).toContain(`href="${printUrl(fx.files.a1, sheet.id)}"`);

    const submitted = await post(as.rb, fx.files.a1, page, {
      'count.S1-01': '3', 'note.S1-01': '三份笔录均未记载出示证件',
      'points.S3-06': '2.5', 'note.S3-06': '调查终结报告未载明处理意见',
      'veto.V13': '1', 'vetonote.V13': '送达回证日期与决定书日期不一致', 'vetodoc.V13': '送达回证', 'vetopage.V13': '31',
    }, 'submit');
    expect(submitted.status).toBe(302);
    expect(submitted.headers.location).toBe(printUrl(fx.files.a1, sheet.id));
    // S1-01: 3 × 1 capped at 2; S3-06 2.5 → 95.5, 优秀 barred by V13 → 良好.
    expect(await sheetOf(fx.files.a1, fx.reviewers.rb)).toMatchObject({
      status: 'submitted', revision: 2, total_tenths: 955, points_score_tenths: 955, grade_label: '良好', deciding_veto: 'V13',
    });
    expect((await marksOf(sheet.id)).map((m) => [m.kind, m.item_code, m.count, m.points_tenths])).toEqual([
      ['deduction', 'S1-01', 3, null], ['deduction', 'S3-06', null, 25], ['veto', 'V13', null, null],
    ]);

    const print = await as.rb.agent.get(submitted.headers.location!);
    expect(print.status).toBe(200);
    expect(print.text).toContain('已提交：得分 95.5 分，等次良好');
    expect(print.text).toMatch(/class="print-total">95\.5</);
    expect(print.text).toMatch(/class="print-grade">良好</);
    expect(print.text).toContain('S1-01 扣分 3 分超过该项上限 2 分，按 2 分计');
    expect(print.text).toContain('否决项 V13');
    expect(print.text).toContain('送达回证日期与决定书日期不一致');
    expect(print.text).toContain('送达回证 第 31 页');
    expect(print.text).toContain('评查人员（签名）');
    expect(print.text).toContain('乙评查员');
    expect(print.text).not.toContain('draft-banner');
  });

  it('shows a submitted sheet read-only and refuses any further change', async () => {
    const page = await open(as.rb, fx.files.a1);
    expect(page.html).toContain('<fieldset class="sheet-fields" disabled>');
    expect(page.html).toContain('不能再修改');
    expect(page.html).not.toContain('保存草稿</button>');
    expect(page.html).toContain('查看打印版评查表');
    const before = (await sheetOf(fx.files.a1, fx.reviewers.rb))!;
    // In Beijing time, like every other time on the page.
    const locked = `本表已于 ${formatDateTime(before.submitted_at)} 提交，不能再修改`;
    expect(page.html).toContain(locked);
    const res = await post(as.rb, fx.files.a1, { csrf: page.csrf, revision: String(before.revision) }, { 'count.S1-01': '1' });
    expect(res.status).toBe(409);
    expect(res.text).toContain(locked);
    expect(res.text).toContain('您这次的修改没有保存');
    expect(await sheetOf(fx.files.a1, fx.reviewers.rb)).toEqual(before);
    expect((await marksOf(before.id)).map((m) => m.item_code)).toEqual(['S1-01', 'S3-06', 'V13']);
  });
});

describe('bad input is refused with the message beside its control and nothing saved', () => {
  // Each case also types a valid deduction (S2-01), except the empty sheet, to show typed values come back.
  const cases: [string, Record<string, string>, string, string, string?][] = [
    ['a count over 999', { 'count.S1-01': '1000', 'note.S1-01': '说明' }, 'count.S1-01', '次数应为 1 到 999 的整数，填写的是“1000”'],
    ['a negative count', { 'count.S1-01': '-1' }, 'count.S1-01', '填写的是“-1”'],
    ['a count with a fraction', { 'count.S1-01': '1.5' }, 'count.S1-01', '填写的是“1.5”'],
    ['range points outside the range', { 'points.S3-05': '20' }, 'points.S3-05', '扣分分值 20 分不在该项的扣分区间内（5–15 分）'],
    ['points with two decimals', { 'points.S3-06': '1.25' }, 'points.S3-06', '扣分分值“1.25”不是有效分值，最多一位小数'],
    ['a veto without a note at submit', { 'veto.V01': '1', 'vetodoc.V01': '立案审批表' }, 'vetonote.V01', '勾选否决项 V01 须写明具体问题', 'submit'],
    ['an empty sheet submitted without confirming', {}, 'confirmClean', '请勾选“确认本卷未发现扣分问题”后再提交', 'submit'],
    ['a 其他问题 with a location but no wording', { 'other.0.doc': '询问笔录', 'other.0.page': '7' }, 'other.0.note', '第 1 条其他问题填写了位置，但没有写明问题'],
  ];
  it.each(cases)('%s', async (_name, fields, field, message, action = 'save') => {
    const empty = field === 'confirmClean';
    const page = await open(as.rc, fx.files.a2);
    const res = await post(as.rc, fx.files.a2, page, { ...(empty ? {} : { 'count.S2-01': '1', 'note.S2-01': '先调查后立案' }), ...fields }, action);
    expect(res.status).toBe(422);
    expect(errorBeside(res.text, field)).toContain(message);
    expect(problemSummary(res.text)).toContain(message);
    expect(problemSummary(res.text)).toContain(`href="#f-${field.replace(/\./g, '-')}"`);
    // What was typed is still there.
    if (!empty) {
      expect(res.text).toContain('name="count.S2-01" value="1"');
      expect(res.text).toContain('>先调查后立案</textarea>');
    }
    for (const [name, value] of Object.entries(fields)) {
      if (name.startsWith('veto.')) expect(res.text).toContain(`name="${name}" value="1" checked>`);
      else if (name.startsWith('note.')) expect(res.text).toContain(`>${value}</textarea>`);
      else expect(res.text).toContain(`name="${name}" value="${value}"`);
    }
    expect(await sheetOf(fx.files.a2, fx.reviewers.rc)).toBeUndefined();
  });

  it('names a forged deduction for an item the rubric does not have', async () => {
    const page = await open(as.rc, fx.files.a2);
    const res = await post(as.rc, fx.files.a2, page, { 'count.S1-01': '1', 'count.ZZ-99': '1' });
    expect(res.status).toBe(422);
    expect(problemSummary(res.text)).toContain('评查项目 ZZ-99不在本卷的评查标准中');
    expect(res.text).toContain('name="count.S1-01" value="1"');
    expect(await sheetOf(fx.files.a2, fx.reviewers.rc)).toBeUndefined();
  });

  it('submits an empty sheet once the reviewer confirms the file is clean', async () => {
    const page = await open(as.rc, fx.files.a2);
    const res = await post(as.rc, fx.files.a2, page, { confirmClean: '1' }, 'submit');
    expect(res.status).toBe(302);
    expect(await sheetOf(fx.files.a2, fx.reviewers.rc)).toMatchObject({ status: 'submitted', total_tenths: 1000, grade_label: '优秀' });
  });
});

describe('two tabs on the same draft', () => {
  it('refuses the save from the older page and keeps the first save', async () => {
    const first = await open(as.rb, fx.files.a2);
    const second = await open(as.rb, fx.files.a2);
    expect((await post(as.rb, fx.files.a2, first, { 'count.S1-01': '1', 'note.S1-01': '第一个窗口' })).status).toBe(302);
    const res = await post(as.rb, fx.files.a2, second, { 'count.S1-02': '2', 'note.S1-02': '第二个窗口' });
    expect(res.status).toBe(409);
    expect(res.text).toContain('本表已在其他窗口或设备上保存过（现为第 1 次保存），您这次的修改没有保存');
    expect(res.text).toContain(`<a href="${sheetUrl(fx.files.a2)}">载入最新保存的内容</a>`);
    // The second tab's typed values are kept on the page, and it still carries its old revision.
    expect(res.text).toContain('name="count.S1-02" value="2"');
    expect(res.text).toContain('>第二个窗口</textarea>');
    expect(res.text).toContain('name="revision" value="0"');
    const sheet = (await sheetOf(fx.files.a2, fx.reviewers.rb))!;
    expect(sheet).toMatchObject({ revision: 1, status: 'draft', total_tenths: 990 });
    expect((await marksOf(sheet.id)).map((m) => [m.item_code, m.note])).toEqual([['S1-01', '第一个窗口']]);
    // Saving the refused page again is refused again: only a reload brings the newer revision.
    expect((await post(as.rb, fx.files.a2, second, { 'count.S1-02': '2' })).status).toBe(409);
    const reloaded = await open(as.rb, fx.files.a2);
    expect(reloaded.revision).toBe('1');
    expect(reloaded.html).toContain('>第一个窗口</textarea>');
  });
});

describe('a reviewer who must now step aside', () => {
  it('is refused with the reason, the typed values kept and nothing saved', async () => {
    const page = await open(as.rb, fx.files.a2);
    const { id } = await t.db.insertInto('reviewer_conflicts').values({
      campaign_id: fx.campaignId, reviewer_id: fx.reviewers.rb, unit_id: fx.units.a, case_file_id: null, reason: '曾在该单位任职',
      declared_at: new Date().toISOString(), declared_by: null,
    }).returning('id').executeTakeFirstOrThrow();
    try {
      const res = await post(as.rb, fx.files.a2, page, { 'count.S1-01': '2', 'note.S1-01': '回避后填写' });
      expect(res.status).toBe(409);
      expect(res.text).toContain('您需回避本卷，不能再评查');
      expect(res.text).toContain('您这次填写的内容没有保存');
      expect(res.text).toContain('>回避后填写</textarea>');
      expect(await sheetOf(fx.files.a2, fx.reviewers.rb)).toMatchObject({ revision: 1, total_tenths: 990 });
    } finally {
      await t.db.deleteFrom('reviewer_conflicts').where('id', '=', id).execute();
    }
  });
});

describe('who may open a sheet', () => {
  it('answers 404 to a reviewer the file is not assigned to, for GET and POST', async () => {
    expect((await as.ra.agent.get(sheetUrl(fx.files.a1))).status).toBe(404);
    const res = await as.ra.agent.post(sheetUrl(fx.files.a1)).type('form').send({ _csrf: as.ra.csrf, revision: '0', action: 'save', 'count.S1-01': '1' });
    expect(res.status).toBe(404);
    expect(await sheetOf(fx.files.a1, fx.reviewers.ra)).toBeUndefined();
    expect((await as.ra.agent.get(`/campaigns/${fx.campaignId}/files/999999/sheet`)).status).toBe(404);
  });

  it('refuses departments, leaders and administrators', async () => {
    for (const s of [as.dept, as.leader, as.admin]) {
      expect([403, 404]).toContain((await s.agent.get(sheetUrl(fx.files.a1))).status);
      const res = await s.agent.post(sheetUrl(fx.files.a1)).type('form').send({ _csrf: s.csrf, revision: '0', action: 'save', 'count.S1-01': '1' });
      expect([403, 404]).toContain(res.status);
    }
  });

  it('refuses a post without the CSRF token', async () => {
    const page = await open(as.ra, fx.files.b1);
    const res = await as.ra.agent.post(sheetUrl(fx.files.b1)).type('form').send({ revision: page.revision, action: 'save', 'count.S1-01': '1' });
    expect(res.status).toBe(403);
    expect(await sheetOf(fx.files.b1, fx.reviewers.ra)).toBeUndefined();
  });
});

describe('the printable sheet', () => {
  it('keeps a draft to its author, marked 草稿, and a co-reviewer\'s sheet hidden until one\'s own is in', async () => {
    // b1 is reviewed by ra and rc. ra saves a draft, rc submits.
    const raPage = await open(as.ra, fx.files.b1);
    expect((await post(as.ra, fx.files.b1, raPage, { 'count.S2-01': '1', 'note.S2-01': '先调查后立案' })).status).toBe(302);
    const raSheet = (await sheetOf(fx.files.b1, fx.reviewers.ra))!;
    const rcResult = await saveAs(t, fx, fx.reviewers.rc, fx.files.b1, { deductions: { 'S2-01': 1, 'S2-02': 1 } });

    const own = await as.ra.agent.get(printUrl(fx.files.b1, raSheet.id));
    expect(own.status).toBe(200);
    expect(own.text).toContain('class="draft-banner"');
    expect(own.text).toContain('<span class="draft-stamp">草稿</span>');
    expect(own.text).toContain('未提交（草稿');
    // Nobody else prints a draft: not the co-reviewer who has submitted, not the bureau.
    expect((await as.rc.agent.get(printUrl(fx.files.b1, raSheet.id))).status).toBe(404);
    expect((await as.admin.agent.get(printUrl(fx.files.b1, raSheet.id))).status).toBe(404);
    // Blind: ra does not see rc's submitted sheet before submitting their own.
    expect((await as.ra.agent.get(printUrl(fx.files.b1, rcResult.reviewId))).status).toBe(404);

    const page = await open(as.ra, fx.files.b1);
    expect((await post(as.ra, fx.files.b1, page, { 'count.S2-01': '1', 'note.S2-01': '先调查后立案' }, 'submit')).status).toBe(302);
    const after = await as.ra.agent.get(printUrl(fx.files.b1, rcResult.reviewId));
    expect(after.status).toBe(200);
    expect(after.text).toContain('丙评查员');
    expect(after.text).not.toContain('draft-banner');
  });

  it('is open to the bureau, never to another unit, and a sheet id must belong to the file', async () => {
    const sheet = (await sheetOf(fx.files.a1, fx.reviewers.rb))!;
    for (const s of [as.admin, as.leader]) {
      const res = await s.agent.get(printUrl(fx.files.a1, sheet.id));
      expect(res.status).toBe(200);
      expect(res.text).toMatch(/class="print-total">95\.5</);
    }
    expect([403, 404]).toContain((await as.dept.agent.get(printUrl(fx.files.a1, sheet.id))).status);
    expect((await as.ra.agent.get(printUrl(fx.files.a1, sheet.id))).status).toBe(404);
    expect((await as.admin.agent.get(printUrl(fx.files.a2, sheet.id))).status).toBe(404);
    expect((await as.admin.agent.get(printUrl(fx.files.a1, 999999))).status).toBe(404);
  });
});

describe('the re-check sheet', () => {
  it('is the rechecker\'s own 复核评查表, printed with the rechecker\'s signature line', async () => {
    // c1 (ra + rb) disagrees: a 15-point deduction against a veto → re-check by rd.
    await saveAs(t, fx, fx.reviewers.ra, fx.files.c1, { deductions: { 'S3-05': '15' } });
    await saveAs(t, fx, fx.reviewers.rb, fx.files.c1, { vetoes: ['V03'] });
    expect((await as.rd.agent.get(sheetUrl(fx.files.c1))).status).toBe(404);
    const admin = await ctxFor(t, (await t.db.selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow()).id);
    await assignRechecker(admin, fx.campaignId, fx.files.c1, fx.reviewers.rd);

    const page = await open(as.rd, fx.files.c1);
    expect(page.html).toContain('复核评查表（一卷一表）');
    const res = await post(as.rd, fx.files.c1, page, { 'points.S3-05': '10', 'note.S3-05': '扣押未经批准，但已及时解除' }, 'submit');
    expect(res.status).toBe(302);
    const sheet = (await t.db.selectFrom('reviews').selectAll().where('case_file_id', '=', fx.files.c1).where('kind', '=', 'recheck').executeTakeFirstOrThrow());
    expect(res.headers.location).toBe(printUrl(fx.files.c1, sheet.id));
    const print = await as.rd.agent.get(res.headers.location!);
    expect(print.text).toContain('复核完成，本卷最后得分 90 分');
    expect(print.text).toContain('行政执法案卷复核评查表');
    expect(print.text).toContain('复核人员（签名）');
    expect(print.text).not.toContain('评查人员（签名）');
  });
});

describe('其他问题 (findings outside the rubric, no points)', () => {
  // a1: rb has submitted; rc (the co-reviewer) has saved nothing yet and records 其他问题 here.
  const first = { note: '卷内目录与实际文书顺序不一致', doc: '卷内目录', page: '1' };
  const second = { note: '部分文书未加盖骑缝章', doc: '', page: '' };

  it('offers five rows after the rubric items, with the explanation that they carry no points', async () => {
    const { html } = await open(as.rc, fx.files.a1);
    expect(html).toContain('其他问题（不扣分）');
    expect(html).toContain('不扣分、不影响本表得分和等次');
    for (let n = 0; n < 5; n++) {
      expect(html).toMatch(new RegExp(`<textarea id="f-other-${n}-note" name="other\\.${n}\\.note" rows="1" maxlength="200">`));
      expect(html).toContain(`name="other.${n}.doc" value="" maxlength="100"`);
      expect(html).toContain(`name="other.${n}.page" value="" maxlength="20"`);
    }
    expect(html).not.toContain('name="other.5.note"');
    const lastItem = rubric.sections.at(-1)!.items.at(-1)!.code;
    expect(html.indexOf(`name="page.${lastItem}"`)).toBeLessThan(html.indexOf('name="other.0.note"'));
    expect(html.indexOf('name="other.4.page"')).toBeLessThan(html.indexOf('name="opinion"'));
  });

  it('refuses wording over 200 characters beside its control, keeps what was typed and saves nothing', async () => {
    const page = await open(as.rc, fx.files.a1);
    const long = '问'.repeat(201);
    const res = await post(as.rc, fx.files.a1, page, { 'other.0.note': first.note, 'other.1.note': long, 'other.1.page': '3' });
    expect(res.status).toBe(422);
    const message = '第 2 条其他问题的问题表述不超过 200 个字（现有 201 个字）';
    expect(errorBeside(res.text, 'other.1.note')).toBe(message);
    expect(errorBeside(res.text, 'other.0.note')).toBeNull();
    expect(problemSummary(res.text)).toContain(`<a href="#f-other-1-note">${message}</a>`);
    expect(res.text).toContain(`>${first.note}</textarea>`);
    expect(res.text).toContain(`>${long}</textarea>`);
    expect(res.text).toContain('name="other.1.page" value="3"');
    expect(await sheetOf(fx.files.a1, fx.reviewers.rc)).toBeUndefined();
  });

  it('saves two typed 其他问题 as marks of kind "other", without changing the score', async () => {
    const page = await open(as.rc, fx.files.a1);
    // Typed in the first and third rows: stored in order, shown back in the first two rows.
    const res = await post(as.rc, fx.files.a1, page, {
      'other.0.note': first.note, 'other.0.doc': first.doc, 'other.0.page': first.page,
      'other.2.note': `  ${second.note}  `,
    });
    expect(res.status).toBe(302);
    const sheet = (await sheetOf(fx.files.a1, fx.reviewers.rc))!;
    expect(sheet).toMatchObject({ status: 'draft', revision: 1, total_tenths: 1000, points_score_tenths: 1000, grade_label: '优秀', deciding_veto: null });
    expect((await marksOf(sheet.id)).map((m) => [m.kind, m.item_code, m.count, m.points_tenths, m.note, m.document, m.page])).toEqual([
      ['other', '', null, null, first.note, first.doc, first.page],
      ['other', '', null, null, second.note, null, null],
    ]);

    const reloaded = await open(as.rc, fx.files.a1);
    expect(reloaded.html).toContain(`<textarea id="f-other-0-note" name="other.0.note" rows="1" maxlength="200">${first.note}</textarea>`);
    expect(reloaded.html).toContain(`name="other.0.doc" value="${first.doc}"`);
    expect(reloaded.html).toContain(`name="other.0.page" value="${first.page}"`);
    expect(reloaded.html).toContain(`name="other.1.note" rows="1" maxlength="200">${second.note}</textarea>`);
    expect(reloaded.html).toContain('name="other.2.note" rows="1" maxlength="200"></textarea>');
    expect(reloaded.html).toMatch(/class="server-total">100</);
  });

  it('still needs the confirmation that nothing is deducted before a sheet with only 其他问题 is submitted', async () => {
    const page = await open(as.rc, fx.files.a1);
    const fields = { 'other.0.note': first.note, 'other.0.doc': first.doc, 'other.0.page': first.page, 'other.1.note': second.note };
    const refused = await post(as.rc, fx.files.a1, page, fields, 'submit');
    expect(refused.status).toBe(422);
    expect(problemSummary(refused.text)).toContain('请勾选“确认本卷未发现扣分问题”后再提交');
    expect(refused.text).toContain(`>${second.note}</textarea>`);
    expect(await sheetOf(fx.files.a1, fx.reviewers.rc)).toMatchObject({ status: 'draft', revision: 1 });

    const res = await post(as.rc, fx.files.a1, page, { ...fields, confirmClean: '1' }, 'submit');
    expect(res.status).toBe(302);
    const sheet = (await sheetOf(fx.files.a1, fx.reviewers.rc))!;
    expect(sheet).toMatchObject({ status: 'submitted', total_tenths: 1000 });
    expect((await marksOf(sheet.id)).map((m) => m.kind)).toEqual(['other', 'other']);
  });

  it('shows them read-only once submitted, and lists them on the printed sheet', async () => {
    const locked = await open(as.rc, fx.files.a1);
    expect(locked.html).toContain('<fieldset class="sheet-fields" disabled>');
    expect(locked.html).toContain(`>${first.note}</textarea>`);
    expect(locked.html).toContain(`>${second.note}</textarea>`);
    expect(locked.html).not.toContain('name="other.2.note"'); // no empty rows on a locked sheet

    const sheet = (await sheetOf(fx.files.a1, fx.reviewers.rc))!;
    const print = await as.rc.agent.get(printUrl(fx.files.a1, sheet.id));
    expect(print.status).toBe(200);
    const table = /<table class="table compact sheet-others-print">[\s\S]*?<\/table>/.exec(print.text)?.[0] ?? '';
    expect(print.text).toContain('其他问题（不扣分，共 2 条）');
    expect(table).toContain(`<td>${first.note}</td><td>卷内目录 第 1 页</td>`);
    expect(table).toContain(`<td>${second.note}</td><td></td>`);
    expect(print.text.indexOf('sheet-others-print')).toBeLessThan(print.text.indexOf('三、评定结果'));
    expect(print.text).toMatch(/class="print-total">100</);

    // A sheet without any lists nothing.
    const rbSheet = (await sheetOf(fx.files.a1, fx.reviewers.rb))!;
    const other = await as.rc.agent.get(printUrl(fx.files.a1, rbSheet.id));
    expect(other.status).toBe(200);
    expect(other.text).not.toContain('其他问题');
  });
});
