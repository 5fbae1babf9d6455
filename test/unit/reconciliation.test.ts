import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ReconciliationError, averageTenths, recheckFinal, reconcile, reviewDifferences,
  type Agreed, type RecheckNeeded, type Reconciliation, type ReconciliationSettings, type SubmittedReview,
} from '../../src/domain/reconciliation.ts';
import { parsePoints } from '../../src/domain/rubric/points.ts';
import { gradeFor, scoreReview, type DeductionMark, type ReviewMarks } from '../../src/domain/rubric/scoring.ts';
import type { Rubric } from '../../src/domain/rubric/types.ts';

// S1 执法主体 10: S1-01 2/次 cap 4; S1-02 range 3–8
// S2 事实认定与证据 30: S2-01 1/次; S2-02 0.5/次 cap 2.5
// S3 执法程序 60: S3-01 2/次; S3-02 range 5–15
// V01 zero, V02 fail, V03 bar_top; grades 优秀 90, 良好 80, 合格 60, 不合格 0
const rubric = JSON.parse(readFileSync(new URL('../fixtures/rubrics/good/minimal.json', import.meta.url), 'utf8')) as Rubric;

const NAMES: Record<number, string> = { 11: '张三', 12: '李四', 13: '王五', 14: '赵六' };

/** Marks that deduct exactly `d` tenths from the minimal rubric (for the totals these tests need). */
function deductionsFor(d: number): DeductionMark[] {
  if (d === 0) return [];
  if (d % 10 === 0 && d <= 300) return [{ itemCode: 'S2-01', count: d / 10 }];
  if (d >= 50 && d <= 150) return [{ itemCode: 'S3-02', points: d / 10 }];
  if (d > 150 && d <= 300) {
    const a = Math.min(150, d - 50);
    return [{ itemCode: 'S3-02', points: a / 10 }, { itemCode: 'S3-02', points: (d - a) / 10 }];
  }
  if (d < 50 && d % 5 === 0) return [{ itemCode: 'S2-01', count: Math.floor(d / 10) }, { itemCode: 'S2-02' }];
  throw new Error(`no marks for a deduction of ${d} tenths`);
}

/** A real scoreReview sheet with the given total (before vetoes) and vetoes. Reviewer id = 10 + review id. */
function sheet(reviewId: number, total: string, vetoes: string[] = [], named = true): SubmittedReview {
  const tenths = parsePoints(total)!;
  const marks: ReviewMarks = { deductions: deductionsFor(1000 - tenths), vetoes };
  const result = scoreReview(rubric, marks);
  expect(result.pointsScoreTenths).toBe(tenths);
  const reviewerId = 10 + reviewId;
  return named ? { reviewId, reviewerId, reviewerName: NAMES[reviewerId]!, result } : { reviewId, reviewerId, result };
}

const settings = (thresholdTenths = 50, reviewersPerFile = 2): ReconciliationSettings => ({ disagreementThresholdTenths: thresholdTenths, reviewersPerFile });
const agreed = (r: Reconciliation): Agreed => {
  expect(r.status).toBe('agreed');
  return r as Agreed;
};
const recheck = (r: Reconciliation): RecheckNeeded => {
  expect(r.status).toBe('recheck');
  return r as RecheckNeeded;
};

// ---------------------------------------------------------------------------------------------
// The rules, table-driven.

type Sheet = [total: string, vetoes?: string[]];
interface Case {
  name: string;
  sheets: Sheet[];
  threshold?: number;
  final?: string;
  grade?: string;
  explanation?: string;
  reasons?: string[];
}

