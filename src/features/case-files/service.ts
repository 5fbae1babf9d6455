// File lists (案卷目录): entering, editing, deleting and importing a unit's case files for a campaign, and the
// total it reports for the period. Every change runs in one transaction, checks who may make it, and is audited.
import type { Ctx } from '../../context.ts';
import { asActor, nowIso } from '../../context.ts';
import type { DbOrTrx } from '../../db/connection.ts';
import type { CampaignRow, CaseFileRow } from '../../db/schema.ts';
import {
  fileListOpen, fileNumberKey, parseCaseFile, parseReportedTotal, planCaseFileImport, totalOpen,
  type CaseFileInput, type CaseFileValues, type CasePeriod,
} from '../../domain/case-files.ts';
import { CAMPAIGN_STATUS_LABELS, type CampaignStatus } from '../../domain/campaigns.ts';
import { can } from '../../domain/policy.ts';
import type { ImportRow } from '../../domain/units.ts';
import { CASE_TYPE_LABELS } from '../../domain/vocabulary.ts';
import { conflict, forbidden, notFound, ValidationError } from '../../web/app-error.ts';
import { changedFields, recordAudit, auditActor } from '../audit/record.ts';
import { findCampaign, isParticipant } from '../campaigns/queries.ts';
import { allUnits, findUnit } from '../units/queries.ts';
import { countListed, fileReferences, findCaseFile, findParticipation, listedNumbers } from './queries.ts';


export const periodOf = (campaign: CampaignRow): CasePeriod => ({ from: campaign.period_from, to: campaign.period_to });

/** The stored columns of a checked case file (what the audit log shows before → after). */
function columns(v: CaseFileValues) {
  return {
    file_number: v.fileNumber, case_type: v.caseType, field: v.field, cause: v.cause, party: v.party,
    handlers: v.handlers, is_major: (v.isMajor ? 1 : 0) as 0 | 1, closed_on: v.closedOn, pages: v.pages,
  };
}

function snapshot(row: CaseFileRow) {
  return {
    unit_id: row.unit_id, file_number: row.file_number, case_type: row.case_type, field: row.field, cause: row.cause,
    party: row.party, handlers: row.handlers, is_major: row.is_major, closed_on: row.closed_on, pages: row.pages,
  };
}

/** The campaign, if the actor may see it (the same 404 as one that does not exist), with the actor's participation. */
export async function campaignFor(ctx: Ctx, db: DbOrTrx, campaignId: number): Promise<{ campaign: CampaignRow; participant: boolean }> {
  const campaign = await findCampaign(db, campaignId);
  const actor = asActor(ctx.actor);
  const participant = campaign ? await isParticipant(db, campaignId, actor) : false;
  if (!campaign || !can(actor, 'campaign.view', { participant })) throw notFound('评查活动');
  return { campaign, participant };
}

function assertListOpen(campaign: CampaignRow): void {
  if (!fileListOpen(campaign.status)) {
    throw conflict(`活动已进入“${CAMPAIGN_STATUS_LABELS[campaign.status as CampaignStatus]}”阶段，案卷目录已锁定，不能再录入、修改、删除或导入案卷`);
  }
}

/** The unit a change is for: the actor may manage its list, and it takes part in the campaign. */
async function unitForChange(ctx: Ctx, db: DbOrTrx, campaignId: number, participant: boolean, unitId: number | null) {
  const actor = asActor(ctx.actor);
  if (!can(actor, 'caseFile.manage', { participant, unitId: unitId ?? actor.unitId })) throw forbidden();
  if (unitId === null) {
    if (actor.role === 'department') unitId = actor.unitId;
    else throw new ValidationError([{ field: 'unitId', message: '请选择参评单位' }]);
  }
  if (!can(actor, 'caseFile.manage', { participant, unitId })) throw forbidden();
  const unit = await findUnit(db, unitId);
  if (!unit || !(await findParticipation(db, campaignId, unitId))) {
    throw new ValidationError([{ field: 'unitId', message: unit ? `单位“${unit.name}”不是本次评查活动的参评单位` : '所选单位不存在' }]);
  }
  return unit;
}

/** A file the actor may change; a file of another unit is answered like one that does not exist. */
async function fileForChange(ctx: Ctx, db: DbOrTrx, campaignId: number, fileId: number) {
  const { campaign, participant } = await campaignFor(ctx, db, campaignId);
  const file = await findCaseFile(db, campaignId, fileId);
  const actor = asActor(ctx.actor);
  if (!file || !can(actor, 'caseFile.list', { participant, unitId: file.unit_id })) throw notFound('案卷');
  if (!can(actor, 'caseFile.manage', { participant, unitId: file.unit_id })) throw forbidden();
  return { campaign, file };
}

