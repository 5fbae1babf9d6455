import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assignReviewers, checkAssignment, eligibleReviewers, normalizePersonName,
  type AssignableFile, type AssignmentInput, type AssignmentResult, type DeclaredConflict, type ExistingAssignment, type PoolReviewer,
} from '../../src/domain/assignment.ts';
import type { CampaignKind } from '../../src/domain/campaigns.ts';
import type { UnitNode } from '../../src/domain/units.ts';
import type { CaseType } from '../../src/domain/vocabulary.ts';

const unit = (id: number, name: string, kind: UnitNode['kind'], parentId: number | null): UnitNode =>
  ({ id, code: `U${id}`, name, kind, parentId, active: true });

// 市司法局(1) ─┬─ 东安区司法局(2) ─┬─ 东安区市场监督管理局(3) ── 东安区市场监管所(7) ── 东安区市场监管所一分所(9)
//              │                    └─ 兴隆镇(5)
//              ├─ 市城市管理综合执法局(4)
//              └─ 阿城区司法局(6) ── 阿城区交通运输局(8)
const tree: UnitNode[] = [
  unit(1, '牡丹江市司法局', 'bureau', null),
  unit(2, '东安区司法局', 'bureau', 1),
  unit(3, '东安区市场监督管理局', 'department', 2),
  unit(4, '牡丹江市城市管理综合执法局', 'department', 1),
  unit(5, '兴隆镇', 'town', 2),
  unit(6, '阿城区司法局', 'bureau', 1),
  unit(7, '东安区市场监管所', 'department', 3),
  unit(8, '阿城区交通运输局', 'department', 6),
  unit(9, '东安区市场监管所一分所', 'department', 7),
];

const file = (id: number, unitId: number, handlers: string[] = [], caseType: CaseType = 'penalty'): AssignableFile =>
  ({ id, unitId, caseType, fileNumber: `东市监罚〔2024〕${id}号`, handlers });
const reviewer = (id: number, unitId: number, name = `评查员${id}`, caseTypes: CaseType[] = []): PoolReviewer =>
  ({ id, unitId, name, caseTypes, poolType: 'enforcement' });

const base = { units: tree, conflicts: [] as DeclaredConflict[], campaignKind: 'cross' as CampaignKind, reviewersPerFile: 2 };
const run = (input: Partial<AssignmentInput> & Pick<AssignmentInput, 'files' | 'reviewers'>) => assignReviewers({ ...base, ...input });
const loadsOf = (result: AssignmentResult) => Object.fromEntries(result.loads.map((l) => [l.reviewerId, l.count]));

describe('person names', () => {
  it.each([
    ['王五', '王五'],
    [' 王 五 ', '王五'],
    ['王\u3000五', '王五'],
    ['ＬＩ　Ｍｉｎｇ', 'liming'],
    ['Li Ming', 'liming'],
    ['阿依古丽·买买提', '阿依古丽买买提'],
    ['阿依古丽・买买提', '阿依古丽买买提'],
  ])('%j compares as %j', (name, key) => {
    expect(normalizePersonName(name)).toBe(key);
  });
});

