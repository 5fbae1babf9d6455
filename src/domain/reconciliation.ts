// Reconciliation (评分比对与复核): once every review of a file is in, the campaign's settings decide whether the
// file's final result is the average of the reviews, or whether the file goes to re-check (复核) by someone who
// did not review it. Pure: the sheets come from scoreReview (the one scoring engine); nothing here scores.
//
// Rules (DESIGN §4, issue 5):
// - agreed when ALL hold: max total − min total ≤ the campaign's disagreement threshold (inclusive), every review
//   has the same grade, every review marked the same set of vetoes (order irrelevant). Otherwise: re-check, with
//   every failing rule as a reason.
// - The agreed final score is the average of the totals, rounded half up (四舍五入) to a whole tenth, computed in
//   integers: floor((2·sum + n) / (2n)). Totals are never negative, so "half up" is "half away from zero".
//   87.5 and 88 → 87.75 → 87.8; 87.4 and 87.5 → 87.45 → 87.5; 87, 87 and 87.1 → 87.033… → 87.
// - The rounded average always lies within [min, max] of the totals (both are whole tenths), so it never leaves
//   the grade band the reviewers agreed on. The agreed grade is therefore the final grade. With no veto marked it
//   is exactly gradeFor(rubric, finalTenths) (checked below); with a veto marked it is NOT the bare band of the
//   average (two reviewers giving 100 and 99 with the same 'fail' veto agree on 不合格, the average 99.5 stays
//   不合格), because a veto's effect is part of the grade, as in scoreReview.
// - All sheets are kept: the result names the reviews it rests on (basis) and how it was reached (method).
import type { CampaignSettings } from './campaigns.ts';
import { chineseNumeral } from './rubric/describe.ts';
import { formatTenths } from './rubric/points.ts';
import { gradeFor, type GradeResult, type ReviewScore } from './rubric/scoring.ts';
import { rubricKey, type Rubric, type VetoEffect } from './rubric/types.ts';

/** One submitted (locked) review sheet of a file. */
export interface SubmittedReview {
  reviewId: number;
  reviewerId: number;
  /** For messages; "评查人员#<id>" when absent. */
  reviewerName?: string;
  /** What scoreReview returned for this sheet. */
  result: ReviewScore;
}

export type ReconciliationSettings = Pick<CampaignSettings, 'reviewersPerFile' | 'disagreementThresholdTenths'>;

export interface ReviewerRef {
  id: number;
  name?: string;
}

/** What one review recorded for one item. */
export interface ItemEntry {
  reviewId: number;
  reviewerId: number;
  marked: boolean;
  /** per_occurrence: occurrences; range: entries. 0 when not marked. */
  count: number;
  /** Before the item cap. */
  rawTenths: number;
  /** After the item cap: the points this review deducted for the item. */
  deductedTenths: number;
  deducted: string;
}

export interface ItemDifference {
  code: string;
  sectionCode: string;
  text: string;
  /** One entry per review, in review order. */
  reviews: ItemEntry[];
  /** True when the reviews recorded different counts or points. */
  differ: boolean;
}

export interface VetoEntry {
  reviewId: number;
  reviewerId: number;
  marked: boolean;
}

export interface VetoDifference {
  code: string;
  text: string;
  effect: VetoEffect;
  reviews: VetoEntry[];
  /** True when some reviews marked the veto and others did not. */
  differ: boolean;
}

/**
 * What each review recorded, for the side-by-side re-check page: every item and every veto that at least one
 * review marked, in rubric order (items no review marked are equal by definition and left out).
 */
export interface ReviewDifferences {
  items: ItemDifference[];
  vetoes: VetoDifference[];
}

export interface Waiting {
  status: 'waiting';
  required: number;
  submitted: number;
  missing: number;
  explanation: string;
}

export interface Agreed {
  status: 'agreed';
  finalTenths: number;
  final: string;
  grade: GradeResult;
  /** 'single': one reviewer per file, the sheet is the result; 'average': the reviews agreed. */
  method: 'average' | 'single';
  /** Review ids the result rests on, ascending. */
  basis: number[];
  explanation: string;
}