async function duplicateProblem(db: DbOrTrx, campaignId: number, unitId: number, unitName: string, fileNumber: string, selfId: number | null) {
  const key = fileNumberKey(fileNumber);
  const clash = (await listedNumbers(db, campaignId, [unitId])).find((f) => f.id !== selfId && fileNumberKey(f.file_number) === key);
  return clash ? { field: 'fileNumber', message: `“${unitName}”的案卷目录中已有案卷编号“${clash.file_number}”，同一单位的案卷编号不能重复` } : null;
}

/** A file that is open to the actor for editing (used by the edit form). */
export async function caseFileForEdit(ctx: Ctx, campaignId: number, fileId: number) {
  const { campaign, file } = await fileForChange(ctx, ctx.db, campaignId, fileId);
  assertListOpen(campaign);
  if ((await fileReferences(ctx.db, file.id)).sampled) throw conflict(sampledMessage(file.file_number, '修改'));
  return { campaign, file };
}

const sampledMessage = (number: string, verb: string) =>
  `案卷“${number}”已被抽取为评查案卷，不能再${verb}；如确需${verb}，请先由管理员将其移出抽取结果`;

export async function createCaseFile(ctx: Ctx, campaignId: number, unitId: number | null, input: CaseFileInput): Promise<number> {
  return ctx.db.transaction().execute(async (trx) => {
    const { campaign, participant } = await campaignFor(ctx, trx, campaignId);
    const unit = await unitForChange(ctx, trx, campaignId, participant, unitId);
    assertListOpen(campaign);
    const parsed = parseCaseFile(input, periodOf(campaign));
    const problems = parsed.ok ? [] : [...parsed.problems];
    if (input.fileNumber.trim() !== '') {
      const dup = await duplicateProblem(trx, campaignId, unit.id, unit.name, input.fileNumber.trim(), null);
      if (dup) problems.push(dup);
    }
    if (!parsed.ok || problems.length > 0) throw new ValidationError(problems);
    const values = { unit_id: unit.id, ...columns(parsed.value) };
    const { id } = await trx.insertInto('case_files').values({
      ...values, campaign_id: campaignId, source: 'entry', created_at: nowIso(ctx.clock), created_by: ctx.actor.id,
    }).returning('id').executeTakeFirstOrThrow();
    await recordAudit(trx, ctx.clock, auditActor(ctx), {
      action: 'caseFile.create', entityType: 'caseFile', entityId: id,
      summary: `为“${unit.name}”录入案卷“${values.file_number}”（${CASE_TYPE_LABELS[parsed.value.caseType]}，${campaign.name}）`,
      after: values,
    });
    return id;
  });
}

export async function updateCaseFile(ctx: Ctx, campaignId: number, fileId: number, input: CaseFileInput): Promise<{ unitId: number; fileNumber: string }> {
  return ctx.db.transaction().execute(async (trx) => {
    const { campaign, file } = await fileForChange(ctx, trx, campaignId, fileId);
    assertListOpen(campaign);
    if ((await fileReferences(trx, file.id)).sampled) throw conflict(sampledMessage(file.file_number, '修改'));
    const unit = (await findUnit(trx, file.unit_id))!;
    const parsed = parseCaseFile(input, periodOf(campaign));
    const problems = parsed.ok ? [] : [...parsed.problems];
    if (input.fileNumber.trim() !== '') {
      const dup = await duplicateProblem(trx, campaignId, unit.id, unit.name, input.fileNumber.trim(), file.id);
      if (dup) problems.push(dup);
    }
    if (!parsed.ok || problems.length > 0) throw new ValidationError(problems);
    const next = columns(parsed.value);
    const diff = changedFields(snapshot(file), next);
    if (!diff) return { unitId: file.unit_id, fileNumber: next.file_number };
    await trx.updateTable('case_files').set(next).where('id', '=', file.id).execute();
    await recordAudit(trx, ctx.clock, auditActor(ctx), {
      action: 'caseFile.update', entityType: 'caseFile', entityId: file.id,
      summary: `修改“${unit.name}”的案卷“${next.file_number}”（${campaign.name}）`, ...diff,
    });
    return { unitId: file.unit_id, fileNumber: next.file_number };
  });
}

export async function deleteCaseFile(ctx: Ctx, campaignId: number, fileId: number): Promise<{ unitId: number; fileNumber: string }> {
  return ctx.db.transaction().execute(async (trx) => {
    const { campaign, file } = await fileForChange(ctx, trx, campaignId, fileId);
    assertListOpen(campaign);
    const refs = await fileReferences(trx, file.id);
    if (refs.sampled) throw conflict(sampledMessage(file.file_number, '删除'));
    if (refs.everSampled || refs.assignments > 0) {
      throw conflict(`案卷“${file.file_number}”曾被抽取或分配给评查人员，抽取记录需要保留它，不能删除；如内容有误，请修改`);
    }
    if (refs.conflicts > 0) throw conflict(`有评查人员就案卷“${file.file_number}”申报了回避，不能删除；如内容有误，请修改`);
    const unit = (await findUnit(trx, file.unit_id))!;
    await trx.deleteFrom('case_files').where('id', '=', file.id).execute();
    await recordAudit(trx, ctx.clock, auditActor(ctx), {
      action: 'caseFile.delete', entityType: 'caseFile', entityId: file.id,
      summary: `删除“${unit.name}”的案卷“${file.file_number}”（${campaign.name}）`, before: snapshot(file),
    });
    return { unitId: file.unit_id, fileNumber: file.file_number };
  });
}

