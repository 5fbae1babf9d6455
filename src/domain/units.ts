// The unit tree: field rules, parent rules, cycles, ordering, and planning an import. Pure: no I/O.
import { hasControlChars, type FieldProblem, type RowProblem } from './errors.ts';
import { codeFromLabel, isUnitKind, UNIT_KIND_LABELS, type UnitKind } from './vocabulary.ts';

export interface UnitNode {
  id: number;
  code: string;
  name: string;
  kind: UnitKind;
  parentId: number | null;
  active: boolean;
}

export interface UnitFields {
  code: string;
  name: string;
  kind: string;
}

const collator = new Intl.Collator('zh-CN');
export const UNIT_CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export function unitFieldProblems(input: UnitFields): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const code = input.code.trim();
  const name = input.name.trim();
  if (code === '') problems.push({ field: 'code', message: '单位编码不能为空' });
  else if (!UNIT_CODE_PATTERN.test(code)) {
    problems.push({ field: 'code', message: '单位编码只能由字母、数字、下划线、点和短横线组成，以字母或数字开头，最长 64 位' });
  }
  if (name === '') problems.push({ field: 'name', message: '单位名称不能为空' });
  else if (name.length > 100) problems.push({ field: 'name', message: '单位名称不能超过 100 个字' });
  else if (hasControlChars(name)) problems.push({ field: 'name', message: '单位名称含有不可见的控制字符' });
  if (!isUnitKind(input.kind)) problems.push({ field: 'kind', message: '请选择单位类型（司法局、执法部门或乡镇（街道））' });
  return problems;
}

/** Which kinds of unit may sit above which. Only a bureau may stand at the top of the tree. */
export function parentProblem(kind: UnitKind, parentKind: UnitKind | null): string | null {
  if (parentKind === null) return kind === 'bureau' ? null : `${UNIT_KIND_LABELS[kind]}必须有上级单位`;
  if (kind === 'bureau' && parentKind !== 'bureau') return '司法局的上级单位只能是司法局';
  if (kind === 'town' && parentKind !== 'bureau') return '乡镇（街道）的上级单位只能是司法局';
  if (kind === 'department' && parentKind === 'town') return '执法部门的上级单位不能是乡镇（街道）';
  return null;
}

function childrenOf(units: readonly UnitNode[]): Map<number | null, UnitNode[]> {
  const map = new Map<number | null, UnitNode[]>();
  for (const u of units) {
    const list = map.get(u.parentId) ?? [];
    list.push(u);
    map.set(u.parentId, list);
  }
  return map;
}

export function descendantIds(units: readonly UnitNode[], id: number): Set<number> {
  const children = childrenOf(units);
  const found = new Set<number>();
  const stack = [id];
  while (stack.length > 0) {
    for (const child of children.get(stack.pop()!) ?? []) {
      if (!found.has(child.id)) {
        found.add(child.id);
        stack.push(child.id);
      }
    }
  }
  return found;
}

export function ancestorIds(units: readonly UnitNode[], id: number): number[] {
  const byId = new Map(units.map((u) => [u.id, u]));
  const result: number[] = [];
  let current = byId.get(id)?.parentId ?? null;
  while (current !== null && !result.includes(current)) {
    result.push(current);
    current = byId.get(current)?.parentId ?? null;
  }
  return result;
}

/** Moving `unitId` under `newParentId` must not put a unit beneath itself. */
export function wouldCreateCycle(units: readonly UnitNode[], unitId: number, newParentId: number | null): boolean {
  if (newParentId === null) return false;
  return newParentId === unitId || descendantIds(units, unitId).has(newParentId);
}

export interface TreeRow extends UnitNode {
  depth: number;
  path: string; // names from the root, for display
}

/** Depth-first order, siblings sorted by kind (bureaus first) then by pinyin, for a readable tree. */
export function orderAsTree(units: readonly UnitNode[]): TreeRow[] {
  const children = childrenOf(units);
  const kindOrder: Record<UnitKind, number> = { bureau: 0, department: 1, town: 2 };
  for (const list of children.values()) {
    list.sort((a, b) => kindOrder[a.kind] - kindOrder[b.kind] || collator.compare(a.name, b.name));
  }
  const ids = new Set(units.map((u) => u.id));
  const roots = units.filter((u) => u.parentId === null || !ids.has(u.parentId));
  roots.sort((a, b) => kindOrder[a.kind] - kindOrder[b.kind] || collator.compare(a.name, b.name));
  const out: TreeRow[] = [];
  const visit = (u: UnitNode, depth: number, path: string) => {
    const here = path ? `${path} / ${u.name}` : u.name;
    out.push({ ...u, depth, path: here });
    for (const c of children.get(u.id) ?? []) visit(c, depth + 1, here);
  };
  for (const r of roots) visit(r, 0, '');
  return out;
}

