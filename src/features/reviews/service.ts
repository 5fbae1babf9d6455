// Scoring a file: saving and submitting score sheets (一卷一表), reconciling a file's sheets into its final
// result or sending it to re-check (复核), the rechecker's final sheet, and objections (异议) with their
// decisions. Every change runs in one transaction and is audited; the scoring engine recomputes every score.
import type { Ctx } from '../../context.ts';
import { asActor, nowIso } from '../../context.ts';
import type { DbOrTrx } from '../../db/connection.ts';
import type { CampaignRow, ReviewRow } from '../../db/schema.ts';
import { checkAssignment } from '../../domain/assignment.ts';
import type { CampaignKind } from '../../domain/campaigns.ts';
import {
  deciderProblems, objectionDeadline, objectionProblems, reviseResult, OBJECTION_STATUS_LABELS, type FinalMethod, type Withdrawn,
} from '../../domain/objections.ts';
import { can, type Actor } from '../../domain/policy.ts';
import { reconcile, recheckFinal, ReconciliationError, type SubmittedReview } from '../../domain/reconciliation.ts';
import { readSheet, scoreSheet, submitProblems, type SheetContent, type SheetInput } from '../../domain/review-sheet.ts';
import { formatTenths } from '../../domain/rubric/points.ts';
import type { ReviewScore } from '../../domain/rubric/scoring.ts';
import type { Rubric } from '../../domain/rubric/types.ts';
import { AppError, conflict, forbidden, notFound, ValidationError } from '../../web/app-error.ts';
import { formatDateTime } from '../../web/format.ts';
import { auditActor, recordAudit } from '../audit/record.ts';
import { conflictsOf, poolOf, toDeclared } from '../assignment/queries.ts';
import { findCampaign } from '../campaigns/queries.ts';
import { allUnits } from '../units/queries.ts';
import {
  activeAssignmentOf, contentOf, currentFinal, findFile, findObjection, findSheet, idsOf, objectionsOfFile, pinnedRubric, recheckOf,
  rubricOfVersion, sheetsOfFile, withdrawnOf, writeMarks, type FileRow, type SheetKind,
} from './queries.ts';

export const SHEET_KIND_LABELS: Record<SheetKind, string> = { review: '评查表', recheck: '复核评查表' };

/** Who the actor is to this file, as far as scoring goes. */
export interface SheetAccess {
  campaign: CampaignRow;
  file: FileRow;
  kind: SheetKind;
  rubric: Rubric;
  versionId: number;
  sheet: ReviewRow | undefined;
  /** True while the actor may still save or submit (assignment active, stage open, sheet not submitted). */
  writable: boolean;
  /** Why not, when not writable. */
  lockedReason: string | null;
}

function stageOpen(campaign: CampaignRow, kind: SheetKind): string | null {
  if (kind === 'review' && campaign.status !== 'reviewing') return '活动不在“评查中”阶段，评查表不能保存或提交';
  if (kind === 'recheck' && campaign.status !== 'reviewing' && campaign.status !== 'rechecking') return '活动不在评查或复核阶段，复核评查表不能保存或提交';
  return null;
}

/**
 * The actor's own sheet on a file: a review when the file is assigned to them, a re-check sheet when they are its
 * rechecker. Anyone else gets the same 404 as a file that does not exist (no hint that it does).
 */
