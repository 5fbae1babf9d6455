// Creating and configuring campaigns, choosing participating units, pinning rubric versions, and moving a
// campaign through its lifecycle. Every change runs in one transaction and is audited.
import type { Ctx } from '../../context.ts';
import { asActor, nowIso } from '../../context.ts';
import type { DbOrTrx } from '../../db/connection.ts';
import type { CampaignRow } from '../../db/schema.ts';
import {
  CAMPAIGN_STATUS_LABELS, isCampaignStatus, isStarted, lockedChanges, parseSettings, transitionProblems,
  type CampaignFacts, type CampaignStatus, type SettingsInput,
} from '../../domain/campaigns.ts';
import { can } from '../../domain/policy.ts';
import { CASE_TYPE_LABELS, isCaseType, type CaseType } from '../../domain/vocabulary.ts';
import { AppError, conflict, forbidden, notFound, ValidationError } from '../../web/app-error.ts';
import { recordAudit, auditActor } from '../audit/record.ts';
import { findVersionById, listVersions } from '../rubrics/queries.ts';
import { previewAssignment } from '../assignment/service.ts';
import { campaignRubrics, findCampaign, isParticipant, reviewedFileIds, settingsColumns, settingsOf, statusOf } from './queries.ts';


/** The campaign, if the actor may see it; otherwise the same 404 as a campaign that does not exist. */
export async function visibleCampaign(ctx: Ctx, id: number): Promise<CampaignRow> {
  const row = await findCampaign(ctx.db, id);
  const actor = asActor(ctx.actor);
  if (!row || !can(actor, 'campaign.view', { participant: await isParticipant(ctx.db, id, actor) })) throw notFound('评查活动');
  return row;
}

async function campaignForChange(db: DbOrTrx, id: number): Promise<CampaignRow> {
  const row = await findCampaign(db, id);
  if (!row) throw notFound('评查活动');
  if (row.status === 'closed') throw conflict('活动已结束，不能再修改');
  return row;
}

export async function createCampaign(ctx: Ctx, input: SettingsInput): Promise<number> {
  const parsed = parseSettings(input);
  if (!parsed.ok) throw new ValidationError(parsed.problems);
  return ctx.db.transaction().execute(async (trx) => {
    const now = nowIso(ctx.clock);
    const columns = settingsColumns(parsed.settings);
    const { id } = await trx.insertInto('campaigns').values({
      ...columns, status: 'draft', created_at: now, created_by: ctx.actor.id, updated_at: now, status_changed_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    // Start from the newest loaded standard for each case type; the administrator can change any of them.
    const pinned: string[] = [];
    const newestFirst = (await listVersions(trx)).sort((a, b) => b.id - a.id);
    for (const version of newestFirst) {
      for (const caseType of JSON.parse(version.case_types) as string[]) {
        if (pinned.includes(caseType)) continue;
        pinned.push(caseType);
        await trx.insertInto('campaign_rubrics').values({ campaign_id: id, case_type: caseType, rubric_version_id: version.id }).execute();
      }
    }
    await recordAudit(trx, ctx.clock, auditActor(ctx), {
      action: 'campaign.create', entityType: 'campaign', entityId: id, summary: `新建评查活动“${columns.name}”`, after: columns,
    });
    return id;
  });
}

export async function updateCampaign(ctx: Ctx, id: number, input: SettingsInput): Promise<void> {
  const parsed = parseSettings(input);
  if (!parsed.ok) throw new ValidationError(parsed.problems);
  await ctx.db.transaction().execute(async (trx) => {
    const row = await campaignForChange(trx, id);
    const before = settingsOf(row);
    const locked = lockedChanges(statusOf(row), before, parsed.settings);
    if (locked.length > 0) throw new ValidationError(locked);
    const changedKeys = (Object.keys(before) as (keyof typeof before)[]).filter((k) => before[k] !== parsed.settings[k]);
    if (changedKeys.length === 0) return;
    const beforeColumns = settingsColumns(before);
    const afterColumns = settingsColumns(parsed.settings);
    await trx.updateTable('campaigns').set({ ...afterColumns, updated_at: nowIso(ctx.clock) }).where('id', '=', id).execute();
    const diff = { before: {} as Record<string, unknown>, after: {} as Record<string, unknown> };
    for (const [k, v] of Object.entries(afterColumns)) {
      if (beforeColumns[k as keyof typeof beforeColumns] !== v) {
        diff.before[k] = beforeColumns[k as keyof typeof beforeColumns];
        diff.after[k] = v;
      }
    }
    await recordAudit(trx, ctx.clock, auditActor(ctx), {
      action: 'campaign.update', entityType: 'campaign', entityId: id, summary: `修改评查活动“${parsed.settings.name}”的设置`, ...diff,
    });
  });
}

/** Participating units can change until reviewing starts; a unit whose files are listed cannot leave. */
export async function setCampaignUnits(ctx: Ctx, id: number, unitIds: number[]): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const row = await campaignForChange(trx, id);
    if (isStarted(statusOf(row))) throw conflict('评查已开始，参评单位不能再调整');
    const wanted = [...new Set(unitIds)];
    const known = wanted.length === 0 ? [] : await trx.selectFrom('units').select(['id', 'name', 'active']).where('id', 'in', wanted).execute();
    const problems: { field: string; message: string }[] = [];
    if (known.length !== wanted.length) problems.push({ field: 'unitIds', message: '所选单位中有不存在的单位' });
    const current = (await trx.selectFrom('campaign_units').select('unit_id').where('campaign_id', '=', id).execute()).map((r) => r.unit_id);
    // Only a unit being added must be active: one deactivated after it was chosen may stay (its list may be in).
    for (const u of known) if (u.active !== 1 && !current.includes(u.id)) problems.push({ field: 'unitIds', message: `单位“${u.name}”已停用，不能参评` });
    const removed = current.filter((u) => !wanted.includes(u));
    if (removed.length > 0) {
      const withFiles = await trx.selectFrom('case_files').innerJoin('units', 'units.id', 'case_files.unit_id')
        .select('units.name').distinct().where('case_files.campaign_id', '=', id).where('case_files.unit_id', 'in', removed).execute();
      for (const u of withFiles) problems.push({ field: 'unitIds', message: `单位“${u.name}”已报送案卷目录，不能移出本活动（请先删除其案卷目录）` });
    }
    if (problems.length > 0) throw new ValidationError(problems);
    const added = wanted.filter((u) => !current.includes(u));
    if (removed.length > 0) await trx.deleteFrom('campaign_units').where('campaign_id', '=', id).where('unit_id', 'in', removed).execute();
    for (const unitId of added) await trx.insertInto('campaign_units').values({ campaign_id: id, unit_id: unitId }).execute();
    if (added.length === 0 && removed.length === 0) return;
    const names = new Map((await trx.selectFrom('units').select(['id', 'name']).where('id', 'in', [...added, ...removed, -1]).execute()).map((u) => [u.id, u.name]));
    await recordAudit(trx, ctx.clock, auditActor(ctx), {
      action: 'campaign.units', entityType: 'campaign', entityId: id,
      summary: `调整“${row.name}”的参评单位：新增 ${added.length} 个，移出 ${removed.length} 个`,
      before: { removed: removed.map((u) => names.get(u)) }, after: { added: added.map((u) => names.get(u)) },
    });
  });
}

