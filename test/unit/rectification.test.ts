// The rectification loop's rules: who moves a measure from which state, dates, overdue with an injected "today".
import { describe, expect, it } from 'vitest';
import {
  addDays, beijingDate, isDueSoon, isOverdue, itemState, moveProblem, nextStatus, noticeDateProblems, readMeasure, reportProblems,
  type MeasureAction, type MeasureStatus, type Party,
} from '../../src/domain/rectification.ts';

describe('measure state machine', () => {
  it.each<[MeasureStatus, MeasureAction, Party, MeasureStatus | null]>([
    ['draft', 'edit', 'department', 'draft'],
    ['draft', 'submit', 'department', 'submitted'],
    ['returned', 'edit', 'department', 'returned'],
    ['returned', 'submit', 'department', 'submitted'],
    ['submitted', 'verify', 'bureau', 'verified'],
    ['submitted', 'return', 'bureau', 'returned'],
    ['draft', 'delete', 'department', 'draft'],
    // refused:
    ['submitted', 'edit', 'department', null],
    ['verified', 'edit', 'department', null],
    ['verified', 'return', 'bureau', null],
    ['draft', 'verify', 'bureau', null],
    ['submitted', 'verify', 'department', null],
    ['draft', 'submit', 'bureau', null],
    ['returned', 'delete', 'department', null],
  ])('%s --%s by %s--> %s', (from, action, party, to) => {
    const problem = moveProblem(from, action, party);
    if (to === null) expect(problem).toMatch(/不能|由/);
    else {
      expect(problem).toBeNull();
      expect(nextStatus(action, from)).toBe(to);
    }
  });

  it('says in Chinese why a department cannot verify its own measure', () => {
    expect(moveProblem('submitted', 'verify', 'department')).toBe('整改措施由评查机关验收，本单位不能验收');
    expect(moveProblem('verified', 'edit', 'department')).toBe('该整改措施已验收，不能修改');
  });
});

describe('dates', () => {
  it('checks the notice dates', () => {
    expect(noticeDateProblems('2026-11-23', '2026-12-23')).toEqual([]);
    expect(noticeDateProblems('2026-11-23', '2026-11-23')).toEqual([]);
    expect(noticeDateProblems('2026-11-23', '2026-11-22')[0]!.message).toBe('整改期限 2026-11-22 早于发文日期 2026-11-23');
    expect(noticeDateProblems('2023-02-30', '2026-11-22').map((p) => p.field)).toEqual(['issuedOn']);
  });

  it('adds days across months and years; today is the Beijing date', () => {
    expect(addDays('2026-11-23', 30)).toBe('2026-12-23');
    expect(addDays('2026-12-20', 15)).toBe('2027-01-04');
    expect(beijingDate(new Date('2026-11-23T16:30:00Z'))).toBe('2026-11-24');
    expect(beijingDate(new Date('2026-11-23T15:59:59Z'))).toBe('2026-11-23');
  });

  it('overdue from the day after the deadline unless verified; due soon within 7 days', () => {
    expect(isOverdue('submitted', '2026-12-01', '2026-12-01')).toBe(false);
    expect(isOverdue('submitted', '2026-12-01', '2026-12-02')).toBe(true);
    expect(isOverdue(null, '2026-12-01', '2026-12-02')).toBe(true);
    expect(isOverdue('verified', '2026-12-01', '2027-01-01')).toBe(false);
    expect(isDueSoon('draft', '2026-12-01', '2026-11-24')).toBe(true);
    expect(isDueSoon('draft', '2026-12-01', '2026-11-23')).toBe(false);
    expect(isDueSoon('draft', '2026-12-01', '2026-12-02')).toBe(false);
    expect(isDueSoon('verified', '2026-12-01', '2026-11-30')).toBe(false);
  });
});

describe('what a department types', () => {
  it('needs the measure and the responsible person; a real completion date', () => {
    const r = readMeasure({ description: ' 组织执法人员培训 ', responsible: '李明', completedOn: '2026-12-10', evidence: '培训签到表' });
    expect(r).toEqual({ ok: true, values: { description: '组织执法人员培训', responsible: '李明', completedOn: '2026-12-10', evidence: '培训签到表' } });
    const bad = readMeasure({ description: '', responsible: 'x'.repeat(51), completedOn: '2026-13-01', evidence: '' });
    expect(bad.ok ? [] : bad.problems.map((p) => p.field)).toEqual(['description', 'responsible', 'completedOn']);
  });

  it('a report needs a measure for every issue and completion dates on what it submits', () => {
    expect(reportProblems([{ wording: '未出示证件', measures: [{ status: 'draft', completedOn: '2026-12-01' }] }])).toEqual([]);
    expect(reportProblems([{ wording: '未出示证件', measures: [] }])).toEqual(['第 1 个问题“未出示证件”还没有整改措施']);
    expect(reportProblems([{ wording: 'A', measures: [{ status: 'returned', completedOn: null }] }])).toEqual(['第 1 个问题“A”有整改措施未填写完成日期']);
    expect(reportProblems([{ wording: 'A', measures: [{ status: 'verified', completedOn: '2026-12-01' }] }])).toEqual(['没有待报送的整改措施']);
  });

  it('an issue is rectified when all its measures are verified', () => {
    expect(itemState([])).toBe('open');
    expect(itemState(['verified', 'submitted'])).toBe('inProgress');
    expect(itemState(['verified'])).toBe('verified');
  });
});