export async function sheetAccess(db: DbOrTrx, actor: Actor, campaignId: number, fileId: number): Promise<SheetAccess> {
  const campaign = await findCampaign(db, campaignId);
  const file = campaign ? await findFile(db, campaignId, fileId) : undefined;
  if (!campaign || !file || actor.role !== 'reviewer') throw notFound('评查任务');
  const assignment = await activeAssignmentOf(db, fileId, actor.id);
  const recheck = await recheckOf(db, fileId);
  let kind: SheetKind | null = null;
  if (assignment) kind = 'review';
  else if (recheck?.rechecker_id === actor.id) kind = 'recheck';
  const own = kind ? await findSheet(db, fileId, actor.id, kind) : (await findSheet(db, fileId, actor.id, 'review')) ?? (await findSheet(db, fileId, actor.id, 'recheck'));
  if (!kind && !own) throw notFound('评查任务');
  const sheetKind = kind ?? (own!.kind as SheetKind);
  const pinned = own ? { versionId: own.rubric_version_id, rubric: await rubricOfVersion(db, own.rubric_version_id) } : await pinnedRubric(db, campaignId, file.case_type);
  if (!pinned) throw conflict('本活动没有为该类型案卷指定评查标准，请联系管理员');
  let lockedReason: string | null = null;
  if (own?.status === 'submitted') lockedReason = `本表已于 ${formatDateTime(own.submitted_at)} 提交，不能再修改`;
  else if (!kind) lockedReason = '该案卷已不再分配给您';
  else if (sheetKind === 'recheck' && recheck?.resolved_at) lockedReason = '本卷的复核已经完成';
  else lockedReason = stageOpen(campaign, sheetKind);
  return { campaign, file, kind: sheetKind, rubric: pinned.rubric, versionId: pinned.versionId, sheet: own, writable: lockedReason === null, lockedReason };
}

export interface SaveResult {
  reviewId: number;
  revision: number;
  score: ReviewScore;
  submitted: boolean;
  /** What happened to the file, in a sentence for the flash message. */
  outcome: string;
}

/**
 * Saves a draft, or submits. `expectedRevision` is the revision the page was loaded with (0 for a new sheet):
 * a save from an older page is refused, never applied over a newer one.
 */
export async function saveSheet(
  ctx: Ctx, campaignId: number, fileId: number, input: SheetInput, expectedRevision: number | null, submit: boolean, confirmedClean: boolean,
): Promise<SaveResult> {
  return ctx.db.transaction().execute(async (trx) => {
    const access = await sheetAccess(trx, asActor(ctx.actor), campaignId, fileId);
    const { campaign, file, kind, rubric, sheet } = access;
    if (!access.writable) throw conflict(access.lockedReason!);
    const current = sheet?.revision ?? 0;
    if (expectedRevision === null || expectedRevision !== current) {
      throw new AppError(409, `本表已在其他窗口或设备上保存过（现为第 ${current} 次保存），您这次的修改没有保存。请重新打开本表，核对后再填写`, { code: 'stale_sheet' });
    }
    // A conflict declared, a unit moved or a person changed since assignment: the reviewer must step aside.
    const recusal = await recusalReasons(trx, campaign, file, ctx.actor.id);
    if (recusal.length > 0) throw new AppError(409, `您需回避本卷，不能再评查：${recusal.join('；')}。请联系管理员改派`, { code: 'recusal' });
    const read = readSheet(rubric, input);
    if (!read.ok) throw new ValidationError(read.problems, `评查表有 ${read.problems.length} 处需要修改，本次未保存`);
    const content = read.content;
    if (submit) {
      const problems = submitProblems(content, confirmedClean);
      if (problems.length > 0) throw new ValidationError(problems, `评查表还不能提交：${problems.map((p) => p.message).join('；')}`);
    }
    const score = scoreSheet(rubric, content);
    const now = nowIso(ctx.clock);
    const columns = {
      opinion: content.opinion || null, total_tenths: score.totalTenths, points_score_tenths: score.pointsScoreTenths,
      grade_code: score.grade.code, grade_label: score.grade.label, passing: score.grade.passing ? 1 as const : 0 as const,
      deciding_veto: score.decidingVeto, updated_at: now, status: submit ? 'submitted' : 'draft', submitted_at: submit ? now : null,
    };
    let reviewId: number;
    if (sheet) {
      const updated = await trx.updateTable('reviews').set({ ...columns, revision: current + 1 })
        .where('id', '=', sheet.id).where('revision', '=', current).where('status', '=', 'draft').executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) throw conflict('本表刚被其他窗口修改或提交，您这次的修改没有保存，请重新打开本表');
      reviewId = sheet.id;
    } else {
      reviewId = (await trx.insertInto('reviews').values({
        ...columns, campaign_id: campaignId, case_file_id: fileId, reviewer_id: ctx.actor.id, kind, rubric_version_id: access.versionId,
        revision: 1, created_at: now,
      }).returning('id').executeTakeFirstOrThrow()).id;
    }
    await writeMarks(trx, reviewId, content);
    const what = `${SHEET_KIND_LABELS[kind]}（案卷 ${file.file_number}，${file.unit_name}）`;
    if (!sheet || submit) {
      await recordAudit(trx, ctx.clock, auditActor(ctx), {
        action: submit ? 'review.submit' : 'review.draft', entityType: 'review', entityId: reviewId,
        summary: submit ? `提交${what}：得分 ${score.total} 分，等次${score.grade.label}` : `开始填写${what}（草稿）`,
        after: submit ? { total: score.total, grade: score.grade.label, deductions: content.deductions.length, vetoes: content.vetoes.map((v) => v.code) } : null,
      });
    }
    let outcome = submit ? `已提交：得分 ${score.total} 分，等次${score.grade.label}` : `草稿已保存：当前得分 ${score.total} 分，等次${score.grade.label}`;
    if (submit) outcome += kind === 'review' ? await reconcileFile(trx, ctx, campaign, file, rubric) : await settleRecheck(trx, ctx, file, rubric, reviewId, score);
    return { reviewId, revision: current + 1, score, submitted: submit, outcome };
  });
}

