// Sampling (抽取): rules per unit and case type, a seeded draw recorded with everything needed to repeat it,
// and manual additions and removals, each with a reason. Only while the campaign is in its sampling stage.
import crypto from 'node:crypto';
import type { Ctx } from '../../context.ts';
import { nowIso } from '../../context.ts';
import type { DbOrTrx } from '../../db/connection.ts';
import type { CampaignRow } from '../../db/schema.ts';
import { newSeed, normalizeSeed, formatSeed } from '../../domain/prng.ts';
import {
  describeRule, drawSample, ruleProblems, SAMPLING_ALGORITHM, verifyDraw,
  type DrawVerification, type SamplingCandidate, type SamplingRule, type SampleGroup,
} from '../../domain/sampling.ts';
import { CASE_TYPE_LABELS, isCaseType } from '../../domain/vocabulary.ts';
import { conflict, notFound, ValidationError } from '../../web/app-error.ts';
import { recordAudit, auditActor } from '../audit/record.ts';
import { findCampaign } from '../campaigns/queries.ts';
import { activeAssignmentCount, activeDraw, candidatesOf, rulesOf, toRule } from './queries.ts';

/** Why a drawn file left the sample when the sample was drawn again. */
export const REDRAW_REASON = '重新抽取，原抽取结果作废';


/** What a draw records: enough to run it again and get the same files. */
export interface DrawInputs {
  algorithm: string;
  seed: string;
  rules: SamplingRule[];
  candidates: SamplingCandidate[];
  unitNames: [number, string][];
}

export interface DrawRecord {
  groups: SampleGroup[];
  warnings: string[];
  drawnIds: number[];
}

async function unitNames(db: DbOrTrx, campaignId: number): Promise<Map<number, string>> {
  const rows = await db.selectFrom('campaign_units').innerJoin('units', 'units.id', 'campaign_units.unit_id')
    .select(['units.id', 'units.name']).where('campaign_units.campaign_id', '=', campaignId).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

async function samplingCampaign(db: DbOrTrx, id: number, allowDraft: boolean): Promise<CampaignRow> {
  const campaign = await findCampaign(db, id);
  if (!campaign) throw notFound('评查活动');
  if (campaign.kind === 'self') throw conflict('自查活动由各单位评查本单位全部案卷，不抽取');
  if (!(campaign.status === 'sampling' || (allowDraft && campaign.status === 'draft'))) {
    throw conflict(allowDraft ? '只有在筹备或抽取阶段才能调整抽取规则' : '只有在抽取阶段才能抽取或调整抽取名单');
  }
  return campaign;
}

export interface RuleInput {
  unitId: number | null;
  caseType: string;
  mode: string;
  value: string;
  minimum: string;
  majorWeight: string;
}

export async function addRule(ctx: Ctx, campaignId: number, input: RuleInput): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await samplingCampaign(trx, campaignId, true);
    const names = await unitNames(trx, campaignId);
    const problems: { field: string; message: string }[] = [];
    if (input.unitId !== null && !names.has(input.unitId)) problems.push({ field: 'unitId', message: '所选单位不是本活动的参评单位' });
    if (input.caseType !== '' && !isCaseType(input.caseType)) problems.push({ field: 'caseType', message: '未知的案卷类型' });
    if (input.mode !== 'count' && input.mode !== 'percent') problems.push({ field: 'mode', message: '请选择按卷数或按比例抽取' });
    const whole = (s: string) => (/^\d{1,6}$/.test(s.trim()) ? Number(s.trim()) : null);
    const value = whole(input.value);
    if (value === null) problems.push({ field: 'value', message: '抽取数量应为整数（卷数，或百分比的数值）' });
    const minimum = input.minimum.trim() === '' ? null : whole(input.minimum);
    if (input.minimum.trim() !== '' && minimum === null) problems.push({ field: 'minimum', message: '最少抽取卷数应为整数' });
    const weight = input.majorWeight.trim() === '' ? 1 : whole(input.majorWeight);
    if (weight === null) problems.push({ field: 'majorWeight', message: '重大案件权重应为不小于 1 的整数' });
    if (problems.length > 0) throw new ValidationError(problems);
    const rule: SamplingRule = {
      unitId: input.unitId, caseType: input.caseType === '' ? null : (input.caseType as SamplingRule['caseType']),
      mode: input.mode as SamplingRule['mode'], value: value!, ...(minimum === null ? {} : { minimum }), majorWeight: weight!,
    };
    const ruleIssues = ruleProblems(rule, { unitNames: names });
    const existing = (await rulesOf(trx, campaignId)).map(toRule);
    if (existing.some((r) => (r.unitId ?? null) === (rule.unitId ?? null) && (r.caseType ?? null) === (rule.caseType ?? null))) {
      ruleIssues.push('已有相同范围的抽取规则，请先删除原规则');
    }
    if (ruleIssues.length > 0) throw new ValidationError(ruleIssues.map((message) => ({ field: '', message })));
    await trx.insertInto('sampling_rules').values({
      campaign_id: campaignId, unit_id: rule.unitId ?? null, case_type: rule.caseType ?? null, mode: rule.mode,
      value: rule.value, minimum: rule.minimum ?? null, major_weight: rule.majorWeight ?? 1,
    }).execute();
    await recordAudit(trx, ctx.clock, auditActor(ctx), {
      action: 'sampling.rule', entityType: 'campaign', entityId: campaignId, summary: `新增抽取规则：${describeRule(rule, { unitNames: names })}`,
    });
  });
}

