// The scoring flow through the services over a real database: blind double review, agreement → average,
// disagreement → re-check by a non-reviewer, release, an objection upheld into a new revision, the guards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideObjection, raiseObjection, assignRechecker } from '../../src/features/reviews/service.ts';
import { transitionCampaign } from '../../src/features/campaigns/service.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { ctxFor, saveAs, setUpReviewCampaign, type ReviewFixture } from '../support/review-fixture.ts';

let t: TestApp;
let fx: ReviewFixture;
beforeAll(async () => {
  t = await createTestApp();
  fx = await setUpReviewCampaign(t);
});
afterAll(async () => { await t.close(); });

const finalOf = (fileId: number) => t.db.selectFrom('final_results').selectAll().where('case_file_id', '=', fileId).where('superseded_at', 'is', null).executeTakeFirst();
const adminCtx = async () => ctxFor(t, (await t.db.selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow()).id);

describe('review flow', () => {
  it('averages two agreeing sheets once both are in', async () => {
    const first = await saveAs(t, fx, fx.reviewers.rb, fx.files.a1, { deductions: { 'S1-01': 1, 'S3-06': '2.5' } });
    expect(first.score.total).toBe('96.5');
    expect(first.outcome).toContain('还差 1 份');
    expect(await finalOf(fx.files.a1)).toBeUndefined();
    const second = await saveAs(t, fx, fx.reviewers.rc, fx.files.a1, { deductions: { 'S1-01': 2 } });
    expect(second.score.total).toBe('98');
    const final = await finalOf(fx.files.a1);
    expect(final).toMatchObject({ method: 'average', total_tenths: 973, grade_label: '优秀', revision: 1 });
  });

  it('refuses a sheet from a reviewer who must now step aside (conflict declared after assignment)', async () => {
    const { id } = await t.db.insertInto('reviewer_conflicts').values({
      campaign_id: fx.campaignId, reviewer_id: fx.reviewers.ra, unit_id: fx.units.c, case_file_id: null, reason: '近亲属在该局任职',
      declared_at: new Date().toISOString(), declared_by: null,
    }).returning('id').executeTakeFirstOrThrow();
    await expect(saveAs(t, fx, fx.reviewers.ra, fx.files.c1, { deductions: { 'S1-01': 1 } }, false)).rejects.toThrow(/您需回避本卷.*近亲属在该局任职/);
    expect(await t.db.selectFrom('reviews').select('id').where('case_file_id', '=', fx.files.c1).execute()).toEqual([]);
    await t.db.deleteFrom('reviewer_conflicts').where('id', '=', id).execute();
  });

  it('sends a disagreement to re-check, which only a non-reviewer settles', async () => {
    await saveAs(t, fx, fx.reviewers.rb, fx.files.a2, { deductions: { 'S3-05': '15' } });
    const r = await saveAs(t, fx, fx.reviewers.rc, fx.files.a2, { vetoes: ['V03'] });
    expect(r.outcome).toContain('转入复核');
    expect(await finalOf(fx.files.a2)).toBeUndefined();
    const admin = await adminCtx();
    await expect(assignRechecker(admin, fx.campaignId, fx.files.a2, fx.reviewers.rb)).rejects.toThrow(/不能由乙评查员复核/);
    await assignRechecker(admin, fx.campaignId, fx.files.a2, fx.reviewers.rd);
    const settled = await saveAs(t, fx, fx.reviewers.rd, fx.files.a2, { deductions: { 'S3-05': '10' } });
    expect(settled.outcome).toContain('复核完成');
    expect(await finalOf(fx.files.a2)).toMatchObject({ method: 'recheck', total_tenths: 900 });
  });

  it('keeps the campaign in reviewing while sheets are missing, then releases and takes an objection', async () => {
    const admin = await adminCtx();
    await expect(transitionCampaign(admin, fx.campaignId, 'rechecking')).rejects.toThrow(/还有 4 份评分表未提交/);
    await saveAs(t, fx, fx.reviewers.ra, fx.files.b1, { deductions: { 'S2-01': 1 } });
    await saveAs(t, fx, fx.reviewers.rc, fx.files.b1, { deductions: { 'S2-01': 1, 'S2-02': 1 } });
    await saveAs(t, fx, fx.reviewers.ra, fx.files.c1, {});
    await saveAs(t, fx, fx.reviewers.rb, fx.files.c1, {});
    await transitionCampaign(admin, fx.campaignId, 'rechecking');
    await transitionCampaign(admin, fx.campaignId, 'released');
    const deptB = await ctxFor(t, fx.departments.b);
    await expect(raiseObjection(deptB, fx.campaignId, fx.files.a1, 'deduction:S1-01', '不服')).rejects.toThrow(/不存在/);
    const deptA = await ctxFor(t, fx.departments.a);
    await expect(raiseObjection(deptA, fx.campaignId, fx.files.a1, 'deduction:S9-01', '不服')).rejects.toThrow(/没有扣分项/);
    const id = await raiseObjection(deptA, fx.campaignId, fx.files.a1, 'deduction:S1-01', '执法人员已出示证件，见笔录第 2 页');
    await expect(transitionCampaign(admin, fx.campaignId, 'closed')).rejects.toThrow(/1 件异议尚未处理/);
    const message = await decideObjection(admin, id, 'upheld', '笔录第 2 页记载已出示证件');
    expect(message).toContain('97.3');
    const final = await finalOf(fx.files.a1);
    // Without S1-01: 97.5 and 100 → 98.75 → 98.8
    expect(final).toMatchObject({ revision: 2, total_tenths: 988 });
    expect(final!.supersedes_id).not.toBeNull();
    await expect(decideObjection(admin, id, 'rejected', 'x')).rejects.toThrow(/已处理/);
  });

  it('refuses deciding by someone who reviewed the file', async () => {
    const deptA = await ctxFor(t, fx.departments.a);
    const id = await raiseObjection(deptA, fx.campaignId, fx.files.a1, 'deduction:S3-06', '理由');
    // A reviewer promoted to administrator later still may not decide on a file they scored.
    await t.db.updateTable('users').set({ role: 'admin' }).where('id', '=', fx.reviewers.rb).execute();
    const promoted = await ctxFor(t, fx.reviewers.rb);
    await expect(decideObjection(promoted, id, 'rejected', '理由')).rejects.toThrow(/评查或复核过该案卷/);
  });
});
