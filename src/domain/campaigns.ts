// Review campaigns (评查活动): kinds, settings rules, and the lifecycle with its guarded transitions.
// Pure: the service gathers the facts a guard needs and asks here whether a move is allowed.
import type { FieldProblem } from './errors.ts';
import { hasControlChars } from './errors.ts';
import { CASE_TYPE_LABELS, type CaseType } from './vocabulary.ts';

export const CAMPAIGN_KINDS = ['cross', 'self', 'spot', 'special'] as const;
export type CampaignKind = (typeof CAMPAIGN_KINDS)[number];
export const CAMPAIGN_KIND_LABELS: Record<CampaignKind, string> = {
  cross: '交叉评查',
  self: '自查',
  spot: '抽查',
  special: '专项评查',
};

export const CAMPAIGN_STATUSES = ['draft', 'sampling', 'reviewing', 'rechecking', 'released', 'closed'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];
export const CAMPAIGN_STATUS_LABELS: Record<CampaignStatus, string> = {
  draft: '筹备中',
  sampling: '抽取案卷',
  reviewing: '评查中',
  rechecking: '复核中',
  released: '结果已发布',
  closed: '已结束',
};

export const isCampaignKind = (v: unknown): v is CampaignKind => typeof v === 'string' && (CAMPAIGN_KINDS as readonly string[]).includes(v);
export const isCampaignStatus = (v: unknown): v is CampaignStatus => typeof v === 'string' && (CAMPAIGN_STATUSES as readonly string[]).includes(v);

export interface CampaignSettings {
  name: string;
  year: number;
  kind: CampaignKind;
  description: string | null;
  periodFrom: string | null;
  periodTo: string | null;
  reviewersPerFile: number;
  disagreementThresholdTenths: number;
  commonIssueThreshold: number;
  objectionWindowDays: number;
  rectificationDays: number;
  docNumberPattern: string;
}

/** What a form or an API call sends: every value as text, as typed. */
export type SettingsInput = Record<keyof CampaignSettings, string>;

/** Defaults a bureau starts from; every one is a setting, not a rule in code. */
export function defaultSettings(year: number): CampaignSettings {
  return {
    name: `${year}年度行政执法案卷交叉评查`,
    year,
    kind: 'cross',
    description: null,
    periodFrom: `${year}-01-01`,
    periodTo: `${year}-12-31`,
    reviewersPerFile: 2,
    disagreementThresholdTenths: 50,
    commonIssueThreshold: 3,
    objectionWindowDays: 5,
    rectificationDays: 30,
    docNumberPattern: '案评整改〔{year}〕{seq}号',
  };
}

/**
 * Settings that change results already produced (who reviews, how reviews are reconciled, how issues are
 * classified) are locked once reviewing starts; names, windows and deadlines stay editable.
 */
export const RESULT_SETTINGS: readonly (keyof CampaignSettings)[] = [
  'kind', 'year', 'periodFrom', 'periodTo', 'reviewersPerFile', 'disagreementThresholdTenths', 'commonIssueThreshold',
];

export const SETTING_LABELS: Record<keyof CampaignSettings, string> = {
  name: '活动名称',
  year: '年度',
  kind: '评查方式',
  description: '说明',
  periodFrom: '案卷起始日期',
  periodTo: '案卷截止日期',
  reviewersPerFile: '每卷评查人数',
  disagreementThresholdTenths: '复核分差',
  commonIssueThreshold: '共性问题单位数',
  objectionWindowDays: '异议期（天）',
  rectificationDays: '整改期限（天）',
  docNumberPattern: '整改通知书文号格式',
};

