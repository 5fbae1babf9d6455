import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidMarksError, gradeFor, scoreReview, type DeductionMark, type ReviewMarks } from '../../src/domain/rubric/scoring.ts';
import { formatTenths } from '../../src/domain/rubric/points.ts';
import type { Rubric, RubricItem, Veto, VetoEffect } from '../../src/domain/rubric/types.ts';
import { validateRubric, validateRubricValue } from '../../src/domain/rubric/validate.ts';

function loadRubric(): Rubric {
  const result = validateRubric(readFileSync(new URL('../fixtures/rubrics/good/minimal.json', import.meta.url), 'utf8'));
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.rubric;
}

// S1 执法主体 10: S1-01 2/次 cap 4; S1-02 range 3–8
// S2 事实认定与证据 30: S2-01 1/次; S2-02 0.5/次 cap 2.5
// S3 执法程序 60: S3-01 2/次; S3-02 range 5–15
// V01 zero, V02 fail, V03 bar_top; grades 优秀 90, 良好 80, 合格 60, 不合格 0
const rubric = loadRubric();
const marks = (deductions: DeductionMark[], vetoes: string[] = []): ReviewMarks => ({ deductions, vetoes });

describe('scoring deductions', () => {
  const cases: { name: string; deductions: DeductionMark[]; total: string; grade: string; reasons?: string[] }[] = [
    { name: 'no marks', deductions: [], total: '100', grade: '优秀' },
    { name: 'per occurrence × count', deductions: [{ itemCode: 'S3-01', count: 3 }], total: '94', grade: '优秀' },
    { name: 'count defaults to 1', deductions: [{ itemCode: 'S3-01' }], total: '98', grade: '优秀' },
    {
      name: 'item cap',
      deductions: [{ itemCode: 'S1-01', count: 3 }],
      total: '96',
      grade: '优秀',
      reasons: ['S1-01 扣分 6 分超过该项上限 4 分，按 4 分计'],
    },
    {
      name: 'section floor (扣完为止)',
      deductions: [{ itemCode: 'S1-01', count: 2 }, { itemCode: 'S1-02', points: 8 }],
      total: '90',
      grade: '优秀',
      reasons: ['第一部分「执法主体」扣分 12 分超过本部分分值 10 分，按 10 分计（扣完为止）'],
    },
    {
      name: 'item cap, then section floor',
      deductions: [{ itemCode: 'S1-01', count: 5 }, { itemCode: 'S1-02', points: 7.5 }],
      total: '90',
      grade: '优秀',
      reasons: ['S1-01 扣分 10 分超过该项上限 4 分，按 4 分计', '第一部分「执法主体」扣分 11.5 分超过本部分分值 10 分，按 10 分计（扣完为止）'],
    },
    { name: 'half points add up exactly', deductions: [{ itemCode: 'S2-02', count: 3 }], total: '98.5', grade: '优秀' },
    {
      name: 'half points up to the cap',
      deductions: [{ itemCode: 'S2-02', count: 4 }, { itemCode: 'S2-02', count: 3 }],
      total: '97.5',
      grade: '优秀',
      reasons: ['S2-02 扣分 3.5 分超过该项上限 2.5 分，按 2.5 分计'],
    },
    {
      name: 'range entries for the same item add up, without float drift',
      deductions: [{ itemCode: 'S3-02', points: 5.1 }, { itemCode: 'S3-02', points: 5.2 }],
      total: '89.7',
      grade: '良好',
    },
    { name: 'boundary of a band is inclusive', deductions: [{ itemCode: 'S3-02', points: 10 }], total: '90', grade: '优秀' },
    {
      name: 'every section emptied: total 0',
      deductions: [
        { itemCode: 'S1-02', points: 8 }, { itemCode: 'S1-01', count: 2 },
        { itemCode: 'S2-01', count: 31 },
        { itemCode: 'S3-02', points: 15 }, { itemCode: 'S3-02', points: 15 }, { itemCode: 'S3-02', points: 15 }, { itemCode: 'S3-01', count: 8 },
      ],
      total: '0',
      grade: '不合格',
      reasons: [
        '第一部分「执法主体」扣分 12 分超过本部分分值 10 分，按 10 分计（扣完为止）',
        '第二部分「事实认定与证据」扣分 31 分超过本部分分值 30 分，按 30 分计（扣完为止）',
        '第三部分「执法程序」扣分 61 分超过本部分分值 60 分，按 60 分计（扣完为止）',
      ],
    },
  ];

  it.each(cases)('$name → $total $grade', ({ deductions, total, grade, reasons }) => {
    const score = scoreReview(rubric, marks(deductions));
    expect(score.total).toBe(total);
    expect(score.totalTenths).toBe(Math.round(Number(total) * 10));
    expect(score.grade.label).toBe(grade);
    expect(score.reasons).toEqual(reasons ?? []);
    expect(score.decidingVeto).toBeNull();
  });

  it('reports sections and items in tenths and as display strings', () => {
    const score = scoreReview(rubric, marks([{ itemCode: 'S2-02', count: 7 }, { itemCode: 'S1-01', count: 3 }, { itemCode: 'S2-01' }]));
    expect(score.sections).toEqual([
      { code: 'S1', title: '执法主体', pointsTenths: 100, rawTenths: 40, deductedTenths: 40, subtotalTenths: 60, capped: false, points: '10', deducted: '4', subtotal: '6' },
      { code: 'S2', title: '事实认定与证据', pointsTenths: 300, rawTenths: 35, deductedTenths: 35, subtotalTenths: 265, capped: false, points: '30', deducted: '3.5', subtotal: '26.5' },
      { code: 'S3', title: '执法程序', pointsTenths: 600, rawTenths: 0, deductedTenths: 0, subtotalTenths: 600, capped: false, points: '60', deducted: '0', subtotal: '60' },
    ]);
    expect(score.items).toEqual([
      { code: 'S1-01', sectionCode: 'S1', count: 3, rawTenths: 60, deductedTenths: 40, capTenths: 40, capped: true, raw: '6', deducted: '4' },
      { code: 'S2-01', sectionCode: 'S2', count: 1, rawTenths: 10, deductedTenths: 10, capTenths: null, capped: false, raw: '1', deducted: '1' },
      { code: 'S2-02', sectionCode: 'S2', count: 7, rawTenths: 35, deductedTenths: 25, capTenths: 25, capped: true, raw: '3.5', deducted: '2.5' },
    ]);
    expect(score).toMatchObject({ scaleTenths: 1000, scale: '100', deductedTenths: 75, deducted: '7.5', totalTenths: 925, total: '92.5' });
    expect(score.rubric).toEqual({ id: 'penalty-minimal', version: '2026.1' });
  });

  it('sums 0.1 + 0.2 to exactly 0.3', () => {
    const tiny = structuredClone(rubric);
    tiny.sections[0]!.items[1]!.deduction = { type: 'range', min: 0.1, max: 3 };
    const score = scoreReview(tiny, marks([{ itemCode: 'S1-02', points: 0.1 }, { itemCode: 'S1-02', points: 0.2 }]));
    expect(score.items[0]!.deductedTenths).toBe(3);
    expect(score.total).toBe('99.7');
    expect(0.1 + 0.2).not.toBe(0.3); // what the engine avoids
  });
});