/** The submitted review sheets of a file, re-scored by the engine from their marks. */
async function submittedReviews(db: DbOrTrx, fileId: number, rubric: Rubric): Promise<(SubmittedReview & { content: SheetContent })[]> {
  const sheets = (await sheetsOfFile(db, fileId)).filter((s) => s.kind === 'review' && s.status === 'submitted');
  const out: (SubmittedReview & { content: SheetContent })[] = [];
  for (const s of sheets) {
    const content = await contentOf(db, s);
    out.push({ reviewId: s.id, reviewerId: s.reviewer_id, reviewerName: s.reviewer_name, result: scoreSheet(rubric, content), content });
  }
  return out;
}

async function insertFinal(
  db: DbOrTrx, ctx: Ctx, file: FileRow, values: {
    method: FinalMethod; totalTenths: number; grade: { code: string; label: string; passing: boolean }; sheets: number[]; basis: number[];
    withdrawn: Withdrawn; objectionId: number | null; explanation: string;
  }, supersedes: { id: number; revision: number } | null,
): Promise<number> {
  const now = nowIso(ctx.clock);
  if (supersedes) await db.updateTable('final_results').set({ superseded_at: now }).where('id', '=', supersedes.id).execute();
  const { id } = await db.insertInto('final_results').values({
    campaign_id: file.campaign_id, case_file_id: file.id, revision: (supersedes?.revision ?? 0) + 1, supersedes_id: supersedes?.id ?? null,
    method: values.method, total_tenths: values.totalTenths, grade_code: values.grade.code, grade_label: values.grade.label,
    passing: values.grade.passing ? 1 : 0, sheets: JSON.stringify(values.sheets), basis: JSON.stringify(values.basis),
    withdrawn: JSON.stringify(values.withdrawn), objection_id: values.objectionId, explanation: values.explanation,
    created_at: now, created_by: ctx.actor.id,
  }).returning('id').executeTakeFirstOrThrow();
  await recordAudit(db, ctx.clock, auditActor(ctx), {
    action: 'result.final', entityType: 'caseFile', entityId: file.id,
    summary: `案卷 ${file.file_number}（${file.unit_name}）${supersedes ? `最后得分修订为第 ${(supersedes.revision) + 1} 版` : '形成最后得分'}：${formatTenths(values.totalTenths)} 分，${values.grade.label}。${values.explanation}`,
    after: { total: formatTenths(values.totalTenths), grade: values.grade.label, method: values.method },
  });
  return id;
}

