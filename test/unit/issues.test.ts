// Findings and issue classification on hand-checked fixtures: threshold edges, shared items across sheets,
// withdrawn marks, merged "其他问题", repeated issues (屡查屡犯).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classifyIssues, findingsOf, historyKey, issuesOfUnit, itemKey, type Finding, type ResultInput, type ResultMark } from '../../src/domain/issues.ts';
import type { Rubric } from '../../src/domain/rubric/types.ts';

const rubric = JSON.parse(readFileSync(new URL('../../rubrics/penalty-general.json', import.meta.url), 'utf8')) as Rubric;
let markId = 0;
const mark = (kind: ResultMark['kind'], code: string, reviewId = 1, note = ''): ResultMark =>
  ({ markId: ++markId, kind, code, reviewId, reviewerName: `评查员${reviewId}`, note, document: '', page: '' });
const result = (fileId: number, unitId: number, marks: ResultMark[], withdrawn = { deductions: [] as string[], vetoes: [] as string[] }): ResultInput =>
  ({ fileId, fileNumber: `F-${fileId}`, unitId, unitName: `单位${unitId}`, rubric, withdrawn, marks });
const none = new Map<number, { groupId: number; title: string }>();

describe('findingsOf', () => {
  it('one finding per item per file, keeping every reviewer’s note; the rubric’s standard wording', () => {
    const f = findingsOf(result(1, 10, [mark('deduction', 'S1-01', 1, '甲说'), mark('deduction', 'S1-01', 2, '乙说'), mark('veto', 'V03', 2, '越权')]), none);
    expect(f).toHaveLength(2);
    expect(f[0]).toMatchObject({ key: itemKey('penalty-general', 'S1-01'), wording: '执法人员未出示执法证件', category: '执法主体' });
    expect(f[0]!.notes.map((n) => n.note)).toEqual(['甲说', '乙说']);
    expect(f[1]).toMatchObject({ key: 'veto:penalty-general:V03', kind: 'veto' });
  });

  it('leaves out what an upheld objection withdrew', () => {
    const f = findingsOf(result(1, 10, [mark('deduction', 'S1-01'), mark('veto', 'V03')], { deductions: ['S1-01'], vetoes: ['V03'] }), none);
    expect(f).toEqual([]);
  });

  it('"其他问题": each its own issue in the reviewer’s words, unless the bureau merged them', () => {
    const a = mark('other', '', 1, '卷宗装订顺序混乱');
    const b = mark('other', '', 2, '案卷目录页码不连续');
    const separate = findingsOf(result(1, 10, [a, b]), none);
    expect(separate.map((x) => x.wording)).toEqual(['卷宗装订顺序混乱', '案卷目录页码不连续']);
    const merged = findingsOf(result(1, 10, [a, b]), new Map([[a.markId, { groupId: 7, title: '卷宗整理不规范' }], [b.markId, { groupId: 7, title: '卷宗整理不规范' }]]));
    expect(merged).toHaveLength(1);
    expect(merged[0]).toMatchObject({ key: 'group:7', wording: '卷宗整理不规范', category: '其他问题' });
    expect(merged[0]!.notes).toHaveLength(2);
  });
});

describe('classifyIssues', () => {
  // S1-01 in units 10, 20, 30 (three units, four files); S3-01 in units 10 and 20; V03 in unit 30 only.
  const findings: Finding[] = [
    ...findingsOf(result(1, 10, [mark('deduction', 'S1-01'), mark('deduction', 'S3-01')]), none),
    ...findingsOf(result(2, 10, [mark('deduction', 'S1-01')]), none),
    ...findingsOf(result(3, 20, [mark('deduction', 'S1-01'), mark('deduction', 'S3-01')]), none),
    ...findingsOf(result(4, 30, [mark('deduction', 'S1-01'), mark('veto', 'V03')]), none),
    ...findingsOf(result(5, 30, []), none),
  ];

  it.each<[number, number, number]>([
    // threshold → common, individual (Σ units of the non-common issues)
    [3, 1, 3], // S1-01 common (3 units); S3-01 individual in 2 units, V03 in 1 → 3
    [2, 2, 1], // S1-01 and S3-01 common; V03 individual in 1 unit
    [4, 0, 6], // nothing common: 3 + 2 + 1
    [1, 3, 0], // everything common
  ])('threshold %i → %i common, %i individual', (threshold, common, individual) => {
    const c = classifyIssues(findings, threshold);
    expect([c.commonCount, c.individualCount]).toEqual([common, individual]);
    expect(c.sentence).toBe(`发现共性问题 ${common} 个、个性问题 ${individual} 个`);
  });

  it('sorts by frequency and leads to every file', () => {
    const c = classifyIssues(findings, 3);
    expect(c.issues.map((i) => [i.code, i.fileCount, i.unitCount])).toEqual([['S1-01', 4, 3], ['S3-01', 2, 2], ['V03', 1, 1]]);
    expect(c.issues[0]!.findings.map((f) => f.fileId)).toEqual([1, 2, 3, 4]);
    expect(c.issues[0]!.units[0]).toMatchObject({ unitId: 10, fileCount: 2 });
    expect(c.findingCount).toBe(7);
  });

  it('marks an issue repeated in a unit that had it in an earlier year', () => {
    const c = classifyIssues(findings, 3, new Set([historyKey(20, itemKey('penalty-general', 'S3-01'))]));
    const s301 = c.issues.find((i) => i.code === 'S3-01')!;
    expect(s301.units.map((u) => [u.unitId, u.repeated])).toEqual([[10, false], [20, true]]);
  });

  it('a unit’s own issues, with only its own files', () => {
    const c = classifyIssues(findings, 3);
    const mine = issuesOfUnit(c, 10);
    expect(mine.map((i) => [i.code, i.scope, i.findings.length])).toEqual([['S1-01', 'common', 2], ['S3-01', 'individual', 1]]);
  });

  it('refuses a threshold below 1', () => {
    expect(() => classifyIssues(findings, 0)).toThrow(RangeError);
  });
});