describe('vetoes', () => {
  const eighty = [{ itemCode: 'S3-02', points: 15 }]; // 85 → 良好
  it('zero: total 0, highest non-passing band, points-layer score kept for the record', () => {
    const score = scoreReview(rubric, marks(eighty, ['V01']));
    expect(score).toMatchObject({ total: '0', totalTenths: 0, pointsScoreTenths: 850, decidingVeto: 'V01' });
    expect(score.grade).toEqual({ code: 'fail', label: '不合格', passing: false });
    expect(score.gradeBeforeVeto).toEqual({ code: 'good', label: '良好', passing: true });
    expect(score.vetoes).toEqual([{ code: 'V01', text: '执法主体不合法或超越法定职权', effect: 'zero' }]);
    expect(score.reasons).toEqual(['否决项 V01「执法主体不合法或超越法定职权」：计 0 分，不合格']);
  });
  it('fail: score kept, grade 不合格', () => {
    const score = scoreReview(rubric, marks([], ['V02']));
    expect(score).toMatchObject({ total: '100', decidingVeto: 'V02' });
    expect(score.grade.code).toBe('fail');
    expect(score.gradeBeforeVeto.code).toBe('excellent');
    expect(score.reasons).toEqual(['否决项 V02「主要事实不清、证据不足」：不合格']);
  });
  it('bar_top: the top band is downgraded to the next one', () => {
    const score = scoreReview(rubric, marks([{ itemCode: 'S3-01', count: 2 }], ['V03']));
    expect(score).toMatchObject({ total: '96', decidingVeto: 'V03' });
    expect(score.grade.code).toBe('good');
    expect(score.reasons).toEqual(['否决项 V03「案卷存在涂改且未作说明」：不得评为优秀，由优秀降为良好']);
  });
  it('bar_top below the top band changes nothing, and says so', () => {
    const score = scoreReview(rubric, marks(eighty, ['V03']));
    expect(score.grade.code).toBe('good');
    expect(score.decidingVeto).toBeNull();
    expect(score.reasons).toEqual(['否决项 V03「案卷存在涂改且未作说明」：不得评为优秀（本卷得分未达到优秀，等次不变）']);
  });
  it.each([
    [['V03', 'V02'], 'V02', '100', 'fail'],
    [['V02', 'V01'], 'V01', '0', 'fail'],
    [['V03', 'V01', 'V02'], 'V01', '0', 'fail'],
  ])('precedence zero > fail > bar_top: %j → %s', (vetoes, deciding, total, grade) => {
    const score = scoreReview(rubric, marks([], vetoes));
    expect(score).toMatchObject({ decidingVeto: deciding, total, grade: { code: grade } });
    expect(score.vetoes.map((v) => v.code)).toEqual([...vetoes].sort()); // rubric order
    expect(score.reasons.filter((r) => r.includes(`（等次已由否决项 ${deciding} 确定）`))).toHaveLength(vetoes.length - 1);
  });
  it('a fail veto never raises a grade that is already below the highest non-passing band', () => {
    const graded = structuredClone(rubric);
    graded.grades = [
      { code: 'pass', label: '合格', min: 60, passing: true },
      { code: 'fail', label: '不合格', min: 40, passing: false },
      { code: 'poor', label: '差', min: 0, passing: false },
    ];
    const low = [{ itemCode: 'S3-02', points: 15 }, { itemCode: 'S3-02', points: 15 }, { itemCode: 'S3-02', points: 15 }, { itemCode: 'S3-02', points: 15 }, { itemCode: 'S2-01', count: 10 }];
    expect(scoreReview(graded, marks(low)).grade.code).toBe('poor'); // 30
    expect(scoreReview(graded, marks(low, ['V02'])).grade.code).toBe('poor');
    expect(scoreReview(graded, marks([], ['V02'])).grade.code).toBe('fail');
    expect(scoreReview(graded, marks([], ['V01'])).grade.code).toBe('poor'); // a score of 0 is 差
  });
});