const NO_WITHDRAWALS: Withdrawn = { deductions: [], vetoes: [] };

/** When every review of the file is in: the final result, or the file goes to re-check. Returns a sentence. */
async function reconcileFile(db: DbOrTrx, ctx: Ctx, campaign: CampaignRow, file: FileRow, rubric: Rubric): Promise<string> {
  const reviews = await submittedReviews(db, file.id, rubric);
  let result;
  try {
    result = reconcile(rubric, { reviewersPerFile: campaign.reviewers_per_file, disagreementThresholdTenths: campaign.disagreement_threshold_tenths }, reviews);
  } catch (e) {
    if (e instanceof ReconciliationError) throw conflict(e.message);
    throw e;
  }
  if (result.status === 'waiting') return `；${result.explanation}`;
  if (result.status === 'agreed') {
    await insertFinal(db, ctx, file, {
      method: result.method, totalTenths: result.finalTenths, grade: result.grade, sheets: result.basis, basis: result.basis,
      withdrawn: NO_WITHDRAWALS, objectionId: null, explanation: result.explanation,
    }, null);
    return `；本卷评查表已全部提交，${result.explanation}，最后得分 ${result.final} 分（${result.grade.label}）`;
  }
  await db.insertInto('rechecks').values({ campaign_id: file.campaign_id, case_file_id: file.id, reasons: JSON.stringify(result.reasons), created_at: nowIso(ctx.clock) }).execute();
  await recordAudit(db, ctx.clock, auditActor(ctx), {
    action: 'recheck.needed', entityType: 'caseFile', entityId: file.id,
    summary: `案卷 ${file.file_number}（${file.unit_name}）转入复核：${result.reasons.join('；')}`,
  });
  return `；本卷评查表已全部提交，但${result.reasons.join('；')}，本卷转入复核`;
}

async function settleRecheck(db: DbOrTrx, ctx: Ctx, file: FileRow, rubric: Rubric, reviewId: number, score: ReviewScore): Promise<string> {
  const reviews = await submittedReviews(db, file.id, rubric);
  let result;
  try {
    result = recheckFinal({ id: ctx.actor.id, name: ctx.actor.displayName }, reviews, score);
  } catch (e) {
    if (e instanceof ReconciliationError) throw conflict(e.message);
    throw e;
  }
  await db.updateTable('rechecks').set({ resolved_at: nowIso(ctx.clock) }).where('case_file_id', '=', file.id).execute();
  await insertFinal(db, ctx, file, {
    method: 'recheck', totalTenths: result.finalTenths, grade: result.grade, sheets: [reviewId], basis: [...result.basis, reviewId],
    withdrawn: NO_WITHDRAWALS, objectionId: null, explanation: result.explanation,
  }, null);
  return `；复核完成，本卷最后得分 ${result.final} 分（${result.grade.label}）`;
}

/** Why the conflict rules, checked again now, keep this person off the file (empty when they may score it). */
async function recusalReasons(db: DbOrTrx, campaign: CampaignRow, file: FileRow, userId: number): Promise<string[]> {
  const reviewer = (await poolOf(db, campaign.id)).find((r) => r.id === userId);
  if (!reviewer) return ['您已不在本活动的评查员库中'];
  return checkAssignment(
    { id: file.id, unitId: file.unit_id, caseType: file.case_type as never, fileNumber: file.file_number, handlers: [file.handlers] },
    reviewer,
    { campaignKind: campaign.kind as CampaignKind, units: await allUnits(db), conflicts: toDeclared(await conflictsOf(db, campaign.id)) },
  );
}

