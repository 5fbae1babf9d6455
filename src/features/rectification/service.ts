// The rectification loop: the bureau issues a numbered notice (整改通知书) to every unit with issues, freezing
// the unit's issues into it; the department records measures against each issue (with evidence files) and
// submits its report; the bureau verifies each measure or returns it with a reason. Every change is one
// transaction and is audited. The rules (states, who moves them, dates) live in src/domain/rectification.ts.
import { createHash } from 'node:crypto';
import type { Ctx } from '../../context.ts';
import { asActor, nowIso } from '../../context.ts';
import type { DbOrTrx } from '../../db/connection.ts';
import { ATTACHMENTS_PER_MEASURE, checkAttachment } from '../../domain/attachments.ts';
import { docNumber } from '../../domain/campaigns.ts';
import { issuesOfUnit } from '../../domain/issues.ts';
import { can } from '../../domain/policy.ts';
import {
  addDays, beijingDate, itemState, moveProblem, nextStatus, noticeDateProblems, readMeasure, reportProblems, MEASURE_LIMITS,
  MEASURE_STATUS_LABELS, type MeasureAction, type MeasureInput, type MeasureStatus,
} from '../../domain/rectification.ts';
import { AppError, conflict, forbidden, notFound, ValidationError } from '../../web/app-error.ts';
import { auditActor, recordAudit } from '../audit/record.ts';
import { findCampaign } from '../campaigns/queries.ts';
import { campaignIssues } from '../issues/service.ts';

export const REQUIREMENTS_MAX = 2000;

/** The default requirements a notice states; the bureau may rewrite them when issuing. */
export const DEFAULT_REQUIREMENTS =
  '请你单位对照本通知所列问题，逐项分析原因，制定整改措施，明确责任人和完成时限，举一反三，建立健全长效机制；' +
  '于整改期限前在系统中报送整改情况及佐证材料。逾期未完成整改的，将在全市通报。';

export interface IssueNoticesInput {
  issuedOn: string;
  /** Empty: issue date + the campaign's rectification days. */
  deadline: string;
  requirements: string;
}

/**
 * Issues a notice to every participating unit that has issues and no notice yet. Numbers run on from the year's
 * last notice (the pattern's {seq}); the unit's issues are frozen into the notice as they are now.
 */
export async function issueNotices(ctx: Ctx, campaignId: number, input: IssueNoticesInput): Promise<number> {
  if (!can(asActor(ctx.actor), 'campaign.manage')) throw forbidden();
  return ctx.db.transaction().execute(async (trx) => {
    const campaign = await findCampaign(trx, campaignId);
    if (!campaign) throw notFound('评查活动');
    if (campaign.status !== 'released') throw conflict('评查结果发布后、活动结束前才能下发整改通知书');
    const issuedOn = input.issuedOn.trim() || beijingDate(ctx.clock.now());
    const deadline = input.deadline.trim() || (/^\d{4}-\d{2}-\d{2}$/.test(issuedOn) ? addDays(issuedOn, campaign.rectification_days) : '');
    const requirements = input.requirements.trim() || DEFAULT_REQUIREMENTS;
    const problems = noticeDateProblems(issuedOn, deadline);
    if (requirements.length > REQUIREMENTS_MAX) problems.push({ field: 'requirements', message: `整改要求不超过 ${REQUIREMENTS_MAX} 个字` });
    if (problems.length > 0) throw new ValidationError(problems);

    const classification = await campaignIssues(trx, campaign);
    const issued = new Set((await trx.selectFrom('rectification_notices').select('unit_id').where('campaign_id', '=', campaignId).execute()).map((r) => r.unit_id));
    const units = [...new Map(classification.issues.flatMap((i) => i.units).map((u) => [u.unitId, u.unitName])).entries()]
      .filter(([unitId]) => !issued.has(unitId)).sort((a, b) => a[0] - b[0]);
    if (units.length === 0) throw conflict(classification.issues.length === 0 ? '本活动没有发现问题，无需下发整改通知书' : '所有有问题的单位都已下发整改通知书');
    let seq = Number((await trx.selectFrom('rectification_notices').select(({ fn }) => fn.max<number>('seq').as('m'))
      .where('year', '=', campaign.year).executeTakeFirst())?.m ?? 0);
    const now = nowIso(ctx.clock);
    for (const [unitId, unitName] of units) {
      seq += 1;
      const number = docNumber(campaign.doc_number_pattern, campaign.year, seq);
      // {seq} restarts every year; a pattern without {year} would repeat last year's numbers.
      const taken = await trx.selectFrom('rectification_notices').select('id').where('doc_number', '=', number).executeTakeFirst();
      if (taken) throw conflict(`文号“${number}”已被使用，请在活动设置中修改整改通知书文号格式（建议包含 {year}），本次未下发任何通知书`);
      const { id } = await trx.insertInto('rectification_notices').values({
        campaign_id: campaignId, unit_id: unitId, year: campaign.year, seq, doc_number: number, issued_on: issuedOn, deadline, requirements,
        issued_by: ctx.actor.id, created_at: now, report_submitted_at: null, report_submitted_by: null,
      }).returning('id').executeTakeFirstOrThrow();
      const mine = issuesOfUnit(classification, unitId);
      let position = 0;
      for (const issue of mine) {
        await trx.insertInto('rectification_items').values({
          notice_id: id, position: position++, issue_key: issue.key, kind: issue.kind, code: issue.code, wording: issue.wording.slice(0, 300),
          category: issue.category, scope: issue.scope, repeated: issue.unit.repeated ? 1 : 0,
          files: JSON.stringify(issue.findings.map((f) => ({ fileId: f.fileId, fileNumber: f.fileNumber }))),
        }).execute();
      }
      await recordAudit(trx, ctx.clock, auditActor(ctx), {
        action: 'rectification.notice', entityType: 'rectification', entityId: id,
        summary: `向${unitName}下发整改通知书 ${number}：问题 ${mine.length} 个，整改期限 ${deadline}`,
      });
    }
    return units.length;
  });
}