const cases: Case[] = [
  {
    name: 'agree: within the threshold, same grade, no vetoes',
    sheets: [['87.5'], ['88']],
    final: '87.8',
    grade: '良好',
    explanation: '两名评查人员评分分别为 87.5 分、88 分，相差 0.5 分，未超过复核分差 5 分，等次一致（良好），否决项一致（均未勾选否决项），取平均分 87.8 分（保留一位小数，四舍五入）',
  },
  {
    name: 'agree: exactly at the threshold (inclusive)',
    sheets: [['85'], ['80']],
    final: '82.5',
    grade: '良好',
    explanation: '两名评查人员评分分别为 85 分、80 分，相差 5 分，未超过复核分差 5 分，等次一致（良好），否决项一致（均未勾选否决项），取平均分 82.5 分',
  },
  {
    name: 'spread 0.1 over the threshold',
    sheets: [['85.1'], ['80']],
    reasons: ['评分相差 5.1 分，超过复核分差 5 分（张三 85.1 分，李四 80 分）'],
  },
  {
    name: 'spread over the threshold, same grade',
    sheets: [['86'], ['80']],
    reasons: ['评分相差 6 分，超过复核分差 5 分（张三 86 分，李四 80 分）'],
  },
  {
    name: 'grade mismatch across a band boundary, 0.1 apart',
    sheets: [['89.9'], ['90']],
    reasons: ['等次不一致：张三评为良好，李四评为优秀'],
  },
  {
    name: 'veto mismatch, same score and grade (bar_top below the top band)',
    sheets: [['85', ['V03']], ['85']],
    reasons: ['否决项 V03「案卷存在涂改且未作说明」不一致：张三勾选，李四未勾选'],
  },
  {
    name: 'several reasons at once: spread, grade set by a veto, two differing vetoes',
    sheets: [['95', ['V02']], ['88', ['V03']]],
    reasons: [
      '评分相差 7 分，超过复核分差 5 分（张三 95 分，李四 88 分）',
      '等次不一致：张三评为不合格（由否决项 V02 确定），李四评为良好',
      '否决项 V02「主要事实不清、证据不足」不一致：张三勾选，李四未勾选',
      '否决项 V03「案卷存在涂改且未作说明」不一致：李四勾选，张三未勾选',
    ],
  },
  {
    name: 'same vetoes in another order agree',
    sheets: [['84', ['V03', 'V02']], ['83', ['V02', 'V03']]],
    final: '83.5',
    grade: '不合格',
    explanation: '两名评查人员评分分别为 84 分、83 分，相差 1 分，未超过复核分差 5 分，等次一致（不合格），否决项一致（均勾选否决项 V02、V03），取平均分 83.5 分',
  },
  {
    name: 'a shared fail veto keeps 不合格 although the average alone would be 优秀',
    sheets: [['100', ['V02']], ['99', ['V02']]],
    final: '99.5',
    grade: '不合格',
  },
  {
    name: 'a shared zero veto: both totals 0, agreed at 0 whatever the points layer said',
    sheets: [['85', ['V01']], ['70', ['V01']]],
    final: '0',
    grade: '不合格',
  },
  {
    name: 'threshold 0: equal totals agree',
    sheets: [['91'], ['91']],
    threshold: 0,
    final: '91',
    grade: '优秀',
  },
  {
    name: 'threshold 0: 0.1 apart goes to re-check',
    sheets: [['91'], ['90.9']],
    threshold: 0,
    reasons: ['评分相差 0.1 分，超过复核分差 0 分（张三 91 分，李四 90.9 分）'],
  },
  {
    name: 'three reviewers agree: spread is max − min',
    sheets: [['86'], ['82.5'], ['81']],
    final: '83.2',
    grade: '良好',
    explanation: '三名评查人员评分分别为 86 分、82.5 分、81 分，最高分与最低分相差 5 分，未超过复核分差 5 分，等次一致（良好），否决项一致（均未勾选否决项），取平均分 83.2 分（保留一位小数，四舍五入）',
  },
  {
    name: 'three reviewers: neighbours 3 apart, but max − min is 6',
    sheets: [['80'], ['83'], ['86']],
    reasons: ['最高分与最低分相差 6 分，超过复核分差 5 分（张三 80 分，李四 83 分，王五 86 分）'],
  },
  {
    name: 'three reviewers: one marks a veto the others did not',
    sheets: [['95'], ['93', ['V03']], ['94']],
    reasons: [
      '等次不一致：张三评为优秀，李四评为良好（由否决项 V03 确定），王五评为优秀',
      '否决项 V03「案卷存在涂改且未作说明」不一致：李四勾选，张三、王五未勾选',
    ],
  },
];