describe('hard rules, one file of 东安区市场监督管理局 (handled by “王 五” and “ＬＩ　Ｍｉｎｇ”)', () => {
  const theFile = file(1, 3, ['王 五', 'ＬＩ　Ｍｉｎｇ']);
  const cases: [string, CampaignKind, PoolReviewer, DeclaredConflict[], string | null][] = [
    ['cross: own unit', 'cross', reviewer(10, 3), [], '评查员评查员10属于案卷单位“东安区市场监督管理局”，交叉评查不能评查本单位的案卷'],
    ['cross: parent unit', 'cross', reviewer(10, 2), [], '所在的“东安区司法局”是案卷单位“东安区市场监督管理局”的上级单位'],
    ['cross: grand-parent unit', 'cross', reviewer(10, 1), [], '所在的“牡丹江市司法局”是案卷单位“东安区市场监督管理局”的上级单位'],
    ['cross: child unit', 'cross', reviewer(10, 7), [], '所在的“东安区市场监管所”是案卷单位“东安区市场监督管理局”的下级单位'],
    ['cross: grand-child unit', 'cross', reviewer(10, 9), [], '所在的“东安区市场监管所一分所”是案卷单位“东安区市场监督管理局”的下级单位'],
    ['cross: sibling unit is fine', 'cross', reviewer(10, 5), [], null],
    ['cross: cousin unit is fine', 'cross', reviewer(10, 8), [], null],
    ['cross: unrelated unit is fine', 'cross', reviewer(10, 4), [], null],
    ['handler, written without the space', 'cross', reviewer(10, 8, '王五'), [], '评查员王五是本案执法人员（案卷登记的执法人员：王 五）'],
    ['handler, padded', 'cross', reviewer(10, 8, ' 王 五 '), [], '是本案执法人员'],
    ['handler, full-width on the file', 'cross', reviewer(10, 8, 'Li Ming'), [], '评查员Li Ming是本案执法人员'],
    ['a different person', 'cross', reviewer(10, 8, '王五一'), [], null],
    ['declared conflict with the file’s unit', 'cross', reviewer(10, 8), [{ reviewerId: 10, unitId: 3, reason: '配偶在该单位工作' }],
      '评查员评查员10已申报对“东安区市场监督管理局”的案卷回避（配偶在该单位工作）'],
    ['declared conflict with another unit', 'cross', reviewer(10, 8), [{ reviewerId: 10, unitId: 4, reason: '曾任职' }], null],
    ['a unit conflict covers that unit’s own files only', 'cross', reviewer(10, 8), [{ reviewerId: 10, unitId: 2, reason: '曾任职' }], null],
    ['declared conflict with the file', 'cross', reviewer(10, 8), [{ reviewerId: 10, fileId: 1, reason: '当事人是亲属' }],
      '评查员评查员10已申报对案卷 东市监罚〔2024〕1号 回避（当事人是亲属）'],
    ['declared conflict with another file', 'cross', reviewer(10, 8), [{ reviewerId: 10, fileId: 2, reason: '当事人是亲属' }], null],
    ['another reviewer’s conflict', 'cross', reviewer(10, 8), [{ reviewerId: 11, fileId: 1, unitId: 3, reason: '亲属' }], null],
    ['spot check: own unit', 'spot', reviewer(10, 3), [], '抽查不能评查本单位的案卷'],
    ['spot check: parent unit', 'spot', reviewer(10, 1), [], '上级单位'],
    ['special review: child unit', 'special', reviewer(10, 7), [], '下级单位'],
    ['special review: cousin unit is fine', 'special', reviewer(10, 8), [], null],
    ['self-check: own unit is required', 'self', reviewer(10, 3), [], null],
    ['self-check: parent unit', 'self', reviewer(10, 2), [], '自查案卷只能由本单位人员评查：评查员评查员10属于“东安区司法局”，案卷属于“东安区市场监督管理局”'],
    ['self-check: child unit', 'self', reviewer(10, 7), [], '自查案卷只能由本单位人员评查'],
    ['self-check: unrelated unit', 'self', reviewer(10, 8), [], '自查案卷只能由本单位人员评查'],
    ['self-check: own unit but the handler', 'self', reviewer(10, 3, '王五'), [], '是本案执法人员'],
    ['self-check: own unit but a declared conflict', 'self', reviewer(10, 3), [{ reviewerId: 10, fileId: 1, reason: '亲属' }], '回避'],
  ];
  it.each(cases)('%s', (_, campaignKind, r, conflicts, expected) => {
    const reasons = checkAssignment(theFile, r, { campaignKind, units: tree, conflicts });
    const result = run({ campaignKind, conflicts, files: [theFile], reviewers: [r], reviewersPerFile: 1 });
    if (expected === null) {
      expect(reasons).toEqual([]);
      expect(result.assignments).toEqual([{ fileId: 1, reviewerId: 10, slot: 1 }]);
      expect(result.unassigned).toEqual([]);
    } else {
      expect(reasons).toHaveLength(1);
      expect(reasons[0]).toContain(expected);
      expect(result.assignments).toEqual([]);
      expect(result.unassigned).toMatchObject([{ fileId: 1, slotsMissing: 1 }]);
    }
  });

  it('lists every rule a pair breaks', () => {
    const reasons = checkAssignment(theFile, reviewer(10, 3, '王五'), {
      campaignKind: 'cross', units: tree, conflicts: [{ reviewerId: 10, fileId: 1, reason: '亲属' }, { reviewerId: 10, unitId: 3, reason: '曾任职' }],
    });
    expect(reasons).toHaveLength(4);
    expect(reasons[0]).toContain('本单位');
    expect(reasons[1]).toContain('执法人员');
    expect(reasons[2]).toContain('（亲属）');
    expect(reasons[3]).toContain('（曾任职）');
  });

  it('never puts the same reviewer twice on one file', () => {
    const r = reviewer(10, 8);
    const context = { campaignKind: 'cross' as const, units: tree, conflicts: [] };
    expect(checkAssignment(theFile, r, { ...context, assignments: [{ fileId: 1, reviewerId: 10 }] }))
      .toEqual(['评查员评查员10已分配到案卷 东市监罚〔2024〕1号，同一案卷不能两次分配给同一人']);
    expect(checkAssignment(theFile, r, { ...context, assignments: [{ fileId: 2, reviewerId: 10 }] })).toEqual([]);
    // Three slots and one possible reviewer: one assignment, two slots missing.
    const result = run({ files: [theFile], reviewers: [r], reviewersPerFile: 3 });
    expect(result.assignments).toEqual([{ fileId: 1, reviewerId: 10, slot: 1 }]);
    expect(result.unassigned).toMatchObject([{ fileId: 1, slotsMissing: 2 }]);
    // Already on the file: not added again.
    const topUp = run({ files: [theFile], reviewers: [r], existing: [{ fileId: 1, reviewerId: 10 }] });
    expect(topUp.assignments).toEqual([]);
    expect(topUp.unassigned[0]!.reasons).toContain('1 人已分配到此案卷');
  });

  it('offers only the reviewers allowed for a manual choice', () => {
    const pool = [reviewer(10, 3), reviewer(11, 8), reviewer(12, 8, '王五'), reviewer(13, 4), reviewer(14, 5)];
    const allowed = eligibleReviewers(theFile, pool, { campaignKind: 'cross', units: tree, conflicts: [], assignments: [{ fileId: 1, reviewerId: 13 }] });
    expect(allowed.map((r) => r.id)).toEqual([11, 14]);
  });

  it('can make qualification a hard rule', () => {
    const licenseOnly = reviewer(10, 8, '评查员10', ['license']);
    const context = { campaignKind: 'cross' as const, units: tree, conflicts: [] };
    expect(checkAssignment(theFile, licenseOnly, context)).toEqual([]);
    expect(checkAssignment(theFile, licenseOnly, { ...context, requireQualification: true }))
      .toEqual(['评查员评查员10不具备行政处罚案卷的评查资格']);
    const result = run({ files: [theFile], reviewers: [licenseOnly], requireQualification: true, reviewersPerFile: 1 });
    expect(result.unassigned[0]!.reasons).toEqual(['评查员库中没有可评此案卷的人员，还缺 1 名', '1 人不具备行政处罚案卷的评查资格']);
  });
});

