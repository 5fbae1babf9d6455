// Objections: who may raise one, until when, on what; who may decide; how an upheld one revises the result.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { deciderProblems, objectionDeadline, objectionProblems, reviseResult, type ObjectionRequest } from '../../src/domain/objections.ts';
import { readSheet, type SheetContent, type SheetInput } from '../../src/domain/review-sheet.ts';
import type { Rubric } from '../../src/domain/rubric/types.ts';

const rubric = JSON.parse(readFileSync(new URL('../../rubrics/penalty-general.json', import.meta.url), 'utf8')) as Rubric;
const sheet = (input: Partial<SheetInput>): SheetContent => {
  const r = readSheet(rubric, { deductions: [], vetoes: [], ...input });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.content;
};

const base: ObjectionRequest = {
  now: '2026-11-20T08:00:00.000Z', campaignStatus: 'released', releasedAt: '2026-11-18T08:00:00.000Z', windowDays: 5,
  actorUnitId: 7, fileUnitId: 7, targetKind: 'deduction', targetCode: 'S1-01', reason: '已出示证件，见笔录第 2 页',
  contestable: { deductions: ['S1-01', 'S3-06'], vetoes: ['V03'] }, openTargets: [],
};
const fields = (r: Partial<ObjectionRequest>) => objectionProblems({ ...base, ...r }).map((p) => p.message);

describe('objectionProblems', () => {
  it('accepts an objection of the file’s own unit within the window', () => {
    expect(fields({})).toEqual([]);
    expect(fields({ targetKind: 'veto', targetCode: 'V03' })).toEqual([]);
  });

  it.each<[string, Partial<ObjectionRequest>, RegExp]>([
    ['another unit’s file', { fileUnitId: 8 }, /只能对本单位案卷/],
    ['before release', { campaignStatus: 'rechecking', releasedAt: null }, /发布后才能/],
    ['after the window', { now: '2026-11-23T08:00:00.001Z' }, /异议期已于 2026-11-23 16:00 截止/],
    ['a mark the result does not hold', { targetCode: 'S9-01' }, /没有扣分项“S9-01”/],
    ['a veto the result does not hold', { targetKind: 'veto', targetCode: 'V01' }, /没有否决项“V01”/],
    ['an unknown kind', { targetKind: 'score' }, /请选择/],
    ['a target already under objection', { openTargets: ['deduction:S1-01'] }, /正在处理中/],
    ['an empty reason', { reason: '  ' }, /请写明异议理由/],
    ['a reason too long', { reason: '字'.repeat(1001) }, /不超过 1000 个字/],
  ])('refuses %s', (_name, r, message) => {
    expect(fields(r).some((m) => message.test(m))).toBe(true);
  });

  it('closes the window exactly N days after release (inclusive of the last instant)', () => {
    expect(objectionDeadline('2026-11-18T08:00:00.000Z', 5)).toBe('2026-11-23T08:00:00.000Z');
    expect(fields({ now: '2026-11-23T08:00:00.000Z' })).toEqual([]);
    expect(fields({ windowDays: 0, now: '2026-11-18T08:00:00.000Z' })).toEqual([]);
  });
});

describe('deciderProblems', () => {
  it('refuses a reviewer or rechecker of the file, and needs a decision and reasons', () => {
    expect(deciderProblems(3, [1, 2], 'upheld', '理由')).toEqual([]);
    expect(deciderProblems(2, [1, 2], 'upheld', '理由').map((p) => p.field)).toEqual(['decision']);
    expect(deciderProblems(3, [1, 2], 'maybe', '').map((p) => p.field)).toEqual(['decision', 'decisionReason']);
  });
});

describe('reviseResult', () => {
  it('a single sheet: the sheet rescored without the withdrawn deduction', () => {
    const r = reviseResult(rubric, 'recheck', [sheet({ deductions: [{ itemCode: 'S1-01', count: 2 }, { itemCode: 'S3-06', points: 3 }] })], { deductions: ['S3-06'], vetoes: [] });
    expect(r.totalTenths).toBe(980);
    expect(r.grade.label).toBe('优秀');
    expect(r.explanation).toContain('撤销扣分项 S3-06');
  });

  it('withdrawing a fail veto restores the grade the score gives', () => {
    const content = sheet({ deductions: [{ itemCode: 'S1-01', count: 1 }], vetoes: [{ code: 'V03', note: 'x' }] });
    expect(reviseResult(rubric, 'single', [content], { deductions: [], vetoes: [] }).grade.label).toBe('不合格');
    expect(reviseResult(rubric, 'single', [content], { deductions: [], vetoes: ['V03'] }).grade.label).toBe('优秀');
  });

  it('averaged sheets: each rescored, the average rounded half up, shared vetoes applied to the average', () => {
    const a = sheet({ deductions: [{ itemCode: 'S1-01', count: 1 }, { itemCode: 'S3-06', points: 1.5 }] }); // 97.5 → without S1-01: 98.5
    const b = sheet({ deductions: [{ itemCode: 'S3-06', points: 1 }] }); // 99
    const r = reviseResult(rubric, 'average', [a, b], { deductions: ['S1-01'], vetoes: [] });
    expect(r.totalTenths).toBe(988); // (98.5 + 99) / 2 = 98.75 → 98.8
    const withBar = reviseResult(rubric, 'average', [
      sheet({ vetoes: [{ code: 'V13', note: 'x' }] }), sheet({ vetoes: [{ code: 'V13', note: 'x' }] }),
    ], { deductions: [], vetoes: [] });
    expect(withBar.totalTenths).toBe(1000);
    expect(withBar.grade.label).toBe('良好');
    expect(withBar.decidingVeto).toBe('V13');
  });
});
