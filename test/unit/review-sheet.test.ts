// Reading a score sheet: what the page or the API sends, checked against the rubric, every problem named.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formValues, readSheet, scoreSheet, sheetInputFromForm, submitProblems, type SheetInput } from '../../src/domain/review-sheet.ts';
import type { Rubric } from '../../src/domain/rubric/types.ts';

const rubric = JSON.parse(readFileSync(new URL('../../rubrics/penalty-general.json', import.meta.url), 'utf8')) as Rubric;
const read = (input: Partial<SheetInput>) => readSheet(rubric, { deductions: [], vetoes: [], ...input });
const problemsOf = (input: Partial<SheetInput>) => {
  const r = read(input);
  return r.ok ? [] : r.problems;
};

describe('readSheet', () => {
  it('accepts counts and range points, keeps rubric order, and scores them with the engine', () => {
    const r = read({
      deductions: [
        { itemCode: 'S3-06', points: '2.5', note: '证据未编号', document: '证据清单', page: '12' },
        { itemCode: 'S1-01', count: '3', note: '询问笔录未记载出示证件' },
      ],
      vetoes: [{ code: 'V13', note: '法律适用不准确' }],
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.content.deductions.map((d) => d.itemCode)).toEqual(['S1-01', 'S3-06']);
    expect(r.content.deductions[1]).toMatchObject({ pointsTenths: 25, count: null, document: '证据清单', page: '12' });
    const score = scoreSheet(rubric, r.content);
    // S1-01: 3 × 1 capped at 2; S3-06: 2.5 → 95.5, and V13 keeps it out of 优秀.
    expect(score.total).toBe('95.5');
    expect(score.grade.label).toBe('良好');
  });

  it.each<[string, Partial<SheetInput>, string, RegExp]>([
    ['an item not in the rubric', { deductions: [{ itemCode: 'ZZ-99', count: 1 }] }, 'count.ZZ-99', /不在本卷的评查标准中/],
    ['a count over 999', { deductions: [{ itemCode: 'S1-01', count: '1000' }] }, 'count.S1-01', /1 到 999 的整数/],
    ['a negative count', { deductions: [{ itemCode: 'S1-01', count: '-1' }] }, 'count.S1-01', /1 到 999 的整数/],
    ['a fractional count', { deductions: [{ itemCode: 'S1-01', count: '1.5' }] }, 'count.S1-01', /1 到 999 的整数/],
    ['a fractional count from the API', { deductions: [{ itemCode: 'S1-01', count: 1.5 }] }, 'count.S1-01', /1 到 999 的整数/],
    ['points on a per-occurrence item', { deductions: [{ itemCode: 'S1-01', count: '1', points: '1' }] }, 'count.S1-01', /只填次数/],
    ['range points outside the range', { deductions: [{ itemCode: 'S3-05', points: '20' }] }, 'points.S3-05', /不在该项的扣分区间内（5–15 分）/],
    ['range points under the minimum', { deductions: [{ itemCode: 'S3-05', points: '4.9' }] }, 'points.S3-05', /不在该项的扣分区间内/],
    ['range points with two decimals', { deductions: [{ itemCode: 'S3-06', points: '1.25' }] }, 'points.S3-06', /最多一位小数/],
    ['a note without a count', { deductions: [{ itemCode: 'S1-01', count: '', note: '有问题' }] }, 'count.S1-01', /没有填写次数/],
    ['a note without points', { deductions: [{ itemCode: 'S3-06', note: '有问题' }] }, 'points.S3-06', /没有填写扣分分值/],
    ['the same item twice', { deductions: [{ itemCode: 'S1-01', count: 1 }, { itemCode: 'S1-01', count: 1 }] }, 'count.S1-01', /重复/],
    ['a veto not in the rubric', { vetoes: [{ code: 'V99' }] }, 'veto.V99', /不在本卷的评查标准中/],
    ['a veto twice', { vetoes: [{ code: 'V03', note: 'a' }, { code: 'V03', note: 'a' }] }, 'veto.V03', /重复勾选/],
    ['a note too long', { deductions: [{ itemCode: 'S1-01', count: 1, note: '字'.repeat(501) }] }, 'note.S1-01', /不超过 500 个字/],
    ['control characters', { deductions: [{ itemCode: 'S1-01', count: 1, note: 'a\u0007b' }] }, 'note.S1-01', /控制字符/],
    ['a page too long', { vetoes: [{ code: 'V03', page: '1'.repeat(21) }] }, 'vetopage.V03', /不超过 20 个字/],
    ['a note that is not text', { deductions: [{ itemCode: 'S1-01', count: 1, note: 5 as unknown as string }] }, 'note.S1-01', /应为文字/],
  ])('refuses %s, naming the field', (_name, input, field, message) => {
    const problems = problemsOf(input);
    expect(problems.some((p) => p.field === field && message.test(p.message))).toBe(true);
  });

  it('lists every problem at once', () => {
    const problems = problemsOf({ deductions: [{ itemCode: 'S1-01', count: '0.5' }, { itemCode: 'S3-05', points: '99' }], vetoes: [{ code: 'NOPE' }] });
    expect(problems).toHaveLength(3);
  });

  it('treats an empty or zero count as not marked, and keeps multi-line notes', () => {
    const r = read({ deductions: [{ itemCode: 'S1-01', count: '0' }, { itemCode: 'S1-02', count: '' }, { itemCode: 'S2-01', count: 1, note: '第一行\n第二行' }] });
    expect(r.ok && r.content.deductions.map((d) => [d.itemCode, d.note])).toEqual([['S2-01', '第一行\n第二行']]);
  });
});

describe('submitProblems', () => {
  it('needs a note for every veto', () => {
    const r = read({ vetoes: [{ code: 'V03', note: '' }] });
    expect(r.ok && submitProblems(r.content, false)).toEqual([{ field: 'vetonote.V03', message: '勾选否决项 V03 须写明具体问题' }]);
  });

  it('never takes an untouched sheet as a clean file unless the reviewer confirms it', () => {
    const r = read({});
    expect(r.ok && submitProblems(r.content, false).map((p) => p.field)).toEqual(['confirmClean']);
    expect(r.ok && submitProblems(r.content, true)).toEqual([]);
  });
});

describe('the page form', () => {
  it('reads the rows the reviewer touched, and back', () => {
    const body = {
      'count.S1-01': '2', 'note.S1-01': '未出示证件', 'doc.S1-01': '询问笔录', 'page.S1-01': '3',
      'points.S3-06': '1.5', 'count.S1-02': '', 'veto.V03': '1', 'vetonote.V03': '超越职权', 'veto.V04': '', opinion: '总体较好',
    };
    const input = sheetInputFromForm(rubric, body);
    expect(input.deductions.map((d) => d.itemCode)).toEqual(['S1-01', 'S3-06']);
    expect(input.vetoes.map((v) => v.code)).toEqual(['V03']);
    const r = readSheet(rubric, input);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const values = formValues(r.content);
    expect(values).toMatchObject({ 'count.S1-01': '2', 'note.S1-01': '未出示证件', 'points.S3-06': '1.5', 'veto.V03': '1', 'vetonote.V03': '超越职权', opinion: '总体较好' });
  });

  it('names forged fields for items and vetoes the rubric does not have', () => {
    const input = sheetInputFromForm(rubric, { 'count.ZZ-99': '1', 'veto.V99': '1' });
    const r = readSheet(rubric, input);
    expect(r.ok ? [] : r.problems.map((p) => p.field)).toEqual(['count.ZZ-99', 'veto.V99']);
  });

  it('takes the first of a repeated field', () => {
    const input = sheetInputFromForm(rubric, { 'count.S1-01': ['1', '5'] });
    expect(input.deductions[0]!.count).toBe('1');
  });
});

describe('其他问题 (findings outside the rubric)', () => {
  it('records up to five in the reviewer’s words, with no effect on the score', () => {
    const input = sheetInputFromForm(rubric, { 'other.0.note': '卷宗装订顺序混乱', 'other.0.doc': '卷内目录', 'other.0.page': '1', 'other.1.note': '' });
    const r = readSheet(rubric, input);
    expect(r.ok && r.content.others).toEqual([{ note: '卷宗装订顺序混乱', document: '卷内目录', page: '1' }]);
    expect(r.ok && scoreSheet(rubric, r.content).total).toBe('100');
    expect(r.ok && formValues(r.content)['other.0.note']).toBe('卷宗装订顺序混乱');
    // Only "其他问题": still no deduction, so submitting needs the confirmation.
    expect(r.ok && submitProblems(r.content, false).map((p) => p.field)).toEqual(['confirmClean']);
  });

  it('refuses a location without wording, too long a wording, and more than five', () => {
    expect(problemsOf({ others: [{ note: '', page: '3' }] }).map((p) => p.field)).toEqual(['other.0.note']);
    expect(problemsOf({ others: [{ note: '字'.repeat(201) }] })[0]!.message).toMatch(/不超过 200 个字/);
    expect(problemsOf({ others: Array.from({ length: 6 }, () => ({ note: '问题' })) })[0]!.message).toMatch(/最多记录 5 条/);
  });
});
