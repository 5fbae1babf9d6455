// The reviewer pool, declared conflicts (回避), automatic assignment and manual changes. The conflict rules
// live in src/domain/assignment.ts: the automatic run and every manual change use the same code.
import type { Ctx } from '../../context.ts';
import { nowIso } from '../../context.ts';
import type { DbOrTrx } from '../../db/connection.ts';
import type { CampaignRow } from '../../db/schema.ts';
import { assignReviewers, checkAssignment, type AssignmentResult, type CheckContext } from '../../domain/assignment.ts';
import type { CampaignKind } from '../../domain/campaigns.ts';
import { conflict, notFound, ValidationError } from '../../web/app-error.ts';
import { recordAudit, auditActor } from '../audit/record.ts';
import { findCampaign } from '../campaigns/queries.ts';
import { allUnits } from '../units/queries.ts';
import { activeAssignments, conflictsOf, filesToReview, poolOf, toDeclared } from './queries.ts';


/** Pool and conflicts may change until results are out; assignments only before and during reviewing. */
async function campaignFor(db: DbOrTrx, id: number, what: 'pool' | 'assign'): Promise<CampaignRow> {
  const campaign = await findCampaign(db, id);
  if (!campaign) throw notFound('评查活动');
  const open = what === 'pool' ? ['draft', 'sampling', 'reviewing'] : ['sampling', 'reviewing'];
  if (!open.includes(campaign.status)) {
    throw conflict(what === 'pool' ? '活动已进入复核或发布阶段，评查员库不能再调整' : '只有在抽取和评查阶段才能分配评查人员');
  }
  return campaign;
}

export async function addToPool(ctx: Ctx, campaignId: number, userIds: number[]): Promise<number> {
  return ctx.db.transaction().execute(async (trx) => {
    await campaignFor(trx, campaignId, 'pool');
    const wanted = [...new Set(userIds)];
    if (wanted.length === 0) throw new ValidationError([{ field: 'userIds', message: '请选择要加入评查员库的人员' }]);
    const users = await trx.selectFrom('users').select(['id', 'display_name', 'role', 'active']).where('id', 'in', wanted).execute();
    const problems = users.filter((u) => u.role !== 'reviewer' || u.active !== 1)
      .map((u) => ({ field: 'userIds', message: `${u.display_name}不是启用的评查员账户` }));
    if (users.length !== wanted.length) problems.push({ field: 'userIds', message: '所选人员中有不存在的账户' });
    if (problems.length > 0) throw new ValidationError(problems);
    const present = new Set((await trx.selectFrom('reviewer_pool').select('user_id').where('campaign_id', '=', campaignId).execute()).map((r) => r.user_id));
    const added = users.filter((u) => !present.has(u.id));
    for (const u of added) await trx.insertInto('reviewer_pool').values({ campaign_id: campaignId, user_id: u.id, added_at: nowIso(ctx.clock) }).execute();
    if (added.length > 0) {
      await recordAudit(trx, ctx.clock, auditActor(ctx), {
        action: 'assignment.pool', entityType: 'campaign', entityId: campaignId,
        summary: `评查员库加入 ${added.length} 人：${added.map((u) => u.display_name).join('、')}`,
      });
    }
    return added.length;
  });
}

export async function removeFromPool(ctx: Ctx, campaignId: number, userId: number): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await campaignFor(trx, campaignId, 'pool');
    const user = await trx.selectFrom('users').select('display_name').where('id', '=', userId).executeTakeFirst();
    if (!user) throw notFound('评查员');
    const assigned = (await activeAssignments(trx, campaignId)).filter((a) => a.reviewer_id === userId).length;
    if (assigned > 0) throw conflict(`${user.display_name}已分配 ${assigned} 卷案卷，请先改派后再移出评查员库`);
    await trx.deleteFrom('reviewer_pool').where('campaign_id', '=', campaignId).where('user_id', '=', userId).execute();
    await recordAudit(trx, ctx.clock, auditActor(ctx), {
      action: 'assignment.pool', entityType: 'campaign', entityId: campaignId, summary: `评查员库移出：${user.display_name}`,
    });
  });
}

