// User field rules and planning a user import. Pure: no I/O.
import { hasControlChars, type FieldProblem, type RowProblem } from './errors.ts';
import { passwordProblems } from './password-rules.ts';
import type { ImportPlan, ImportRow } from './units.ts';
import {
  CASE_TYPE_LABELS, codeFromLabel, isCaseType, isReviewerPool, isRole, REVIEWER_POOL_LABELS, ROLE_LABELS,
  type CaseType, type ReviewerPool, type Role, type UnitKind,
} from './vocabulary.ts';

export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9_.-]{2,31}$/;

export interface UserFields {
  username: string;
  displayName: string;
  role: string;
  unitId: number | null;
  poolType: string | null;
  caseTypes: string[];
  phone: string | null;
}

export interface CleanUser {
  username: string;
  displayName: string;
  role: Role;
  unitId: number;
  poolType: ReviewerPool | null;
  caseTypes: CaseType[];
  phone: string | null;
}

export const normalizeUsername = (s: string): string => s.trim().toLowerCase();

/** Checks the fields; `unitKind` is the kind of the chosen unit, or null when it does not exist. */
export function userFieldProblems(input: UserFields, unitKind: UnitKind | null | undefined): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const username = normalizeUsername(input.username);
  if (username === '') problems.push({ field: 'username', message: '用户名不能为空' });
  else if (!USERNAME_PATTERN.test(username)) {
    problems.push({ field: 'username', message: '用户名为 3–32 位小写字母、数字、下划线、点或短横线，以字母或数字开头' });
  }
  const name = input.displayName.trim();
  if (name === '') problems.push({ field: 'displayName', message: '姓名不能为空' });
  else if (name.length > 50) problems.push({ field: 'displayName', message: '姓名不能超过 50 个字' });
  else if (hasControlChars(name)) problems.push({ field: 'displayName', message: '姓名含有不可见的控制字符' });
  if (!isRole(input.role)) problems.push({ field: 'role', message: '请选择角色（管理员、评查员、部门用户或领导）' });
  if (input.unitId === null) problems.push({ field: 'unitId', message: '请选择所属单位' });
  else if (!unitKind) problems.push({ field: 'unitId', message: '所属单位不存在或已停用' });
  else if ((input.role === 'admin' || input.role === 'leader') && unitKind !== 'bureau') {
    problems.push({ field: 'unitId', message: `${ROLE_LABELS[input.role]}只能属于司法局` });
  }
  if (input.role === 'reviewer') {
    if (!input.poolType || !isReviewerPool(input.poolType)) {
      problems.push({ field: 'poolType', message: '评查员须选择类别（执法人员、司法行政人员、律师或其他）' });
    }
  }
  for (const ct of input.caseTypes) {
    if (!isCaseType(ct)) problems.push({ field: 'caseTypes', message: `未知的案卷类型“${ct}”` });
  }
  const phone = input.phone?.trim() ?? '';
  if (phone !== '' && !/^[0-9+\- ]{5,20}$/.test(phone)) problems.push({ field: 'phone', message: '联系电话格式不正确' });
  return problems;
}

export function cleanUser(input: UserFields): CleanUser {
  const isReviewer = input.role === 'reviewer';
  return {
    username: normalizeUsername(input.username),
    displayName: input.displayName.trim(),
    role: input.role as Role,
    unitId: input.unitId!,
    poolType: isReviewer ? (input.poolType as ReviewerPool) : null,
    caseTypes: isReviewer ? [...new Set(input.caseTypes as CaseType[])] : [],
    phone: input.phone?.trim() || null,
  };
}

export const USER_IMPORT_HEADERS = ['用户名', '姓名', '角色', '所属单位编码', '评查员类别', '可评案卷类型', '联系电话', '初始密码'] as const;
const REQUIRED_USER_HEADERS = ['用户名', '姓名', '角色', '所属单位编码'] as const;
export { REQUIRED_USER_HEADERS };

const FIELD_HEADER: Record<string, string> = {
  username: '用户名', displayName: '姓名', role: '角色', unitId: '所属单位编码', poolType: '评查员类别', caseTypes: '可评案卷类型', phone: '联系电话',
};