export interface RecheckNeeded {
  status: 'recheck';
  /** Every rule that failed, in the order: spread, grade, vetoes (one reason per differing veto). */
  reasons: string[];
  /** Review ids, ascending. */
  basis: number[];
  differences: ReviewDifferences;
}

export type Reconciliation = Waiting | Agreed | RecheckNeeded;

export interface Rechecked {
  status: 'rechecked';
  finalTenths: number;
  final: string;
  grade: GradeResult;
  method: 'recheck';
  recheckerId: number;
  /** The reviews that were re-checked, ascending. */
  basis: number[];
  explanation: string;
}

/** Sheets that cannot be reconciled as given: a data error, not a disagreement. */
export class ReconciliationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReconciliationError';
  }
}

const fmt = formatTenths;
const who = (name: string | undefined, id: number): string => (name !== undefined && name.trim() !== '' ? name.trim() : `评查人员#${id}`);
const reviewerLabel = (r: SubmittedReview): string => who(r.reviewerName, r.reviewerId);
const headcount = (n: number): string => `${n === 2 ? '两' : chineseNumeral(n)}名评查人员`;
const points = (tenths: number): string => `${fmt(tenths)} 分`;

/** Average of whole tenths, rounded half up to a whole tenth, in integers. Values must be ≥ 0. */
export function averageTenths(values: readonly number[]): { tenths: number; exact: boolean } {
  if (values.length === 0) throw new RangeError('averageTenths needs at least one value');
  const n = values.length;
  const sum = values.reduce((a, b) => a + b, 0);
  return { tenths: Math.floor((2 * sum + n) / (2 * n)), exact: sum % n === 0 };
}

function checkSettings(settings: ReconciliationSettings): void {
  const { reviewersPerFile: k, disagreementThresholdTenths: t } = settings;
  if (!Number.isSafeInteger(k) || k < 1) throw new RangeError(`reviewersPerFile must be a positive integer, got ${k}`);
  if (!Number.isSafeInteger(t) || t < 0) throw new RangeError(`disagreementThresholdTenths must be a non-negative integer, got ${t}`);
}

/** Refuses sheets of another rubric version, the same sheet or reviewer twice, or a malformed total. Returns them by review id. */
function checkReviews(key: string, reviews: readonly SubmittedReview[]): SubmittedReview[] {
  const problems: string[] = [];
  const ids = new Set<number>();
  const reviewers = new Set<number>();
  for (const r of reviews) {
    if (ids.has(r.reviewId)) problems.push(`评查表 ${r.reviewId} 重复提交`);
    ids.add(r.reviewId);
    if (reviewers.has(r.reviewerId)) problems.push(`${reviewerLabel(r)} 对同一案卷提交了多份评查表`);
    reviewers.add(r.reviewerId);
    const used = rubricKey(r.result.rubric);
    if (used !== key) problems.push(`评查表 ${r.reviewId}（${reviewerLabel(r)}）使用的评查标准 ${used} 与本卷的评查标准 ${key} 不一致`);
    const total = r.result.totalTenths;
    if (!Number.isSafeInteger(total) || total < 0) problems.push(`评查表 ${r.reviewId} 的得分 ${String(total)} 不是有效分值`);
  }
  if (problems.length > 0) throw new ReconciliationError(`评查表无法比对：${problems.join('；')}`);
  return [...reviews].sort((a, b) => a.reviewId - b.reviewId);
}

const sameSet = (a: ReadonlySet<string>, b: ReadonlySet<string>): boolean => a.size === b.size && [...a].every((x) => b.has(x));

