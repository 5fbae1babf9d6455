// Objections (异议): a department contests a deduction or veto of its own file's final result within the window
// after release; someone who neither reviewed nor re-checked the file decides. An upheld objection withdraws the
// contested mark from the result, and the scoring engine recomputes the result from the same sheets without it.
import type { FieldProblem } from './errors.ts';
import { averageTenths } from './reconciliation.ts';
import { formatTenths } from './rubric/points.ts';
import { gradeWithVetoes, scoreReview, type GradeResult, type ReviewScore } from './rubric/scoring.ts';
import type { Rubric } from './rubric/types.ts';
import { marksOf, type SheetContent } from './review-sheet.ts';

export const OBJECTION_STATUSES = ['open', 'upheld', 'rejected'] as const;
export type ObjectionStatus = (typeof OBJECTION_STATUSES)[number];
export const OBJECTION_STATUS_LABELS: Record<ObjectionStatus, string> = { open: '待处理', upheld: '异议成立', rejected: '异议不成立' };
export type ObjectionTarget = 'deduction' | 'veto';
export const REASON_MAX = 1000;

export type FinalMethod = 'single' | 'average' | 'recheck';
export const FINAL_METHOD_LABELS: Record<FinalMethod, string> = { single: '单人评查', average: '评查人员评分取平均', recheck: '复核确定' };

export interface Withdrawn {
  deductions: string[];
  vetoes: string[];
}

const DAY_MS = 24 * 60 * 60 * 1000;
const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000; // Asia/Shanghai has no daylight saving time

/** "2026-11-23 16:00" in Beijing time, as users read every time. */
const beijingMinute = (iso: string): string => new Date(Date.parse(iso) + BEIJING_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');

/** The window closes this many whole days after the moment results were released. */
export function objectionDeadline(releasedAt: string, windowDays: number): string {
  return new Date(Date.parse(releasedAt) + windowDays * DAY_MS).toISOString();
}

export interface ObjectionRequest {
  now: string;
  campaignStatus: string;
  releasedAt: string | null;
  windowDays: number;
  actorUnitId: number;
  fileUnitId: number;
  targetKind: string;
  targetCode: string;
  reason: string;
  /** Codes the current final result holds (after earlier withdrawals), by kind. */
  contestable: Withdrawn;
  /** Targets of this file that already have an open objection. */
  openTargets: readonly string[];
}

/** Why an objection cannot be raised; empty when it can. */
export function objectionProblems(r: ObjectionRequest): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (r.fileUnitId !== r.actorUnitId) return [{ field: 'file', message: '只能对本单位案卷的评查结果提出异议' }];
  if (r.campaignStatus !== 'released' || r.releasedAt === null) return [{ field: 'file', message: '评查结果发布后才能提出异议' }];
  const deadline = objectionDeadline(r.releasedAt, r.windowDays);
  if (r.now > deadline) return [{ field: 'file', message: `异议期已于 ${beijingMinute(deadline)} 截止，不能再提出异议` }];
  if (r.targetKind !== 'deduction' && r.targetKind !== 'veto') problems.push({ field: 'target', message: '请选择要提出异议的扣分项或否决项' });
  else {
    const list = r.targetKind === 'deduction' ? r.contestable.deductions : r.contestable.vetoes;
    if (!list.includes(r.targetCode)) problems.push({ field: 'target', message: `最后得分中没有${r.targetKind === 'deduction' ? '扣分项' : '否决项'}“${r.targetCode}”` });
    else if (r.openTargets.includes(`${r.targetKind}:${r.targetCode}`)) problems.push({ field: 'target', message: `对“${r.targetCode}”的异议正在处理中，请勿重复提出` });
  }
  const reason = r.reason.trim();
  if (reason === '') problems.push({ field: 'reason', message: '请写明异议理由' });
  else if (reason.length > REASON_MAX) problems.push({ field: 'reason', message: `异议理由不超过 ${REASON_MAX} 个字` });
  return problems;
}

/** Why this person may not decide; empty when they may. Reviewers and the rechecker of the file may not. */
export function deciderProblems(deciderId: number, fileSheetAuthors: readonly number[], decision: string, reason: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (fileSheetAuthors.includes(deciderId)) problems.push({ field: 'decision', message: '您评查或复核过该案卷，不能处理针对它的异议，请由其他人员处理' });
  if (decision !== 'upheld' && decision !== 'rejected') problems.push({ field: 'decision', message: '请选择“异议成立”或“异议不成立”' });
  if (reason.trim() === '') problems.push({ field: 'decisionReason', message: '请写明处理理由' });
  else if (reason.trim().length > REASON_MAX) problems.push({ field: 'decisionReason', message: `处理理由不超过 ${REASON_MAX} 个字` });
  return problems;
}

/** A sheet with the withdrawn marks left out. */
export function withoutWithdrawn(content: SheetContent, withdrawn: Withdrawn): SheetContent {
  return {
    ...content,
    deductions: content.deductions.filter((d) => !withdrawn.deductions.includes(d.itemCode)),
    vetoes: content.vetoes.filter((v) => !withdrawn.vetoes.includes(v.code)),
  };
}

export interface RevisedResult {
  totalTenths: number;
  grade: GradeResult;
  decidingVeto: string | null;
  scores: ReviewScore[];
  explanation: string;
}

/**
 * The result recomputed from the sheets it rests on without the withdrawn marks: one sheet (single, recheck) is
 * that sheet's score; several agreeing sheets are averaged (rounded half up to a tenth) and the marked vetoes,
 * which those sheets shared, apply to the average exactly as they do on a sheet.
 */
export function reviseResult(rubric: Rubric, method: FinalMethod, sheets: readonly SheetContent[], withdrawn: Withdrawn): RevisedResult {
  if (sheets.length === 0) throw new RangeError('reviseResult needs at least one sheet');
  const scores = sheets.map((s) => scoreReview(rubric, marksOf(withoutWithdrawn(s, withdrawn))));
  const what = [...withdrawn.deductions.map((c) => `扣分项 ${c}`), ...withdrawn.vetoes.map((c) => `否决项 ${c}`)].join('、');
  if (method !== 'average' || scores.length === 1) {
    const s = scores[0]!;
    return {
      totalTenths: s.totalTenths, grade: s.grade, decidingVeto: s.decidingVeto, scores,
      explanation: `撤销${what}后按原评查表重新计分：得分 ${formatTenths(s.totalTenths)} 分，等次${s.grade.label}`,
    };
  }
  const avg = averageTenths(scores.map((s) => s.totalTenths));
  const vetoes = [...new Set(scores.flatMap((s) => s.vetoes.map((v) => v.code)))];
  const graded = gradeWithVetoes(rubric, avg.tenths, vetoes);
  return {
    totalTenths: graded.totalTenths, grade: graded.grade, decidingVeto: graded.decidingVeto, scores,
    explanation: `撤销${what}后各评查表重新计分为 ${scores.map((s) => `${formatTenths(s.totalTenths)} 分`).join('、')}，` +
      `取平均分 ${formatTenths(graded.totalTenths)} 分${avg.exact ? '' : '（保留一位小数，四舍五入）'}，等次${graded.grade.label}`,
  };
}