export function isStarted(status: CampaignStatus): boolean {
  return status !== 'draft' && status !== 'sampling';
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
function realDate(s: string): boolean {
  if (!DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

function wholeNumber(text: string, min: number, max: number): number | null {
  const t = text.trim();
  if (!/^\d{1,6}$/.test(t)) return null;
  const n = Number(t);
  return n >= min && n <= max ? n : null;
}

/** Points typed as "5" or "2.5" → tenths; null when not a non-negative number with at most one decimal. */
function pointsToTenths(text: string): number | null {
  const m = /^(\d{1,3})(?:\.(\d))?$/.exec(text.trim());
  return m ? Number(m[1]) * 10 + Number(m[2] ?? 0) : null;
}

export function parseSettings(input: SettingsInput): { ok: true; settings: CampaignSettings } | { ok: false; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const add = (field: keyof CampaignSettings, message: string) => problems.push({ field, message });

  const name = input.name.trim();
  if (name === '') add('name', '活动名称不能为空');
  else if (name.length > 100 || hasControlChars(name)) add('name', '活动名称不超过 100 个字，且不能含控制字符');
  const year = wholeNumber(input.year, 2000, 2100);
  if (year === null) add('year', '年度应为 2000 到 2100 之间的年份');
  if (!isCampaignKind(input.kind)) add('kind', '请选择评查方式（交叉评查、自查、抽查或专项评查）');
  const description = input.description.trim();
  if (description.length > 2000) add('description', '说明不超过 2000 个字');
  const periodFrom = input.periodFrom.trim();
  const periodTo = input.periodTo.trim();
  if (periodFrom !== '' && !realDate(periodFrom)) add('periodFrom', `“${periodFrom}”不是有效日期，格式为 YYYY-MM-DD`);
  if (periodTo !== '' && !realDate(periodTo)) add('periodTo', `“${periodTo}”不是有效日期，格式为 YYYY-MM-DD`);
  if (realDate(periodFrom) && realDate(periodTo) && periodTo < periodFrom) add('periodTo', '案卷截止日期不能早于起始日期');
  const reviewersPerFile = wholeNumber(input.reviewersPerFile, 1, 3);
  if (reviewersPerFile === null) add('reviewersPerFile', '每卷评查人数为 1 到 3 人');
  const threshold = pointsToTenths(input.disagreementThresholdTenths);
  if (threshold === null || threshold > 1000) add('disagreementThresholdTenths', '复核分差为 0 到 100 之间的分数，最多一位小数，例如 5 或 2.5');
  const commonIssueThreshold = wholeNumber(input.commonIssueThreshold, 2, 1000);
  if (commonIssueThreshold === null) add('commonIssueThreshold', '共性问题单位数为不少于 2 的整数：同一问题出现在至少这么多家单位的案卷中，即为共性问题');
  const objectionWindowDays = wholeNumber(input.objectionWindowDays, 0, 90);
  if (objectionWindowDays === null) add('objectionWindowDays', '异议期为 0 到 90 天');
  const rectificationDays = wholeNumber(input.rectificationDays, 1, 365);
  if (rectificationDays === null) add('rectificationDays', '整改期限为 1 到 365 天');
  const docNumberPattern = input.docNumberPattern.trim();
  if (!docNumberPattern.includes('{seq}')) add('docNumberPattern', '文号格式须包含序号占位符 {seq}，可选 {year}，例如：案评整改〔{year}〕{seq}号');
  else if (docNumberPattern.length > 60 || /\{(?!year\}|seq\})[^}]*\}/.test(docNumberPattern)) {
    add('docNumberPattern', '文号格式不超过 60 个字，只能使用 {year} 和 {seq} 两个占位符');
  }
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    settings: {
      name, year: year!, kind: input.kind as CampaignKind, description: description || null,
      periodFrom: periodFrom || null, periodTo: periodTo || null, reviewersPerFile: reviewersPerFile!,
      disagreementThresholdTenths: threshold!, commonIssueThreshold: commonIssueThreshold!,
      objectionWindowDays: objectionWindowDays!, rectificationDays: rectificationDays!, docNumberPattern,
    },
  };
}

/** Settings whose change is refused at this stage, with the fields that differ. */
export function lockedChanges(status: CampaignStatus, before: CampaignSettings, after: CampaignSettings): FieldProblem[] {
  if (!isStarted(status)) return [];
  return RESULT_SETTINGS.filter((k) => before[k] !== after[k]).map((k) => ({
    field: k,
    message: `评查已开始，“${SETTING_LABELS[k]}”会影响已有评查结果，不能再修改`,
  }));
}

export function docNumber(pattern: string, year: number, seq: number): string {
  return pattern.replaceAll('{year}', String(year)).replaceAll('{seq}', String(seq));
}