/** Pins the rubric version used for one case type; the version must apply to that case type. */
export async function pinRubric(ctx: Ctx, id: number, caseType: string, versionId: number | null): Promise<void> {
  if (!isCaseType(caseType)) throw new ValidationError([{ field: 'caseType', message: '未知的案卷类型' }]);
  await ctx.db.transaction().execute(async (trx) => {
    const row = await campaignForChange(trx, id);
    if (isStarted(statusOf(row))) throw conflict('评查已开始，评查标准不能再更换');
    const current = (await campaignRubrics(trx, id)).find((r) => r.case_type === caseType);
    if (versionId === null) {
      if (!current) return;
      await trx.deleteFrom('campaign_rubrics').where('campaign_id', '=', id).where('case_type', '=', caseType).execute();
    } else {
      const version = await findVersionById(trx, versionId);
      if (!version) throw new ValidationError([{ field: 'versionId', message: '评查标准版本不存在' }]);
      if (!(JSON.parse(version.case_types) as string[]).includes(caseType)) {
        throw new ValidationError([{ field: 'versionId', message: `“${version.title}”不适用于${CASE_TYPE_LABELS[caseType]}案卷` }]);
      }
      if (current?.rubric_version_id === versionId) return;
      await trx.deleteFrom('campaign_rubrics').where('campaign_id', '=', id).where('case_type', '=', caseType).execute();
      await trx.insertInto('campaign_rubrics').values({ campaign_id: id, case_type: caseType, rubric_version_id: versionId }).execute();
    }
    const after = versionId === null ? null : await findVersionById(trx, versionId);
    await recordAudit(trx, ctx.clock, auditActor(ctx), {
      action: 'campaign.rubric', entityType: 'campaign', entityId: id,
      summary: `${CASE_TYPE_LABELS[caseType]}案卷${after ? `使用“${after.title}”${after.version} 版` : '不再指定评查标准'}`,
      before: { rubric: current ? `${current.title} ${current.version}` : null }, after: { rubric: after ? `${after.title} ${after.version}` : null },
    });
  });
}

