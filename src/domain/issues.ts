// Findings and issue classification (共性问题 / 个性问题). Pure: the service hands over each file's final result
// (the marks of the sheets it rests on, minus what objections withdrew) and the earlier years' findings.
//
// - A finding is one problem in one file's final result: a deduction item, a veto, or an "其他问题" a reviewer
//   wrote outside the rubric. Several sheets of the same result marking the same item make one finding that
//   keeps every reviewer's note.
// - Findings group into issues by their key: a rubric item or veto (keyed by the rubric's id, stable across
//   versions, and the item's permanent code), or a merged group of "其他问题", or a single unmerged one.
// - An issue is common when it occurs in files of at least `threshold` distinct units; otherwise it is an
//   individual issue of each unit where it occurs. The reports count them that way: "发现共性问题 N 个、个性问题 M 个"
//   with N = common issues and M = Σ over the other issues of the units they occur in.
// - An issue of a unit is repeated (屡查屡犯) when the same key was found in the same unit in an earlier year.
import type { Withdrawn } from './objections.ts';
import type { Rubric } from './rubric/types.ts';

export type FindingKind = 'deduction' | 'veto' | 'other';
export const FINDING_KIND_LABELS: Record<FindingKind, string> = { deduction: '扣分项', veto: '否决项', other: '其他问题' };
export const OTHER_CATEGORY = '其他问题';

export interface MarkNote {
  reviewId: number;
  reviewerName: string;
  note: string;
  document: string;
  page: string;
}

/** A mark of a sheet a final result rests on. */
export interface ResultMark extends MarkNote {
  markId: number;
  kind: FindingKind;
  /** Item or veto code; empty for "其他问题". */
  code: string;
}

/** The "其他问题" the bureau merged into one issue, by mark id. */
export type OtherGroups = ReadonlyMap<number, { groupId: number; title: string }>;

export interface ResultInput {
  fileId: number;
  fileNumber: string;
  unitId: number;
  unitName: string;
  rubric: Rubric;
  withdrawn: Withdrawn;
  marks: readonly ResultMark[];
}

export interface Finding {
  key: string;
  kind: FindingKind;
  /** Item or veto code, '' for "其他问题". */
  code: string;
  /** The standard wording of the issue (the rubric's `issue`), or the group title / the reviewer's words. */
  wording: string;
  category: string;
  fileId: number;
  fileNumber: string;
  unitId: number;
  unitName: string;
  notes: MarkNote[];
}

export const itemKey = (rubricId: string, code: string): string => `item:${rubricId}:${code}`;
export const vetoKey = (rubricId: string, code: string): string => `veto:${rubricId}:${code}`;
export const otherKey = (markId: number, groups: OtherGroups): string => {
  const group = groups.get(markId);
  return group ? `group:${group.groupId}` : `other:${markId}`;
};

/** The findings of one file's final result. */
export function findingsOf(result: ResultInput, groups: OtherGroups): Finding[] {
  const items = new Map<string, { issue: string; category: string }>();
  for (const section of result.rubric.sections) for (const item of section.items) items.set(item.code, item);
  const vetoes = new Map(result.rubric.vetoes.map((v) => [v.code, v]));
  const byKey = new Map<string, Finding>();
  const base = { fileId: result.fileId, fileNumber: result.fileNumber, unitId: result.unitId, unitName: result.unitName };
  for (const m of result.marks) {
    let key: string;
    let wording: string;
    let category: string;
    if (m.kind === 'deduction') {
      if (result.withdrawn.deductions.includes(m.code)) continue;
      const item = items.get(m.code);
      if (!item) throw new Error(`internal: item ${m.code} is not in ${result.rubric.id}@${result.rubric.version}`);
      key = itemKey(result.rubric.id, m.code);
      wording = item.issue;
      category = item.category;
    } else if (m.kind === 'veto') {
      if (result.withdrawn.vetoes.includes(m.code)) continue;
      const veto = vetoes.get(m.code);
      if (!veto) throw new Error(`internal: veto ${m.code} is not in ${result.rubric.id}@${result.rubric.version}`);
      key = vetoKey(result.rubric.id, m.code);
      wording = veto.issue;
      category = veto.category;
    } else {
      key = otherKey(m.markId, groups);
      wording = groups.get(m.markId)?.title ?? m.note;
      category = OTHER_CATEGORY;
    }
    const note: MarkNote = { reviewId: m.reviewId, reviewerName: m.reviewerName, note: m.note, document: m.document, page: m.page };
    const found = byKey.get(key);
    if (found) found.notes.push(note);
    else byKey.set(key, { key, kind: m.kind, code: m.code, wording, category, ...base, notes: [note] });
  }
  return [...byKey.values()];
}

