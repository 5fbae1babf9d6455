// The notice side of rectification over HTTP: the list of notices, the 整改清单 with its forms (measures, evidence
// files, the report), the bureau's verification and return, the printed notice and its Word download; unit
// isolation (another unit's notice is a 404 on every route), refusals that change nothing, and the audit trail.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ATTACHMENT_MAX_BYTES } from '../../src/domain/attachments.ts';
import { addDays, beijingDate } from '../../src/domain/rectification.ts';
import { transitionCampaign } from '../../src/features/campaigns/service.ts';
import { addAttachment, addMeasure, issueNotices } from '../../src/features/rectification/service.ts';
import { createTestApp, loginAs, loginAsAdmin, rootUnitId, type TestApp } from '../support/app.ts';
import { ctxFor, FIXTURE_PASSWORD, scoreAllAgreeing, setUpReviewCampaign, type ReviewFixture } from '../support/review-fixture.ts';

type Session = { agent: request.Agent; csrf: string };

let t: TestApp;
let fx: ReviewFixture;
let today = '';
let bureauName = '';
const s = {} as Record<'admin' | 'leader' | 'reviewer' | 'deptA' | 'deptB', Session>;
const ids = { noticeA: 0, noticeB: 0, noticeC: 0, itemA1: 0, itemA2: 0, itemB1: 0, measureB: 0, attachmentB: 0 };
let docA = '';

const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from(Array.from({ length: 3000 }, (_, i) => i % 256)), Buffer.from('\n%%EOF\n')]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);

beforeAll(async () => {
  t = await createTestApp();
  fx = await setUpReviewCampaign(t);
  // S1-01 in all three units (common at threshold 3); S3-01 in unit A only (individual).
  await scoreAllAgreeing(t, fx);
  const adminId = (await t.db.selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow()).id;
  const admin = await ctxFor(t, adminId);
  await transitionCampaign(admin, fx.campaignId, 'rechecking');
  await transitionCampaign(admin, fx.campaignId, 'released');
  today = beijingDate(t.clock.now());
  await issueNotices(admin, fx.campaignId, { issuedOn: today, deadline: addDays(today, 30), requirements: '' });
  const notices = await t.db.selectFrom('rectification_notices').selectAll().execute();
  const noticeOf = (unitId: number) => notices.find((n) => n.unit_id === unitId)!;
  ids.noticeA = noticeOf(fx.units.a).id;
  ids.noticeB = noticeOf(fx.units.b).id;
  ids.noticeC = noticeOf(fx.units.c).id;
  docA = noticeOf(fx.units.a).doc_number;
  const items = await t.db.selectFrom('rectification_items').selectAll().orderBy('notice_id').orderBy('position').execute();
  [ids.itemA1, ids.itemA2] = items.filter((i) => i.notice_id === ids.noticeA).map((i) => i.id) as [number, number];
  ids.itemB1 = items.find((i) => i.notice_id === ids.noticeB)!.id;
  // Unit B has a measure with an evidence file of its own: unit A must not reach either.
  const deptB = await ctxFor(t, fx.departments.b);
  ids.measureB = await addMeasure(deptB, ids.itemB1, { description: '环保局的整改措施', responsible: '王五', completedOn: today, evidence: '' });
  ids.attachmentB = await addAttachment(deptB, ids.measureB, '环保局佐证.pdf', PDF);
  bureauName = (await t.db.selectFrom('units').select('name').where('id', '=', await rootUnitId(t.db)).executeTakeFirstOrThrow()).name;

  s.admin = await loginAsAdmin(t);
  s.leader = await loginAs(t, 'leader', FIXTURE_PASSWORD);
  s.reviewer = await loginAs(t, 'rev-a', FIXTURE_PASSWORD);
  s.deptA = await loginAs(t, 'dept-a', FIXTURE_PASSWORD);
  s.deptB = await loginAs(t, 'dept-b', FIXTURE_PASSWORD);
});
afterAll(async () => { await t.close(); });

const noticeUrl = (id: number) => `/rectification/notices/${id}`;
const post = (session: Session, path: string, body: Record<string, string> = {}) =>
  session.agent.post(path).type('form').send({ _csrf: session.csrf, ...body });
const upload = (session: Session, measureId: number, content: Buffer, name: string) =>
  session.agent.post(`/rectification/measures/${measureId}/attachments`).field('_csrf', session.csrf).attach('file', content, name);