/** The bureau names (or changes) who re-checks a file. Same conflict rules as assignment; never one of its reviewers. */
export async function assignRechecker(ctx: Ctx, campaignId: number, fileId: number, recheckerId: number | null): Promise<string> {
  if (!can(asActor(ctx.actor), 'campaign.manage')) throw forbidden();
  return ctx.db.transaction().execute(async (trx) => {
    const campaign = await findCampaign(trx, campaignId);
    const file = campaign ? await findFile(trx, campaignId, fileId) : undefined;
    if (!campaign || !file) throw notFound('案卷');
    if (campaign.status !== 'reviewing' && campaign.status !== 'rechecking') throw conflict('只有在评查和复核阶段才能指定复核人员');
    const recheck = await recheckOf(trx, fileId);
    if (!recheck) throw conflict(`案卷 ${file.file_number} 不需要复核`);
    if (recheck.resolved_at) throw conflict(`案卷 ${file.file_number} 已复核完毕`);
    const reviewer = (await poolOf(trx, campaignId)).find((r) => r.id === recheckerId && r.active);
    if (!reviewer) throw new ValidationError([{ field: 'recheckerId', message: '请选择评查员库中启用的评查员' }]);
    if (recheck.rechecker_id === reviewer.id) return `${reviewer.name}已是本卷的复核人员`;
    const authors = (await sheetsOfFile(trx, fileId)).filter((s) => s.kind === 'review').map((s) => s.reviewer_id);
    const problems: string[] = [];
    if (authors.includes(reviewer.id)) problems.push(`${reviewer.name}评查过本卷，复核人员须由未评查本卷的人员担任`);
    problems.push(...await recusalReasons(trx, campaign, file, reviewer.id));
    if (problems.length > 0) throw new ValidationError(problems.map((message) => ({ field: 'recheckerId', message })), `不能由${reviewer.name}复核案卷 ${file.file_number}`);
    await trx.updateTable('rechecks').set({ rechecker_id: reviewer.id, assigned_at: nowIso(ctx.clock), assigned_by: ctx.actor.id }).where('id', '=', recheck.id).execute();
    await recordAudit(trx, ctx.clock, auditActor(ctx), {
      action: 'recheck.assign', entityType: 'caseFile', entityId: fileId,
      summary: `案卷 ${file.file_number}（${file.unit_name}）${recheck.rechecker_name ? `复核人员由${recheck.rechecker_name}改为` : '指定复核人员：'}${reviewer.name}`,
      before: { rechecker: recheck.rechecker_name ?? null }, after: { rechecker: reviewer.name },
    });
    return `已指定${reviewer.name}复核案卷 ${file.file_number}`;
  });
}

/** What the current final result of a file holds that a department may contest. */
export async function contestable(db: DbOrTrx, final: { sheets: string; withdrawn: string }): Promise<Withdrawn> {
  const withdrawn = withdrawnOf(final.withdrawn);
  const deductions = new Set<string>();
  const vetoes = new Set<string>();
  for (const id of idsOf(final.sheets)) {
    const marks = await db.selectFrom('review_marks').select(['kind', 'item_code']).where('review_id', '=', id).execute();
    for (const m of marks) if (m.kind !== 'other') (m.kind === 'veto' ? vetoes : deductions).add(m.item_code); // 其他问题 carry no points to contest
  }
  return {
    deductions: [...deductions].filter((c) => !withdrawn.deductions.includes(c)),
    vetoes: [...vetoes].filter((c) => !withdrawn.vetoes.includes(c)),
  };
}