export type IssueScope = 'common' | 'individual';
export const ISSUE_SCOPE_LABELS: Record<IssueScope, string> = { common: '共性问题', individual: '个性问题' };

export interface IssueUnit {
  unitId: number;
  unitName: string;
  fileCount: number;
  /** Found in this unit in an earlier year too (屡查屡犯). */
  repeated: boolean;
}

export interface Issue {
  key: string;
  kind: FindingKind;
  code: string;
  wording: string;
  category: string;
  scope: IssueScope;
  fileCount: number;
  unitCount: number;
  units: IssueUnit[];
  findings: Finding[];
}

export interface Classification {
  issues: Issue[];
  commonCount: number;
  /** Σ over individual issues of the units they occur in. */
  individualCount: number;
  findingCount: number;
  threshold: number;
  /** "发现共性问题 N 个、个性问题 M 个" */
  sentence: string;
}

/** `${unitId}|${key}` for every issue found in each unit in earlier years. */
export const historyKey = (unitId: number, key: string): string => `${unitId}|${key}`;

export function classifyIssues(findings: readonly Finding[], threshold: number, earlier: ReadonlySet<string> = new Set()): Classification {
  if (!Number.isSafeInteger(threshold) || threshold < 1) throw new RangeError(`threshold must be a positive integer, got ${threshold}`);
  const byKey = new Map<string, Finding[]>();
  for (const f of findings) byKey.set(f.key, [...(byKey.get(f.key) ?? []), f]);
  const issues: Issue[] = [];
  for (const [key, list] of byKey) {
    const units = new Map<number, IssueUnit>();
    for (const f of list) {
      const u = units.get(f.unitId) ?? { unitId: f.unitId, unitName: f.unitName, fileCount: 0, repeated: earlier.has(historyKey(f.unitId, key)) };
      u.fileCount += 1;
      units.set(f.unitId, u);
    }
    const first = list[0]!;
    issues.push({
      key, kind: first.kind, code: first.code, wording: first.wording, category: first.category,
      scope: units.size >= threshold ? 'common' : 'individual',
      fileCount: list.length, unitCount: units.size,
      units: [...units.values()].sort((a, b) => b.fileCount - a.fileCount || a.unitId - b.unitId),
      findings: [...list].sort((a, b) => a.unitId - b.unitId || a.fileNumber.localeCompare(b.fileNumber, 'zh-CN', { numeric: true })),
    });
  }
  // Most frequent first: files, then units; a stable order for ties.
  issues.sort((a, b) => b.fileCount - a.fileCount || b.unitCount - a.unitCount || a.key.localeCompare(b.key, 'en', { numeric: true }));
  const common = issues.filter((i) => i.scope === 'common');
  const individualCount = issues.filter((i) => i.scope === 'individual').reduce((n, i) => n + i.unitCount, 0);
  return {
    issues, commonCount: common.length, individualCount, findingCount: findings.length, threshold,
    sentence: `发现共性问题 ${common.length} 个、个性问题 ${individualCount} 个`,
  };
}

/** One unit's issues for its rectification: common ones that reach it and its individual ones. */
export function issuesOfUnit(classification: Classification, unitId: number): (Issue & { unit: IssueUnit })[] {
  const out: (Issue & { unit: IssueUnit })[] = [];
  for (const issue of classification.issues) {
    const unit = issue.units.find((u) => u.unitId === unitId);
    if (unit) out.push({ ...issue, unit, findings: issue.findings.filter((f) => f.unitId === unitId) });
  }
  return out;
}
