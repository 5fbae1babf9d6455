import { describe, expect, it } from 'vitest';
import {
  ancestorIds, descendantIds, orderAsTree, parentProblem, planUnitImport, unitFieldProblems, wouldCreateCycle, type UnitNode,
} from '../../src/domain/units.ts';

const unit = (id: number, name: string, kind: UnitNode['kind'], parentId: number | null, code = `U${id}`): UnitNode =>
  ({ id, code, name, kind, parentId, active: true });

// 市司法局 → 东安区司法局 → 东安区市场监管局; 市司法局 → 市城管局; 东安区司法局 → 兴隆镇
const tree: UnitNode[] = [
  unit(1, '牡丹江市司法局', 'bureau', null),
  unit(2, '东安区司法局', 'bureau', 1),
  unit(3, '东安区市场监督管理局', 'department', 2),
  unit(4, '牡丹江市城市管理综合执法局', 'department', 1),
  unit(5, '兴隆镇', 'town', 2),
  unit(6, '阿城区司法局', 'bureau', 1),
];

describe('unit fields', () => {
  it('accepts a well-formed unit', () => {
    expect(unitFieldProblems({ code: 'MDJ-DA', name: '东安区司法局', kind: 'bureau' })).toEqual([]);
  });
  it('names every bad field in Chinese', () => {
    const problems = unitFieldProblems({ code: '东安 区', name: '  ', kind: 'ministry' });
    expect(problems.map((p) => p.field)).toEqual(['code', 'name', 'kind']);
    expect(problems[0]!.message).toContain('单位编码');
    expect(problems[1]!.message).toBe('单位名称不能为空');
  });
  it('rejects control characters and over-long names', () => {
    expect(unitFieldProblems({ code: 'A', name: 'a\u0000b', kind: 'bureau' })[0]!.message).toContain('控制字符');
    expect(unitFieldProblems({ code: 'A', name: '局'.repeat(101), kind: 'bureau' })[0]!.message).toContain('100');
  });
});

describe('parent rules', () => {
  it.each([
    ['bureau', null, null],
    ['department', null, '执法部门必须有上级单位'],
    ['town', null, '乡镇（街道）必须有上级单位'],
    ['bureau', 'department', '司法局的上级单位只能是司法局'],
    ['town', 'department', '乡镇（街道）的上级单位只能是司法局'],
    ['department', 'town', '执法部门的上级单位不能是乡镇（街道）'],
    ['department', 'department', null],
    ['department', 'bureau', null],
  ] as const)('%s under %s', (kind, parentKind, expected) => {
    expect(parentProblem(kind, parentKind)).toBe(expected);
  });
});

describe('tree navigation', () => {
  it('finds descendants and ancestors', () => {
    expect([...descendantIds(tree, 2)].sort()).toEqual([3, 5]);
    expect([...descendantIds(tree, 1)].sort()).toEqual([2, 3, 4, 5, 6]);
    expect(ancestorIds(tree, 3)).toEqual([2, 1]);
    expect(ancestorIds(tree, 1)).toEqual([]);
  });
  it('refuses to move a unit under itself or its descendants', () => {
    expect(wouldCreateCycle(tree, 2, 2)).toBe(true);
    expect(wouldCreateCycle(tree, 2, 3)).toBe(true);
    expect(wouldCreateCycle(tree, 2, 6)).toBe(false);
    expect(wouldCreateCycle(tree, 2, null)).toBe(false);
  });
  it('orders depth-first, bureaus before departments before towns, then by pinyin', () => {
    const rows = orderAsTree(tree);
    expect(rows.map((r) => [r.name, r.depth])).toEqual([
      ['牡丹江市司法局', 0],
      ['阿城区司法局', 1], // ā before dōng
      ['东安区司法局', 1],
      ['东安区市场监督管理局', 2],
      ['兴隆镇', 2],
      ['牡丹江市城市管理综合执法局', 1],
    ]);
    expect(rows[3]!.path).toBe('牡丹江市司法局 / 东安区司法局 / 东安区市场监督管理局');
  });
});

describe('planning a unit import', () => {
  const existing = [{ code: 'ROOT', kind: 'bureau' as const, active: true }, { code: 'OLD', kind: 'department' as const, active: false }];
  const row = (n: number, code: string, name: string, kind: string, parent: string) =>
    ({ row: n, values: { 单位编码: code, 单位名称: name, 单位类型: kind, 上级单位编码: parent } });

  it('orders parents before children even when the file lists children first', () => {
    const plan = planUnitImport([
      row(2, 'DA-SC', '东安区市场监督管理局', '执法部门', 'DA'),
      row(3, 'DA', '东安区司法局', '司法局', 'ROOT'),
      row(4, 'DA-XL', '兴隆镇', '乡镇', 'da'),
    ], existing);
    expect(plan.ok).toBe(true);
    if (plan.ok) expect(plan.items.map((u) => u.code)).toEqual(['DA', 'DA-SC', 'DA-XL']);
  });

  it('lists every bad row with its row number and column', () => {
    const plan = planUnitImport([
      row(2, 'ROOT', '重复', '司法局', ''),
      row(3, 'A', '甲', '执法部门', 'NOPE'),
      row(4, 'A', '乙', '执法部门', 'ROOT'),
      row(5, 'B', '丙', '部委', 'ROOT'),
      row(6, 'C', '', '执法部门', 'ROOT'),
      row(7, 'D', '丁', '执法部门', 'OLD'),
      row(8, 'E', '戊', '乡镇（街道）', 'A'),
    ], existing);
    expect(plan.ok).toBe(false);
    if (plan.ok) return;
    const summary = plan.problems.map((p) => `${p.row}|${p.field}|${p.message}`);
    expect(summary).toContain('2|单位编码|单位编码“ROOT”已存在于系统中');
    expect(summary).toContain('3|上级单位编码|上级单位编码“NOPE”在系统和本文件中都不存在');
    expect(summary).toContain('4|单位编码|单位编码“A”与第 3 行重复');
    expect(summary).toContain('5|单位类型|未知的单位类型“部委”，应为：司法局、执法部门、乡镇（街道）');
    expect(summary).toContain('6|单位名称|单位名称不能为空');
    expect(summary).toContain('7|上级单位编码|上级单位“OLD”已停用');
    expect(summary).toContain('8|上级单位编码|乡镇（街道）的上级单位只能是司法局');
    expect(plan.problems.map((p) => p.row)).toEqual([...plan.problems.map((p) => p.row)].sort((a, b) => a - b));
  });

  it('reports a loop of parents inside the file', () => {
    const plan = planUnitImport([row(2, 'X', '甲局', '司法局', 'Y'), row(3, 'Y', '乙局', '司法局', 'X')], existing);
    expect(plan.ok).toBe(false);
    if (!plan.ok) expect(plan.problems.some((p) => p.message.includes('循环'))).toBe(true);
  });

  it('rejects a file with no data rows', () => {
    const plan = planUnitImport([], existing);
    expect(plan.ok).toBe(false);
  });
});