export async function declareConflict(ctx: Ctx, campaignId: number, reviewerId: number | null, unitId: number | null, fileNumber: string, reason: string): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await campaignFor(trx, campaignId, 'pool');
    const problems: { field: string; message: string }[] = [];
    const pool = await poolOf(trx, campaignId);
    const reviewer = pool.find((r) => r.id === reviewerId);
    if (!reviewer) problems.push({ field: 'reviewerId', message: '请选择评查员库中的人员' });
    let fileId: number | null = null;
    if (fileNumber.trim() !== '') {
      const file = unitId === null ? undefined : await trx.selectFrom('case_files').select('id')
        .where('campaign_id', '=', campaignId).where('unit_id', '=', unitId).where('file_number', '=', fileNumber.trim()).executeTakeFirst();
      if (!file) problems.push({ field: 'fileNumber', message: `所选单位没有编号为“${fileNumber.trim()}”的案卷` });
      else fileId = file.id;
    } else if (unitId === null) {
      problems.push({ field: 'unitId', message: '请选择需回避的单位，或同时填写案卷编号' });
    }
    if (reason.trim() === '') problems.push({ field: 'reason', message: '请填写回避理由' });
    if (problems.length > 0) throw new ValidationError(problems);
    await trx.insertInto('reviewer_conflicts').values({
      campaign_id: campaignId, reviewer_id: reviewerId!, unit_id: fileId === null ? unitId : null, case_file_id: fileId,
      reason: reason.trim().slice(0, 500), declared_at: nowIso(ctx.clock), declared_by: ctx.actor.id,
    }).execute();
    const assigned = (await activeAssignments(trx, campaignId)).filter((a) => a.reviewer_id === reviewerId);
    await recordAudit(trx, ctx.clock, auditActor(ctx), {
      action: 'assignment.conflict', entityType: 'campaign', entityId: campaignId,
      summary: `登记回避：${reviewer!.name}（${fileId === null ? '整个单位' : `案卷 ${fileNumber.trim()}`}，理由：${reason.trim()}）${assigned.length ? '；请检查其已分配的案卷' : ''}`,
    });
  });
}

async function context(db: DbOrTrx, campaign: CampaignRow): Promise<CheckContext> {
  return {
    campaignKind: campaign.kind as CampaignKind,
    units: await allUnits(db),
    conflicts: toDeclared(await conflictsOf(db, campaign.id)),
  };
}

/** What an automatic run would do now, without saving: the page shows it as a preview of gaps. */
export async function previewAssignment(db: DbOrTrx, campaign: CampaignRow): Promise<AssignmentResult> {
  const existing = (await activeAssignments(db, campaign.id)).map((a) => ({ fileId: a.case_file_id, reviewerId: a.reviewer_id }));
  return assignReviewers({
    ...(await context(db, campaign)),
    files: await filesToReview(db, campaign),
    reviewers: (await poolOf(db, campaign.id)).filter((r) => r.active),
    reviewersPerFile: campaign.reviewers_per_file,
    existing,
  });
}

/** Fills every missing slot it can; existing assignments are kept. */
export async function autoAssign(ctx: Ctx, campaignId: number): Promise<AssignmentResult> {
  return ctx.db.transaction().execute(async (trx) => {
    const campaign = await campaignFor(trx, campaignId, 'assign');
    const result = await previewAssignment(trx, campaign);
    const now = nowIso(ctx.clock);
    for (const a of result.assignments) {
      await trx.insertInto('assignments').values({
        campaign_id: campaignId, case_file_id: a.fileId, reviewer_id: a.reviewerId, origin: 'auto', assigned_at: now, assigned_by: ctx.actor.id,
        removed_at: null, removed_by: null, removed_reason: null,
      }).execute();
    }
    await recordAudit(trx, ctx.clock, auditActor(ctx), {
      action: 'assignment.auto', entityType: 'campaign', entityId: campaignId,
      summary: `自动分配评查人员：新增 ${result.assignments.length} 人次，${result.unassigned.length} 卷未能配齐` +
        (result.outsideQualification ? `，${result.outsideQualification} 人次超出评查员的可评类型` : ''),
      after: { assigned: result.assignments.length, unassigned: result.unassigned.length },
    });
    return result;
  });
}

