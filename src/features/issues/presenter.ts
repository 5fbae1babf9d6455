// A campaign's issues shaped for its pages (views/issues/index.hbs, views/issues/show.hbs). The classification
// comes from src/domain/issues.ts; this module only filters what the route allows and words the figures the
// way the reports state them.
import { CAMPAIGN_STATUS_LABELS, type CampaignStatus } from '../../domain/campaigns.ts';
import {
  FINDING_KIND_LABELS, ISSUE_SCOPE_LABELS, OTHER_CATEGORY, type Classification, type Issue, type IssueScope, type IssueUnit,
} from '../../domain/issues.ts';
import type { OtherMarkRow } from './queries.ts';

export const issuesUrl = (campaignId: number): string => `/campaigns/${campaignId}/issues`;
export const issueUrl = (campaignId: number, key: string): string => `${issuesUrl(campaignId)}/${encodeURIComponent(key)}`;
export const othersUrl = (campaignId: number): string => `${issuesUrl(campaignId)}#others`;
const resultUrl = (campaignId: number, fileId: number): string => `/campaigns/${campaignId}/files/${fileId}/result`;

const ISSUE_SCOPES: readonly IssueScope[] = ['common', 'individual'];
const collator = new Intl.Collator('zh-CN');

/** An issue as one unit sees it: the findings of that unit only. */
export type UnitIssue = Issue & { unit?: IssueUnit };

export interface IssueFilter {
  scope: IssueScope | null;
  category: string | null;
  /** Bureau only: issues that occur in this unit. */
  unitId: number | null;
}

export const isIssueScope = (value: string): value is IssueScope => (ISSUE_SCOPES as readonly string[]).includes(value);

/** "扣分项 S1-01", "否决项 V03", "其他问题". */
export const typeLabel = (issue: Pick<Issue, 'kind' | 'code'>): string =>
  issue.kind === 'other' ? FINDING_KIND_LABELS.other : `${FINDING_KIND_LABELS[issue.kind]} ${issue.code}`;

const thresholdClause = (threshold: number) => `（同一问题出现在 ${threshold} 个及以上单位的案卷中为共性问题）`;

/** The sentence the reports use, for the whole campaign. */
export function campaignSentence(fileCount: number, classification: Classification): string {
  return `共 ${fileCount} 卷案卷有最后得分；${classification.sentence}${thresholdClause(classification.threshold)}`;
}

/** The same for one unit: its own files, and the campaign's issues that reach it. */
export function unitSentence(fileCount: number, issues: readonly UnitIssue[], threshold: number): string {
  const common = issues.filter((i) => i.scope === 'common').length;
  return `本单位共 ${fileCount} 卷案卷有最后得分；发现问题 ${issues.length} 个，其中共性问题 ${common} 个、个性问题 ${issues.length - common} 个`
    + thresholdClause(threshold);
}

/** What the bureau is told while the figures are still moving. */
export function stageNotice(status: string, files: number, finals: number): string | null {
  const label = CAMPAIGN_STATUS_LABELS[status as CampaignStatus] ?? status;
  if (status === 'draft' || status === 'sampling') return `活动尚处于“${label}”阶段，还没有案卷形成最后得分，问题汇总在评查开始后逐步形成。`;
  if (status === 'reviewing' || status === 'rechecking') {
    return `活动仍处于“${label}”阶段：参评案卷 ${files} 卷，其中 ${finals} 卷已有最后得分。以下数字只统计已有最后得分的案卷，其余案卷形成最后得分后再计入。`;
  }
  return null;
}

export function categoriesOf(issues: readonly Issue[]): string[] {
  const set = [...new Set(issues.map((i) => i.category))];
  // The rubric's categories by name; "其他问题" last.
  return set.sort((a, b) => Number(a === OTHER_CATEGORY) - Number(b === OTHER_CATEGORY) || collator.compare(a, b));
}

export function filterIssues(issues: readonly UnitIssue[], filter: Omit<IssueFilter, 'unitId'>): UnitIssue[] {
  return issues.filter((i) => (filter.scope === null || i.scope === filter.scope) && (filter.category === null || i.category === filter.category));
}

/** What the table row and the detail page both say of an issue. */
const issueFacts = (issue: UnitIssue) => ({
  key: issue.key,
  wording: issue.wording,
  category: issue.category,
  kind: issue.kind,
  typeLabel: typeLabel(issue),
  scope: issue.scope,
  scopeLabel: ISSUE_SCOPE_LABELS[issue.scope],
  unitCount: issue.unitCount,
  fileCount: issue.fileCount,
  repeatedUnits: issue.units.filter((u) => u.repeated).map((u) => u.unitName),
});

/** The rows of the issue table, numbered in the order given (the domain's: most frequent first). */
export function issueRows(campaignId: number, issues: readonly UnitIssue[]) {
  return issues.map((issue, index) => ({
    no: index + 1,
    ...issueFacts(issue),
    href: issueUrl(campaignId, issue.key),
    /** With a unit in view (a department, or the bureau's unit filter): that unit's figures. */
    unit: issue.unit ? { fileCount: issue.unit.fileCount, repeated: issue.unit.repeated } : null,
  }));
}

/** One issue with every finding behind it (only the unit's, when `unitIssue` was narrowed to one unit). */
export function issueDetail(campaignId: number, issue: UnitIssue) {
  const repeated = new Set(issue.units.filter((u) => u.repeated).map((u) => u.unitId));
  const otherNotes = issue.kind === 'other' ? issue.findings.reduce((n, f) => n + f.notes.length, 0) : 0;
  return {
    ...issueFacts(issue),
    merged: issue.key.startsWith('group:'),
    otherNotes,
    units: issue.units.map((u) => ({ ...u })),
    unit: issue.unit ? { ...issue.unit } : null,
    findings: issue.findings.map((f) => ({
      fileId: f.fileId,
      fileNumber: f.fileNumber,
      unitName: f.unitName,
      repeated: repeated.has(f.unitId),
      resultHref: resultUrl(campaignId, f.fileId),
      notes: f.notes.map((n) => ({ reviewerName: n.reviewerName, note: n.note, document: n.document, page: n.page })),
    })),
  };
}

/** The bureau's list of "其他问题": merged ones together under their group, then the unmerged ones. */
export function otherMarkRows(campaignId: number, rows: readonly OtherMarkRow[]) {
  const sorted = [...rows].sort((a, b) =>
    Number(a.groupId === null) - Number(b.groupId === null) || (a.groupId ?? 0) - (b.groupId ?? 0) ||
    a.unitCode.localeCompare(b.unitCode) || a.fileNumber.localeCompare(b.fileNumber) || a.markId - b.markId);
  return sorted.map((r) => ({
    markId: r.markId,
    unitName: r.unitName,
    fileNumber: r.fileNumber,
    resultHref: resultUrl(campaignId, r.fileId),
    reviewerName: r.reviewerName,
    note: r.note,
    document: r.document,
    page: r.page,
    merged: r.groupId !== null,
    groupTitle: r.groupTitle,
    issueHref: issueUrl(campaignId, r.groupId !== null ? `group:${r.groupId}` : `other:${r.markId}`),
  }));
}