/** A notice the actor may see (a department: its own unit only; anyone else: the 404 of a notice that does not exist). */
export async function visibleNotice(db: DbOrTrx, ctx: Pick<Ctx, 'actor'>, noticeId: number) {
  const notice = await db.selectFrom('rectification_notices').selectAll().where('id', '=', noticeId).executeTakeFirst();
  if (!notice || !can(asActor(ctx.actor), 'rectification.view', { unitId: notice.unit_id })) throw notFound('整改通知书');
  return notice;
}

const party = (ctx: Ctx): 'department' | 'bureau' => (asActor(ctx.actor).role === 'department' ? 'department' : 'bureau');

/** A measure, its notice and campaign, after checking the actor may act on it at all. */
async function measureFor(db: DbOrTrx, ctx: Ctx, measureId: number) {
  const measure = await db.selectFrom('rectification_measures').selectAll().where('id', '=', measureId).where('deleted_at', 'is', null).executeTakeFirst();
  if (!measure) throw notFound('整改措施');
  const notice = await visibleNotice(db, ctx, measure.notice_id);
  return { measure, notice };
}

function assertMove(status: string, action: MeasureAction, ctx: Ctx): void {
  const problem = moveProblem(status as MeasureStatus, action, party(ctx));
  if (problem) throw new AppError(party(ctx) === 'department' && action === 'verify' ? 403 : 409, problem);
}

async function openCampaignOf(db: DbOrTrx, campaignId: number) {
  const campaign = (await findCampaign(db, campaignId))!;
  if (campaign.status === 'closed') throw conflict('活动已结束，整改记录不能再修改');
  return campaign;
}

function readOrThrow(input: MeasureInput) {
  const read = readMeasure(input);
  if (!read.ok) throw new ValidationError(read.problems);
  return read.values;
}

/** A department adds a measure to one of its issues. */
export async function addMeasure(ctx: Ctx, itemId: number, input: MeasureInput): Promise<number> {
  if (party(ctx) !== 'department') throw forbidden();
  return ctx.db.transaction().execute(async (trx) => {
    const item = await trx.selectFrom('rectification_items').selectAll().where('id', '=', itemId).executeTakeFirst();
    if (!item) throw notFound('整改问题');
    const notice = await visibleNotice(trx, ctx, item.notice_id);
    if (!can(asActor(ctx.actor), 'rectification.edit', { unitId: notice.unit_id })) throw forbidden();
    await openCampaignOf(trx, notice.campaign_id);
    const existing = await trx.selectFrom('rectification_measures').select('status').where('item_id', '=', item.id).where('deleted_at', 'is', null).execute();
    if (itemState(existing.map((m) => m.status as MeasureStatus)) === 'verified') throw conflict(`问题“${item.wording}”的整改措施已全部验收，无需再添加`);
    const values = readOrThrow(input);
    const now = nowIso(ctx.clock);
    const { id } = await trx.insertInto('rectification_measures').values({
      item_id: item.id, notice_id: notice.id, description: values.description, responsible: values.responsible, completed_on: values.completedOn,
      evidence: values.evidence, status: 'draft', created_by: ctx.actor.id, created_at: now, updated_at: now, submitted_at: null,
      verified_at: null, verified_by: null, returned_at: null, returned_by: null, return_reason: null, deleted_at: null,
    }).returning('id').executeTakeFirstOrThrow();
    await recordAudit(trx, ctx.clock, auditActor(ctx), {
      action: 'rectification.measure', entityType: 'rectification', entityId: notice.id,
      summary: `${notice.doc_number}：为问题“${item.wording}”添加整改措施：${values.description}`, after: { ...values },
    });
    return id;
  });
}

