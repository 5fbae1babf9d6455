// The rectification loop through the services over a real database: notices numbered per year with the unit's
// issues frozen in, measures, the report, verification and return, attachments, unit isolation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transitionCampaign } from '../../src/features/campaigns/service.ts';
import {
  addAttachment, addMeasure, deleteMeasure, issueNotices, reviewMeasure, submitReport, updateMeasure,
} from '../../src/features/rectification/service.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { ctxFor, scoreAllAgreeing, setUpReviewCampaign, type ReviewFixture } from '../support/review-fixture.ts';

let t: TestApp;
let fx: ReviewFixture;
const adminCtx = async () => ctxFor(t, (await t.db.selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow()).id);
const measure = (description: string, completedOn = '2026-12-01') => ({ description, responsible: '李明', completedOn, evidence: '培训签到表' });

beforeAll(async () => {
  t = await createTestApp();
  fx = await setUpReviewCampaign(t);
  // S1-01 in all three units (common at threshold 3); S3-01 in unit A only; file c1 clean.
  await scoreAllAgreeing(t, fx);
});
afterAll(async () => { await t.close(); });

const notices = () => t.db.selectFrom('rectification_notices').selectAll().orderBy('seq').execute();

describe('rectification flow', () => {
  it('issues notices only after release', async () => {
    const admin = await adminCtx();
    await expect(issueNotices(admin, fx.campaignId, { issuedOn: '', deadline: '', requirements: '' })).rejects.toThrow(/发布后/);
    await transitionCampaign(admin, fx.campaignId, 'rechecking');
    await transitionCampaign(admin, fx.campaignId, 'released');
  });

  it('refuses a deadline before the issue date, nothing issued', async () => {
    await expect(issueNotices(await adminCtx(), fx.campaignId, { issuedOn: '2026-11-23', deadline: '2026-11-01', requirements: '' })).rejects.toThrow(/提交的内容有误/);
    expect(await notices()).toHaveLength(0);
  });

  it('numbers one notice per unit with issues and freezes its issues', async () => {
    expect(await issueNotices(await adminCtx(), fx.campaignId, { issuedOn: '2026-11-23', deadline: '', requirements: '' })).toBe(3);
    const rows = await notices();
    expect(rows.map((n) => [n.doc_number, n.deadline])).toEqual([
      ['案评整改〔2026〕1号', '2026-12-23'], ['案评整改〔2026〕2号', '2026-12-23'], ['案评整改〔2026〕3号', '2026-12-23'],
    ]);
    const itemsA = await t.db.selectFrom('rectification_items').selectAll().where('notice_id', '=', rows.find((n) => n.unit_id === fx.units.a)!.id).orderBy('position').execute();
    expect(itemsA.map((i) => [i.code, i.scope, JSON.parse(i.files).length])).toEqual([['S1-01', 'common', 2], ['S3-01', 'individual', 1]]);
    await expect(issueNotices(await adminCtx(), fx.campaignId, { issuedOn: '', deadline: '', requirements: '' })).rejects.toThrow(/都已下发/);
  });

  it('a department works its own list; another unit’s is invisible; only the bureau verifies', async () => {
    const rows = await notices();
    const noticeA = rows.find((n) => n.unit_id === fx.units.a)!;
    const items = await t.db.selectFrom('rectification_items').selectAll().where('notice_id', '=', noticeA.id).orderBy('position').execute();
    const deptA = await ctxFor(t, fx.departments.a);
    const deptB = await ctxFor(t, fx.departments.b);
    await expect(addMeasure(deptB, items[0]!.id, measure('x'))).rejects.toThrow(/不存在/);
    await expect(addMeasure(deptA, items[0]!.id, { ...measure(''), responsible: '' })).rejects.toThrow(/提交的内容有误/);
    const m1 = await addMeasure(deptA, items[0]!.id, measure('组织执法人员学习出示证件的规定'));
    // Not every issue has a measure yet: the report is refused and lists the gap.
    await expect(submitReport(deptA, noticeA.id)).rejects.toThrow(/整改报告还不能报送/);
    const m2 = await addMeasure(deptA, items[1]!.id, measure('补正证据材料'));
    const spare = await addMeasure(deptA, items[1]!.id, measure('多余的一条'));
    await deleteMeasure(deptA, spare);
    await addAttachment(deptA, m1, '签到表.pdf', Buffer.from('%PDF-1.7 test'));
    await expect(addAttachment(deptA, m1, 'evil.html', Buffer.from('<script>'))).rejects.toThrow(/类型不允许上传/);
    expect(await submitReport(deptA, noticeA.id)).toBe(2);
    await expect(updateMeasure(deptA, m1, measure('改了'))).rejects.toThrow(/待验收，不能修改/);
    await expect(reviewMeasure(deptA, m1, 'verify', '')).rejects.toThrow(/没有权限/);
    const admin = await adminCtx();
    await expect(reviewMeasure(admin, m2, 'return', '')).rejects.toThrow(/提交的内容有误/);
    await reviewMeasure(admin, m2, 'return', '缺少补正后的证据目录');
    await reviewMeasure(admin, m1, 'verify', '');
    await expect(updateMeasure(deptA, m1, measure('改了'))).rejects.toThrow(/已验收，不能修改/);
    await updateMeasure(deptA, m2, measure('补正证据材料并编制证据目录'));
    expect(await submitReport(deptA, noticeA.id)).toBe(1);
    await reviewMeasure(admin, m2, 'verify', '');
    await expect(addMeasure(deptA, items[1]!.id, measure('再加一条'))).rejects.toThrow(/已全部验收，无需再添加/);
    const statuses = await t.db.selectFrom('rectification_measures').select(['status', 'deleted_at']).where('notice_id', '=', noticeA.id).orderBy('id').execute();
    expect(statuses).toEqual([{ status: 'verified', deleted_at: null }, { status: 'verified', deleted_at: null }, { status: 'draft', deleted_at: expect.any(String) }]);
    const audit = await t.db.selectFrom('audit_log').select('action').where('action', 'like', 'rectification.%').execute();
    expect(audit.filter((a) => a.action === 'rectification.verify')).toHaveLength(2);
    expect(audit.filter((a) => a.action === 'rectification.return')).toHaveLength(1);
  });
});