describe('invalid marks', () => {
  const problemsOf = (m: ReviewMarks): { list: string; index: number; message: string }[] => {
    try {
      scoreReview(rubric, m);
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidMarksError);
      return [...(error as InvalidMarksError).problems];
    }
    throw new Error('expected InvalidMarksError');
  };

  it.each<[string, DeductionMark, string]>([
    ['unknown item', { itemCode: 'S9-99' }, '第 1 条扣分：评查标准 penalty-minimal@2026.1 中没有评查项目「S9-99」'],
    ['count 0', { itemCode: 'S3-01', count: 0 }, '第 1 条扣分（S3-01）：次数应为 1 到 999 的整数，实际为 0'],
    ['fractional count', { itemCode: 'S3-01', count: 1.5 }, '次数应为 1 到 999 的整数，实际为 1.5'],
    ['points for a per-occurrence item', { itemCode: 'S3-01', points: 3 }, '该项按次扣分（每次 2 分），只填次数，不能指定扣分分值'],
    ['range item without points', { itemCode: 'S3-02' }, '该项为区间扣分（5–15 分），须填写扣分分值'],
    ['points below the range', { itemCode: 'S3-02', points: 4.5 }, '扣分分值 4.5 分不在该项的扣分区间内（5–15 分）'],
    ['points above the range', { itemCode: 'S3-02', points: 16 }, '扣分分值 16 分不在该项的扣分区间内（5–15 分）'],
    ['points not whole tenths', { itemCode: 'S3-02', points: 5.25 }, '扣分分值 5.25 不是有效分值，最多保留一位小数'],
    ['count on a range item', { itemCode: 'S3-02', points: 5, count: 2 }, '该项为区间扣分，每条记录计一次，不能填写次数'],
  ])('%s', (_name, mark, message) => {
    const problems = problemsOf(marks([mark]));
    expect(problems[0]).toEqual({ list: 'deductions', index: 0, message: expect.stringContaining(message) });
  });

  it('lists every problem with the index of the bad mark', () => {
    const problems = problemsOf(marks(
      [{ itemCode: 'S3-01' }, { itemCode: 'nope' }, { itemCode: 'S3-02', points: 20 }, { itemCode: 'S1-01', count: -1 }],
      ['V01', 'V99', 'V01'],
    ));
    expect(problems.map((p) => [p.list, p.index])).toEqual([
      ['deductions', 1], ['deductions', 2], ['deductions', 3], ['vetoes', 1], ['vetoes', 2],
    ]);
    expect(problems[3]!.message).toBe('第 2 个否决项：评查标准 penalty-minimal@2026.1 中没有否决项「V99」');
    expect(problems[4]!.message).toBe('第 3 个否决项：否决项 V01 重复勾选');
    const error = (() => {
      try {
        scoreReview(rubric, marks([{ itemCode: 'nope' }]));
      } catch (e) {
        return e as Error;
      }
      return null;
    })();
    expect(error?.message).toBe('评分记录有 1 处错误：第 1 条扣分：评查标准 penalty-minimal@2026.1 中没有评查项目「nope」');
  });
});