export async function raiseObjection(ctx: Ctx, campaignId: number, fileId: number, target: string, reason: string): Promise<number> {
  const actor = asActor(ctx.actor);
  if (actor.role !== 'department') throw forbidden();
  return ctx.db.transaction().execute(async (trx) => {
    const campaign = await findCampaign(trx, campaignId);
    const file = campaign ? await findFile(trx, campaignId, fileId) : undefined;
    // Another unit's file looks exactly like a file that does not exist.
    if (!campaign || !file || file.unit_id !== actor.unitId) throw notFound('案卷');
    const final = await currentFinal(trx, fileId);
    if (!final) throw conflict('本卷还没有最后得分，不能提出异议');
    const [kind, code] = target.includes(':') ? [target.slice(0, target.indexOf(':')), target.slice(target.indexOf(':') + 1)] : ['', ''];
    const open = (await objectionsOfFile(trx, fileId)).filter((o) => o.status === 'open').map((o) => `${o.target_kind}:${o.target_code}`);
    const problems = objectionProblems({
      now: nowIso(ctx.clock), campaignStatus: campaign.status, releasedAt: campaign.released_at, windowDays: campaign.objection_window_days,
      actorUnitId: actor.unitId, fileUnitId: file.unit_id, targetKind: kind!, targetCode: code!, reason, contestable: await contestable(trx, final), openTargets: open,
    });
    if (problems.length > 0) throw new ValidationError(problems, problems.length === 1 ? problems[0]!.message : undefined);
    const { id } = await trx.insertInto('objections').values({
      campaign_id: campaignId, case_file_id: fileId, unit_id: file.unit_id, final_result_id: final.id, target_kind: kind!, target_code: code!,
      reason: reason.trim(), raised_by: actor.id, raised_at: nowIso(ctx.clock), status: 'open',
      decided_by: null, decided_at: null, decision_reason: null, result_id: null,
    }).returning('id').executeTakeFirstOrThrow();
    await recordAudit(trx, ctx.clock, auditActor(ctx), {
      action: 'objection.raise', entityType: 'objection', entityId: id,
      summary: `${file.unit_name}对案卷 ${file.file_number} 的${kind === 'veto' ? '否决项' : '扣分项'} ${code} 提出异议：${reason.trim()}`,
    });
    return id;
  });
}

/** Upholding withdraws the contested mark: the result is recomputed from the same sheets as a new revision. */
export async function decideObjection(ctx: Ctx, objectionId: number, decision: string, reason: string): Promise<string> {
  if (!can(asActor(ctx.actor), 'campaign.manage')) throw forbidden();
  return ctx.db.transaction().execute(async (trx) => {
    const objection = await findObjection(trx, objectionId);
    if (!objection) throw notFound('异议');
    const campaign = (await findCampaign(trx, objection.campaign_id))!;
    const file = (await findFile(trx, objection.campaign_id, objection.case_file_id))!;
    if (objection.status !== 'open') throw conflict(`该异议已处理（${OBJECTION_STATUS_LABELS[objection.status as 'upheld']}），不能重复处理`);
    if (campaign.status !== 'released') throw conflict('只有在结果发布阶段才能处理异议');
    const sheets = await sheetsOfFile(trx, file.id);
    const problems = deciderProblems(ctx.actor.id, sheets.map((s) => s.reviewer_id), decision, reason);
    if (problems.length > 0) throw new ValidationError(problems, problems.length === 1 ? problems[0]!.message : undefined);
    const now = nowIso(ctx.clock);
    let resultId: number | null = null;
    let message = `异议不成立，维持原评查结果`;
    if (decision === 'upheld') {
      const final = (await currentFinal(trx, file.id))!;
      const before = withdrawnOf(final.withdrawn);
      const withdrawn: Withdrawn = objection.target_kind === 'veto'
        ? { ...before, vetoes: [...before.vetoes, objection.target_code] }
        : { ...before, deductions: [...before.deductions, objection.target_code] };
      const sheetIds = idsOf(final.sheets);
      const source = sheets.filter((s) => sheetIds.includes(s.id));
      const rubric = await rubricOfVersion(trx, source[0]!.rubric_version_id);
      const contents = [];
      for (const s of source) contents.push(await contentOf(trx, s));
      const revised = reviseResult(rubric, final.method as FinalMethod, contents, withdrawn);
      resultId = await insertFinal(trx, ctx, file, {
        method: final.method as FinalMethod, totalTenths: revised.totalTenths, grade: revised.grade, sheets: sheetIds, basis: idsOf(final.basis),
        withdrawn, objectionId: objection.id,
        explanation: `异议成立（第 ${objection.id} 号异议）：${revised.explanation}；原最后得分 ${formatTenths(final.total_tenths)} 分（${final.grade_label}）`,
      }, { id: final.id, revision: final.revision });
      message = `异议成立，最后得分由 ${formatTenths(final.total_tenths)} 分（${final.grade_label}）改为 ${formatTenths(revised.totalTenths)} 分（${revised.grade.label}）`;
    }
    await trx.updateTable('objections').set({ status: decision, decided_by: ctx.actor.id, decided_at: now, decision_reason: reason.trim(), result_id: resultId })
      .where('id', '=', objection.id).where('status', '=', 'open').execute();
    await recordAudit(trx, ctx.clock, auditActor(ctx), {
      action: 'objection.decide', entityType: 'objection', entityId: objection.id,
      summary: `处理${file.unit_name}对案卷 ${file.file_number} ${objection.target_code} 的异议：${message}（理由：${reason.trim()}）`,
      before: { status: 'open' }, after: { status: decision },
    });
    return message;
  });
}