/** What each review recorded per item and per veto. Reviews are taken in ascending review id. */
export function reviewDifferences(rubric: Rubric, reviews: readonly SubmittedReview[]): ReviewDifferences {
  const sorted = [...reviews].sort((a, b) => a.reviewId - b.reviewId);
  const items: ItemDifference[] = [];
  for (const section of rubric.sections) {
    for (const item of section.items) {
      const entries: ItemEntry[] = sorted.map((r) => {
        const scored = r.result.items.find((i) => i.code === item.code);
        return {
          reviewId: r.reviewId,
          reviewerId: r.reviewerId,
          marked: scored !== undefined,
          count: scored?.count ?? 0,
          rawTenths: scored?.rawTenths ?? 0,
          deductedTenths: scored?.deductedTenths ?? 0,
          deducted: fmt(scored?.deductedTenths ?? 0),
        };
      });
      if (!entries.some((e) => e.marked)) continue;
      const first = entries[0]!;
      const differ = entries.some((e) => e.count !== first.count || e.rawTenths !== first.rawTenths || e.deductedTenths !== first.deductedTenths);
      items.push({ code: item.code, sectionCode: section.code, text: item.text, reviews: entries, differ });
    }
  }
  const vetoes: VetoDifference[] = [];
  for (const veto of rubric.vetoes) {
    const entries: VetoEntry[] = sorted.map((r) => ({
      reviewId: r.reviewId,
      reviewerId: r.reviewerId,
      marked: r.result.vetoes.some((v) => v.code === veto.code),
    }));
    if (!entries.some((e) => e.marked)) continue;
    vetoes.push({ code: veto.code, text: veto.text, effect: veto.effect, reviews: entries, differ: entries.some((e) => !e.marked) });
  }
  return { items, vetoes };
}

const vetoCodes = (r: SubmittedReview): Set<string> => new Set(r.result.vetoes.map((v) => v.code));
const gradeWithCause = (r: SubmittedReview): string => `${r.result.grade.label}${r.result.decidingVeto ? `（由否决项 ${r.result.decidingVeto} 确定）` : ''}`;

/**
 * Reconciles the submitted reviews of one file under the campaign's settings.
 * Throws ReconciliationError for sheets that cannot be compared (another rubric version, the same reviewer twice,
 * more sheets than reviewers per file), RangeError for invalid settings.
 */