describe('files nobody may take', () => {
  const theFile = file(1, 3, ['赵六']);
  const blocked = [
    reviewer(10, 3), reviewer(11, 3), reviewer(12, 3), // own unit
    reviewer(13, 2), reviewer(14, 1), // above
    reviewer(15, 7), reviewer(16, 9), // below
    reviewer(17, 8, '赵 六'), // handled the case
    reviewer(18, 8), reviewer(19, 4), // declared conflicts
  ];
  const conflicts: DeclaredConflict[] = [{ reviewerId: 18, unitId: 3, reason: '曾任职' }, { reviewerId: 19, fileId: 1, reason: '亲属' }];

  it('says how many reviewers each rule excluded', () => {
    const result = run({ files: [theFile], reviewers: blocked, conflicts });
    expect(result.assignments).toEqual([]);
    expect(result.unassigned).toEqual([{
      fileId: 1,
      slotsMissing: 2,
      reasons: [
        '评查员库中没有可评此案卷的人员，还缺 2 名',
        '7 人与案卷单位或其上下级单位同属一家（本单位 3 人、上级单位 2 人、下级单位 2 人）',
        '1 人为本案执法人员',
        '2 人申报了回避',
      ],
    }]);
  });

  it('fills what it can and reports the rest', () => {
    const result = run({ files: [theFile, file(2, 8)], reviewers: [...blocked, reviewer(20, 5)], conflicts });
    expect(result.assignments.filter((a) => a.fileId === 1)).toEqual([{ fileId: 1, reviewerId: 20, slot: 1 }]);
    expect(result.unassigned).toEqual([{
      fileId: 1,
      slotsMissing: 1,
      reasons: [
        '评查员库中只有 1 名可评此案卷的人员，还缺 1 名',
        '7 人与案卷单位或其上下级单位同属一家（本单位 3 人、上级单位 2 人、下级单位 2 人）',
        '1 人为本案执法人员',
        '2 人申报了回避',
      ],
    }]);
  });

  it('counts the reviewers already on the file', () => {
    const result = run({ files: [theFile], reviewers: [...blocked, reviewer(20, 5)], conflicts, existing: [{ fileId: 1, reviewerId: 20 }] });
    expect(result.unassigned[0]!.reasons[0]).toBe('已分配 1 名，评查员库中再没有可评此案卷的人员，还缺 1 名');
    expect(result.unassigned[0]!.reasons.at(-1)).toBe('1 人已分配到此案卷');
  });

  it('explains a self-check and an empty pool', () => {
    const self = run({ campaignKind: 'self', files: [theFile], reviewers: [reviewer(10, 2), reviewer(11, 8), reviewer(12, 3, '赵六')] });
    expect(self.unassigned[0]!.reasons).toEqual([
      '评查员库中没有可评此案卷的人员，还缺 2 名', '2 人不属于案卷单位（自查案卷只能由本单位人员评查）', '1 人为本案执法人员',
    ]);
    expect(run({ files: [theFile], reviewers: [] }).unassigned[0]!.reasons).toEqual(['评查员库中没有评查员', '还缺 2 名评查员']);
  });
});

