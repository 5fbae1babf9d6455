// Demo scoring: takes the demo cross review (already sampled and assigned) into its 评查中 stage and scores a
// deterministic part of it through the real services, so the progress board, the reviewers' queues and the
// result list show every state: files not yet touched, drafts, files waiting for a second sheet, agreed finals
// (some failed by a veto), and disagreements sent to re-check — some without a rechecker, some with one, one
// re-check in draft and two settled. Every sheet goes through saveSheet as its reviewer, so the scoring
// engine, reconciliation and the audit log work exactly as in real use. The campaign is left in 评查中.
//
// Deterministic: one fixed-seed generator (prngFromText) draws the plan, the deductions and the notes; the
// files come in the order the sampling left them. No Math.random.
//
// The sheet generators and the per-user contexts are shared with demo-history.ts (the finished 2025 campaign).
import type { Ctx } from '../src/context.ts';
import type { CampaignRow } from '../src/db/schema.ts';
import { progressBoard } from '../src/domain/progress.ts';
import { prngFromText, type Prng } from '../src/domain/prng.ts';
import { reconcile } from '../src/domain/reconciliation.ts';
import { readSheet, scoreSheet, type DeductionInput, type SheetInput, type VetoInput } from '../src/domain/review-sheet.ts';
import type { Rubric, RubricItem } from '../src/domain/rubric/types.ts';
import type { CaseType, Role } from '../src/domain/vocabulary.ts';
import { activeAssignments, filesToReview, poolOf } from '../src/features/assignment/queries.ts';
import { findCampaign } from '../src/features/campaigns/queries.ts';
import { transitionCampaign } from '../src/features/campaigns/service.ts';
import { progressFiles, progressSheets } from '../src/features/reviews/progress-queries.ts';
import { pinnedRubric } from '../src/features/reviews/queries.ts';
import { assignRechecker, saveSheet } from '../src/features/reviews/service.ts';
import { AppError } from '../src/web/app-error.ts';

export const DEMO_SCORES_SEED = 'MDJ-2026-XCPC-SCORES';

/** How many files of each kind the demo scores; the rest are scored by both reviewers and agree. */
const PLAN = {
  untouched: 6, // neither reviewer has opened the sheet
  oneDraft: 5, // one reviewer has a draft, the other has not started
  submittedAndDraft: 5, // one sheet submitted, the other still a draft
  oneSubmitted: 4, // one sheet submitted, the other not started
  vetoAgreed: 3, // both reviewers mark the same veto: 不合格 by agreement
  recheckOpen: 4, // disagreement, no rechecker named yet
  recheckAssigned: 2, // disagreement, a rechecker named who has not started
  recheckDraft: 1, // disagreement, the rechecker has a draft
  recheckSettled: 2, // disagreement settled by the rechecker
} as const;
type Plan = keyof typeof PLAN | 'agreed';

/** Where in a file a problem is found, per case type: the documents a reviewer names. */
const DOCUMENTS: Record<string, string[]> = {
  penalty: ['立案审批表', '询问笔录', '现场检查笔录', '行政处罚事先告知书', '陈述申辩笔录', '案件调查终结报告', '法制审核意见书', '行政处罚决定书', '送达回证', '卷内目录'],
  license: ['行政许可申请书', '受理通知书', '补正材料通知书', '现场核查记录', '许可审查意见', '准予行政许可决定书', '送达回证', '卷内目录'],
  inspection: ['检查计划', '执法证件复印件', '现场检查笔录', '责令改正通知书', '检查结果告知书', '送达回证', '卷内目录'],
  coercion: ['强制措施审批表', '查封（扣押）决定书', '查封（扣押）清单', '催告书', '强制执行决定书', '送达回证', '卷内目录'],
};

const pick = <T>(prng: Prng, list: readonly T[]): T => list[prng.nextBelow(list.length)]!;

