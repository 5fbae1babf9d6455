// The rectification ledger (整改台账): the figures the bureau reports from its notices, issues and measures.
// Pure: given the notices as stored (deleted measures already left out) and today's Beijing date, it answers
// how many issues are rectified, how many measures were carried out ("落实整改措施 N 项" = verified measures),
// the completion rate and what is overdue.
//
// Definitions (stated on the page, so every figure can be checked by hand):
// - an issue is rectified (已整改) when it has measures and all of them are verified (itemState);
// - completion rate = rectified issues ÷ issues of the notices issued;
// - a measure is overdue when today is after the notice's deadline and it is not verified;
// - an issue is overdue when today is after the deadline and it is not rectified — this includes an issue with no
//   measure at all, or none verified;
// - a notice is overdue when it has an overdue issue, due soon when its deadline is within the coming days and it
//   still has an issue that is not rectified.
import type { IssueScope } from './issues.ts';
import { isDueSoon, isOverdue, itemState, MEASURE_STATUSES, type ItemState, type MeasureStatus } from './rectification.ts';

export interface LedgerMeasureFacts {
  status: MeasureStatus;
}

export interface LedgerItemFacts<M extends LedgerMeasureFacts = LedgerMeasureFacts> {
  scope: IssueScope | string;
  measures: readonly M[];
}

export interface LedgerNoticeFacts<I extends LedgerItemFacts = LedgerItemFacts> {
  deadline: string;
  items: readonly I[];
}

export type MeasureCounts = Record<MeasureStatus, number>;

const noMeasures = (): MeasureCounts => Object.fromEntries(MEASURE_STATUSES.map((s) => [s, 0])) as MeasureCounts;

export function countMeasures(measures: readonly LedgerMeasureFacts[]): MeasureCounts {
  const counts = noMeasures();
  for (const m of measures) counts[m.status] += 1;
  return counts;
}

/** The state of one issue from its measures (未整改 / 整改中 / 已整改). */
export const issueState = (item: LedgerItemFacts): ItemState => itemState(item.measures.map((m) => m.status));

export const measureOverdue = (status: MeasureStatus, deadline: string, today: string): boolean => isOverdue(status, deadline, today);

/** After the deadline and not rectified (no measure, none verified, or some still not verified). */
export const issueOverdue = (item: LedgerItemFacts, deadline: string, today: string): boolean =>
  isOverdue(issueState(item) === 'verified' ? 'verified' : null, deadline, today);

export interface NoticeFigures {
  issues: number;
  common: number;
  individual: number;
  rectified: number;
  /** Issues not rectified yet. */
  open: number;
  measures: number;
  byStatus: MeasureCounts;
  overdueIssues: number;
  overdueMeasures: number;
  overdue: boolean;
  /** Deadline within `days` days (today included), not passed, with issues still open. */
  dueSoon: boolean;
}

export function noticeFigures(notice: LedgerNoticeFacts, today: string, days = 7): NoticeFigures {
  const measures = notice.items.flatMap((i) => i.measures);
  const rectified = notice.items.filter((i) => issueState(i) === 'verified').length;
  const open = notice.items.length - rectified;
  const overdueIssues = notice.items.filter((i) => issueOverdue(i, notice.deadline, today)).length;
  return {
    issues: notice.items.length,
    common: notice.items.filter((i) => i.scope === 'common').length,
    individual: notice.items.filter((i) => i.scope !== 'common').length,
    rectified, open,
    measures: measures.length,
    byStatus: countMeasures(measures),
    overdueIssues,
    overdueMeasures: measures.filter((m) => measureOverdue(m.status, notice.deadline, today)).length,
    overdue: overdueIssues > 0,
    dueSoon: open > 0 && isDueSoon(null, notice.deadline, today, days),
  };
}

export interface CompletionRate {
  rectified: number;
  issues: number;
  /** "62.5%", or null when there is no issue to rectify. */
  percent: string | null;
}

/** Rectified issues ÷ issues, to one decimal of a percent (half up), computed in whole numbers. */
export function completionRate(rectified: number, issues: number): CompletionRate {
  if (issues <= 0) return { rectified, issues, percent: null };
  const tenths = Math.floor((rectified * 2000 + issues) / (2 * issues)); // round(rectified × 1000 ÷ issues), half up
  return { rectified, issues, percent: `${Math.floor(tenths / 10)}.${tenths % 10}%` };
}

export interface LedgerTotals {
  notices: number;
  issues: number;
  common: number;
  individual: number;
  rectified: number;
  measures: number;
  byStatus: MeasureCounts;
  /** "落实整改措施 N 项": verified measures. */
  verified: number;
  completion: CompletionRate;
  overdueIssues: number;
  overdueMeasures: number;
  overdueNotices: number;
  reportsSubmitted: number;
}

export function ledgerTotals(notices: readonly (LedgerNoticeFacts & { reportSubmitted?: boolean })[], today: string): LedgerTotals {
  const figures = notices.map((n) => noticeFigures(n, today));
  const sum = (pick: (f: NoticeFigures) => number) => figures.reduce((n, f) => n + pick(f), 0);
  const byStatus = noMeasures();
  for (const f of figures) for (const s of MEASURE_STATUSES) byStatus[s] += f.byStatus[s];
  const issues = sum((f) => f.issues);
  const rectified = sum((f) => f.rectified);
  return {
    notices: notices.length,
    issues, common: sum((f) => f.common), individual: sum((f) => f.individual),
    rectified,
    measures: sum((f) => f.measures),
    byStatus,
    verified: byStatus.verified,
    completion: completionRate(rectified, issues),
    overdueIssues: sum((f) => f.overdueIssues),
    overdueMeasures: sum((f) => f.overdueMeasures),
    overdueNotices: figures.filter((f) => f.overdue).length,
    reportsSubmitted: notices.filter((n) => n.reportSubmitted).length,
  };
}

/** The sentence the reports quote. */
export function ledgerSentence(t: LedgerTotals): string {
  return `下发整改通知书 ${t.notices} 份，涉及问题 ${t.issues} 个，已整改 ${t.rectified} 个，落实整改措施 ${t.verified} 项`;
}

/** Whole days from one case-world date to another (negative when `to` is earlier). */
export const daysBetween = (from: string, to: string): number => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/** How a deadline stands today, in words: "已逾期 3 天", "今天到期", "还有 2 天到期". */
export function deadlineWords(deadline: string, today: string): string {
  const days = daysBetween(today, deadline);
  if (days < 0) return `已逾期 ${-days} 天`;
  if (days === 0) return '今天到期';
  return `还有 ${days} 天到期`;
}