export function reconcile(rubric: Rubric, settings: ReconciliationSettings, submitted: readonly SubmittedReview[]): Reconciliation {
  checkSettings(settings);
  const key = rubricKey(rubric);
  const reviews = checkReviews(key, submitted);
  const required = settings.reviewersPerFile;
  if (reviews.length > required) {
    throw new ReconciliationError(`本卷收到 ${reviews.length} 份评查表，多于每卷评查人数 ${required} 人`);
  }
  if (reviews.length < required) {
    const missing = required - reviews.length;
    return {
      status: 'waiting',
      required,
      submitted: reviews.length,
      missing,
      explanation: `每卷需 ${required} 名评查人员评查，已提交 ${reviews.length} 份评查表，还差 ${missing} 份`,
    };
  }

  const basis = reviews.map((r) => r.reviewId);
  const totals = reviews.map((r) => r.result.totalTenths);

  if (reviews.length === 1) {
    const only = reviews[0]!;
    return {
      status: 'agreed',
      finalTenths: only.result.totalTenths,
      final: fmt(only.result.totalTenths),
      grade: only.result.grade,
      method: 'single',
      basis,
      explanation: `每卷由一名评查人员评查，评分 ${points(only.result.totalTenths)}，等次${gradeWithCause(only)}，即为最终结果`,
    };
  }

  const threshold = settings.disagreementThresholdTenths;
  const max = Math.max(...totals);
  const min = Math.min(...totals);
  const spread = max - min;
  const spreadWords = reviews.length === 2 ? '相差' : '最高分与最低分相差';
  const gradesAgree = reviews.every((r) => r.result.grade.code === reviews[0]!.result.grade.code);
  const firstVetoes = vetoCodes(reviews[0]!);
  const vetoesAgree = reviews.every((r) => sameSet(vetoCodes(r), firstVetoes));

  if (spread <= threshold && gradesAgree && vetoesAgree) {
    const average = averageTenths(totals);
    const grade = reviews[0]!.result.grade;
    // The rounded average lies in [min, max], inside the band the reviewers agreed on (see the header).
    if (firstVetoes.size === 0 && gradeFor(rubric, average.tenths).code !== grade.code) {
      throw new Error(`internal: average ${average.tenths} left the agreed grade ${grade.code}`);
    }
    const vetoWords = firstVetoes.size === 0
      ? '均未勾选否决项'
      : `均勾选否决项 ${reviews[0]!.result.vetoes.map((v) => v.code).join('、')}`;
    const rounding = average.exact ? '' : '（保留一位小数，四舍五入）';
    return {
      status: 'agreed',
      finalTenths: average.tenths,
      final: fmt(average.tenths),
      grade,
      method: 'average',
      basis,
      explanation:
        `${headcount(reviews.length)}评分分别为 ${totals.map(points).join('、')}，${spreadWords} ${points(spread)}，未超过复核分差 ${points(threshold)}，` +
        `等次一致（${grade.label}），否决项一致（${vetoWords}），取平均分 ${points(average.tenths)}${rounding}`,
    };
  }

  const reasons: string[] = [];
  if (spread > threshold) {
    const each = reviews.map((r) => `${reviewerLabel(r)} ${points(r.result.totalTenths)}`).join('，');
    reasons.push(`${reviews.length === 2 ? '评分相差' : '最高分与最低分相差'} ${points(spread)}，超过复核分差 ${points(threshold)}（${each}）`);
  }
  if (!gradesAgree) {
    reasons.push(`等次不一致：${reviews.map((r) => `${reviewerLabel(r)}评为${gradeWithCause(r)}`).join('，')}`);
  }
  const differences = reviewDifferences(rubric, reviews);
  for (const veto of differences.vetoes) {
    if (!veto.differ) continue;
    const marked = reviews.filter((r) => vetoCodes(r).has(veto.code)).map(reviewerLabel);
    const unmarked = reviews.filter((r) => !vetoCodes(r).has(veto.code)).map(reviewerLabel);
    reasons.push(`否决项 ${veto.code}「${veto.text}」不一致：${marked.join('、')}勾选，${unmarked.join('、')}未勾选`);
  }
  return { status: 'recheck', reasons, basis, differences };
}

/**
 * The final result issued by a re-check: the rechecker's own sheet (scored by scoreReview) becomes the result.
 * The rechecker must not be one of the file's reviewers. Every earlier sheet is kept; the result names them.
 */
export function recheckFinal(rechecker: ReviewerRef, submitted: readonly SubmittedReview[], recheckResult: ReviewScore): Rechecked {
  if (submitted.length === 0) throw new ReconciliationError('本卷没有可复核的评查表');
  const key = rubricKey(submitted[0]!.result.rubric);
  const reviews = checkReviews(key, submitted);
  const name = who(rechecker.name, rechecker.id);
  const own = reviews.find((r) => r.reviewerId === rechecker.id);
  if (own) throw new ReconciliationError(`复核人员不能是本卷的评查人员：${name} 已评查本卷（评查表 ${own.reviewId}），请另选复核人员`);
  const used = rubricKey(recheckResult.rubric);
  if (used !== key) throw new ReconciliationError(`复核评查表使用的评查标准 ${used} 与本卷的评查标准 ${key} 不一致`);
  const total = recheckResult.totalTenths;
  const sheets = reviews.map((r) => `${points(r.result.totalTenths)}（${r.result.grade.label}）`).join('、');
  const cause = recheckResult.decidingVeto ? `，等次由否决项 ${recheckResult.decidingVeto} 确定` : '';
  return {
    status: 'rechecked',
    finalTenths: total,
    final: fmt(total),
    grade: recheckResult.grade,
    method: 'recheck',
    recheckerId: rechecker.id,
    basis: reviews.map((r) => r.reviewId),
    explanation: `${headcount(reviews.length)}评分分别为 ${sheets}，经复核人员 ${name}（非本卷评查人员）复核，以复核评查表为最终结果：得分 ${points(total)}，等次${recheckResult.grade.label}${cause}`,
  };
}