export async function deleteRule(ctx: Ctx, campaignId: number, ruleId: number): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await samplingCampaign(trx, campaignId, true);
    const row = await trx.selectFrom('sampling_rules').selectAll().where('id', '=', ruleId).where('campaign_id', '=', campaignId).executeTakeFirst();
    if (!row) throw notFound('抽取规则');
    await trx.deleteFrom('sampling_rules').where('id', '=', ruleId).execute();
    await recordAudit(trx, ctx.clock, auditActor(ctx), {
      action: 'sampling.rule', entityType: 'campaign', entityId: campaignId,
      summary: `删除抽取规则：${describeRule(toRule(row), { unitNames: await unitNames(trx, campaignId) })}`,
    });
  });
}

/**
 * Draws the sample. A new draw replaces the previous one (kept, marked superseded); manual additions stay.
 * Refused while reviewers are assigned, so nobody's queue changes under them.
 */
export async function draw(ctx: Ctx, campaignId: number, seedInput: string): Promise<DrawRecord & { seed: string }> {
  return ctx.db.transaction().execute(async (trx) => {
    await samplingCampaign(trx, campaignId, false);
    if ((await activeAssignmentCount(trx, campaignId)) > 0) throw conflict('已分配评查人员，不能重新抽取；请先撤销分配');
    const seed = seedInput.trim() === '' ? newSeed(crypto.randomBytes(8)) : normalizeSeed(seedInput);
    const names = await unitNames(trx, campaignId);
    const rules = (await rulesOf(trx, campaignId)).map(toRule);
    if (rules.length === 0) throw new ValidationError([{ field: '', message: '请先设置抽取规则' }]);
    const candidates = await candidatesOf(trx, campaignId);
    const result = drawSample(candidates, rules, seed, { unitNames: names });
    if (!result.ok) throw new ValidationError(result.problems.map((message) => ({ field: '', message })), '抽取未进行：抽取规则与案卷目录不符');
    const now = nowIso(ctx.clock);
    await trx.updateTable('sample_draws').set({ superseded_at: now }).where('campaign_id', '=', campaignId).where('superseded_at', 'is', null).execute();
    // The previous draw's files leave the sample with a record of why; nothing is deleted.
    await trx.updateTable('sampled_files').set({ removed_at: now, removed_by: ctx.actor.id, removed_reason: REDRAW_REASON })
      .where('campaign_id', '=', campaignId).where('origin', '=', 'draw').where('removed_at', 'is', null).execute();
    const inputs: DrawInputs = { algorithm: result.algorithm, seed: result.seed, rules, candidates, unitNames: [...names] };
    const record: DrawRecord = { groups: result.groups, warnings: result.warnings, drawnIds: result.drawnIds };
    const { id: drawId } = await trx.insertInto('sample_draws').values({
      campaign_id: campaignId, seed: result.seed, inputs_json: JSON.stringify(inputs), result_json: JSON.stringify(record),
      drawn_at: now, drawn_by: ctx.actor.id, superseded_at: null,
    }).returning('id').executeTakeFirstOrThrow();
    const present = new Set((await trx.selectFrom('sampled_files').select('case_file_id')
      .where('campaign_id', '=', campaignId).where('removed_at', 'is', null).execute()).map((r) => r.case_file_id));
    for (const fileId of result.drawnIds) {
      if (present.has(fileId)) continue; // already added by hand; the manual record stands
      await trx.insertInto('sampled_files').values({
        campaign_id: campaignId, case_file_id: fileId, origin: 'draw', draw_id: drawId, added_at: now, added_by: ctx.actor.id,
        added_reason: null, removed_at: null, removed_by: null, removed_reason: null,
      }).execute();
    }
    await recordAudit(trx, ctx.clock, auditActor(ctx), {
      action: 'sampling.draw', entityType: 'campaign', entityId: campaignId,
      summary: `以种子 ${formatSeed(result.seed)} 抽取案卷 ${result.drawnIds.length} 卷（${candidates.length} 卷中，规则 ${rules.length} 条）`,
      after: { seed: result.seed, drawn: result.drawnIds.length },
    });
    return { ...record, seed: result.seed };
  });
}