/**
 * Puts `reviewerId` on a file by hand, replacing `replaceAssignmentId` when given. Goes through the same
 * conflict rules as the automatic run; a refusal lists every reason.
 */
export async function assignByHand(ctx: Ctx, campaignId: number, fileId: number, reviewerId: number | null, replaceAssignmentId: number | null, reasonInput: string): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const campaign = await campaignFor(trx, campaignId, 'assign');
    const file = (await filesToReview(trx, campaign)).find((f) => f.id === fileId);
    if (!file) throw notFound('待评查的案卷');
    const reviewer = (await poolOf(trx, campaignId)).find((r) => r.id === reviewerId && r.active);
    if (!reviewer) throw new ValidationError([{ field: 'reviewerId', message: '请选择评查员库中启用的评查员' }]);
    const current = (await activeAssignments(trx, campaignId)).filter((a) => a.case_file_id === fileId);
    const replaced = replaceAssignmentId === null ? null : current.find((a) => a.id === replaceAssignmentId) ?? null;
    if (replaceAssignmentId !== null && !replaced) throw notFound('原分配记录');
    if (replaced) {
      const sheet = await trx.selectFrom('reviews').select('status').where('case_file_id', '=', fileId)
        .where('reviewer_id', '=', replaced.reviewer_id).where('kind', '=', 'review').executeTakeFirst();
      // A submitted sheet is part of the file's result: the reviewer who signed it stays on the file.
      if (sheet?.status === 'submitted') throw conflict(`${replaced.reviewer_name}已提交案卷 ${file.fileNumber} 的评查表，不能再改派`);
    }
    const others = current.filter((a) => a.id !== replaced?.id);
    if (!replaced && others.length >= campaign.reviewers_per_file) {
      throw conflict(`案卷 ${file.fileNumber} 已有 ${others.length} 名评查人员，达到每卷 ${campaign.reviewers_per_file} 人的设置；如需调整请使用“改派”`);
    }
    const reasons = checkAssignment(file, reviewer, {
      ...(await context(trx, campaign)),
      assignments: others.map((a) => ({ fileId: a.case_file_id, reviewerId: a.reviewer_id })),
    });
    if (reasons.length > 0) throw new ValidationError(reasons.map((message) => ({ field: 'reviewerId', message })), `不能把案卷 ${file.fileNumber} 分配给${reviewer.name}`);
    const reason = reasonInput.trim().slice(0, 500);
    if (replaced && reason === '') throw new ValidationError([{ field: 'reason', message: '改派须填写理由' }]);
    const now = nowIso(ctx.clock);
    if (replaced) {
      await trx.updateTable('assignments').set({ removed_at: now, removed_by: ctx.actor.id, removed_reason: reason }).where('id', '=', replaced.id).execute();
    }
    await trx.insertInto('assignments').values({
      campaign_id: campaignId, case_file_id: fileId, reviewer_id: reviewer.id, origin: 'manual', assigned_at: now, assigned_by: ctx.actor.id,
      removed_at: null, removed_by: null, removed_reason: null,
    }).execute();
    await recordAudit(trx, ctx.clock, auditActor(ctx), {
      action: replaced ? 'assignment.reassign' : 'assignment.manual', entityType: 'campaign', entityId: campaignId,
      summary: replaced
        ? `案卷 ${file.fileNumber} 由${replaced.reviewer_name}改派给${reviewer.name}（理由：${reason}）`
        : `案卷 ${file.fileNumber} 人工分配给${reviewer.name}${reason ? `（${reason}）` : ''}`,
    });
  });
}
