import { describe, expect, it } from 'vitest';
import { changeLines, describeRule, diffRatings, sameRatings, type RatedUnit } from '../../src/domain/rating-diff.ts';
import { rate } from '../../src/domain/statistics.ts';

const unit = (unitId: number, unitName: string, over: Partial<RatedUnit> = {}): RatedUnit => ({
  unitId, unitName, files: 1, averageTenths: 900, totalTenths: 900, passRate: rate(1, 1), excellenceRate: rate(1, 1), vetoes: 0,
  commonIssues: 1, individualIssues: 1, rectificationRate: rate(0, 2), excellentSelected: 0, level: '优秀', rank: 1, ...over,
});

describe('diffRatings', () => {
  it('lists only the units whose level, rank, average or files changed, with before and after', () => {
    const before = [unit(1, '甲局', { averageTenths: 988, rank: 1 }), unit(2, '乙局', { rank: 2 }), unit(3, '丙局', { rank: 2 })];
    const after = [unit(1, '甲局', { averageTenths: 988, rank: 1 }), unit(3, '丙局', { rank: 2 }),
      unit(2, '乙局', { files: 2, averageTenths: 750, totalTenths: 1500, level: '合格', rank: 3 })];
    const changes = diffRatings(before, after);
    expect(changes).toHaveLength(1);
    expect(changes[0]!.unitName).toBe('乙局');
    expect(changes[0]!.changes.map((c) => [c.field, c.before, c.after])).toEqual([
      ['level', '优秀', '合格'], ['rank', '第 2 名', '第 3 名'], ['average', '90', '75'], ['files', '1', '2'],
    ]);
    expect(changeLines(changes)).toEqual(['乙局：考评等次 优秀 → 合格；排名 第 2 名 → 第 3 名；平均分 90 → 75；参评案卷数 1 → 2']);
  });

  it('reports a unit that appears or disappears, and a unit losing its files', () => {
    const changes = diffRatings([unit(1, '甲局'), unit(2, '乙局')], [unit(1, '甲局', { files: 0, averageTenths: null, level: null, rank: null }), unit(3, '丙局')]);
    expect(changeLines(changes)).toEqual([
      '甲局：考评等次 优秀 → —；排名 第 1 名 → —；平均分 90 → —；参评案卷数 1 → 0',
      '丙局：参评 未参评 → 参评',
      '乙局：参评 参评 → 未参评',
    ]);
  });

  it('finds nothing between equal publications; sameRatings also sees figures the diff does not name', () => {
    const rows = [unit(1, '甲局'), unit(2, '乙局', { rank: 2 })];
    expect(diffRatings(rows, rows.map((r) => ({ ...r })))).toEqual([]);
    expect(sameRatings(rows, [...rows].reverse())).toBe(true);
    const rectified = [unit(1, '甲局', { rectificationRate: rate(1, 2) }), rows[1]!];
    expect(diffRatings(rows, rectified)).toEqual([]);
    expect(sameRatings(rows, rectified)).toBe(false);
  });
});

describe('describeRule', () => {
  it('puts each level in words, the last catching the rest', () => {
    expect(describeRule([
      { label: '优秀', minAverage: 90, minExcellenceRate: 85, minPassRate: 100, maxVetoes: 0 },
      { label: '良好', minAverage: 80, minRectificationRate: 90 },
      { label: '合格', minAverage: 60 },
      { label: '不合格' },
    ])).toEqual([
      '优秀：平均分不低于 90，优秀率不低于 85%，合格率不低于 100%，否决项案卷数不超过 0',
      '良好：平均分不低于 80，整改完成率不低于 90%',
      '合格：平均分不低于 60',
      '不合格：其余有参评案卷的单位',
    ]);
  });
});