export async function updateMeasure(ctx: Ctx, measureId: number, input: MeasureInput): Promise<void> {
  if (party(ctx) !== 'department') throw forbidden();
  await ctx.db.transaction().execute(async (trx) => {
    const { measure, notice } = await measureFor(trx, ctx, measureId);
    assertMove(measure.status, 'edit', ctx);
    await openCampaignOf(trx, notice.campaign_id);
    const values = readOrThrow(input);
    await trx.updateTable('rectification_measures').set({
      description: values.description, responsible: values.responsible, completed_on: values.completedOn, evidence: values.evidence, updated_at: nowIso(ctx.clock),
    }).where('id', '=', measure.id).execute();
    await recordAudit(trx, ctx.clock, auditActor(ctx), {
      action: 'rectification.measure', entityType: 'rectification', entityId: notice.id, summary: `${notice.doc_number}：修改整改措施 #${measure.id}`,
      before: { description: measure.description, responsible: measure.responsible, completedOn: measure.completed_on, evidence: measure.evidence },
      after: { ...values },
    });
  });
}

export async function deleteMeasure(ctx: Ctx, measureId: number): Promise<void> {
  if (party(ctx) !== 'department') throw forbidden();
  await ctx.db.transaction().execute(async (trx) => {
    const { measure, notice } = await measureFor(trx, ctx, measureId);
    assertMove(measure.status, 'delete', ctx);
    await openCampaignOf(trx, notice.campaign_id);
    await trx.updateTable('rectification_measures').set({ deleted_at: nowIso(ctx.clock) }).where('id', '=', measure.id).execute();
    await recordAudit(trx, ctx.clock, auditActor(ctx), {
      action: 'rectification.measure', entityType: 'rectification', entityId: notice.id, summary: `${notice.doc_number}：删除未报送的整改措施：${measure.description}`,
    });
  });
}

/** The department submits its report: every draft or returned measure goes to the bureau for verification. */
export async function submitReport(ctx: Ctx, noticeId: number): Promise<number> {
  if (party(ctx) !== 'department') throw forbidden();
  return ctx.db.transaction().execute(async (trx) => {
    const notice = await visibleNotice(trx, ctx, noticeId);
    await openCampaignOf(trx, notice.campaign_id);
    const items = await trx.selectFrom('rectification_items').selectAll().where('notice_id', '=', notice.id).orderBy('position').execute();
    const measures = await trx.selectFrom('rectification_measures').selectAll().where('notice_id', '=', notice.id).where('deleted_at', 'is', null).execute();
    const problems = reportProblems(items.map((i) => ({
      wording: i.wording,
      measures: measures.filter((m) => m.item_id === i.id).map((m) => ({ status: m.status as MeasureStatus, completedOn: m.completed_on })),
    })));
    if (problems.length > 0) throw new ValidationError(problems.map((message) => ({ field: 'report', message })), '整改报告还不能报送');
    const toSubmit = measures.filter((m) => m.status === 'draft' || m.status === 'returned');
    const now = nowIso(ctx.clock);
    await trx.updateTable('rectification_measures').set({ status: 'submitted', submitted_at: now, updated_at: now })
      .where('id', 'in', toSubmit.map((m) => m.id)).execute();
    await trx.updateTable('rectification_notices').set({ report_submitted_at: now, report_submitted_by: ctx.actor.id }).where('id', '=', notice.id).execute();
    await recordAudit(trx, ctx.clock, auditActor(ctx), {
      action: 'rectification.report', entityType: 'rectification', entityId: notice.id,
      summary: `${notice.doc_number}：报送整改情况，整改措施 ${toSubmit.length} 项待验收`,
    });
    return toSubmit.length;
  });
}