describe('reconcile: rules', () => {
  it.each(cases)('$name', ({ sheets, threshold, final, grade, explanation, reasons }) => {
    const reviews = sheets.map(([total, vetoes], i) => sheet(i + 1, total, vetoes));
    const result = reconcile(rubric, settings(threshold ?? 50, sheets.length), reviews);
    if (reasons) {
      expect(recheck(result).reasons).toEqual(reasons);
      expect((result as RecheckNeeded).basis).toEqual(reviews.map((r) => r.reviewId));
    } else {
      const a = agreed(result);
      expect(a).toMatchObject({ method: 'average', final, finalTenths: parsePoints(final!), basis: reviews.map((r) => r.reviewId) });
      expect(a.grade.label).toBe(grade);
      if (explanation) expect(a.explanation).toBe(explanation);
    }
  });

  it('the agreed grade equals gradeFor of the final score when no veto is marked', () => {
    const a = agreed(reconcile(rubric, settings(), [sheet(1, '90'), sheet(2, '94.5')]));
    expect(a.grade).toEqual(gradeFor(rubric, a.finalTenths));
    expect(a.grade).toEqual({ code: 'excellent', label: '优秀', passing: true });
  });

  it('names reviewers by id when no name is given', () => {
    const r = recheck(reconcile(rubric, settings(), [sheet(1, '95', [], false), sheet(2, '80', [], false)]));
    expect(r.reasons).toEqual(['评分相差 15 分，超过复核分差 5 分（评查人员#11 95 分，评查人员#12 80 分）', '等次不一致：评查人员#11评为优秀，评查人员#12评为良好']);
  });
});

describe('reconcile: rounding of the average (half up to a tenth, in integers)', () => {
  it.each<[string[], string, string]>([
    [['87.5', '88'], '87.8', '87.75 → up'],
    [['87.4', '87.5'], '87.5', '87.45 → up (exactly half)'],
    [['87.5', '87.6'], '87.6', '87.55 → up (exactly half)'],
    [['80', '85'], '82.5', 'exact, no rounding'],
    [['89.8', '89.9'], '89.9', '89.85 → 89.9: still 良好, never beyond the higher total'],
    [['90', '90.1'], '90.1', '90.05 → 90.1'],
    [['87', '87', '87.1'], '87', '87.033… → down'],
    [['87', '87.1', '87.1'], '87.1', '87.066… → up'],
    [['87', '87.1', '87.2'], '87.1', 'exact thirds'],
  ])('%j → %s (%s)', (totals, final) => {
    const reviews = totals.map((t, i) => sheet(i + 1, t));
    const a = agreed(reconcile(rubric, settings(50, totals.length), reviews));
    expect(a.final).toBe(final);
    expect(a.grade).toEqual(reviews[0]!.result.grade);
    expect(a.explanation.endsWith('（保留一位小数，四舍五入）')).toBe(!Number.isInteger(reviews.reduce((s, r) => s + r.result.totalTenths, 0) / totals.length));
  });

  it.each<[number[], number, boolean]>([
    [[0, 5], 3, false],
    [[0, 0], 0, true],
    [[0, 1], 1, false],
    [[875, 880], 878, false],
    [[1000, 999], 1000, false],
    [[1, 1, 2], 1, false],
    [[1, 2, 2], 2, false],
    [[0, 0, 1, 1], 1, false],
    [[7], 7, true],
  ])('averageTenths(%j) → %i', (values, tenths, exact) => {
    expect(averageTenths(values)).toEqual({ tenths, exact });
  });
});

describe('reconcile: waiting and single reviewer', () => {
  it.each<[number, number]>([[2, 0], [2, 1], [3, 1], [3, 2]])('%i reviewers per file, %i submitted → waiting', (k, n) => {
    const reviews = Array.from({ length: n }, (_, i) => sheet(i + 1, '90'));
    expect(reconcile(rubric, settings(50, k), reviews)).toEqual({
      status: 'waiting',
      required: k,
      submitted: n,
      missing: k - n,
      explanation: `每卷需 ${k} 名评查人员评查，已提交 ${n} 份评查表，还差 ${k - n} 份`,
    });
  });

  it('one reviewer per file: the sheet is the result (method single)', () => {
    const only = sheet(7, '96', ['V03']);
    expect(reconcile(rubric, settings(50, 1), [only])).toEqual({
      status: 'agreed',
      finalTenths: 960,
      final: '96',
      grade: { code: 'good', label: '良好', passing: true },
      method: 'single',
      basis: [7],
      explanation: '每卷由一名评查人员评查，评分 96 分，等次良好（由否决项 V03 确定），即为最终结果',
    });
  });

  it('one reviewer per file, nothing yet → waiting for 1', () => {
    expect(reconcile(rubric, settings(50, 1), [])).toMatchObject({ status: 'waiting', missing: 1 });
  });
});