describe('gradeFor', () => {
  it.each([[1000, 'excellent'], [900, 'excellent'], [899, 'good'], [800, 'good'], [600, 'pass'], [599, 'fail'], [0, 'fail']])('%i tenths → %s', (tenths, code) => {
    expect(gradeFor(rubric, tenths).code).toBe(code);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties over generated rubrics and marks.

const EFFECTS: VetoEffect[] = ['zero', 'fail', 'bar_top'];

/** A random valid rubric, points in tenths converted to JSON numbers. */
const rubricArb: fc.Arbitrary<Rubric> = fc
  .record({
    sections: fc.array(
      fc.integer({ min: 1, max: 400 }).chain((points) =>
        fc.record({
          points: fc.constant(points),
          items: fc.array(
            fc.oneof(
              fc.integer({ min: 1, max: points }).chain((per) =>
                fc.record({
                  deduction: fc.constant({ type: 'per_occurrence' as const, points: per / 10 }),
                  cap: fc.option(fc.integer({ min: per, max: points }).map((c) => c / 10), { nil: undefined }),
                })),
              fc.integer({ min: 1, max: points }).chain((max) =>
                fc.integer({ min: 1, max }).chain((min) =>
                  fc.record({
                    deduction: fc.constant({ type: 'range' as const, min: min / 10, max: max / 10 }),
                    cap: fc.option(fc.integer({ min, max: points }).map((c) => c / 10), { nil: undefined }),
                  }))),
            ),
            { minLength: 1, maxLength: 4 },
          ),
        })),
      { minLength: 1, maxLength: 5 },
    ),
    vetoes: fc.array(fc.constantFrom(...EFFECTS), { maxLength: 3 }),
    cuts: fc.uniqueArray(fc.double({ min: 0.01, max: 1, noNaN: true }), { minLength: 1, maxLength: 3 }),
    passingBands: fc.integer({ min: 1, max: 3 }),
  })
  .map(({ sections, vetoes, cuts, passingBands }) => {
    const scaleTenths = sections.reduce((sum, s) => sum + s.points, 0);
    const mins = [...new Set(cuts.map((c) => Math.max(1, Math.round(c * scaleTenths))))].sort((a, b) => b - a);
    const bands = [...mins, 0];
    const passing = Math.min(passingBands, bands.length - 1);
    const rubric: Rubric = {
      id: 'generated',
      version: '1',
      title: '生成的评查标准',
      caseTypes: ['penalty'],
      effectiveFrom: '2026-01-01',
      scale: scaleTenths / 10,
      grades: bands.map((min, i) => ({ code: `G${i}`, label: `等次${i}`, min: min / 10, passing: i < passing })),
      vetoes: vetoes.map((effect, i): Veto => ({ code: `V${i}`, text: `否决项${i}`, effect, category: '类别', issue: '问题' })),
      sections: sections.map((s, i) => ({
        code: `S${i}`,
        title: `部分${i}`,
        points: s.points / 10,
        items: s.items.map((item, j): RubricItem => ({
          code: `S${i}-${j}`,
          text: '评查内容',
          deduction: item.deduction,
          ...(item.cap === undefined ? {} : { cap: item.cap }),
          category: '类别',
          issue: '问题',
        })),
      })),
    };
    return rubric;
  });

function markArb(r: Rubric): fc.Arbitrary<DeductionMark> {
  const items = r.sections.flatMap((s) => s.items);
  return fc.constantFrom(...items).chain((item) =>
    item.deduction.type === 'per_occurrence'
      ? fc.integer({ min: 1, max: 20 }).map((count): DeductionMark => ({ itemCode: item.code, count }))
      : fc
        .integer({ min: Math.round(item.deduction.min * 10), max: Math.round(item.deduction.max * 10) })
        .map((t): DeductionMark => ({ itemCode: item.code, points: t / 10 })));
}

const caseArb = rubricArb.chain((r) =>
  fc.record({
    rubric: fc.constant(r),
    deductions: fc.array(markArb(r), { maxLength: 25 }),
    extra: markArb(r),
    vetoes: fc.subarray(r.vetoes.map((v) => v.code)),
  }));

describe('scoring properties', () => {
  it('generated rubrics pass validation (the generator and the validator agree)', () => {
    fc.assert(fc.property(rubricArb, (r) => {
      const result = validateRubricValue(r);
      expect(result.ok ? [] : result.problems).toEqual([]);
    }), { numRuns: 200 });
  });

  it('total within 0..scale; item ≤ cap; section ≤ its points; total = scale − deductions', () => {
    fc.assert(fc.property(caseArb, ({ rubric: r, deductions, vetoes }) => {
      const score = scoreReview(r, { deductions, vetoes });
      expect(score.totalTenths).toBeGreaterThanOrEqual(0);
      expect(score.totalTenths).toBeLessThanOrEqual(score.scaleTenths);
      expect(score.total).toBe(formatTenths(score.totalTenths));
      for (const item of score.items) {
        if (item.capTenths !== null) expect(item.deductedTenths).toBeLessThanOrEqual(item.capTenths);
        expect(item.deductedTenths).toBe(item.capTenths === null ? item.rawTenths : Math.min(item.rawTenths, item.capTenths));
      }
      for (const section of score.sections) {
        expect(section.deductedTenths).toBeLessThanOrEqual(section.pointsTenths);
        expect(section.deductedTenths + section.subtotalTenths).toBe(section.pointsTenths);
      }
      expect(score.pointsScoreTenths).toBe(score.scaleTenths - score.sections.reduce((sum, s) => sum + s.deductedTenths, 0));
      if (!score.vetoes.some((v) => v.effect === 'zero')) expect(score.totalTenths).toBe(score.pointsScoreTenths);
    }), { numRuns: 500 });
  });

  it('the order of the deductions does not matter', () => {
    fc.assert(fc.property(
      caseArb.chain((c) => fc.shuffledSubarray(c.deductions, { minLength: c.deductions.length }).map((shuffled) => ({ ...c, shuffled }))),
      ({ rubric: r, deductions, shuffled, vetoes }) => {
        const a = scoreReview(r, { deductions, vetoes });
        const b = scoreReview(r, { deductions: shuffled, vetoes: [...vetoes].reverse() });
        expect(b).toEqual(a);
      },
    ), { numRuns: 300 });
  });

  it('adding a deduction never raises the score or the grade', () => {
    fc.assert(fc.property(caseArb, ({ rubric: r, deductions, extra, vetoes }) => {
      const before = scoreReview(r, { deductions, vetoes });
      const after = scoreReview(r, { deductions: [...deductions, extra], vetoes });
      expect(after.totalTenths).toBeLessThanOrEqual(before.totalTenths);
      const rank = (code: string): number => r.grades.findIndex((g) => g.code === code);
      expect(rank(after.grade.code)).toBeGreaterThanOrEqual(rank(before.grade.code));
    }), { numRuns: 500 });
  });

  it('any zero veto gives 0 and a non-passing grade; any fail veto a non-passing grade', () => {
    fc.assert(fc.property(caseArb, ({ rubric: r, deductions, vetoes }) => {
      const score = scoreReview(r, { deductions, vetoes });
      const effects = score.vetoes.map((v) => v.effect);
      if (effects.includes('zero')) {
        expect(score.totalTenths).toBe(0);
        expect(score.grade.passing).toBe(false);
      }
      if (effects.includes('fail')) expect(score.grade.passing).toBe(false);
      if (effects.includes('bar_top')) expect(score.grade.code).not.toBe(r.grades[0]!.code);
      if (effects.length === 0) expect(score.grade).toEqual(score.gradeBeforeVeto);
    }), { numRuns: 500 });
  });
});

describe('the bundled rubrics score like any other', () => {
  const dir = new URL('../../rubrics/', import.meta.url);
  const bundled = readdirSync(dir)
    .filter((f) => f.endsWith('.json') && f !== 'schema.json')
    .map((f) => validateRubric(readFileSync(new URL(f, dir), 'utf8')))
    .flatMap((result) => (result.ok ? [result.rubric] : []));
  const table: [string, Rubric | null][] = bundled.length > 0 ? bundled.map((r) => [`${r.id}@${r.version}`, r]) : [['(none yet)', null]];
  it.each(table)('%s', (_key, r) => {
    if (r === null) return;
    expect(scoreReview(r, marks([])).totalTenths).toBe(Math.round(r.scale * 10));
    fc.assert(fc.property(fc.array(markArb(r), { maxLength: 40 }), fc.subarray(r.vetoes.map((v) => v.code), { maxLength: 2 }), (deductions, vetoes) => {
      const score = scoreReview(r, { deductions, vetoes });
      expect(score.totalTenths).toBeGreaterThanOrEqual(0);
      expect(score.totalTenths).toBeLessThanOrEqual(score.scaleTenths);
      for (const section of score.sections) expect(section.deductedTenths).toBeLessThanOrEqual(section.pointsTenths);
    }), { numRuns: 100 });
  });
});