/** The bureau verifies (验收) a submitted measure, or returns it with a reason. */
export async function reviewMeasure(ctx: Ctx, measureId: number, decision: 'verify' | 'return', reason: string): Promise<string> {
  if (!can(asActor(ctx.actor), 'rectification.verify')) throw forbidden();
  return ctx.db.transaction().execute(async (trx) => {
    const { measure, notice } = await measureFor(trx, ctx, measureId);
    assertMove(measure.status, decision, ctx);
    await openCampaignOf(trx, notice.campaign_id);
    const why = reason.trim();
    if (decision === 'return' && why === '') throw new ValidationError([{ field: 'reason', message: '退回须写明理由，以便被评查单位补正' }]);
    if (why.length > MEASURE_LIMITS.reason) throw new ValidationError([{ field: 'reason', message: `理由不超过 ${MEASURE_LIMITS.reason} 个字` }]);
    const now = nowIso(ctx.clock);
    const to = nextStatus(decision, measure.status as MeasureStatus);
    const updated = await trx.updateTable('rectification_measures').set(decision === 'verify'
      ? { status: to, verified_at: now, verified_by: ctx.actor.id, updated_at: now }
      : { status: to, returned_at: now, returned_by: ctx.actor.id, return_reason: why, updated_at: now })
      .where('id', '=', measure.id).where('status', '=', measure.status).executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw conflict('该整改措施刚被他人处理，请刷新后查看');
    await recordAudit(trx, ctx.clock, auditActor(ctx), {
      action: decision === 'verify' ? 'rectification.verify' : 'rectification.return', entityType: 'rectification', entityId: notice.id,
      summary: `${notice.doc_number}：整改措施“${measure.description}”${decision === 'verify' ? '验收通过' : `退回（理由：${why}）`}`,
      before: { status: MEASURE_STATUS_LABELS[measure.status as MeasureStatus] }, after: { status: MEASURE_STATUS_LABELS[to] },
    });
    return decision === 'verify' ? '已验收' : '已退回，被评查单位补正后可再次报送';
  });
}

/** A department attaches an evidence file to a measure it may still edit. */
export async function addAttachment(ctx: Ctx, measureId: number, originalName: string, content: Buffer): Promise<number> {
  if (party(ctx) !== 'department') throw forbidden();
  return ctx.db.transaction().execute(async (trx) => {
    const { measure, notice } = await measureFor(trx, ctx, measureId);
    assertMove(measure.status, 'edit', ctx);
    await openCampaignOf(trx, notice.campaign_id);
    const check = checkAttachment(originalName, content);
    if (!check.ok) throw new ValidationError([{ field: 'file', message: check.message }], check.message);
    const count = Number((await trx.selectFrom('attachments').select(({ fn }) => fn.countAll<number>().as('n'))
      .where('measure_id', '=', measure.id).where('removed_at', 'is', null).executeTakeFirstOrThrow()).n);
    if (count >= ATTACHMENTS_PER_MEASURE) throw conflict(`每项整改措施最多上传 ${ATTACHMENTS_PER_MEASURE} 个附件`);
    const { id } = await trx.insertInto('attachments').values({
      measure_id: measure.id, filename: check.filename, mime: check.mime, size: content.length,
      sha256: createHash('sha256').update(content).digest('hex'), data: content, uploaded_by: ctx.actor.id, uploaded_at: nowIso(ctx.clock), removed_at: null,
    }).returning('id').executeTakeFirstOrThrow();
    await recordAudit(trx, ctx.clock, auditActor(ctx), {
      action: 'rectification.attachment', entityType: 'rectification', entityId: notice.id,
      summary: `${notice.doc_number}：整改措施 #${measure.id} 上传附件“${check.filename}”（${Math.ceil(content.length / 1024)} KB）`,
    });
    return id;
  });
}

export async function removeAttachment(ctx: Ctx, attachmentId: number): Promise<void> {
  if (party(ctx) !== 'department') throw forbidden();
  await ctx.db.transaction().execute(async (trx) => {
    const file = await trx.selectFrom('attachments').select(['id', 'measure_id', 'filename']).where('id', '=', attachmentId).where('removed_at', 'is', null).executeTakeFirst();
    if (!file) throw notFound('附件');
    const { measure, notice } = await measureFor(trx, ctx, file.measure_id);
    assertMove(measure.status, 'edit', ctx);
    await openCampaignOf(trx, notice.campaign_id);
    await trx.updateTable('attachments').set({ removed_at: nowIso(ctx.clock) }).where('id', '=', file.id).execute();
    await recordAudit(trx, ctx.clock, auditActor(ctx), {
      action: 'rectification.attachment', entityType: 'rectification', entityId: notice.id, summary: `${notice.doc_number}：删除附件“${file.filename}”`,
    });
  });
}

/** An attachment for download, if the actor may see its notice. */
export async function attachmentFor(ctx: Ctx, attachmentId: number) {
  const file = await ctx.db.selectFrom('attachments').selectAll().where('id', '=', attachmentId).where('removed_at', 'is', null).executeTakeFirst();
  if (!file) throw notFound('附件');
  await measureFor(ctx.db, ctx, file.measure_id);
  return file;
}
