// Campaign statistics on hand-checked fixtures: rates, averages, ranks with ties, empty units, vetoes, calibration.
import { describe, expect, it } from 'vitest';
import { bandOf, campaignStatistics, rankUnits, rate, reviewerCalibration, type FileResult, type SheetScore } from '../../src/domain/statistics.ts';
import type { GradeBand } from '../../src/domain/rubric/types.ts';

const bands: GradeBand[] = [
  { code: 'excellent', label: '优秀', min: 90, passing: true },
  { code: 'good', label: '良好', min: 80, passing: true },
  { code: 'pass', label: '合格', min: 60, passing: true },
  { code: 'fail', label: '不合格', min: 0, passing: false },
];
const grade = (t: number) => bandOf(bands, t)!;
let id = 0;
const file = (unitId: number, totalTenths: number, extra: Partial<FileResult> = {}): FileResult => ({
  fileId: ++id, unitId, unitName: `单位${unitId}`, caseType: 'penalty', totalTenths, gradeCode: grade(totalTenths).code, passing: grade(totalTenths).passing, vetoed: false, ...extra,
});

describe('rate', () => {
  it.each<[number, number, string]>([[1, 3, '33.3%'], [2, 3, '66.7%'], [1, 8, '12.5%'], [7, 8, '87.5%'], [1, 2000, '0.1%'], [1, 2001, '0.0%'], [3, 3, '100.0%'], [0, 5, '0.0%'], [0, 0, '—']])(
    '%i ÷ %i = %s (half up)', (n, d, text) => expect(rate(n, d).percent).toBe(text));
});

describe('campaignStatistics', () => {
  // Unit 1: 95, 85, 55 and 85.5 (a fail veto keeps that file 不合格); unit 2: 90, 90 and a license file of 100;
  // unit 3: no files; unit 4: 78.5 and 78.0.
  const files = [
    file(1, 950), file(1, 850), file(1, 550), file(1, 855, { gradeCode: 'fail', passing: false, vetoed: true }),
    file(2, 900), file(2, 900), file(2, 1000, { caseType: 'license' }),
    file(4, 785), file(4, 780),
  ];
  const units = [1, 2, 3, 4].map((u) => ({ unitId: u, unitName: `单位${u}` }));
  const stats = campaignStatistics(files, bands, units, []);

  it('counts grades and rates over files with a final result', () => {
    const s = stats.summary;
    expect(s.files).toBe(9);
    expect(s.grades.map((g) => [g.label, g.count, g.rate.percent])).toEqual([
      ['优秀', 4, '44.4%'], ['良好', 1, '11.1%'], ['合格', 2, '22.2%'], ['不合格', 2, '22.2%'],
    ]);
    expect(s.passRate.percent).toBe('77.8%');
    expect(s.excellenceRate.percent).toBe('44.4%');
    // (950+850+550+855+900+900+1000+785+780) / 9 = 7570 / 9 = 841.1 → 84.1
    expect(s.average).toBe('84.1');
    expect(s.vetoes).toBe(1);
  });

  it('ranks units by average, ties by total; a unit without files stays, unranked', () => {
    expect(stats.byUnit.map((u) => [u.unitName, u.average, u.rank, u.gradeLabel])).toEqual([
      ['单位2', '93.3', 1, '优秀'], // (900+900+1000)/3 = 933.3
      ['单位1', '80.1', 2, '良好'], // (950+850+550+855)/4 = 801.25 → 80.1
      ['单位4', '78.3', 3, '合格'], // (785+780)/2 = 782.5 → 783 (half up)
      ['单位3', '—', null, null],
    ]);
  });

  it('shares a rank when average and total are equal', () => {
    const rows = rankUnits([
      { name: 'a', averageTenths: 900, totalTenths: 1800 }, { name: 'b', averageTenths: 900, totalTenths: 1800 },
      { name: 'c', averageTenths: 900, totalTenths: 900 }, { name: 'd', averageTenths: null, totalTenths: 0 },
    ]);
    expect(rows.map((r) => [r.name, r.rank])).toEqual([['a', 1], ['b', 1], ['c', 3], ['d', null]]);
  });

  it('per case type', () => {
    expect(stats.byCaseType.map((c) => [c.label, c.files, c.average])).toEqual([['行政处罚', 8, '82.1'] /* 6570 / 8 = 821.25 */, ['行政许可', 1, '100']]);
  });
});

describe('reviewer calibration', () => {
  const s = (fileId: number, reviewerId: number, totalTenths: number, kind: SheetScore['kind'] = 'review'): SheetScore =>
    ({ fileId, reviewerId, reviewerName: `评查员${reviewerId}`, kind, totalTenths });
  it('mean signed and absolute gap to the co-reviewers, re-checks counted apart', () => {
    const rows = reviewerCalibration([
      s(1, 1, 900), s(1, 2, 880), // 1: +2.0, 2: −2.0
      s(2, 1, 850), s(2, 2, 860), // 1: −1.0, 2: +1.0
      s(3, 1, 700), s(3, 2, 700), s(3, 3, 715), // 3 reviewers: 1: 700 − 707.5 = −0.75; 3: +1.5
      s(2, 3, 870, 'recheck'),
    ]);
    const r1 = rows.find((r) => r.reviewerId === 1)!;
    // gaps +2.0, −1.0, −0.75 → mean +0.0833 → 0.1; |gaps| 3.75 / 3 = 1.25 → 1.3
    expect([r1.sheets, r1.compared, r1.meanGap, r1.meanAbsGap, r1.average]).toEqual([3, 3, '+0.1', '1.3', '81.7']);
    const r3 = rows.find((r) => r.reviewerId === 3)!;
    expect([r3.sheets, r3.rechecks, r3.meanGap]).toEqual([1, 1, '+1.5']);
  });
});