describe('document numbers', () => {
  it('refuses, without issuing anything, a number already used (a pattern without {year} repeats across years)', async () => {
    const admin = await adminCtx();
    const { id: other } = await t.db.insertInto('campaigns').values({
      name: '2027年度评查', year: 2027, kind: 'cross', status: 'released', description: null, period_from: null, period_to: null,
      reviewers_per_file: 1, disagreement_threshold_tenths: 50, common_issue_threshold: 3, objection_window_days: 5, rectification_days: 30,
      doc_number_pattern: '案评整改〔2026〕{seq}号', created_at: new Date().toISOString(), created_by: null, updated_at: new Date().toISOString(),
      status_changed_at: new Date().toISOString(), released_at: new Date().toISOString(),
    }).returning('id').executeTakeFirstOrThrow();
    // Same files' results copied under the new campaign would be elaborate; a campaign without issues says so,
    // so give it one final result with a deduction by pointing an existing result at it.
    const final = await t.db.selectFrom('final_results').select('id').where('case_file_id', '=', fx.files.a1).where('superseded_at', 'is', null).executeTakeFirstOrThrow();
    await t.db.updateTable('final_results').set({ campaign_id: other }).where('id', '=', final.id).execute();
    await t.db.updateTable('reviews').set({ campaign_id: other }).where('case_file_id', '=', fx.files.a1).execute();
    const before = (await notices()).length;
    await expect(issueNotices(admin, other, { issuedOn: '2027-01-05', deadline: '', requirements: '' })).rejects.toThrow(/文号“案评整改〔2026〕1号”已被使用/);
    expect(await notices()).toHaveLength(before);
  });
});