/** The flash messages of the next page the session opens. */
async function flashes(session: Session, path: string): Promise<string[]> {
  const res = await session.agent.get(path);
  return [...res.text.matchAll(/<div class="flash flash-(\w+)"[^>]*>([^<]*)<\/div>/g)].map((m) => `${m[1]}: ${m[2]!.replace(/&quot;/g, '"')}`);
}
const measuresOf = (noticeId: number) => t.db.selectFrom('rectification_measures').selectAll().where('notice_id', '=', noticeId)
  .where('deleted_at', 'is', null).orderBy('id').execute();
const attachmentsOf = async (measureId: number) => t.db.selectFrom('attachments').selectAll().where('measure_id', '=', measureId)
  .where('removed_at', 'is', null).orderBy('id').execute();
/** Every table a rectification change could touch, to prove a refusal left no trace. */
async function snapshot(): Promise<string> {
  const measures = await t.db.selectFrom('rectification_measures').selectAll().orderBy('id').execute();
  const notices = await t.db.selectFrom('rectification_notices').selectAll().orderBy('id').execute();
  const attachments = await t.db.selectFrom('attachments').select(['id', 'measure_id', 'sha256', 'removed_at']).orderBy('id').execute();
  const audit = await t.db.selectFrom('audit_log').select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return JSON.stringify({ measures, notices, attachments, audit: Number(audit.n) });
}
const formActions = (html: string) => [...html.matchAll(/<form method="post" action="([^"]+)"/g)].map((m) => m[1]);
const measure = (description: string, extra: Partial<Record<'responsible' | 'completedOn' | 'evidence', string>> = {}) =>
  ({ description, responsible: '李明', completedOn: today, evidence: '学习签到表、培训课件', ...extra });

describe('the list of notices', () => {
  it('shows a department only its own unit’s notice', async () => {
    const res = await s.deptA.agent.get('/rectification');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<h1>本单位整改</h1>');
    expect(res.text).toContain(docA);
    expect(res.text).toContain(`href="${noticeUrl(ids.noticeA)}"`);
    for (const id of [ids.noticeB, ids.noticeC]) expect(res.text).not.toContain(`href="${noticeUrl(id)}"`);
    expect(res.text).not.toContain('阳明区生态环境局');
    expect(res.text).not.toContain('爱民区交通运输局');
    expect(res.text).not.toContain('<th>单位</th>');
    expect(res.text).toContain('<a href="/rectification" class="active" aria-current="page">本单位整改</a>');
  });

  it('shows the bureau every notice, grouped under its campaign, with counts and deadlines', async () => {
    for (const session of [s.admin, s.leader]) {
      const res = await session.agent.get('/rectification');
      expect(res.status).toBe(200);
      expect(res.text).toContain('<h1>整改</h1>');
      expect(res.text).toContain('2026年度行政执法案卷交叉评查');
      for (const id of [ids.noticeA, ids.noticeB, ids.noticeC]) expect(res.text).toContain(`href="${noticeUrl(id)}"`);
      for (const name of ['东安区市场监督管理局', '阳明区生态环境局', '爱民区交通运输局']) expect(res.text).toContain(name);
      for (const head of ['文号', '单位', '发文日期', '整改期限', '问题数', '待报送', '待验收', '已退回', '已验收']) expect(res.text).toContain(`>${head}</th>`);
      expect(res.text).toContain(addDays(today, 30));
      expect(res.text).toContain('还剩 30 天');
      expect(res.text).not.toContain('rect-overdue">逾期</span>');
    }
  });

  it('refuses reviewers', async () => {
    const res = await s.reviewer.agent.get('/rectification');
    expect(res.status).toBe(403);
    expect(res.text).toContain('您没有权限访问此页面或执行此操作');
  });
});