/** Runs the recorded draw again from its recorded inputs and compares with what was recorded. */
export async function verifyActiveDraw(db: DbOrTrx, campaignId: number): Promise<DrawVerification | null> {
  const drawRow = await activeDraw(db, campaignId);
  if (!drawRow) return null;
  const inputs = JSON.parse(drawRow.inputs_json) as DrawInputs;
  const record = JSON.parse(drawRow.result_json) as DrawRecord;
  return verifyDraw(inputs.candidates, inputs.rules, inputs.seed, record.drawnIds, { unitNames: new Map(inputs.unitNames) });
}

async function fileOfCampaign(db: DbOrTrx, campaignId: number, caseFileId: number) {
  const file = await db.selectFrom('case_files').innerJoin('units', 'units.id', 'case_files.unit_id')
    .select(['case_files.id', 'case_files.file_number', 'case_files.case_type', 'units.name as unit_name'])
    .where('case_files.id', '=', caseFileId).where('case_files.campaign_id', '=', campaignId).executeTakeFirst();
  if (!file) throw notFound('案卷');
  return file;
}

function requireReason(reason: string): string {
  const text = reason.trim();
  if (text === '') throw new ValidationError([{ field: 'reason', message: '请填写理由：人工调整抽取名单须说明原因' }]);
  if (text.length > 500) throw new ValidationError([{ field: 'reason', message: '理由不超过 500 个字' }]);
  return text;
}

export async function addFileByHand(ctx: Ctx, campaignId: number, unitId: number | null, fileNumber: string, reasonInput: string): Promise<void> {
  const reason = requireReason(reasonInput);
  await ctx.db.transaction().execute(async (trx) => {
    await samplingCampaign(trx, campaignId, false);
    const match = unitId === null ? undefined : await trx.selectFrom('case_files').select('id')
      .where('campaign_id', '=', campaignId).where('unit_id', '=', unitId).where('file_number', '=', fileNumber.trim()).executeTakeFirst();
    if (!match) throw new ValidationError([{ field: 'fileNumber', message: `所选单位的案卷目录中没有编号为“${fileNumber.trim()}”的案卷` }]);
    const file = await fileOfCampaign(trx, campaignId, match.id);
    const active = await trx.selectFrom('sampled_files').select('id')
      .where('campaign_id', '=', campaignId).where('case_file_id', '=', file.id).where('removed_at', 'is', null).executeTakeFirst();
    if (active) throw new ValidationError([{ field: 'fileNumber', message: `案卷“${file.file_number}”已在抽取名单中` }]);
    // A new record: an earlier removal of the same file stays as it was.
    await trx.insertInto('sampled_files').values({
      campaign_id: campaignId, case_file_id: file.id, origin: 'manual', draw_id: null, added_at: nowIso(ctx.clock), added_by: ctx.actor.id,
      added_reason: reason, removed_at: null, removed_by: null, removed_reason: null,
    }).execute();
    await recordAudit(trx, ctx.clock, auditActor(ctx), {
      action: 'sampling.add', entityType: 'campaign', entityId: campaignId,
      summary: `人工加入抽取名单：${file.unit_name} ${CASE_TYPE_LABELS[file.case_type as never] ?? ''}案卷 ${file.file_number}（理由：${reason}）`,
    });
  });
}

export async function removeFileByHand(ctx: Ctx, campaignId: number, caseFileId: number, reasonInput: string): Promise<void> {
  const reason = requireReason(reasonInput);
  await ctx.db.transaction().execute(async (trx) => {
    await samplingCampaign(trx, campaignId, false);
    const file = await fileOfCampaign(trx, campaignId, caseFileId);
    const row = await trx.selectFrom('sampled_files').selectAll()
      .where('campaign_id', '=', campaignId).where('case_file_id', '=', caseFileId).where('removed_at', 'is', null).executeTakeFirst();
    if (!row) throw conflict(`案卷“${file.file_number}”不在抽取名单中`);
    if ((await activeAssignmentCount(trx, campaignId, caseFileId)) > 0) throw conflict(`案卷“${file.file_number}”已分配评查人员，请先撤销分配`);
    await trx.updateTable('sampled_files').set({ removed_at: nowIso(ctx.clock), removed_by: ctx.actor.id, removed_reason: reason }).where('id', '=', row.id).execute();
    await recordAudit(trx, ctx.clock, auditActor(ctx), {
      action: 'sampling.remove', entityType: 'campaign', entityId: campaignId,
      summary: `人工移出抽取名单：${file.unit_name} 案卷 ${file.file_number}（理由：${reason}）`,
    });
  });
}