describe('reconcile: sheets that cannot be compared', () => {
  it('more sheets than reviewers per file', () => {
    expect(() => reconcile(rubric, settings(50, 2), [sheet(1, '90'), sheet(2, '90'), sheet(3, '90')])).toThrow(
      new ReconciliationError('本卷收到 3 份评查表，多于每卷评查人数 2 人'),
    );
  });
  it('lists every problem: same reviewer twice, same sheet twice, another rubric version', () => {
    const other = sheet(3, '90');
    other.result = { ...other.result, rubric: { id: 'penalty-minimal', version: '2025.1' } };
    const twice = { ...sheet(2, '90'), reviewerId: 11, reviewerName: '张三' };
    expect(() => reconcile(rubric, settings(50, 3), [sheet(1, '90'), twice, other, sheet(1, '90')])).toThrow(
      '评查表无法比对：张三 对同一案卷提交了多份评查表；' +
      '评查表 3（王五）使用的评查标准 penalty-minimal@2025.1 与本卷的评查标准 penalty-minimal@2026.1 不一致；' +
      '评查表 1 重复提交；张三 对同一案卷提交了多份评查表',
    );
  });
  it.each<[ReconciliationSettings]>([
    [{ reviewersPerFile: 0, disagreementThresholdTenths: 50 }],
    [{ reviewersPerFile: 1.5, disagreementThresholdTenths: 50 }],
    [{ reviewersPerFile: 2, disagreementThresholdTenths: -1 }],
    [{ reviewersPerFile: 2, disagreementThresholdTenths: 0.5 }],
  ])('invalid settings %j', (s) => {
    expect(() => reconcile(rubric, s, [])).toThrow(RangeError);
  });
});

describe('differences for the side-by-side re-check page', () => {
  it('lists every item and veto any review marked, per review, with what differs', () => {
    const a: SubmittedReview = {
      reviewId: 1, reviewerId: 11, reviewerName: '张三',
      result: scoreReview(rubric, { deductions: [{ itemCode: 'S1-01', count: 3 }, { itemCode: 'S3-02', points: 6 }], vetoes: ['V03'] }),
    };
    const b: SubmittedReview = {
      reviewId: 2, reviewerId: 12, reviewerName: '李四',
      result: scoreReview(rubric, { deductions: [{ itemCode: 'S1-01', count: 2 }, { itemCode: 'S3-02', points: 6 }, { itemCode: 'S2-02' }], vetoes: ['V03', 'V02'] }),
    };
    const r = recheck(reconcile(rubric, settings(), [b, a]));
    expect(r.differences).toEqual({
      items: [
        {
          code: 'S1-01', sectionCode: 'S1', text: '执法人员未出示执法证件或无执法资格', differ: true,
          reviews: [
            { reviewId: 1, reviewerId: 11, marked: true, count: 3, rawTenths: 60, deductedTenths: 40, deducted: '4' },
            { reviewId: 2, reviewerId: 12, marked: true, count: 2, rawTenths: 40, deductedTenths: 40, deducted: '4' },
          ],
        },
        {
          code: 'S2-02', sectionCode: 'S2', text: '罚没款金额计算错误', differ: true,
          reviews: [
            { reviewId: 1, reviewerId: 11, marked: false, count: 0, rawTenths: 0, deductedTenths: 0, deducted: '0' },
            { reviewId: 2, reviewerId: 12, marked: true, count: 1, rawTenths: 5, deductedTenths: 5, deducted: '0.5' },
          ],
        },
        {
          code: 'S3-02', sectionCode: 'S3', text: '违法采取行政强制措施', differ: false,
          reviews: [
            { reviewId: 1, reviewerId: 11, marked: true, count: 1, rawTenths: 60, deductedTenths: 60, deducted: '6' },
            { reviewId: 2, reviewerId: 12, marked: true, count: 1, rawTenths: 60, deductedTenths: 60, deducted: '6' },
          ],
        },
      ],
      vetoes: [
        {
          code: 'V02', text: '主要事实不清、证据不足', effect: 'fail', differ: true,
          reviews: [{ reviewId: 1, reviewerId: 11, marked: false }, { reviewId: 2, reviewerId: 12, marked: true }],
        },
        {
          code: 'V03', text: '案卷存在涂改且未作说明', effect: 'bar_top', differ: false,
          reviews: [{ reviewId: 1, reviewerId: 11, marked: true }, { reviewId: 2, reviewerId: 12, marked: true }],
        },
      ],
    });
    expect(r.reasons).toEqual([
      '等次不一致：张三评为良好（由否决项 V03 确定），李四评为不合格（由否决项 V02 确定）',
      '否决项 V02「主要事实不清、证据不足」不一致：李四勾选，张三未勾选',
    ]);
  });

  it('is empty when no review marked anything', () => {
    expect(reviewDifferences(rubric, [sheet(1, '100'), sheet(2, '100')])).toEqual({ items: [], vetoes: [] });
  });
});