describe('another unit’s notice does not exist for a department', () => {
  it('answers 404 to every page and every change, and changes nothing', async () => {
    const before = await snapshot();
    for (const path of [noticeUrl(ids.noticeB), `${noticeUrl(ids.noticeB)}/print`, `${noticeUrl(ids.noticeB)}/download`, `/rectification/attachments/${ids.attachmentB}`]) {
      const res = await s.deptA.agent.get(path);
      expect(res.status, path).toBe(404);
      expect(res.text, path).not.toContain('阳明区生态环境局');
    }
    const posts: [string, Promise<request.Response>][] = [
      ['add', post(s.deptA, `/rectification/items/${ids.itemB1}/measures`, measure('越权添加'))],
      ['update', post(s.deptA, `/rectification/measures/${ids.measureB}`, measure('越权修改'))],
      ['delete', post(s.deptA, `/rectification/measures/${ids.measureB}/delete`)],
      ['upload', upload(s.deptA, ids.measureB, PDF, '越权.pdf')],
      ['remove attachment', post(s.deptA, `/rectification/attachments/${ids.attachmentB}/delete`)],
      ['report', post(s.deptA, `${noticeUrl(ids.noticeB)}/report`)],
    ];
    for (const [label, sent] of posts) {
      const res = await sent;
      expect(res.status, label).toBe(404);
      expect(res.text, label).toContain('不存在');
    }
    expect(await snapshot()).toBe(before);
  });

  it('answers 404 for records that do not exist at all, and for ids that are not ids', async () => {
    expect((await s.deptA.agent.get(noticeUrl(999999))).status).toBe(404);
    expect((await s.deptA.agent.get('/rectification/notices/abc')).status).toBe(404);
    expect((await post(s.deptA, '/rectification/items/999999/measures', measure('无'))).status).toBe(404);
    expect((await post(s.deptA, '/rectification/measures/999999')).status).toBe(404);
  });
});

describe('a department works its list through the forms', () => {
  it('shows the 整改清单: header, issues, files, and a form per issue', async () => {
    const res = await s.deptA.agent.get(noticeUrl(ids.noticeA));
    expect(res.status).toBe(200);
    for (const text of [docA, '东安区市场监督管理局', '2026年度行政执法案卷交叉评查', today, addDays(today, 30), '（还剩 30 天）', '尚未报送', '共性问题', '个性问题', '未整改']) {
      expect(res.text, text).toContain(text);
    }
    expect(res.text).toContain(`href="/campaigns/${fx.campaignId}/files/${fx.files.a1}/result">DA-2026-001</a>`);
    expect(res.text).toContain(`href="/campaigns/${fx.campaignId}/files/${fx.files.a2}/result">DA-2026-002</a>`);
    expect(formActions(res.text)).toEqual(expect.arrayContaining([
      `/rectification/items/${ids.itemA1}/measures`, `/rectification/items/${ids.itemA2}/measures`, `${noticeUrl(ids.noticeA)}/report`,
    ]));
    expect(res.text).not.toContain('验收通过</button>');
    expect(res.text).toContain('data-confirm="确定报送整改情况吗？');
  });

  it('adds a measure', async () => {
    const res = await post(s.deptA, `/rectification/items/${ids.itemA1}/measures`, measure('组织执法人员学习出示执法证件的规定'));
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(noticeUrl(ids.noticeA));
    expect(await flashes(s.deptA, noticeUrl(ids.noticeA))).toEqual(['success: 整改措施已添加（待报送），完成后请报送整改情况']);
    const rows = await measuresOf(ids.noticeA);
    expect(rows.map((m) => [m.item_id, m.description, m.responsible, m.completed_on, m.status])).toEqual([
      [ids.itemA1, '组织执法人员学习出示执法证件的规定', '李明', today, 'draft'],
    ]);
    const page = await s.deptA.agent.get(noticeUrl(ids.noticeA));
    expect(page.text).toContain('组织执法人员学习出示执法证件的规定');
    expect(page.text).toContain('待报送');
    expect(page.text).toContain('整改中');
    const id = rows[0]!.id;
    expect(formActions(page.text)).toEqual(expect.arrayContaining([
      `/rectification/measures/${id}`, `/rectification/measures/${id}/delete`, `/rectification/measures/${id}/attachments`,
    ]));
    expect(page.text).toContain('enctype="multipart/form-data"');
    expect(page.text).toContain('accept=".pdf,');
    expect(page.text).toContain('单个文件不超过 10 MB');
  });

  it('refuses bad input with the message and saves nothing', async () => {
    const before = await snapshot();
    await post(s.deptA, `/rectification/items/${ids.itemA1}/measures`, measure('   '));
    expect((await flashes(s.deptA, noticeUrl(ids.noticeA))).join()).toContain('请填写整改措施');
    await post(s.deptA, `/rectification/items/${ids.itemA1}/measures`, measure('日期有误的措施', { completedOn: '2023-02-30' }));
    expect((await flashes(s.deptA, noticeUrl(ids.noticeA))).join()).toContain('完成日期“2023-02-30”不是有效日期');
    await post(s.deptA, `/rectification/items/${ids.itemA1}/measures`, measure('责任人过长', { responsible: '长'.repeat(51) }));
    expect((await flashes(s.deptA, noticeUrl(ids.noticeA))).join()).toContain('责任人不超过 50 个字');
    const [first] = await measuresOf(ids.noticeA);
    await post(s.deptA, `/rectification/measures/${first!.id}`, measure(''));
    expect((await flashes(s.deptA, noticeUrl(ids.noticeA))).join()).toContain('请填写整改措施');
    expect(await snapshot()).toBe(before);
  });

  it('edits and deletes measures', async () => {
    const [first] = await measuresOf(ids.noticeA);
    await post(s.deptA, `/rectification/measures/${first!.id}`, measure('组织全体执法人员学习出示执法证件的规定并考试', { responsible: '张科长' }));
    expect(await flashes(s.deptA, noticeUrl(ids.noticeA))).toEqual(['success: 整改措施已修改']);
    expect((await measuresOf(ids.noticeA))[0]).toMatchObject({ description: '组织全体执法人员学习出示执法证件的规定并考试', responsible: '张科长', status: 'draft' });

    await post(s.deptA, `/rectification/items/${ids.itemA1}/measures`, measure('多余的一条'));
    await flashes(s.deptA, noticeUrl(ids.noticeA));
    const spare = (await measuresOf(ids.noticeA)).find((m) => m.description === '多余的一条')!;
    await post(s.deptA, `/rectification/measures/${spare.id}/delete`);
    expect(await flashes(s.deptA, noticeUrl(ids.noticeA))).toEqual(['success: 整改措施已删除']);
    expect((await measuresOf(ids.noticeA)).map((m) => m.description)).toEqual(['组织全体执法人员学习出示执法证件的规定并考试']);
    expect((await t.db.selectFrom('rectification_measures').select('deleted_at').where('id', '=', spare.id).executeTakeFirstOrThrow()).deleted_at).not.toBeNull();
    // A deleted measure is gone for every route.
    expect((await post(s.deptA, `/rectification/measures/${spare.id}`, measure('复活'))).status).toBe(404);
  });
});