export interface PlannedUser extends CleanUser {
  row: number;
  password: string | null; // null: generate one
}

export interface UnitRef {
  id: number;
  code: string;
  kind: UnitKind;
  active: boolean;
}

/** Splits "行政处罚、行政许可" or "处罚,许可" into case type codes; unknown names are reported. */
export function parseCaseTypes(text: string): { codes: CaseType[]; unknown: string[] } {
  const codes: CaseType[] = [];
  const unknown: string[] = [];
  for (const part of text.split(/[、,，;；\s]+/).map((p) => p.trim()).filter(Boolean)) {
    const code = codeFromLabel(CASE_TYPE_LABELS, part);
    if (code) codes.push(code);
    else unknown.push(part);
  }
  return { codes, unknown };
}

export function planUserImport(rows: readonly ImportRow[], units: readonly UnitRef[], existingUsernames: ReadonlySet<string>): ImportPlan<PlannedUser> {
  const problems: RowProblem[] = [];
  const unitsByCode = new Map(units.map((u) => [u.code.toLowerCase(), u]));
  const seen = new Map<string, number>();
  const planned: PlannedUser[] = [];

  for (const { row, values } of rows) {
    const rowProblems: RowProblem[] = [];
    const roleText = (values['角色'] ?? '').trim();
    const role = codeFromLabel(ROLE_LABELS, roleText);
    if (roleText !== '' && !role) rowProblems.push({ row, field: '角色', message: `未知的角色“${roleText}”，应为：管理员、评查员、部门用户、领导` });
    const unitCode = (values['所属单位编码'] ?? '').trim();
    const unit = unitCode ? unitsByCode.get(unitCode.toLowerCase()) : undefined;
    if (unitCode !== '' && !unit) rowProblems.push({ row, field: '所属单位编码', message: `单位编码“${unitCode}”不存在` });
    else if (unit && !unit.active) rowProblems.push({ row, field: '所属单位编码', message: `单位“${unitCode}”已停用` });
    const poolText = (values['评查员类别'] ?? '').trim();
    const pool = poolText ? codeFromLabel(REVIEWER_POOL_LABELS, poolText) : undefined;
    if (poolText !== '' && !pool) rowProblems.push({ row, field: '评查员类别', message: `未知的评查员类别“${poolText}”，应为：执法人员、司法行政人员、律师、其他` });
    const caseTypes = parseCaseTypes(values['可评案卷类型'] ?? '');
    for (const u of caseTypes.unknown) rowProblems.push({ row, field: '可评案卷类型', message: `未知的案卷类型“${u}”` });

    const fields: UserFields = {
      username: values['用户名'] ?? '',
      displayName: values['姓名'] ?? '',
      role: role ?? '',
      unitId: unit ? unit.id : null,
      poolType: pool ?? null,
      caseTypes: caseTypes.codes,
      phone: values['联系电话'] ?? null,
    };
    const alreadyReported = new Set(rowProblems.map((p) => p.field));
    for (const p of userFieldProblems(fields, unit && unit.active ? unit.kind : null)) {
      const field = FIELD_HEADER[p.field];
      if (!alreadyReported.has(field)) rowProblems.push({ row, field, message: p.message });
    }
    const username = normalizeUsername(fields.username);
    if (username !== '') {
      if (existingUsernames.has(username)) rowProblems.push({ row, field: '用户名', message: `用户名“${username}”已存在` });
      const earlier = seen.get(username);
      if (earlier !== undefined) rowProblems.push({ row, field: '用户名', message: `用户名“${username}”与第 ${earlier} 行重复` });
      else seen.set(username, row);
    }
    const password = (values['初始密码'] ?? '').trim();
    if (password !== '') {
      for (const m of passwordProblems(password, username)) rowProblems.push({ row, field: '初始密码', message: m });
    }
    problems.push(...rowProblems);
    if (rowProblems.length === 0) planned.push({ ...cleanUser(fields), row, password: password || null });
  }
  if (rows.length === 0) problems.push({ row: 1, message: '文件中没有数据行' });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, items: planned };
}