/** The files this campaign reviews: all listed files in a self-check, otherwise the sample (without removed ones). */
function reviewedFiles(db: DbOrTrx, campaign: CampaignRow) {
  const q = db.selectFrom('case_files').select(['case_files.id', 'case_files.case_type']).where('case_files.campaign_id', '=', campaign.id);
  const sample = reviewedFileIds(db, campaign);
  return sample ? q.where('case_files.id', 'in', sample) : q;
}

export async function campaignFacts(db: DbOrTrx, campaign: CampaignRow): Promise<CampaignFacts> {
  const unitCount = Number((await db.selectFrom('campaign_units').select(({ fn }) => fn.countAll<number>().as('n'))
    .where('campaign_id', '=', campaign.id).executeTakeFirstOrThrow()).n);
  const pinned = (await campaignRubrics(db, campaign.id)).map((r) => r.case_type as CaseType);
  const files = await reviewedFiles(db, campaign).execute();
  const assignmentCounts = await db.selectFrom('assignments').select(({ fn }) => ['case_file_id', fn.countAll<number>().as('n')])
    .where('campaign_id', '=', campaign.id).where('removed_at', 'is', null).groupBy('case_file_id').execute();
  const assigned = new Map(assignmentCounts.map((a) => [a.case_file_id, Number(a.n)]));
  const activeAssignments = assignmentCounts.reduce((n, a) => n + Number(a.n), 0);
  const submittedSheets = Number((await db.selectFrom('reviews').innerJoin('assignments', (j) => j
    .onRef('assignments.case_file_id', '=', 'reviews.case_file_id').onRef('assignments.reviewer_id', '=', 'reviews.reviewer_id'))
    .select(({ fn }) => fn.countAll<number>().as('n'))
    .where('reviews.campaign_id', '=', campaign.id).where('reviews.kind', '=', 'review').where('reviews.status', '=', 'submitted')
    .where('assignments.removed_at', 'is', null).executeTakeFirstOrThrow()).n);
  const fileIds = new Set(files.map((f) => f.id));
  const withFinal = (await db.selectFrom('final_results').select('case_file_id')
    .where('campaign_id', '=', campaign.id).where('superseded_at', 'is', null).execute()).filter((r) => fileIds.has(r.case_file_id)).length;
  return {
    kind: campaign.kind as CampaignFacts['kind'],
    unitCount,
    pinnedCaseTypes: pinned,
    reviewedCaseTypes: [...new Set(files.map((f) => f.case_type as CaseType))],
    reviewedFileCount: files.length,
    filesShortOfReviewers: files.filter((f) => (assigned.get(f.id) ?? 0) < campaign.reviewers_per_file).length,
    // Rules are checked again now: a conflict declared, a unit moved or a person changed after assignment.
    conflictingAssignments: activeAssignments > 0 ? (await previewAssignment(db, campaign)).existingProblems.length : 0,
    // Every active assignment owes a submitted sheet; a file is done when it has a current final result.
    pendingReviews: activeAssignments - submittedSheets,
    filesWithoutFinal: files.length - withFinal,
    openObjections: Number((await db.selectFrom('objections').select(({ fn }) => fn.countAll<number>().as('n'))
      .where('campaign_id', '=', campaign.id).where('status', '=', 'open').executeTakeFirstOrThrow()).n),
  };
}

export async function transitionCampaign(ctx: Ctx, id: number, to: string): Promise<CampaignStatus> {
  return ctx.db.transaction().execute(async (trx) => {
    const row = await findCampaign(trx, id);
    if (!row) throw notFound('评查活动');
    if (!can(asActor(ctx.actor), 'campaign.manage')) throw forbidden();
    const from = statusOf(row);
    if (!isCampaignStatus(to)) throw new AppError(400, '未知的活动阶段');
    const problems = transitionProblems(from, to as CampaignStatus, await campaignFacts(trx, row));
    if (problems.length > 0) throw new AppError(422, `不能转入该阶段：${problems.join('；')}`, { details: problems });
    const now = nowIso(ctx.clock);
    // The objection window runs from the moment results are released.
    await trx.updateTable('campaigns').set({ status: to, status_changed_at: now, updated_at: now, ...(to === 'released' ? { released_at: now } : {}) })
      .where('id', '=', id).execute();
    await recordAudit(trx, ctx.clock, auditActor(ctx), {
      action: 'campaign.transition', entityType: 'campaign', entityId: id,
      summary: `“${row.name}”由“${CAMPAIGN_STATUS_LABELS[from]}”转入“${CAMPAIGN_STATUS_LABELS[to as CampaignStatus]}”`,
      before: { status: from }, after: { status: to },
    });
    return to as CampaignStatus;
  });
}
