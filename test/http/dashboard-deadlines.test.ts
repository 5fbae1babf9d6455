// "近期到期与逾期" on the home page, for each role, with the clock moved (a fresh login at each time, since a jump of
// the clock ends idle sessions):
//
//   reviewing: rev-a has 2 sheets to submit (b1, c1); c1's sheets disagree (veto) → a re-check assigned to rev-d.
//   released, notices issued 30 days ago with the deadline 2 days ago:
//     〔2026〕1号 unit A: m1 submitted (awaiting verification), m2 returned with a reason → open, overdue
//     〔2026〕2号 unit B: m3 verified → rectified: never listed
//     〔2026〕3号 unit C: no measure → open, overdue
//   5 days earlier the deadline is 3 days ahead (due soon); 20 days earlier it is 18 days ahead (nothing due).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, beijingDate } from '../../src/domain/rectification.ts';
import { transitionCampaign } from '../../src/features/campaigns/service.ts';
import { addMeasure, issueNotices, reviewMeasure, submitReport } from '../../src/features/rectification/service.ts';
import { assignRechecker } from '../../src/features/reviews/service.ts';
import { ADMIN_PASSWORD, createTestApp, loginAs, type TestApp } from '../support/app.ts';
import { ctxFor, FIXTURE_PASSWORD, saveAs, setUpReviewCampaign, type ReviewFixture } from '../support/review-fixture.ts';

let t: TestApp;
let fx: ReviewFixture;
let start: Date;
let today: string;
const noticeIds: Record<'a' | 'b' | 'c', number> = { a: 0, b: 0, c: 0 };

const adminCtx = async () => ctxFor(t, (await t.db.selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow()).id);

/** The home page's deadlines block as text, for a user logged in now. */
async function deadlinesOf(username: string) {
  const session = await loginAs(t, username, username === 'admin' ? ADMIN_PASSWORD : FIXTURE_PASSWORD);
  const res = await session.agent.get('/');
  expect(res.status).toBe(200);
  const html = /<section class="panel deadlines"[\s\S]*?<\/section>/.exec(res.text)?.[0] ?? '';
  expect(html, 'deadlines block').not.toBe('');
  return { html, text: html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim(), page: res.text };
}

/** Runs with the clock `days` days from the start. */
async function at<T>(days: number, run: () => Promise<T>): Promise<T> {
  t.clock.set(new Date(start.getTime() + days * 86_400_000));
  try {
    return await run();
  } finally {
    t.clock.set(start);
  }
}

beforeAll(async () => {
  t = await createTestApp();
  fx = await setUpReviewCampaign(t);
  start = t.clock.now();
  today = beijingDate(start);
});
afterAll(async () => { await t.close(); });

describe('while the campaign is being reviewed', () => {
  it('a reviewer sees its unsubmitted sheets with a link to its queue', async () => {
    const { html, text } = await deadlinesOf('rev-a');
    expect(text).toContain('2 份评查表尚未提交 （未开始 2 份、草稿 0 份），活动：2026年度行政执法案卷交叉评查');
    expect(html).toContain('href="/queue"');
    expect(text).not.toContain('暂无到期事项');
  });

  it('nobody else has anything due yet', async () => {
    for (const who of ['admin', 'leader', 'dept-a', 'rev-d']) expect((await deadlinesOf(who)).text, who).toContain('暂无到期事项');
  });

  it('a rechecker sees the re-check assigned to it; submitted sheets leave the list', async () => {
    await saveAs(t, fx, fx.reviewers.rb, fx.files.a1, { deductions: { 'S1-01': 1, 'S3-01': 1 } });
    await saveAs(t, fx, fx.reviewers.rc, fx.files.a1, { deductions: { 'S1-01': 1 } });
    await saveAs(t, fx, fx.reviewers.rb, fx.files.a2, { deductions: { 'S1-01': 1 } });
    await saveAs(t, fx, fx.reviewers.rc, fx.files.a2, {});
    await saveAs(t, fx, fx.reviewers.ra, fx.files.b1, { deductions: { 'S1-01': 2 } });
    await saveAs(t, fx, fx.reviewers.rc, fx.files.b1, { deductions: { 'S1-01': 2 } });
    await saveAs(t, fx, fx.reviewers.ra, fx.files.c1, { deductions: { 'S1-01': 1 }, vetoes: ['V03'] });
    await saveAs(t, fx, fx.reviewers.rb, fx.files.c1, {});
    await assignRechecker(await adminCtx(), fx.campaignId, fx.files.c1, fx.reviewers.rd);

    const rechecker = await deadlinesOf('rev-d');
    expect(rechecker.text).toContain('1 卷案卷待您复核');
    expect(rechecker.html).toContain('href="/queue#rechecks"');
    expect((await deadlinesOf('rev-a')).text).toContain('暂无到期事项');

    await saveAs(t, fx, fx.reviewers.rd, fx.files.c1, { deductions: { 'S1-01': 1 } });
    expect((await deadlinesOf('rev-d')).text).toContain('暂无到期事项');
  });
});