/** When the objection window of a released campaign closes. */
export const objectionWindowEnd = (campaign: CampaignRow): string | null =>
  campaign.released_at ? objectionDeadline(campaign.released_at, campaign.objection_window_days) : null;


/** What one viewer may see of a file's sheets and result. */
export interface FileVisibility {
  viewer: 'bureau' | 'reviewer' | 'rechecker' | 'department';
  /** Sheets whose content this viewer may read. */
  readableSheetIds: number[];
  /** Set for a reviewer who has not submitted: co-reviewers' sheets stay hidden until they do (blind review). */
  blindNotice: string | null;
  showFinal: boolean;
  showObjections: boolean;
}

/**
 * Blind first: a reviewer reads co-reviewers' sheets only after submitting their own; the rechecker reads every
 * submitted sheet; a department reads its own unit's results once they are released; the bureau reads everything
 * submitted. Anyone else gets the 404 of a file that does not exist.
 */
export async function fileVisibility(db: DbOrTrx, actor: Actor, campaign: CampaignRow, file: FileRow): Promise<FileVisibility> {
  const sheets = await sheetsOfFile(db, file.id);
  const submitted = sheets.filter((s) => s.status === 'submitted').map((s) => s.id);
  if (actor.role === 'admin' || actor.role === 'leader') {
    return { viewer: 'bureau', readableSheetIds: submitted, blindNotice: null, showFinal: true, showObjections: true };
  }
  if (actor.role === 'department') {
    if (file.unit_id !== actor.unitId) throw notFound('案卷');
    if (campaign.status !== 'released' && campaign.status !== 'closed') throw new AppError(403, '评查结果发布后，本单位才能查看案卷的评查结果');
    return { viewer: 'department', readableSheetIds: submitted, blindNotice: null, showFinal: true, showObjections: true };
  }
  if (actor.role !== 'reviewer') throw notFound('案卷');
  const own = sheets.filter((s) => s.reviewer_id === actor.id);
  const assigned = Boolean(await activeAssignmentOf(db, file.id, actor.id));
  const recheck = await recheckOf(db, file.id);
  if (recheck?.rechecker_id === actor.id) {
    return { viewer: 'rechecker', readableSheetIds: [...new Set([...submitted, ...own.map((s) => s.id)])], blindNotice: null, showFinal: true, showObjections: false };
  }
  if (!assigned && own.length === 0) throw notFound('案卷');
  const ownReview = own.find((s) => s.kind === 'review');
  if (ownReview?.status === 'submitted') {
    return { viewer: 'reviewer', readableSheetIds: submitted, blindNotice: null, showFinal: true, showObjections: false };
  }
  return {
    viewer: 'reviewer', readableSheetIds: own.map((s) => s.id),
    blindNotice: '背对背评查：其他评查人员的评查表在您提交本表之后才能查看', showFinal: false, showObjections: false,
  };
}