describe('recheckFinal', () => {
  const reviews = [sheet(1, '93'), sheet(2, '86')];

  it('the rechecker’s sheet becomes the final result, naming how it was reached', () => {
    const recheckSheet = scoreReview(rubric, { deductions: deductionsFor(100), vetoes: [] });
    expect(recheckFinal({ id: 20, name: '周七' }, [reviews[1]!, reviews[0]!], recheckSheet)).toEqual({
      status: 'rechecked',
      finalTenths: 900,
      final: '90',
      grade: { code: 'excellent', label: '优秀', passing: true },
      method: 'recheck',
      recheckerId: 20,
      basis: [1, 2],
      explanation: '两名评查人员评分分别为 93 分（优秀）、86 分（良好），经复核人员 周七（非本卷评查人员）复核，以复核评查表为最终结果：得分 90 分，等次优秀',
    });
  });

  it('names the veto that set the grade', () => {
    const recheckSheet = scoreReview(rubric, { deductions: [], vetoes: ['V02'] });
    const r = recheckFinal({ id: 20 }, reviews, recheckSheet);
    expect(r).toMatchObject({ finalTenths: 1000, grade: { code: 'fail' } });
    expect(r.explanation).toBe('两名评查人员评分分别为 93 分（优秀）、86 分（良好），经复核人员 评查人员#20（非本卷评查人员）复核，以复核评查表为最终结果：得分 100 分，等次不合格，等次由否决项 V02 确定');
  });

  it('refuses a rechecker who reviewed the file', () => {
    const recheckSheet = scoreReview(rubric, { deductions: [], vetoes: [] });
    expect(() => recheckFinal({ id: 12, name: '李四' }, reviews, recheckSheet)).toThrow(
      new ReconciliationError('复核人员不能是本卷的评查人员：李四 已评查本卷（评查表 2），请另选复核人员'),
    );
  });

  it('refuses a re-check sheet of another rubric version, and an empty file', () => {
    const recheckSheet = { ...scoreReview(rubric, { deductions: [], vetoes: [] }), rubric: { id: 'penalty-minimal', version: '2027.1' } };
    expect(() => recheckFinal({ id: 20 }, reviews, recheckSheet)).toThrow('复核评查表使用的评查标准 penalty-minimal@2027.1 与本卷的评查标准 penalty-minimal@2026.1 不一致');
    expect(() => recheckFinal({ id: 20 }, [], recheckSheet)).toThrow(ReconciliationError);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties over real scoreReview sheets of the minimal rubric.

const markArb: fc.Arbitrary<DeductionMark> = fc.oneof(
  fc.record({ itemCode: fc.constantFrom('S1-01', 'S2-01', 'S2-02', 'S3-01'), count: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ itemCode: fc.constant('S1-02'), points: fc.integer({ min: 30, max: 80 }).map((t) => t / 10) }),
  fc.record({ itemCode: fc.constant('S3-02'), points: fc.integer({ min: 50, max: 150 }).map((t) => t / 10) }),
);
// Few vetoes and small, shared deductions, so that agreeing files are common too.
const vetoesArb = fc.oneof({ weight: 5, arbitrary: fc.constant<string[]>([]) }, { weight: 1, arbitrary: fc.subarray(['V01', 'V02', 'V03']) });
const fileArb = fc
  .record({
    n: fc.integer({ min: 2, max: 3 }),
    threshold: fc.oneof(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 300 })),
    shared: fc.array(markArb, { maxLength: 3 }),
    sharedVetoes: vetoesArb,
  })
  .chain(({ n, threshold, shared, sharedVetoes }) =>
    fc.record({
      threshold: fc.constant(threshold),
      ids: fc.uniqueArray(fc.integer({ min: 1, max: 10_000 }), { minLength: n, maxLength: n }),
      reviewerIds: fc.uniqueArray(fc.integer({ min: 1, max: 10_000 }), { minLength: n, maxLength: n }),
      marks: fc.array(
        fc.record({
          extra: fc.array(markArb, { maxLength: 2 }),
          vetoes: fc.oneof({ weight: 4, arbitrary: fc.constant(sharedVetoes) }, { weight: 1, arbitrary: vetoesArb }),
        }),
        { minLength: n, maxLength: n },
      ),
    }).map(({ threshold, ids, reviewerIds, marks }) => ({
      threshold,
      reviews: marks.map(({ extra, vetoes }, i): SubmittedReview => ({
        reviewId: ids[i]!,
        reviewerId: reviewerIds[i]!,
        result: scoreReview(rubric, { deductions: [...shared, ...extra], vetoes: i % 2 === 1 ? [...vetoes].reverse() : vetoes }), // order of vetoes is irrelevant
      })),
    })),
  );

describe('reconcile: properties', () => {
  it('an agreed final lies between the lowest and highest total, keeps the agreed grade, and is gradeFor when no veto', () => {
    let agreedCount = 0;
    fc.assert(
      fc.property(fileArb, ({ threshold, reviews }) => {
        const r = reconcile(rubric, settings(threshold, reviews.length), reviews);
        if (r.status !== 'agreed') return;
        agreedCount++;
        const totals = reviews.map((x) => x.result.totalTenths);
        expect(r.finalTenths).toBeGreaterThanOrEqual(Math.min(...totals));
        expect(r.finalTenths).toBeLessThanOrEqual(Math.max(...totals));
        expect(Number.isInteger(r.finalTenths)).toBe(true);
        expect(Math.abs(r.finalTenths * reviews.length - totals.reduce((a, b) => a + b, 0)) * 2).toBeLessThanOrEqual(reviews.length);
        expect(r.grade).toEqual(reviews[0]!.result.grade);
        if (reviews.every((x) => x.result.vetoes.length === 0)) expect(r.grade).toEqual(gradeFor(rubric, r.finalTenths));
      }),
      { numRuns: 300 },
    );
    expect(agreedCount).toBeGreaterThan(10);
  });

  it('does not depend on the order of the reviews', () => {
    fc.assert(
      fc.property(fileArb.chain((f) => fc.record({ f: fc.constant(f), order: fc.shuffledSubarray(f.reviews, { minLength: f.reviews.length }) })), ({ f, order }) => {
        const s = settings(f.threshold, f.reviews.length);
        expect(reconcile(rubric, s, order)).toEqual(reconcile(rubric, s, f.reviews));
      }),
      { numRuns: 200 },
    );
  });

  it("is 'recheck' exactly when a rule fails, with one reason per failing rule and differing veto", () => {
    let recheckCount = 0;
    fc.assert(
      fc.property(fileArb, ({ threshold, reviews }) => {
        const r = reconcile(rubric, settings(threshold, reviews.length), reviews);
        const totals = reviews.map((x) => x.result.totalTenths);
        const spreadFails = Math.max(...totals) - Math.min(...totals) > threshold;
        const gradeFails = new Set(reviews.map((x) => x.result.grade.code)).size > 1;
        const vetoSets = reviews.map((x) => x.result.vetoes.map((v) => v.code).sort().join(','));
        const vetoFails = new Set(vetoSets).size > 1;
        expect(r.status).toBe(spreadFails || gradeFails || vetoFails ? 'recheck' : 'agreed');
        if (r.status === 'recheck') {
          recheckCount++;
          const differingVetoes = ['V01', 'V02', 'V03'].filter((c) => new Set(reviews.map((x) => x.result.vetoes.some((v) => v.code === c))).size > 1);
          expect(r.reasons).toHaveLength(Number(spreadFails) + Number(gradeFails) + differingVetoes.length);
          expect(r.differences.vetoes.filter((v) => v.differ).map((v) => v.code)).toEqual(differingVetoes);
        }
      }),
      { numRuns: 300 },
    );
    expect(recheckCount).toBeGreaterThan(10);
  });
});