describe('soft goals', () => {
  it('balances the load', () => {
    const files = [1, 2, 3, 4, 5, 6, 7].map((id) => file(id, 8));
    const result = run({ files, reviewers: [reviewer(10, 4), reviewer(11, 4), reviewer(12, 4)] });
    expect(result.assignments).toHaveLength(14);
    expect(loadsOf(result)).toEqual({ 10: 5, 11: 5, 12: 4 });
    for (const f of files) expect(new Set(result.assignments.filter((a) => a.fileId === f.id).map((a) => a.reviewerId)).size).toBe(2);
  });

  it('balances through a chain of hand-overs when the rules narrow the choice', () => {
    // Declared conflicts leave: file 1 → 11 or 12; file 2 → 10 or 11; file 3 → 10 only. The greedy pass gives
    // 3 and 2 to 10 and 1 to 11; the repair passes file 2 from 10 to 11 and file 1 from 11 to 12.
    const conflict = (reviewerId: number, fileId: number) => ({ reviewerId, fileId, reason: '亲属' });
    const result = run({
      files: [file(1, 8), file(2, 8), file(3, 8)],
      reviewers: [reviewer(10, 4), reviewer(11, 4), reviewer(12, 4)],
      conflicts: [conflict(10, 1), conflict(12, 2), conflict(11, 3), conflict(12, 3)],
      reviewersPerFile: 1,
    });
    expect(result.assignments.map((a) => [a.fileId, a.reviewerId])).toEqual([[1, 12], [2, 11], [3, 10]]);
  });

  it('prefers qualified reviewers, and swaps files to keep both balance and qualification', () => {
    const files = [file(1, 8, [], 'penalty'), file(2, 8, [], 'penalty'), file(3, 8, [], 'license'), file(4, 8, [], 'license')];
    const reviewers = [reviewer(10, 4, '甲', ['penalty']), reviewer(11, 4, '乙', ['license'])];
    const result = run({ files, reviewers, reviewersPerFile: 1 });
    expect(result.outsideQualification).toBe(0);
    expect(result.assignments.map((a) => [a.fileId, a.reviewerId])).toEqual([[1, 10], [2, 10], [3, 11], [4, 11]]);
  });

  it('keeps the load even before qualification, and counts what falls outside', () => {
    const files = [file(1, 8), file(2, 8)];
    const reviewers = [reviewer(10, 4, '甲', ['penalty']), reviewer(11, 4, '乙', ['license'])];
    const soft = run({ files, reviewers, reviewersPerFile: 1 });
    expect(loadsOf(soft)).toEqual({ 10: 1, 11: 1 });
    expect(soft.outsideQualification).toBe(1);
    const hard = run({ files, reviewers, reviewersPerFile: 1, requireQualification: true });
    expect(loadsOf(hard)).toEqual({ 10: 2, 11: 0 });
    expect(hard.outsideQualification).toBe(0);
  });

  it('spreads a unit’s files over different reviewers', () => {
    const files = [file(1, 4), file(2, 4), file(3, 8), file(4, 8), file(5, 4), file(6, 8)];
    const result = run({ files, reviewers: [reviewer(10, 5), reviewer(11, 5), reviewer(12, 5)], reviewersPerFile: 1 });
    const byReviewer = new Map<number, number[]>();
    for (const a of result.assignments) byReviewer.set(a.reviewerId, [...(byReviewer.get(a.reviewerId) ?? []), files.find((f) => f.id === a.fileId)!.unitId]);
    for (const units of byReviewer.values()) expect(units.sort()).toEqual([4, 8]);
  });
});