/**
 * All or nothing: every row is checked first (units, rules, duplicates within the file and against the list),
 * and one bad row rejects the file with the full list. `unitId` limits the file to one unit: a department
 * user's own (always), or the unit an administrator chose; without it every row names its unit.
 */
export async function importCaseFiles(ctx: Ctx, campaignId: number, unitId: number | null, rows: ImportRow[], fileName: string): Promise<{ created: number; units: number }> {
  return ctx.db.transaction().execute(async (trx) => {
    const { campaign, participant } = await campaignFor(ctx, trx, campaignId);
    const actor = asActor(ctx.actor);
    if (!can(actor, 'caseFile.manage', { participant, unitId: unitId ?? actor.unitId })) throw forbidden();
    const only = unitId !== null || actor.role === 'department'
      ? await unitForChange(ctx, trx, campaignId, participant, unitId)
      : null;
    assertListOpen(campaign);
    const participants = await trx.selectFrom('campaign_units').select('unit_id').where('campaign_id', '=', campaignId).execute();
    const plan = planCaseFileImport(rows, {
      units: await allUnits(trx),
      participantIds: new Set(participants.map((p) => p.unit_id)),
      onlyUnit: only ? { unitId: only.id, reason: actor.role === 'department' ? 'own' : 'chosen' } : null,
      period: periodOf(campaign),
      listed: (await listedNumbers(trx, campaignId)).map((f) => ({ unitId: f.unit_id, fileNumber: f.file_number })),
    });
    if (!plan.ok) throw new ValidationError(plan.problems, `导入失败：共 ${plan.problems.length} 处问题，未导入任何案卷`);
    const now = nowIso(ctx.clock);
    const codes = new Map((await allUnits(trx)).map((u) => [u.id, u]));
    for (const f of plan.items) {
      await trx.insertInto('case_files').values({
        campaign_id: campaignId, unit_id: f.unitId, ...columns(f), source: 'import', created_at: now, created_by: ctx.actor.id,
      }).execute();
    }
    const unitIds = [...new Set(plan.items.map((f) => f.unitId))];
    const names = unitIds.map((id) => codes.get(id)!.name);
    await recordAudit(trx, ctx.clock, auditActor(ctx), {
      action: 'caseFile.import', entityType: 'caseFile', entityId: null,
      summary: `从文件“${fileName}”为${names.map((n) => `“${n}”`).join('、')}导入 ${plan.items.length} 卷案卷（${campaign.name}）`,
      after: { file: fileName, count: plan.items.length, numbers: plan.items.map((f) => `${codes.get(f.unitId)!.code} ${f.fileNumber}`) },
    });
    return { created: plan.items.length, units: unitIds.length };
  });
}

/** A unit reports how many files it has for the period (本期案卷总数), the denominator of coverage (评查面). */
export async function reportTotal(ctx: Ctx, campaignId: number, unitId: number | null, totalText: string): Promise<{ unitId: number; total: number }> {
  return ctx.db.transaction().execute(async (trx) => {
    const { campaign, participant } = await campaignFor(ctx, trx, campaignId);
    const unit = await unitForChange(ctx, trx, campaignId, participant, unitId);
    if (!totalOpen(campaign.status)) {
      throw conflict(`活动已进入“${CAMPAIGN_STATUS_LABELS[campaign.status as CampaignStatus]}”阶段，评查结果已发布，本期案卷总数不能再修改`);
    }
    const listed = await countListed(trx, campaignId, unit.id);
    const parsed = parseReportedTotal(totalText, listed);
    if (!parsed.ok) throw new ValidationError([{ field: 'total', message: parsed.message }]);
    const current = (await findParticipation(trx, campaignId, unit.id))!;
    if (current.reported_total === parsed.total) return { unitId: unit.id, total: parsed.total };
    await trx.updateTable('campaign_units')
      .set({ reported_total: parsed.total, reported_at: nowIso(ctx.clock), reported_by: ctx.actor.id })
      .where('campaign_id', '=', campaignId).where('unit_id', '=', unit.id).execute();
    await recordAudit(trx, ctx.clock, auditActor(ctx), {
      action: 'caseFile.total', entityType: 'campaign', entityId: campaignId,
      summary: `“${unit.name}”报送本期案卷总数 ${parsed.total} 卷${current.reported_total === null ? '' : `（原为 ${current.reported_total} 卷）`}，已报送案卷目录 ${listed} 卷`,
      before: { unit_id: unit.id, reported_total: current.reported_total }, after: { unit_id: unit.id, reported_total: parsed.total },
    });
    return { unitId: unit.id, total: parsed.total };
  });
}