/** What the service knows about a campaign when a transition is asked for. */
export interface CampaignFacts {
  kind: CampaignKind;
  unitCount: number;
  pinnedCaseTypes: readonly CaseType[];
  /** Case types among the files that will be (or are being) reviewed. */
  reviewedCaseTypes: readonly CaseType[];
  reviewedFileCount: number;
  /** Files still short of the configured number of reviewers. */
  filesShortOfReviewers: number;
  /** Assignments that break a conflict rule today (a conflict declared, a unit moved, a person changed since). */
  conflictingAssignments: number;
  /** Assigned reviews not yet submitted. */
  pendingReviews: number;
  /** Files without a final result (after reconciliation or re-check). */
  filesWithoutFinal: number;
  openObjections: number;
}

export interface Transition {
  from: CampaignStatus;
  to: CampaignStatus;
  label: string;
  confirm: string;
}

export const TRANSITIONS: readonly Transition[] = [
  { from: 'draft', to: 'sampling', label: '开始抽取案卷', confirm: '进入抽取阶段后，参评单位报送案卷目录，管理员抽取案卷。' },
  { from: 'sampling', to: 'draft', label: '退回筹备', confirm: '退回筹备阶段以修改参评单位和评查标准。' },
  { from: 'sampling', to: 'reviewing', label: '开始评查', confirm: '开始评查后，参评单位、评查标准、每卷评查人数和复核分差等设置将被锁定。' },
  { from: 'reviewing', to: 'rechecking', label: '进入复核', confirm: '全部评分表提交后进入复核阶段。' },
  { from: 'rechecking', to: 'released', label: '发布评查结果', confirm: '发布后各单位可以查看本单位结果，并在异议期内提出异议。' },
  { from: 'released', to: 'closed', label: '结束活动', confirm: '结束后活动不再接受任何修改。' },
];

export function transitionsFrom(status: CampaignStatus, kind?: CampaignKind): Transition[] {
  return TRANSITIONS.filter((t) => t.from === status).map((t) =>
    // A self-check draws nothing: its second stage is when units hand in their lists.
    kind === 'self' && t.to === 'sampling'
      ? { ...t, label: '开始报送案卷', confirm: '进入报送阶段后，各参评单位报送本单位案卷目录，由本单位评查人员评查全部案卷。' }
      : t);
}

/** Why a transition may not happen now; empty when it may. */
export function transitionProblems(status: CampaignStatus, to: CampaignStatus, facts: CampaignFacts): string[] {
  if (!TRANSITIONS.some((t) => t.from === status && t.to === to)) {
    return [`活动当前处于“${CAMPAIGN_STATUS_LABELS[status]}”阶段，不能转为“${CAMPAIGN_STATUS_LABELS[to]}”`];
  }
  const problems: string[] = [];
  if (to === 'sampling') {
    if (facts.unitCount === 0) problems.push('尚未选择参评单位');
    if (facts.pinnedCaseTypes.length === 0) problems.push('尚未为任何案卷类型指定评查标准');
  }
  // A drawn sample would outlive the settings it was drawn under; a self-check draws nothing.
  if (status === 'sampling' && to === 'draft' && facts.kind !== 'self' && facts.reviewedFileCount > 0) {
    problems.push(`已抽取 ${facts.reviewedFileCount} 卷案卷，请先撤销抽取结果再退回筹备`);
  }
  if (to === 'reviewing') {
    if (facts.reviewedFileCount === 0) problems.push(facts.kind === 'self' ? '参评单位尚未报送任何案卷' : '尚未抽取任何案卷');
    const missing = facts.reviewedCaseTypes.filter((c) => !facts.pinnedCaseTypes.includes(c));
    if (missing.length > 0) problems.push(`以下案卷类型没有指定评查标准：${missing.map((c) => CASE_TYPE_LABELS[c]).join('、')}`);
    if (facts.filesShortOfReviewers > 0) problems.push(`还有 ${facts.filesShortOfReviewers} 卷案卷未分配足够的评查人员`);
    if (facts.conflictingAssignments > 0) {
      problems.push(`有 ${facts.conflictingAssignments} 人次的分配违反回避规则（回避登记、人员单位或活动设置有变），请在“分配评查人员”页改派`);
    }
  }
  if (to === 'rechecking' && facts.pendingReviews > 0) problems.push(`还有 ${facts.pendingReviews} 份评分表未提交`);
  if (to === 'released' && facts.filesWithoutFinal > 0) problems.push(`还有 ${facts.filesWithoutFinal} 卷案卷没有最后得分（待复核）`);
  if (to === 'closed' && facts.openObjections > 0) problems.push(`还有 ${facts.openObjections} 件异议尚未处理`);
  return problems;
}
