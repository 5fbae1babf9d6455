// Annual rating rules: written as data, checked with Chinese messages, applied top-down with exact rates.
import { describe, expect, it } from 'vitest';
import { bandRule, parseRatingRule, rateUnit, type UnitYear } from '../../src/domain/annual-rating.ts';
import { rate } from '../../src/domain/statistics.ts';

const unit = (o: Partial<UnitYear> = {}): UnitYear => ({
  unitId: 1, unitName: '甲局', files: 10, averageTenths: 925, totalTenths: 9250, passRate: rate(10, 10), excellenceRate: rate(9, 10),
  vetoes: 0, commonIssues: 2, individualIssues: 3, rectificationRate: rate(4, 5), excellentSelected: 1, ...o,
});
const strict = parseRatingRule(JSON.stringify([
  { label: '优秀', minAverage: 90, minExcellenceRate: 85, minPassRate: 100, maxVetoes: 0 },
  { label: '良好', minAverage: 80 },
  { label: '合格', minAverage: 60 },
  { label: '不合格' },
]));

describe('rateUnit', () => {
  if (!strict.ok) throw new Error('rule');
  it.each<[string, Partial<UnitYear>, string | null]>([
    ['meets every 优秀 condition', {}, '优秀'],
    ['excellence rate exactly 85 %', { excellenceRate: rate(17, 20) }, '优秀'],
    ['excellence rate just under 85 %', { excellenceRate: rate(84, 100) }, '良好'],
    ['one file failed (pass rate 90 %)', { passRate: rate(9, 10) }, '良好'],
    ['one veto', { vetoes: 1 }, '良好'],
    ['average 79.9', { averageTenths: 799 }, '合格'],
    ['average 59.9', { averageTenths: 599 }, '不合格'],
    ['no files', { files: 0, averageTenths: null }, null],
  ])('%s → %s', (_n, o, label) => expect(rateUnit(unit(o), strict.rule)).toBe(label));

  it('defaults to banding the average like a file', () => {
    const rule = bandRule([{ code: 'e', label: '优秀', min: 90, passing: true }, { code: 'p', label: '合格', min: 60, passing: true }, { code: 'f', label: '不合格', min: 0, passing: false }]);
    expect(rateUnit(unit({ averageTenths: 900, passRate: rate(1, 2) }), rule)).toBe('优秀');
    expect(rateUnit(unit({ averageTenths: 899 }), rule)).toBe('合格');
  });
});

describe('parseRatingRule', () => {
  it.each<[string, RegExp]>([
    ['not json', /不是有效的 JSON/],
    ['[{"label":"优秀"}]', /至少两个等次/],
    ['[{"label":"优秀","minScore":90},{"label":"其他"}]', /未知条件“minScore”/],
    ['[{"label":"优秀","minPassRate":120},{"label":"其他"}]', /0 到 100/],
    ['[{"label":"优秀","minAverage":90.25},{"label":"其他"}]', /最多一位小数/],
    ['[{"label":"优秀","minAverage":90},{"label":"优秀"}]', /重复/],
    ['[{"label":"优秀","minAverage":90},{"label":"其他","minAverage":1}]', /最后一个等次不能设条件/],
    ['[{"minAverage":90},{"label":"其他"}]', /缺少等次名称/],
  ])('refuses %s', (text, message) => {
    const r = parseRatingRule(text);
    expect(r.ok ? [] : r.problems.join('；')).toMatch(message);
  });
});