describe('topping up', () => {
  const files = [file(1, 8), file(2, 8)];
  const reviewers = [reviewer(10, 4), reviewer(11, 4), reviewer(12, 4)];

  it('keeps existing assignments and fills only the missing slots', () => {
    const result = run({ files, reviewers, existing: [{ fileId: 1, reviewerId: 10, slot: 1 }] });
    expect(result.assignments.filter((a) => a.fileId === 1)).toHaveLength(1);
    expect(result.assignments.find((a) => a.fileId === 1)).toMatchObject({ slot: 2 });
    expect(result.assignments.some((a) => a.fileId === 1 && a.reviewerId === 10)).toBe(false);
    expect(result.assignments.filter((a) => a.fileId === 2).map((a) => a.slot)).toEqual([1, 2]);
    expect(Object.values(loadsOf(result)).sort()).toEqual([1, 1, 2]); // 1 kept + 3 new over 3 reviewers
  });

  it('fills the slot numbers left free', () => {
    const result = run({ files: [files[0]!], reviewers, existing: [{ fileId: 1, reviewerId: 10, slot: 2 }] });
    expect(result.assignments).toMatchObject([{ fileId: 1, slot: 1 }]);
  });

  it('counts existing work, also on other files, in the balance', () => {
    const existing: ExistingAssignment[] = [{ fileId: 98, reviewerId: 10 }, { fileId: 99, reviewerId: 10 }];
    const result = run({ files, reviewers: reviewers.slice(0, 2), existing, reviewersPerFile: 1 });
    expect(result.assignments.map((a) => a.reviewerId)).toEqual([11, 11]);
    expect(loadsOf(result)).toEqual({ 10: 2, 11: 2 });
  });

  it('does nothing more when run again on its own result', () => {
    const first = run({ files, reviewers });
    const again = run({ files, reviewers, existing: first.assignments });
    expect(again.assignments).toEqual([]);
    expect(again.unassigned).toEqual([]);
    expect(again.loads).toEqual(first.loads);
  });

  it('reports kept assignments that break a rule, and keeps them', () => {
    const pool = [...reviewers, reviewer(13, 8)]; // 13 works for the unit of both files
    const result = run({ files, reviewers: pool, existing: [{ fileId: 1, reviewerId: 13 }, { fileId: 2, reviewerId: 77 }], reviewersPerFile: 1 });
    expect(result.assignments).toEqual([]); // both files count as served: the problems are for a person to resolve
    expect(result.existingProblems).toEqual([
      { fileId: 1, reviewerId: 13, reasons: ['评查员评查员13属于案卷单位“阿城区交通运输局”，交叉评查不能评查本单位的案卷'] },
      { fileId: 2, reviewerId: 77, reasons: ['评查员不在本次活动的评查员库中'] },
    ]);
    expect(loadsOf(result)[13]).toBe(1);
  });
});