export const UNIT_IMPORT_HEADERS = ['单位编码', '单位名称', '单位类型', '上级单位编码'] as const;

export interface ImportRow {
  row: number;
  values: Record<string, string>;
}

export interface PlannedUnit {
  row: number;
  code: string;
  name: string;
  kind: UnitKind;
  parentCode: string | null;
}

export type ImportPlan<T> = { ok: true; items: T[] } | { ok: false; problems: RowProblem[] };

const FIELD_HEADER: Record<string, string> = { code: '单位编码', name: '单位名称', kind: '单位类型' };

/**
 * Checks every row against the rules and the existing tree, and orders new units so that each
 * parent is created before its children. Parents may come from the database or from the same file.
 */
export function planUnitImport(rows: readonly ImportRow[], existing: readonly Pick<UnitNode, 'code' | 'kind' | 'active'>[]): ImportPlan<PlannedUnit> {
  const problems: RowProblem[] = [];
  const existingByCode = new Map(existing.map((u) => [u.code.toLowerCase(), u]));
  const seen = new Map<string, number>();
  const planned: PlannedUnit[] = [];

  for (const { row, values } of rows) {
    const kindText = values['单位类型'] ?? '';
    const kind = codeFromLabel(UNIT_KIND_LABELS, kindText);
    const fields: UnitFields = { code: values['单位编码'] ?? '', name: values['单位名称'] ?? '', kind: kind ?? '' };
    const rowProblems = unitFieldProblems(fields).map((p) => ({
      row,
      field: FIELD_HEADER[p.field],
      message: p.field === 'kind' && kindText.trim() !== '' ? `未知的单位类型“${kindText.trim()}”，应为：司法局、执法部门、乡镇（街道）` : p.message,
    }));
    problems.push(...rowProblems);
    const code = fields.code.trim();
    if (code !== '') {
      const key = code.toLowerCase();
      if (existingByCode.has(key)) problems.push({ row, field: '单位编码', message: `单位编码“${code}”已存在于系统中` });
      const earlier = seen.get(key);
      if (earlier !== undefined) problems.push({ row, field: '单位编码', message: `单位编码“${code}”与第 ${earlier} 行重复` });
      else seen.set(key, row);
    }
    const parentCode = (values['上级单位编码'] ?? '').trim();
    if (rowProblems.length === 0) planned.push({ row, code, name: fields.name.trim(), kind: kind!, parentCode: parentCode || null });
  }

  // Parent checks need the whole file: a parent may appear on a later row.
  const plannedByCode = new Map(planned.map((p) => [p.code.toLowerCase(), p]));
  for (const p of planned) {
    if (p.parentCode === null) {
      const problem = parentProblem(p.kind, null);
      if (problem) problems.push({ row: p.row, field: '上级单位编码', message: problem });
      continue;
    }
    const key = p.parentCode.toLowerCase();
    const parent = plannedByCode.get(key) ?? existingByCode.get(key);
    if (!parent) {
      problems.push({ row: p.row, field: '上级单位编码', message: `上级单位编码“${p.parentCode}”在系统和本文件中都不存在` });
      continue;
    }
    if ('active' in parent && !parent.active) {
      problems.push({ row: p.row, field: '上级单位编码', message: `上级单位“${p.parentCode}”已停用` });
    }
    const problem = parentProblem(p.kind, parent.kind);
    if (problem) problems.push({ row: p.row, field: '上级单位编码', message: problem });
  }

  // Parent-first order; a loop inside the file (A under B under A) is a problem of its own.
  const ordered: PlannedUnit[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (p: PlannedUnit): boolean => {
    const key = p.code.toLowerCase();
    if (state.get(key) === 'done') return true;
    if (state.get(key) === 'visiting') return false;
    state.set(key, 'visiting');
    const parent = p.parentCode ? plannedByCode.get(p.parentCode.toLowerCase()) : undefined;
    if (parent && !visit(parent)) {
      state.set(key, 'done');
      problems.push({ row: p.row, field: '上级单位编码', message: `上下级关系形成循环（涉及“${p.code}”）` });
      return true;
    }
    state.set(key, 'done');
    ordered.push(p);
    return true;
  };
  for (const p of planned) visit(p);

  if (rows.length === 0) problems.push({ row: 1, message: '文件中没有数据行' });
  if (problems.length > 0) {
    problems.sort((a, b) => a.row - b.row);
    return { ok: false, problems };
  }
  return { ok: true, items: ordered };
}