export function shuffled<T>(prng: Prng, list: readonly T[]): T[] {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = prng.nextBelow(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export const itemsOf = (rubric: Rubric): RubricItem[] => rubric.sections.flatMap((s) => s.items);

/** One deduction as a reviewer would record it: occurrences or points within the range, a note and where. */
export function deduction(prng: Prng, item: RubricItem, caseType: string): DeductionInput {
  const document = pick(prng, DOCUMENTS[caseType] ?? DOCUMENTS.penalty!);
  const page = String(1 + prng.nextBelow(60));
  const note = `${item.issue}（${document}第 ${page} 页）`;
  if (item.deduction.type === 'per_occurrence') {
    return { itemCode: item.code, count: prng.nextBelow(5) === 0 ? 2 : 1, note, document, page };
  }
  const { min, max } = item.deduction;
  // The lower end of the range or a step above it, in half points.
  const steps = Math.round((max - min) * 2);
  const points = min + prng.nextBelow(Math.min(steps, 4) + 1) / 2;
  return { itemCode: item.code, points: String(points), note, document, page };
}

/** A realistic sheet: most files have a few deductions, some none, few many. */
function drawSheet(prng: Prng, rubric: Rubric, caseType: string): SheetInput {
  const roll = prng.nextBelow(20);
  const n = roll < 2 ? 0 : roll < 8 ? 1 + prng.nextBelow(2) : roll < 15 ? 3 + prng.nextBelow(2) : 5 + prng.nextBelow(3);
  const items = shuffled(prng, itemsOf(rubric)).slice(0, n);
  return { deductions: items.map((item) => deduction(prng, item, caseType)), vetoes: [], opinion: '' };
}

/** The co-reviewer's view of the same file: mostly the same problems, now and then one more or one fewer. */
export function similarSheet(prng: Prng, rubric: Rubric, caseType: string, first: SheetInput): SheetInput {
  const deductions = first.deductions.map((d) => ({ ...d }));
  const roll = prng.nextBelow(4);
  if (roll === 0 && deductions.length > 0) deductions.splice(prng.nextBelow(deductions.length), 1);
  if (roll === 1) {
    const small = itemsOf(rubric).filter((i) => i.deduction.type === 'per_occurrence' && i.deduction.points <= 1 && !deductions.some((d) => d.itemCode === i.code));
    if (small.length > 0) deductions.push({ ...deduction(prng, pick(prng, small), caseType), count: 1 });
  }
  return { deductions, vetoes: first.vetoes.map((v) => ({ ...v })), opinion: '' };
}

/** A veto (not the 'zero' ones, which are rare) with the note submission requires; `code` fixes which one. */
export function veto(prng: Prng, rubric: Rubric, caseType: string, code?: string): VetoInput {
  const v = code === undefined ? pick(prng, rubric.vetoes.filter((x) => x.effect === 'fail')) : rubric.vetoes.find((x) => x.code === code);
  if (!v) throw new Error(`demo scores: the pinned rubric ${rubric.id} has no veto ${code}`);
  const document = pick(prng, DOCUMENTS[caseType] ?? DOCUMENTS.penalty!);
  return { code: v.code, note: `${v.issue}，见${document}`, document, page: String(1 + prng.nextBelow(40)) };
}

function scored(rubric: Rubric, input: SheetInput) {
  const read = readSheet(rubric, input);
  if (!read.ok) throw new Error(`demo scores: a drawn sheet is invalid: ${read.problems.map((p) => p.message).join('; ')}`);
  return scoreSheet(rubric, read.content);
}

/** Whether the service's reconciliation would agree on these two sheets. */
export function agrees(rubric: Rubric, campaign: CampaignRow, a: SheetInput, b: SheetInput): boolean {
  const result = reconcile(rubric, { reviewersPerFile: 2, disagreementThresholdTenths: campaign.disagreement_threshold_tenths }, [
    { reviewId: 1, reviewerId: 1, result: scored(rubric, a) },
    { reviewId: 2, reviewerId: 2, result: scored(rubric, b) },
  ]);
  return result.status === 'agreed';
}

/** A second sheet that reconciliation sends to re-check: a veto one reviewer saw and the other did not, or a wide spread. */
export function disagreeingSheet(prng: Prng, rubric: Rubric, caseType: string, campaign: CampaignRow, first: SheetInput, useVeto: boolean): SheetInput {
  const second = similarSheet(prng, rubric, caseType, first);
  if (useVeto) return { ...second, vetoes: [veto(prng, rubric, caseType)] };
  for (const item of shuffled(prng, itemsOf(rubric))) {
    if (!agrees(rubric, campaign, first, second)) break;
    if (second.deductions.some((d) => d.itemCode === item.code)) continue;
    second.deductions.push(deduction(prng, item, caseType));
  }
  return agrees(rubric, campaign, first, second) ? { ...second, vetoes: [veto(prng, rubric, caseType)] } : second;
}

/** The context of a request by this user (a reviewer scoring, a department objecting), as a page builds it. */
export async function userCtx(admin: Ctx, userId: number): Promise<Ctx> {
  const u = await admin.db.selectFrom('users').innerJoin('units', 'units.id', 'users.unit_id')
    .select(['users.id', 'users.username', 'users.display_name', 'users.role', 'users.unit_id', 'units.name as unit_name'])
    .where('users.id', '=', userId).executeTakeFirstOrThrow();
  return {
    ...admin,
    actor: { id: u.id, username: u.username, displayName: u.display_name, role: u.role as Role, unitId: u.unit_id, unitName: u.unit_name, mustChangePassword: false },
  };
}

/** Saves sheets as their authors through saveSheet, each with the revision an open page would send. */
export function sheetWriter(admin: Ctx, campaignId: number) {
  const ctxs = new Map<number, Ctx>();
  const revisions = new Map<string, number>();
  return async (userId: number, fileId: number, input: SheetInput, submit: boolean) => {
    if (!ctxs.has(userId)) ctxs.set(userId, await userCtx(admin, userId));
    const key = `${fileId}:${userId}`;
    const result = await saveSheet(ctxs.get(userId)!, campaignId, fileId, input, revisions.get(key) ?? 0, submit, true);
    revisions.set(key, result.revision);
    return result;
  };
}

/** The bureau names a rechecker: the first of the pool, in a drawn order, the rules allow. Null when nobody may. */
export async function nameRechecker(admin: Ctx, prng: Prng, campaignId: number, fileId: number, pool: readonly { id: number }[]): Promise<number | null> {
  for (const candidate of shuffled(prng, pool)) {
    try {
      await assignRechecker(admin, campaignId, fileId, candidate.id);
      return candidate.id;
    } catch (e) {
      if (!(e instanceof AppError)) throw e; // not allowed for this file (a reviewer of it, a related unit): the next one
    }
  }
  return null;
}

/** Current final results per grade label, best first, leaving out grades nobody got. */
export function countGrades(finals: readonly { grade_label: string }[]): [label: string, count: number][] {
  const counts = new Map<string, number>();
  for (const label of ['优秀', '良好', '合格', '不合格']) counts.set(label, 0);
  for (const f of finals) counts.set(f.grade_label, (counts.get(f.grade_label) ?? 0) + 1);
  return [...counts.entries()].filter(([, n]) => n > 0);
}

export interface DemoScoresSummary {
  files: number;
  states: { reviewing: number; recheck: number; final: number };
  sheets: { assigned: number; notStarted: number; drafted: number; submitted: number };
  rechecks: { total: number; unassigned: number; assigned: number; settled: number };
  grades: [label: string, count: number][];
  /** Final results settled by a rechecker. */
  byRecheck: number;
}

export async function buildDemoScores(admin: Ctx, campaignId: number): Promise<DemoScoresSummary> {
  await transitionCampaign(admin, campaignId, 'reviewing');
  const campaign = (await findCampaign(admin.db, campaignId))!;
  const prng = prngFromText(DEMO_SCORES_SEED);
  const files = await filesToReview(admin.db, campaign);
  const assignments = await activeAssignments(admin.db, campaignId);
  const pool = (await poolOf(admin.db, campaignId)).filter((r) => r.active);
  const rubrics = new Map<string, Rubric>();
  for (const caseType of new Set(files.map((f) => f.caseType))) rubrics.set(caseType, (await pinnedRubric(admin.db, campaignId, caseType))!.rubric);
  const save = sheetWriter(admin, campaignId);

  // The plan: the files in a drawn order, the first ones to each special case, the rest agreed.
  const plans: Plan[] = [];
  for (const [plan, n] of Object.entries(PLAN) as [Plan, number][]) for (let i = 0; i < n; i++) plans.push(plan);
  const order = shuffled(prng, files);
  const recheckPlans: { fileId: number; plan: Plan; caseType: CaseType; first: SheetInput }[] = [];

  for (const [i, file] of order.entries()) {
    const plan: Plan = plans[i] ?? 'agreed';
    const rubric = rubrics.get(file.caseType)!;
    const [a, b] = assignments.filter((x) => x.case_file_id === file.id).map((x) => x.reviewer_id);
    if (a === undefined || b === undefined) continue;
    const first = drawSheet(prng, rubric, file.caseType);
    if (plan === 'untouched') continue;
    if (plan === 'oneDraft') {
      // A draft half way through: the first problems found so far.
      await save(a, file.id, { ...first, deductions: first.deductions.slice(0, Math.ceil(first.deductions.length / 2)) }, false);
      continue;
    }
    if (plan === 'oneSubmitted' || plan === 'submittedAndDraft') {
      await save(a, file.id, first, true);
      if (plan === 'submittedAndDraft') await save(b, file.id, { ...similarSheet(prng, rubric, file.caseType, first), opinion: '' }, false);
      continue;
    }
    if (plan === 'vetoAgreed') {
      const v = veto(prng, rubric, file.caseType);
      const withVeto = { ...first, vetoes: [v] };
      let second: SheetInput = { ...similarSheet(prng, rubric, file.caseType, first), vetoes: [{ ...v, note: `${v.note}（复查确认）` }] };
      if (!agrees(rubric, campaign, withVeto, second)) second = { ...withVeto, deductions: first.deductions.map((d) => ({ ...d })) };
      await save(a, file.id, withVeto, true);
      await save(b, file.id, second, true);
      continue;
    }
    if (plan === 'agreed') {
      let second = similarSheet(prng, rubric, file.caseType, first);
      if (!agrees(rubric, campaign, first, second)) second = { ...first, deductions: first.deductions.map((d) => ({ ...d })) };
      await save(a, file.id, first, true);
      await save(b, file.id, second, true);
      continue;
    }
    // A disagreement: every other one over a veto, the rest over the spread of the totals.
    const second = disagreeingSheet(prng, rubric, file.caseType, campaign, first, recheckPlans.length % 2 === 0);
    await save(a, file.id, first, true);
    await save(b, file.id, second, true);
    recheckPlans.push({ fileId: file.id, plan, caseType: file.caseType, first });
  }

  // Rechecks: the bureau names a rechecker (the first of the pool, in a drawn order, the rules allow) for some.
  for (const r of recheckPlans) {
    if (r.plan === 'recheckOpen') continue;
    const named = await nameRechecker(admin, prng, campaignId, r.fileId, pool);
    if (named === null) continue;
    // The rechecker's own sheet: the first reviewer's findings, one of them judged less severe.
    const own: SheetInput = { deductions: r.first.deductions.slice(0, Math.max(0, r.first.deductions.length - 1)), vetoes: [], opinion: '经复核，以复核评查表为准' };
    if (r.plan === 'recheckDraft') await save(named, r.fileId, own, false);
    if (r.plan === 'recheckSettled') await save(named, r.fileId, own, true);
  }

  const board = progressBoard(await progressFiles(admin.db, campaign), await progressSheets(admin.db, campaign));
  const rechecks = await admin.db.selectFrom('rechecks').select(['rechecker_id', 'resolved_at']).where('campaign_id', '=', campaignId).execute();
  const finals = await admin.db.selectFrom('final_results').select(['grade_label', 'method'])
    .where('campaign_id', '=', campaignId).where('superseded_at', 'is', null).execute();
  return {
    files: board.total.files,
    states: { reviewing: board.total.files - board.total.awaitingRecheck - board.total.final, recheck: board.total.awaitingRecheck, final: board.total.final },
    sheets: { assigned: board.total.assigned, notStarted: board.total.notStarted, drafted: board.total.drafted, submitted: board.total.submitted },
    rechecks: {
      total: rechecks.length,
      unassigned: rechecks.filter((r) => r.rechecker_id === null).length,
      assigned: rechecks.filter((r) => r.rechecker_id !== null && r.resolved_at === null).length,
      settled: rechecks.filter((r) => r.resolved_at !== null).length,
    },
    grades: countGrades(finals),
    byRecheck: finals.filter((f) => f.method === 'recheck').length,
  };
}