describe('evidence files', () => {
  let measureId = 0;
  beforeAll(async () => { measureId = (await measuresOf(ids.noticeA))[0]!.id; });

  it('uploads a PDF and downloads it back byte for byte, as an attachment that is never sniffed', async () => {
    const res = await upload(s.deptA, measureId, PDF, '培训签到表.pdf');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(noticeUrl(ids.noticeA));
    expect(await flashes(s.deptA, noticeUrl(ids.noticeA))).toEqual(['success: 附件“培训签到表.pdf”已上传']);
    const [file] = await attachmentsOf(measureId);
    expect(file).toMatchObject({ filename: '培训签到表.pdf', mime: 'application/pdf', size: PDF.length });
    const page = await s.deptA.agent.get(noticeUrl(ids.noticeA));
    expect(page.text).toContain(`href="/rectification/attachments/${file!.id}" download>培训签到表.pdf</a>`);
    expect(formActions(page.text)).toContain(`/rectification/attachments/${file!.id}/delete`);

    for (const session of [s.deptA, s.admin, s.leader]) {
      const down = await session.agent.get(`/rectification/attachments/${file!.id}`).buffer(true).parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
      expect(down.status).toBe(200);
      expect(down.headers['content-type']).toBe('application/pdf');
      expect(down.headers['x-content-type-options']).toBe('nosniff');
      expect(down.headers['content-disposition']).toMatch(/^attachment; /);
      expect(down.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('培训签到表.pdf')}`);
      expect(Buffer.compare(down.body as Buffer, PDF)).toBe(0);
    }
    expect((await s.reviewer.agent.get(`/rectification/attachments/${file!.id}`)).status).toBe(403);
    expect((await s.deptB.agent.get(`/rectification/attachments/${file!.id}`)).status).toBe(404);
  });

  it.each([
    ['an HTML page', Buffer.from('<html><script>alert(1)</script></html>'), '说明.html', '类型不允许上传'],
    ['a program', Buffer.from('MZ\x90\x00\x03'), 'setup.exe', '类型不允许上传'],
    ['a PNG renamed .pdf', PNG, '截图.pdf', '内容不是有效的PDF'],
  ])('refuses %s with the message', async (_label, content, name, message) => {
    const before = await snapshot();
    const res = await upload(s.deptA, measureId, content, name);
    expect(res.status).toBe(302);
    const shown = (await flashes(s.deptA, noticeUrl(ids.noticeA))).join();
    expect(shown).toContain(message);
    expect(shown).toContain(name);
    expect(await snapshot()).toBe(before);
  });

  it('refuses a file over 10 MB with a Chinese message, not a crash', async () => {
    const before = await snapshot();
    // Just over the limit: the attachment check names the file and its size.
    const slightly = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(ATTACHMENT_MAX_BYTES + 50_000 - 9, 0x20)]);
    expect((await upload(s.deptA, measureId, slightly, '扫描件.pdf')).status).toBe(302);
    expect((await flashes(s.deptA, noticeUrl(ids.noticeA))).join()).toContain('超过 10 MB 的上限');
    // Far over: cut off by the upload parser, the same limit named.
    const huge = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(ATTACHMENT_MAX_BYTES + 3 * 1024 * 1024, 0x20)]);
    const res = await upload(s.deptA, measureId, huge, '整卷扫描.pdf');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(noticeUrl(ids.noticeA));
    expect(await flashes(s.deptA, noticeUrl(ids.noticeA))).toEqual(['error: 附件超过 10 MB 的上限，请压缩或拆分后再上传']);
    expect(await snapshot()).toBe(before);
  });

  it('asks for a file when the form is sent without one', async () => {
    const before = await snapshot();
    const res = await s.deptA.agent.post(`/rectification/measures/${measureId}/attachments`).field('_csrf', s.deptA.csrf);
    expect(res.status).toBe(302);
    expect(await flashes(s.deptA, noticeUrl(ids.noticeA))).toEqual(['error: 请选择要上传的文件']);
    expect(await snapshot()).toBe(before);
  });

  it('refuses an upload without the page’s token, and a multipart post to any other path', async () => {
    const before = await snapshot();
    const res = await s.deptA.agent.post(`/rectification/measures/${measureId}/attachments`).field('_csrf', 'forged').attach('file', PDF, 'x.pdf');
    expect(res.status).toBe(403);
    const other = await s.deptA.agent.post(`/rectification/measures/${measureId}`).field('_csrf', s.deptA.csrf).field('description', 'x');
    expect(other.status).toBe(403);
    expect(await snapshot()).toBe(before);
  });

  it('removes an attachment', async () => {
    await upload(s.deptA, measureId, PNG, '现场照片.png');
    await flashes(s.deptA, noticeUrl(ids.noticeA));
    const png = (await attachmentsOf(measureId)).find((a) => a.filename === '现场照片.png')!;
    expect(png.mime).toBe('image/png');
    await post(s.deptA, `/rectification/attachments/${png.id}/delete`);
    expect(await flashes(s.deptA, noticeUrl(ids.noticeA))).toEqual(['success: 附件已删除']);
    expect((await attachmentsOf(measureId)).map((a) => a.filename)).toEqual(['培训签到表.pdf']);
    expect((await s.deptA.agent.get(`/rectification/attachments/${png.id}`)).status).toBe(404);
  });
});

describe('the report and the bureau’s verification', () => {
  it('refuses the report while an issue has no measure', async () => {
    const before = await snapshot();
    await post(s.deptA, `${noticeUrl(ids.noticeA)}/report`);
    const shown = (await flashes(s.deptA, noticeUrl(ids.noticeA))).join();
    expect(shown).toContain('整改报告还不能报送');
    expect(shown).toContain('第 2 个问题');
    expect(shown).toContain('还没有整改措施');
    expect(await snapshot()).toBe(before);
  });

  it('submits the report once every issue has a measure', async () => {
    await post(s.deptA, `/rectification/items/${ids.itemA2}/measures`, measure('补充调查取证并完善证据目录'));
    await flashes(s.deptA, noticeUrl(ids.noticeA));
    const res = await post(s.deptA, `${noticeUrl(ids.noticeA)}/report`);
    expect(res.headers.location).toBe(noticeUrl(ids.noticeA));
    expect(await flashes(s.deptA, noticeUrl(ids.noticeA))).toEqual(['success: 整改情况已报送：2 项整改措施待评查机关验收']);
    expect((await measuresOf(ids.noticeA)).map((m) => m.status)).toEqual(['submitted', 'submitted']);
    const page = await s.deptA.agent.get(noticeUrl(ids.noticeA));
    expect(page.text).toContain('整改情况已报送，等待评查机关验收');
    expect(page.text).not.toContain('尚未报送');
    // Nothing left to change: no edit, delete, upload or report forms, only logout.
    expect(formActions(page.text)).toEqual(expect.not.arrayContaining([`${noticeUrl(ids.noticeA)}/report`]));
    expect(formActions(page.text).filter((a) => a!.startsWith('/rectification/measures/'))).toEqual([]);
  });

  it('cannot edit a submitted measure', async () => {
    const [first] = await measuresOf(ids.noticeA);
    const before = await snapshot();
    await post(s.deptA, `/rectification/measures/${first!.id}`, measure('报送后偷偷修改'));
    expect((await flashes(s.deptA, noticeUrl(ids.noticeA))).join()).toContain('该整改措施待验收，不能修改');
    await upload(s.deptA, first!.id, PDF, '补充.pdf');
    expect((await flashes(s.deptA, noticeUrl(ids.noticeA))).join()).toContain('该整改措施待验收，不能修改');
    expect(await snapshot()).toBe(before);
  });

  it('cannot verify its own measure', async () => {
    const [first] = await measuresOf(ids.noticeA);
    const before = await snapshot();
    const res = await post(s.deptA, `/rectification/measures/${first!.id}/review`, { decision: 'verify', reason: '' });
    expect(res.status).toBe(403);
    expect(res.text).toContain('您没有权限访问此页面或执行此操作');
    expect(await snapshot()).toBe(before);
  });

  it('shows the administrator 验收通过 and 退回 on each submitted measure, and no department forms', async () => {
    const page = await s.admin.agent.get(noticeUrl(ids.noticeA));
    const [first, second] = await measuresOf(ids.noticeA);
    expect(formActions(page.text).filter((a) => a !== '/logout')).toEqual([
      `/rectification/measures/${first!.id}/review`, `/rectification/measures/${first!.id}/review`,
      `/rectification/measures/${second!.id}/review`, `/rectification/measures/${second!.id}/review`,
    ]);
    expect(page.text).toContain('验收通过</button>');
    expect(page.text).toMatch(/<textarea name="reason"[^>]*required/);
  });

  it('returns a measure only with a reason; the department sees the reason, fixes it and reports again', async () => {
    const [, second] = await measuresOf(ids.noticeA);
    const before = await snapshot();
    await post(s.admin, `/rectification/measures/${second!.id}/review`, { decision: 'return', reason: '  ' });
    expect((await flashes(s.admin, noticeUrl(ids.noticeA))).join()).toContain('退回须写明理由');
    expect(await snapshot()).toBe(before);
    expect((await post(s.admin, `/rectification/measures/${second!.id}/review`, { decision: 'maybe' })).status).toBe(400);

    await post(s.admin, `/rectification/measures/${second!.id}/review`, { decision: 'return', reason: '缺少补正后的证据目录' });
    expect(await flashes(s.admin, noticeUrl(ids.noticeA))).toEqual(['success: 整改措施已退回，被评查单位补正后可再次报送']);
    expect((await measuresOf(ids.noticeA))[1]).toMatchObject({ status: 'returned', return_reason: '缺少补正后的证据目录' });

    const page = await s.deptA.agent.get(noticeUrl(ids.noticeA));
    expect(page.text).toContain('已退回');
    expect(page.text).toContain('退回理由：</strong>缺少补正后的证据目录');
    expect(formActions(page.text)).toEqual(expect.arrayContaining([`/rectification/measures/${second!.id}`, `${noticeUrl(ids.noticeA)}/report`]));
    // A returned measure is edited, not deleted.
    expect(formActions(page.text)).not.toContain(`/rectification/measures/${second!.id}/delete`);
    await post(s.deptA, `/rectification/measures/${second!.id}`, measure('补充调查取证并编制证据目录', { evidence: '证据目录（附后）' }));
    await post(s.deptA, `${noticeUrl(ids.noticeA)}/report`);
    expect((await flashes(s.deptA, noticeUrl(ids.noticeA))).at(-1)).toBe('success: 整改情况已报送：1 项整改措施待评查机关验收');
  });

  it('verifies both measures, and the issues show 已整改', async () => {
    for (const m of await measuresOf(ids.noticeA)) {
      await post(s.admin, `/rectification/measures/${m.id}/review`, { decision: 'verify' });
      expect(await flashes(s.admin, noticeUrl(ids.noticeA))).toEqual(['success: 整改措施已验收']);
    }
    expect((await measuresOf(ids.noticeA)).map((m) => m.status)).toEqual(['verified', 'verified']);
    const page = await s.deptA.agent.get(noticeUrl(ids.noticeA));
    expect(page.text.match(/data-item-state>已整改</g)).toHaveLength(2);
    expect(page.text).toContain('已全部整改验收');
    expect(page.text).toContain('验收通过');
    expect(page.text).toContain('曾被退回');
    // Rectified issues take no new measure.
    expect(formActions(page.text)).toEqual(['/logout']);
    // A verified measure never changes again.
    const before = await snapshot();
    const [first] = await measuresOf(ids.noticeA);
    await post(s.deptA, `/rectification/measures/${first!.id}`, measure('验收后修改'));
    expect((await flashes(s.deptA, noticeUrl(ids.noticeA))).join()).toContain('该整改措施已验收，不能修改');
    await post(s.admin, `/rectification/measures/${first!.id}/review`, { decision: 'return', reason: '再退回' });
    expect((await flashes(s.admin, noticeUrl(ids.noticeA))).join()).toContain('该整改措施已验收，不能退回');
    expect(await snapshot()).toBe(before);
    const list = await s.deptA.agent.get('/rectification');
    expect(list.text).toContain('rect-done">已完成</span>');
  });
});

describe('the leader reads, the reviewer is refused', () => {
  it('shows the leader the notice without a single form', async () => {
    for (const id of [ids.noticeA, ids.noticeB]) {
      const page = await s.leader.agent.get(noticeUrl(id));
      expect(page.status).toBe(200);
      expect(formActions(page.text)).toEqual(['/logout']);
      expect(page.text).toContain('本页为只读');
    }
  });

  it('refuses every change from the leader and the reviewer', async () => {
    const before = await snapshot();
    for (const session of [s.leader, s.reviewer]) {
      const sends = [
        () => post(session, `/rectification/items/${ids.itemB1}/measures`, measure('x')),
        () => post(session, `/rectification/measures/${ids.measureB}`, measure('x')),
        () => post(session, `/rectification/measures/${ids.measureB}/delete`),
        () => upload(session, ids.measureB, PDF, 'x.pdf'),
        () => post(session, `/rectification/attachments/${ids.attachmentB}/delete`),
        () => post(session, `${noticeUrl(ids.noticeB)}/report`),
        () => post(session, `/rectification/measures/${ids.measureB}/review`, { decision: 'verify' }),
      ];
      for (const send of sends) {
        const res = await send();
        expect(res.status).toBe(403);
        expect(res.text).toContain('您没有权限访问此页面或执行此操作');
      }
    }
    expect(await snapshot()).toBe(before);
  });

  it('refuses reviewers every notice page', async () => {
    for (const path of [noticeUrl(ids.noticeA), `${noticeUrl(ids.noticeA)}/print`, `${noticeUrl(ids.noticeA)}/download`]) {
      expect((await s.reviewer.agent.get(path)).status, path).toBe(403);
    }
  });
});

describe('the printed notice', () => {
  it('prints the 整改通知书 with the number, the unit, the issues, the requirements and the deadline', async () => {
    const res = await s.deptA.agent.get(`${noticeUrl(ids.noticeA)}/print`);
    expect(res.status).toBe(200);
    const items = await t.db.selectFrom('rectification_items').select(['wording']).where('notice_id', '=', ids.noticeA).orderBy('position').execute();
    const [y, m, d] = addDays(today, 30).split('-').map(Number);
    for (const text of [
      '<h1>行政执法案卷评查整改通知书</h1>', `<p class="doc-number">${docA}</p>`, '<p class="salutation">东安区市场监督管理局：</p>',
      '按照“2026年度行政执法案卷交叉评查”工作安排，我局对你单位的行政执法案卷进行了评查，共评查你单位案卷 2 卷。经评查，你单位案卷存在以下问题：',
      `一、${items[0]!.wording.replace(/[。；;，,\s]+$/u, '')}（共性问题）`, `二、${items[1]!.wording.replace(/[。；;，,\s]+$/u, '')}（个性问题）`,
      '涉及案卷：DA-2026-001、DA-2026-002。', '整改要求：</span>请你单位对照本通知所列问题', `请于${y}年${m}月${d}日前完成整改`,
      `<p class="signature">${bureauName}</p>`, 'data-print',
    ]) {
      expect(res.text, text).toContain(text);
    }
  });

  it('downloads the same notice as a Word document with a Chinese file name', async () => {
    for (const session of [s.deptA, s.admin, s.leader]) {
      const res = await session.agent.get(`${noticeUrl(ids.noticeA)}/download`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/msword');
      expect(res.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent(`整改通知书-${docA}.doc`)}`);
      const body = Buffer.isBuffer(res.body) ? (res.body as Buffer).toString('utf8') : res.text;
      expect(body).toContain('urn:schemas-microsoft-com:office:word');
      expect(body).toContain(docA);
      expect(body).toContain('东安区市场监督管理局：');
      expect(body).not.toContain('<nav');
      expect(body).not.toContain('_csrf');
    }
  });
});

