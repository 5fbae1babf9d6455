// Rectification (整改): the notice a unit receives (整改通知书), the measures it records against each of its
// issues, and the bureau's verification (验收). Pure: states, who may move them, deadlines and overdue flags,
// and the checks on what a department types. Dates are case-world dates (YYYY-MM-DD, Beijing).
import type { FieldProblem } from './errors.ts';
import { hasControlChars } from './errors.ts';

export const MEASURE_STATUSES = ['draft', 'submitted', 'returned', 'verified'] as const;
export type MeasureStatus = (typeof MEASURE_STATUSES)[number];
export const MEASURE_STATUS_LABELS: Record<MeasureStatus, string> = {
  draft: '待报送',
  submitted: '待验收',
  returned: '已退回',
  verified: '已验收',
};

export type MeasureAction = 'edit' | 'delete' | 'submit' | 'verify' | 'return';
export type Party = 'department' | 'bureau';

/**
 * The moves: a department edits its draft or returned measures and submits them in its report; the bureau
 * verifies a submitted measure or returns it with a reason, which hands it back to the department.
 * A verified measure never changes again.
 */
const MOVES: Record<MeasureAction, { party: Party; from: readonly MeasureStatus[]; to: MeasureStatus | null }> = {
  edit: { party: 'department', from: ['draft', 'returned'], to: null },
  delete: { party: 'department', from: ['draft'], to: null },
  submit: { party: 'department', from: ['draft', 'returned'], to: 'submitted' },
  verify: { party: 'bureau', from: ['submitted'], to: 'verified' },
  return: { party: 'bureau', from: ['submitted'], to: 'returned' },
};

const ACTION_LABELS: Record<MeasureAction, string> = { edit: '修改', delete: '删除', submit: '报送', verify: '验收', return: '退回' };

/** Why this party may not do this to a measure in this state; null when it may. */
export function moveProblem(status: MeasureStatus, action: MeasureAction, party: Party): string | null {
  const move = MOVES[action];
  if (move.party !== party) {
    return party === 'department' ? `整改措施由评查机关${ACTION_LABELS[action]}，本单位不能${ACTION_LABELS[action]}` : `整改措施由被评查单位${ACTION_LABELS[action]}`;
  }
  if (!move.from.includes(status)) return `该整改措施${MEASURE_STATUS_LABELS[status]}，不能${ACTION_LABELS[action]}`;
  return null;
}

export const nextStatus = (action: MeasureAction, status: MeasureStatus): MeasureStatus => MOVES[action].to ?? status;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
export function isRealDate(s: string): boolean {
  if (!DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Today in Beijing, from an instant. */
export const beijingDate = (instant: Date): string => new Date(instant.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

export interface NoticeDates {
  issuedOn: string;
  deadline: string;
}

/** The deadline defaults to the issue date plus the campaign's rectification days; it may not precede the issue date. */
export function noticeDateProblems(issuedOn: string, deadline: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!isRealDate(issuedOn)) problems.push({ field: 'issuedOn', message: `发文日期“${issuedOn}”不是有效日期，格式为 YYYY-MM-DD` });
  if (!isRealDate(deadline)) problems.push({ field: 'deadline', message: `整改期限“${deadline}”不是有效日期，格式为 YYYY-MM-DD` });
  else if (isRealDate(issuedOn) && deadline < issuedOn) problems.push({ field: 'deadline', message: `整改期限 ${deadline} 早于发文日期 ${issuedOn}` });
  return problems;
}

export const MEASURE_LIMITS = { description: 1000, responsible: 50, evidence: 2000, reason: 500 };

export interface MeasureInput {
  description: string;
  responsible: string;
  completedOn: string;
  evidence: string;
}

export interface MeasureValues {
  description: string;
  responsible: string;
  completedOn: string | null;
  evidence: string;
}

/** Reads what a department typed for a measure; every problem named by field. */
export function readMeasure(input: MeasureInput): { ok: true; values: MeasureValues } | { ok: false; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const field = (key: keyof MeasureInput, label: string, max: number, required: boolean): string => {
    const t = input[key].trim();
    if (required && t === '') problems.push({ field: key, message: `请填写${label}` });
    else if (t.length > max) problems.push({ field: key, message: `${label}不超过 ${max} 个字` });
    else if (key !== 'description' && key !== 'evidence' && hasControlChars(t)) problems.push({ field: key, message: `${label}含有不可见的控制字符` });
    return t;
  };
  const description = field('description', '整改措施', MEASURE_LIMITS.description, true);
  const responsible = field('responsible', '责任人', MEASURE_LIMITS.responsible, true);
  const evidence = field('evidence', '整改佐证', MEASURE_LIMITS.evidence, false);
  const completedOn = input.completedOn.trim();
  if (completedOn !== '' && !isRealDate(completedOn)) problems.push({ field: 'completedOn', message: `完成日期“${completedOn}”不是有效日期，格式为 YYYY-MM-DD` });
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, values: { description, responsible, completedOn: completedOn || null, evidence } };
}

export interface ReportItem {
  wording: string;
  measures: { status: MeasureStatus; completedOn: string | null }[];
}

/**
 * A report can be submitted when every issue has at least one measure and every measure to be submitted names
 * its completion date; otherwise each gap is listed.
 */
export function reportProblems(items: readonly ReportItem[]): string[] {
  const problems: string[] = [];
  let toSubmit = 0;
  items.forEach((item, i) => {
    if (item.measures.length === 0) problems.push(`第 ${i + 1} 个问题“${item.wording}”还没有整改措施`);
    for (const m of item.measures) {
      if (m.status !== 'draft' && m.status !== 'returned') continue;
      toSubmit += 1;
      if (m.completedOn === null) problems.push(`第 ${i + 1} 个问题“${item.wording}”有整改措施未填写完成日期`);
    }
  });
  if (problems.length === 0 && toSubmit === 0) problems.push('没有待报送的整改措施');
  return problems;
}

/** Not verified by the deadline (inclusive: due on the deadline, overdue from the next day). */
export const isOverdue = (status: MeasureStatus | null, deadline: string, today: string): boolean => status !== 'verified' && today > deadline;

/** Due within `days` days (today included) and not yet verified nor overdue. */
export const isDueSoon = (status: MeasureStatus | null, deadline: string, today: string, days = 7): boolean =>
  status !== 'verified' && today <= deadline && deadline <= addDays(today, days);

export type ItemState = 'open' | 'inProgress' | 'verified';
export const ITEM_STATE_LABELS: Record<ItemState, string> = { open: '未整改', inProgress: '整改中', verified: '已整改' };

/** An issue is rectified when it has measures and all are verified. */
export function itemState(statuses: readonly MeasureStatus[]): ItemState {
  if (statuses.length === 0) return 'open';
  return statuses.every((s) => s === 'verified') ? 'verified' : 'inProgress';
}