describe('rectification deadlines', () => {
  beforeAll(async () => {
    const admin = await adminCtx();
    await transitionCampaign(admin, fx.campaignId, 'rechecking');
    await transitionCampaign(admin, fx.campaignId, 'released');
    expect(await issueNotices(admin, fx.campaignId, { issuedOn: addDays(today, -30), deadline: addDays(today, -2), requirements: '' })).toBe(3);
    const notices = await t.db.selectFrom('rectification_notices').select(['id', 'unit_id']).execute();
    noticeIds.a = notices.find((n) => n.unit_id === fx.units.a)!.id;
    noticeIds.b = notices.find((n) => n.unit_id === fx.units.b)!.id;
    noticeIds.c = notices.find((n) => n.unit_id === fx.units.c)!.id;
    const items = (noticeId: number) => t.db.selectFrom('rectification_items').select('id').where('notice_id', '=', noticeId).orderBy('position').execute();
    const [a1, a2] = await items(noticeIds.a);
    const [b1] = await items(noticeIds.b);
    const measure = (description: string) => ({ description, responsible: '李明', completedOn: addDays(today, -5), evidence: '' });
    const deptA = await ctxFor(t, fx.departments.a);
    const deptB = await ctxFor(t, fx.departments.b);
    await addMeasure(deptA, a1!.id, measure('组织执法人员学习出示执法证件的规定'));
    const m2 = await addMeasure(deptA, a2!.id, measure('补正证据材料'));
    await submitReport(deptA, noticeIds.a);
    await reviewMeasure(admin, m2, 'return', '缺少补正后的证据目录');
    const m3 = await addMeasure(deptB, b1!.id, measure('开展专项培训'));
    await submitReport(deptB, noticeIds.b);
    await reviewMeasure(admin, m3, 'verify', '');
  });

  describe('two days after the deadline', () => {
    it('a department sees its own overdue notice and the measure returned to it', async () => {
      const { html, text } = await deadlinesOf('dept-a');
      expect(html).toContain(`href="/rectification/notices/${noticeIds.a}"`);
      expect(text).toContain(`逾期 案评整改〔2026〕1号 2026年度行政执法案卷交叉评查：整改期限 ${addDays(today, -2)}，已逾期 2 天；2 个问题尚未整改完毕`);
      expect(text).toContain('被退回的整改措施（1 项，请补正后重新报送）');
      expect(text).toContain('问题“');
      expect(text).toContain('的整改措施“补正证据材料”，退回理由：缺少补正后的证据目录');
      for (const other of ['案评整改〔2026〕2号', '案评整改〔2026〕3号', '阳明区', '爱民区']) expect(text).not.toContain(other);
      expect(text).not.toContain('暂无到期事项');
    });

    it('a unit that rectified everything has nothing due; another sees its own overdue notice only', async () => {
      expect((await deadlinesOf('dept-b')).text).toContain('暂无到期事项');
      const c = await deadlinesOf('dept-c');
      expect(c.text).toContain('案评整改〔2026〕3号');
      expect(c.text).toContain('已逾期 2 天；1 个问题尚未整改完毕');
      expect(c.text).not.toContain('案评整改〔2026〕1号');
    });

    it('the administrator sees the measures awaiting verification per notice and the overdue notices', async () => {
      const { html, text } = await deadlinesOf('admin');
      expect(text).toContain('待验收的整改措施（共 1 项）');
      expect(text).toContain(`案评整改〔2026〕1号 东安区市场监督管理局：待验收 1 项（整改期限 ${addDays(today, -2)}）`);
      expect(text).toContain('逾期未完成整改的通知书（2 份）');
      expect(text).toMatch(/逾期 案评整改〔2026〕1号 东安区市场监督管理局（2026年度行政执法案卷交叉评查）：整改期限 \S+，已逾期 2 天；2 个问题尚未整改完毕/);
      expect(text).toMatch(/逾期 案评整改〔2026〕3号 爱民区交通运输局（2026年度行政执法案卷交叉评查）：整改期限 \S+，已逾期 2 天；1 个问题尚未整改完毕/);
      expect(text).not.toContain('案评整改〔2026〕2号');
      expect(html).toContain(`href="/rectification/notices/${noticeIds.c}"`);
    });

    it('the leader reads the overdue notices, with nothing to act on', async () => {
      const { text, page } = await deadlinesOf('leader');
      expect(text).toContain('逾期未完成整改的通知书（2 份）');
      expect(text).not.toContain('待验收');
      expect([...page.matchAll(/<form method="post" action="([^"]+)"/g)].map((m) => m[1])).toEqual(['/logout']);
    });

    it('a reviewer has no rectification deadlines', async () => {
      expect((await deadlinesOf('rev-a')).text).toContain('暂无到期事项');
    });
  });

  describe('five days earlier: due in 3 days', () => {
    it('departments see their open notices as due soon', async () => {
      await at(-5, async () => {
        const a = await deadlinesOf('dept-a');
        expect(a.text).toContain(`即将到期 案评整改〔2026〕1号 2026年度行政执法案卷交叉评查：整改期限 ${addDays(today, -2)}，还有 3 天到期`);
        expect(a.text).toContain('缺少补正后的证据目录');
        expect((await deadlinesOf('dept-c')).text).toContain('还有 3 天到期');
        expect((await deadlinesOf('dept-b')).text).toContain('暂无到期事项');
      });
    });

    it('nothing is overdue yet: the administrator sees what awaits verification, the leader nothing', async () => {
      await at(-5, async () => {
        const admin = await deadlinesOf('admin');
        expect(admin.text).toContain('待验收 1 项');
        expect(admin.text).not.toContain('逾期未完成整改');
        expect((await deadlinesOf('leader')).text).toContain('暂无到期事项');
      });
    });

    it('on the deadline day itself a notice is due today, not overdue', async () => {
      await at(-2, async () => {
        const c = await deadlinesOf('dept-c');
        expect(c.text).toContain('即将到期 案评整改〔2026〕3号');
        expect(c.text).toContain('今天到期');
        expect((await deadlinesOf('leader')).text).toContain('暂无到期事项');
      });
    });
  });

  describe('twenty days earlier: the deadline is far', () => {
    it('nothing is due; a returned measure still waits for the department', async () => {
      await at(-20, async () => {
        expect((await deadlinesOf('dept-c')).text).toContain('暂无到期事项');
        const a = await deadlinesOf('dept-a');
        expect(a.text).not.toContain('案评整改〔2026〕1号 2026年度');
        expect(a.text).toContain('被退回的整改措施（1 项');
      });
    });
  });

  it('a closed campaign\'s notices leave the home page', async () => {
    await transitionCampaign(await adminCtx(), fx.campaignId, 'closed');
    for (const who of ['admin', 'leader', 'dept-a', 'dept-c']) expect((await deadlinesOf(who)).text, who).toContain('暂无到期事项');
  });
});