describe('deadlines', () => {
  it('flags a notice overdue once its deadline has passed with issues not yet rectified', async () => {
    await t.db.updateTable('rectification_notices').set({ issued_on: addDays(today, -40), deadline: addDays(today, -3) }).where('id', '=', ids.noticeC).execute();
    const list = await s.admin.agent.get('/rectification');
    const row = /<tr class="is-overdue">[\s\S]*?<\/tr>/.exec(list.text)?.[0] ?? '';
    expect(row).toContain(`href="${noticeUrl(ids.noticeC)}"`);
    expect(row).toContain('已逾期 3 天');
    expect(list.text.match(/<tr class="is-overdue">/g)).toHaveLength(1);
    const page = await s.leader.agent.get(noticeUrl(ids.noticeC));
    expect(page.text).toContain('已逾期 3 天');
    expect(page.text).toContain('rect-overdue">已逾期</span>');
  });
});

describe('the audit log', () => {
  it('records every change made through the pages', async () => {
    const rows = await t.db.selectFrom('audit_log').select(['action', 'summary']).where('action', 'like', 'rectification.%').orderBy('id').execute();
    const summaries = (action: string) => rows.filter((r) => r.action === action).map((r) => r.summary);
    expect(summaries('rectification.measure').some((x) => x.includes('添加整改措施：组织执法人员学习出示执法证件的规定'))).toBe(true);
    expect(summaries('rectification.measure').some((x) => x.includes('修改整改措施'))).toBe(true);
    expect(summaries('rectification.measure').some((x) => x.includes('删除未报送的整改措施：多余的一条'))).toBe(true);
    expect(summaries('rectification.attachment').some((x) => x.includes('上传附件“培训签到表.pdf”'))).toBe(true);
    expect(summaries('rectification.attachment').some((x) => x.includes('删除附件“现场照片.png”'))).toBe(true);
    expect(summaries('rectification.report').filter((x) => x.startsWith(docA))).toHaveLength(2);
    expect(summaries('rectification.return')).toEqual([`${docA}：整改措施“补充调查取证并完善证据目录”退回（理由：缺少补正后的证据目录）`]);
    expect(summaries('rectification.verify')).toHaveLength(2);
    const page = await s.admin.agent.get('/audit');
    expect(page.status).toBe(200);
  });
});

describe('after the campaign ends', () => {
  it('keeps the list readable and offers no forms; a change is refused with the reason', async () => {
    const adminId = (await t.db.selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow()).id;
    await transitionCampaign(await ctxFor(t, adminId), fx.campaignId, 'closed');
    const page = await s.deptB.agent.get(noticeUrl(ids.noticeB));
    expect(page.status).toBe(200);
    expect(page.text).toContain('评查活动已结束，整改记录只能查阅。');
    expect(formActions(page.text)).toEqual(['/logout']);
    const before = await snapshot();
    await post(s.deptB, `/rectification/measures/${ids.measureB}`, measure('结束后修改'));
    expect((await flashes(s.deptB, noticeUrl(ids.noticeB))).join()).toContain('活动已结束，整改记录不能再修改');
    expect(await snapshot()).toBe(before);
  });
});