describe('determinism', () => {
  const files = Array.from({ length: 40 }, (_, i) => file(i + 1, [3, 4, 5, 7, 8, 9][i % 6]!, [`执法人员${i % 7}`], i % 5 === 0 ? 'license' : 'penalty'));
  const reviewers = Array.from({ length: 9 }, (_, i) => reviewer(100 + i, [4, 5, 8, 3][i % 4]!, `执法人员${i}`, i % 3 === 0 ? ['license'] : []));
  const conflicts: DeclaredConflict[] = [{ reviewerId: 101, unitId: 8, reason: '曾任职' }, { reviewerId: 102, fileId: 7, reason: '亲属' }];

  it('gives the same result for the same input, in any order', () => {
    const first = run({ files, reviewers, conflicts });
    expect(run({ files, reviewers, conflicts })).toEqual(first);
    expect(run({ files: [...files].reverse(), reviewers: [...reviewers].reverse(), conflicts: [...conflicts].reverse(), units: [...tree].reverse() }))
      .toEqual(first);
  });

  it('refuses a nonsense number of reviewers per file', () => {
    expect(() => run({ files, reviewers, reviewersPerFile: 0 })).toThrow(RangeError);
    expect(() => run({ files, reviewers, reviewersPerFile: 1.5 })).toThrow(RangeError);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Properties on random trees, pools, handlers and conflicts, checked by code written here, not the module's.

const NAMES = ['张三', '李四', '王五', 'Li Ming', '欧阳娜娜'];
const CASE_TYPES_USED: CaseType[] = ['penalty', 'license', 'inspection'];
const KINDS: CampaignKind[] = ['cross', 'self', 'spot', 'special'];

const toFullWidth = (s: string) => s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).replace(/ /g, '\u3000');
const spell = (name: string, style: number) =>
  [name, ` ${name} `, [...name].join(' '), toFullWidth(name)][style % 4]!;
const sameName = (a: string, b: string) => {
  const key = (s: string) => s.replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/[\s\u3000]/g, '').toLowerCase();
  return key(a) !== '' && key(a) === key(b);
};

interface Scenario extends AssignmentInput {
  existing: ExistingAssignment[];
}

const scenarioArb = (size: { files: number; reviewers: number; maxK: number }) =>
  fc.record({
    parents: fc.array(fc.nat(20), { maxLength: 9 }),
    files: fc.array(fc.record({
      unit: fc.nat(20), type: fc.constantFrom(...CASE_TYPES_USED),
      handlers: fc.array(fc.tuple(fc.nat(NAMES.length - 1), fc.nat(3)), { maxLength: 2 }),
    }), { maxLength: size.files }),
    reviewers: fc.array(fc.record({
      unit: fc.nat(20), name: fc.nat(NAMES.length + 4), style: fc.nat(3), types: fc.subarray(CASE_TYPES_USED),
    }), { maxLength: size.reviewers }),
    conflicts: fc.array(fc.record({ reviewer: fc.nat(20), byFile: fc.boolean(), target: fc.nat(20) }), { maxLength: 4 }),
    existing: fc.array(fc.record({ file: fc.nat(20), reviewer: fc.nat(20) }), { maxLength: 3 }),
    kind: fc.constantFrom(...KINDS),
    k: fc.integer({ min: 1, max: size.maxK }),
  }).map((g): Scenario => {
    // Unit i + 2 hangs under a random earlier unit, or starts a new tree: random depth and branching.
    const units: UnitNode[] = [unit(1, '单位1', 'bureau', null)];
    g.parents.forEach((p, i) => {
      const id = i + 2;
      const choice = p % id;
      units.push(unit(id, `单位${id}`, 'department', choice === 0 ? null : choice));
    });
    const unitAt = (n: number) => units[n % units.length]!.id;
    const files = g.files.map((f, i) => ({
      id: 1000 + 3 * i, unitId: unitAt(f.unit), caseType: f.type, fileNumber: `F${i}`,
      handlers: f.handlers.map(([n, style]) => spell(NAMES[n]!, style)),
    }));
    const reviewers = g.reviewers.map((r, i) => ({
      id: 500 + i, unitId: unitAt(r.unit), name: spell(NAMES[r.name] ?? `评查员${i}`, r.style), caseTypes: r.types, poolType: null,
    }));
    const conflicts = reviewers.length === 0 ? [] : g.conflicts.flatMap((c): DeclaredConflict[] => {
      const reviewerId = reviewers[c.reviewer % reviewers.length]!.id;
      if (c.byFile) return files.length === 0 ? [] : [{ reviewerId, fileId: files[c.target % files.length]!.id, reason: '亲属' }];
      return [{ reviewerId, unitId: unitAt(c.target), reason: '曾任职' }];
    });
    const existing = files.length === 0 || reviewers.length === 0 ? [] : g.existing.map((e) => ({
      fileId: files[e.file % files.length]!.id, reviewerId: reviewers[e.reviewer % reviewers.length]!.id,
    }));
    return { units, files, reviewers, conflicts, existing, campaignKind: g.kind, reviewersPerFile: g.k };
  });

/** Small pools where declared file conflicts make the choice narrow and irregular: where a greedy pass goes wrong. */
const narrowArb = fc.record({
  files: fc.integer({ min: 1, max: 5 }),
  reviewers: fc.integer({ min: 1, max: 4 }),
  blocked: fc.array(fc.boolean(), { minLength: 20, maxLength: 20 }),
  existing: fc.array(fc.record({ file: fc.nat(4), reviewer: fc.nat(3) }), { maxLength: 2 }),
  k: fc.integer({ min: 1, max: 2 }),
}).map((g): Scenario => {
  const files = Array.from({ length: g.files }, (_, i) => file(i + 1, 2));
  const reviewers = Array.from({ length: g.reviewers }, (_, i) => reviewer(10 + i, 3));
  return {
    units: [unit(1, '市司法局', 'bureau', null), unit(2, '甲局', 'department', 1), unit(3, '乙局', 'department', 1)],
    files,
    reviewers,
    conflicts: files.flatMap((f, fi) => reviewers.filter((_, ri) => g.blocked[fi * 4 + ri]).map((r) => ({ reviewerId: r.id, fileId: f.id, reason: '亲属' }))),
    existing: g.existing.map((e) => ({ fileId: files[e.file % files.length]!.id, reviewerId: reviewers[e.reviewer % reviewers.length]!.id })),
    campaignKind: 'cross',
    reviewersPerFile: g.k,
  };
});

/** An independent statement of the hard rules. */
function allowed(s: Scenario, f: AssignableFile, r: PoolReviewer): boolean {
  const parent = new Map(s.units.map((u) => [u.id, u.parentId]));
  const isAbove = (upper: number, lower: number) => {
    for (let at = parent.get(lower) ?? null, steps = 0; at !== null && steps < 100; at = parent.get(at) ?? null, steps++) {
      if (at === upper) return true;
    }
    return false;
  };
  if (s.campaignKind === 'self') {
    if (r.unitId !== f.unitId) return false;
  } else if (r.unitId === f.unitId || isAbove(r.unitId, f.unitId) || isAbove(f.unitId, r.unitId)) return false;
  if (f.handlers.some((h) => sameName(h, r.name))) return false;
  return !s.conflicts.some((c) => c.reviewerId === r.id && (c.fileId === f.id || c.unitId === f.unitId));
}

const qualified = (r: PoolReviewer, f: AssignableFile) => r.caseTypes.length === 0 || r.caseTypes.includes(f.caseType);

describe('properties', () => {
  it('never breaks a hard rule, fills every slot the rules allow, and balances exactly', () => {
    fc.assert(fc.property(fc.oneof(scenarioArb({ files: 12, reviewers: 8, maxK: 3 }), narrowArb), (s) => {
      const result = assignReviewers(s);
      const onFile = new Map(s.files.map((f) => [f.id, new Set<number>()]));
      const existingPairs = new Set(s.existing.map((e) => `${e.fileId}:${e.reviewerId}`));
      for (const key of existingPairs) {
        const [fileId, reviewerId] = key.split(':').map(Number) as [number, number];
        onFile.get(fileId)!.add(reviewerId);
      }
      const before = new Map([...onFile].map(([id, set]) => [id, new Set(set)]));
      const fileById = new Map(s.files.map((f) => [f.id, f]));
      const reviewerById = new Map(s.reviewers.map((r) => [r.id, r]));

      // Hard rules and no reviewer twice on a file.
      for (const a of result.assignments) {
        const f = fileById.get(a.fileId)!;
        const r = reviewerById.get(a.reviewerId)!;
        expect(allowed(s, f, r)).toBe(true);
        expect(onFile.get(f.id)!.has(r.id)).toBe(false);
        onFile.get(f.id)!.add(r.id);
      }

      // Completeness: each file gets min(missing slots, allowed reviewers not yet on it), and slots run on.
      for (const f of s.files) {
        const had = before.get(f.id)!.size;
        const need = Math.max(0, s.reviewersPerFile - had);
        const free = s.reviewers.filter((r) => allowed(s, f, r) && !before.get(f.id)!.has(r.id)).length;
        const mine = result.assignments.filter((a) => a.fileId === f.id);
        expect(mine).toHaveLength(Math.min(need, free));
        expect(mine.map((a) => a.slot)).toEqual(mine.map((_, i) => had + i + 1));
        const gap = result.unassigned.find((u) => u.fileId === f.id);
        if (need > free) expect(gap?.slotsMissing).toBe(need - free);
        else expect(gap).toBeUndefined();
      }

      // Loads and the qualification count.
      const load = new Map(s.reviewers.map((r) => [r.id, 0]));
      for (const key of existingPairs) {
        const reviewerId = Number(key.split(':')[1]);
        if (load.has(reviewerId)) load.set(reviewerId, load.get(reviewerId)! + 1);
      }
      for (const a of result.assignments) load.set(a.reviewerId, load.get(a.reviewerId)! + 1);
      expect(result.loads).toEqual(s.reviewers.map((r) => ({ reviewerId: r.id, count: load.get(r.id)! })));
      expect(result.outsideQualification)
        .toBe(result.assignments.filter((a) => !qualified(reviewerById.get(a.reviewerId)!, fileById.get(a.fileId)!)).length);

      // Balance: no chain of allowed hand-overs of new assignments leads from a reviewer to one with ≥ 2 fewer.
      const held = new Map(s.reviewers.map((r) => [r.id, result.assignments.filter((a) => a.reviewerId === r.id).map((a) => a.fileId)]));
      for (const source of s.reviewers) {
        const seen = new Set([source.id]);
        const queue = [source.id];
        while (queue.length > 0) {
          const x = queue.shift()!;
          for (const fileId of held.get(x)!) {
            const f = fileById.get(fileId)!;
            for (const y of s.reviewers) {
              if (seen.has(y.id) || onFile.get(fileId)!.has(y.id) || !allowed(s, f, y)) continue;
              expect(load.get(y.id)!).toBeGreaterThanOrEqual(load.get(source.id)! - 1);
              seen.add(y.id);
              queue.push(y.id);
            }
          }
        }
      }

      // Qualification: an unqualified reviewer holds a file only if no qualified one free for it has fewer files.
      for (const a of result.assignments) {
        const f = fileById.get(a.fileId)!;
        if (qualified(reviewerById.get(a.reviewerId)!, f)) continue;
        for (const other of s.reviewers) {
          if (qualified(other, f) && allowed(s, f, other) && !onFile.get(f.id)!.has(other.id)) {
            expect(load.get(other.id)!).toBeGreaterThanOrEqual(load.get(a.reviewerId)!);
          }
        }
      }
    }), { numRuns: 300 });
  });

  it('reaches the most even loads possible (brute force on small cases)', () => {
    fc.assert(fc.property(fc.oneof(scenarioArb({ files: 4, reviewers: 5, maxK: 2 }), narrowArb), (s) => {
      const result = assignReviewers(s);
      const onFile = new Map(s.files.map((f) => [f.id, new Set(s.existing.filter((e) => e.fileId === f.id).map((e) => e.reviewerId))]));
      const base = new Map(s.reviewers.map((r) => [r.id, new Set(s.existing.filter((e) => e.reviewerId === r.id).map((e) => e.fileId)).size]));
      const options = s.files.map((f) => {
        const free = s.reviewers.filter((r) => allowed(s, f, r) && !onFile.get(f.id)!.has(r.id)).map((r) => r.id);
        const count = Math.min(Math.max(0, s.reviewersPerFile - onFile.get(f.id)!.size), free.length);
        const subsets: number[][] = [];
        const pick = (from: number, chosen: number[]) => {
          if (chosen.length === count) subsets.push(chosen);
          else for (let i = from; i < free.length; i++) pick(i + 1, [...chosen, free[i]!]);
        };
        pick(0, []);
        return subsets;
      });
      const sortedDesc = (loads: Map<number, number>) => [...loads.values()].sort((a, b) => b - a);
      const lexLess = (a: number[], b: number[]) => {
        for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
        return false;
      };
      let best: number[] | null = null;
      const walk = (i: number, loads: Map<number, number>) => {
        if (i === options.length) {
          const v = sortedDesc(loads);
          if (best === null || lexLess(v, best)) best = v;
          return;
        }
        for (const subset of options[i]!) {
          const next = new Map(loads);
          for (const id of subset) next.set(id, next.get(id)! + 1);
          walk(i + 1, next);
        }
      };
      walk(0, base);
      expect(sortedDesc(new Map(result.loads.map((l) => [l.reviewerId, l.count])))).toEqual(best ?? []);
    }), { numRuns: 400 });
  });

  it('keeps every two loads within one when everyone may review everything', () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 40 }), fc.array(fc.subarray(CASE_TYPES_USED), { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 3 }),
      fc.array(fc.constantFrom(...CASE_TYPES_USED), { minLength: 40, maxLength: 40 }),
      (fileCount, types, k, fileTypes) => {
        const units = [unit(1, '市司法局', 'bureau', null), unit(2, '甲局', 'department', 1), unit(3, '乙局', 'department', 1)];
        const files = Array.from({ length: fileCount }, (_, i) => ({ ...file(i + 1, 2), caseType: fileTypes[i]! }));
        const reviewers = types.map((t, i) => reviewer(100 + i, 3, `评查员${i}`, t));
        const result = assignReviewers({ units, files, reviewers, conflicts: [], campaignKind: 'cross', reviewersPerFile: k });
        const counts = result.loads.map((l) => l.count);
        expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
        expect(result.assignments).toHaveLength(fileCount * Math.min(k, reviewers.length));
      },
    ), { numRuns: 200 });
  });

  it('judges a manual choice exactly as the automatic assignment does, and does not depend on input order', () => {
    fc.assert(fc.property(scenarioArb({ files: 8, reviewers: 6, maxK: 3 }), (s) => {
      for (const f of s.files) {
        for (const r of s.reviewers) expect(checkAssignment(f, r, s).length === 0).toBe(allowed(s, f, r));
      }
      const result = assignReviewers(s);
      const shuffled = assignReviewers({
        ...s, files: [...s.files].reverse(), reviewers: [...s.reviewers].reverse(), conflicts: [...s.conflicts].reverse(),
        existing: [...s.existing].reverse(), units: [...s.units].reverse(),
      });
      const tidy = (r: AssignmentResult) => ({ ...r, existingProblems: r.existingProblems.map((p) => ({ ...p, reasons: [...p.reasons].sort() })) });
      expect(tidy(shuffled)).toEqual(tidy(result));
    }), { numRuns: 200 });
  });
});
