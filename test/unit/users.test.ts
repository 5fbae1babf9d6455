import { describe, expect, it } from 'vitest';
import { cleanUser, parseCaseTypes, planUserImport, userFieldProblems, type UserFields } from '../../src/domain/users.ts';
import { passwordProblems } from '../../src/domain/password-rules.ts';

const base: UserFields = { username: 'Zhang.San', displayName: ' 张三 ', role: 'reviewer', unitId: 3, poolType: 'lawyer', caseTypes: ['penalty'], phone: null };

describe('user fields', () => {
  it('accepts a reviewer and normalises the username', () => {
    expect(userFieldProblems(base, 'department')).toEqual([]);
    expect(cleanUser(base)).toMatchObject({ username: 'zhang.san', displayName: '张三', poolType: 'lawyer', caseTypes: ['penalty'] });
  });
  it('requires a pool type for reviewers only', () => {
    expect(userFieldProblems({ ...base, poolType: null }, 'department').map((p) => p.field)).toEqual(['poolType']);
    expect(userFieldProblems({ ...base, role: 'department', poolType: null }, 'department')).toEqual([]);
  });
  it('drops reviewer-only fields for other roles', () => {
    expect(cleanUser({ ...base, role: 'department' })).toMatchObject({ poolType: null, caseTypes: [] });
  });
  it('keeps administrators and leaders in a bureau', () => {
    expect(userFieldProblems({ ...base, role: 'admin' }, 'department')[0]!.message).toBe('管理员只能属于司法局');
    expect(userFieldProblems({ ...base, role: 'leader' }, 'bureau')).toEqual([]);
  });
  it('reports a missing or inactive unit', () => {
    expect(userFieldProblems({ ...base, unitId: null }, null)[0]!.message).toBe('请选择所属单位');
    expect(userFieldProblems(base, null)[0]!.message).toBe('所属单位不存在或已停用');
  });
  it('rejects bad usernames, roles, case types and phones', () => {
    const fields = userFieldProblems({ ...base, username: 'a', role: 'root', caseTypes: ['x'], phone: 'call me' }, 'bureau').map((p) => p.field);
    expect(fields).toEqual(['username', 'role', 'caseTypes', 'phone']);
  });
});

describe('password rules', () => {
  it.each([
    ['short1', '密码至少 8 位'],
    ['onlyletters', '密码须同时包含字母和数字'],
    ['12345678', '密码须同时包含字母和数字'],
    ['zhangsan123', '密码不能包含用户名'],
  ])('%s → %s', (pw, message) => {
    expect(passwordProblems(pw, 'zhangsan')).toContain(message);
  });
  it('accepts a reasonable password', () => {
    expect(passwordProblems('Review2026', 'zhangsan')).toEqual([]);
  });
});

describe('case types typed in a spreadsheet', () => {
  it('accepts full names, short names and codes with any separator', () => {
    expect(parseCaseTypes('行政处罚、许可, inspection；强制')).toEqual({ codes: ['penalty', 'license', 'inspection', 'coercion'], unknown: [] });
    expect(parseCaseTypes('处罚 飞行')).toEqual({ codes: ['penalty'], unknown: ['飞行'] });
    expect(parseCaseTypes('')).toEqual({ codes: [], unknown: [] });
  });
});

describe('planning a user import', () => {
  const units = [
    { id: 1, code: 'ROOT', kind: 'bureau' as const, active: true },
    { id: 2, code: 'SC', kind: 'department' as const, active: true },
    { id: 3, code: 'OLD', kind: 'department' as const, active: false },
  ];
  const row = (n: number, v: Record<string, string>) => ({ row: n, values: { 用户名: '', 姓名: '', 角色: '', 所属单位编码: '', ...v } });

  it('plans good rows with their passwords', () => {
    const plan = planUserImport([
      row(2, { 用户名: 'LiSi', 姓名: '李四', 角色: '评查员', 所属单位编码: 'sc', 评查员类别: '律师', 可评案卷类型: '行政处罚、行政许可' }),
      row(3, { 用户名: 'wangwu', 姓名: '王五', 角色: '部门用户', 所属单位编码: 'SC', 初始密码: 'Secret2026' }),
    ], units, new Set());
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    expect(plan.items[0]).toMatchObject({ username: 'lisi', role: 'reviewer', unitId: 2, poolType: 'lawyer', caseTypes: ['penalty', 'license'], password: null });
    expect(plan.items[1]).toMatchObject({ username: 'wangwu', role: 'department', password: 'Secret2026' });
  });

  it('lists every bad row once per problem', () => {
    const plan = planUserImport([
      row(2, { 用户名: 'admin', 姓名: '甲', 角色: '部门用户', 所属单位编码: 'SC' }),
      row(3, { 用户名: 'b1', 姓名: '乙', 角色: '超级用户', 所属单位编码: 'SC' }),
      row(4, { 用户名: 'c1', 姓名: '丙', 角色: '评查员', 所属单位编码: 'NONE' }),
      row(5, { 用户名: 'd1', 姓名: '丁', 角色: '评查员', 所属单位编码: 'SC' }),
      row(6, { 用户名: 'D1', 姓名: '戊', 角色: '部门用户', 所属单位编码: 'OLD' }),
      row(7, { 用户名: 'e1', 姓名: '己', 角色: '领导', 所属单位编码: 'SC', 初始密码: 'weak' }),
    ], units, new Set(['admin']));
    expect(plan.ok).toBe(false);
    if (plan.ok) return;
    const summary = plan.problems.map((p) => `${p.row}|${p.field}|${p.message}`);
    expect(summary).toEqual(expect.arrayContaining([
      '2|用户名|用户名“admin”已存在',
      '3|角色|未知的角色“超级用户”，应为：管理员、评查员、部门用户、领导',
      '4|所属单位编码|单位编码“NONE”不存在',
      '5|评查员类别|评查员须选择类别（执法人员、司法行政人员、律师或其他）',
      '6|所属单位编码|单位“OLD”已停用',
      '6|用户名|用户名“d1”与第 5 行重复',
      '7|所属单位编码|领导只能属于司法局',
      '7|初始密码|密码至少 8 位',
    ]));
    // One message per problem: the unknown role is not reported a second time as "please choose a role".
    expect(summary.filter((s) => s.startsWith('3|角色'))).toHaveLength(1);
  });
});
