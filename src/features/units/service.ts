// Creating, editing, (de)activating and importing units. Every change is audited and runs in one transaction.
import type { Ctx } from '../../context.ts';
import type { DbOrTrx } from '../../db/connection.ts';
import { nowIso } from '../../context.ts';
import type { FieldProblem } from '../../domain/errors.ts';
import {
  orderAsTree, parentProblem, planUnitImport, unitFieldProblems, wouldCreateCycle,
  type ImportRow, type TreeRow, type UnitNode,
} from '../../domain/units.ts';
import { unitScope } from '../../domain/policy.ts';
import { asActor } from '../../context.ts';
import { isUnitKind, UNIT_KIND_LABELS, type UnitKind } from '../../domain/vocabulary.ts';
import { conflict, notFound, ValidationError } from '../../web/app-error.ts';
import { changedFields, recordAudit, auditActor } from '../audit/record.ts';
import { allUnits, countActiveChildren, countActiveUsers, countUsersWithRoles, findUnit, toNode, unitsInScope } from './queries.ts';

export interface UnitInput {
  code: string;
  name: string;
  kind: string;
  parentId: number | null;
}


export async function listUnitTree(ctx: Ctx): Promise<(TreeRow & { userCount: number })[]> {
  const units = await unitsInScope(ctx.db, unitScope(asActor(ctx.actor)));
  const counts = new Map(units.map((u) => [u.id, u.userCount]));
  return orderAsTree(units).map((row) => ({ ...row, userCount: counts.get(row.id) ?? 0 }));
}

/** Checks a unit's fields and its place in the tree; returns the problems keyed by form field. */
function treeProblems(units: readonly UnitNode[], input: UnitInput, selfId: number | null): FieldProblem[] {
  const problems = unitFieldProblems(input);
  const code = input.code.trim().toLowerCase();
  if (code && units.some((u) => u.code.toLowerCase() === code && u.id !== selfId)) {
    problems.push({ field: 'code', message: `单位编码“${input.code.trim()}”已被使用` });
  }
  const parent = input.parentId === null ? null : units.find((u) => u.id === input.parentId);
  if (input.parentId !== null && !parent) problems.push({ field: 'parentId', message: '上级单位不存在' });
  else if (parent && !parent.active && parent.id !== units.find((u) => u.id === selfId)?.parentId) {
    problems.push({ field: 'parentId', message: `上级单位“${parent.name}”已停用` });
  } else if (problems.every((p) => p.field !== 'kind')) {
    const problem = parentProblem(input.kind as UnitKind, parent ? parent.kind : null);
    if (problem) problems.push({ field: 'parentId', message: problem });
  }
  if (selfId !== null && wouldCreateCycle(units, selfId, input.parentId)) {
    problems.push({ field: 'parentId', message: '不能把单位设为自己或自己下级单位的下级' });
  }
  return problems;
}

/** A new kind must still fit the units below it and the people in it. */
async function kindChangeProblems(trx: DbOrTrx, units: readonly UnitNode[], id: number, kind: UnitKind): Promise<FieldProblem[]> {
  const problems: FieldProblem[] = [];
  for (const child of units.filter((u) => u.parentId === id)) {
    const problem = parentProblem(child.kind, kind);
    if (problem) problems.push({ field: 'kind', message: `下级单位“${child.name}”不能留在本单位之下：${problem}，请先调整下级单位` });
  }
  if (kind !== 'bureau' && (await countUsersWithRoles(trx, id, ['admin', 'leader'])) > 0) {
    problems.push({ field: 'kind', message: '本单位有管理员或领导账户，他们只能属于司法局，请先调整这些账户' });
  }
  return problems;
}

export async function createUnit(ctx: Ctx, input: UnitInput): Promise<number> {
  return ctx.db.transaction().execute(async (trx) => {
    const problems = treeProblems(await allUnits(trx), input, null);
    if (problems.length > 0) throw new ValidationError(problems);
    const now = nowIso(ctx.clock);
    const values = { code: input.code.trim(), name: input.name.trim(), kind: input.kind, parent_id: input.parentId };
    const { id } = await trx.insertInto('units').values({ ...values, active: 1, created_at: now, updated_at: now })
      .returning('id').executeTakeFirstOrThrow();
    await recordAudit(trx, ctx.clock, auditActor(ctx), {
      action: 'unit.create', entityType: 'unit', entityId: id,
      summary: `新建单位“${values.name}”（${values.code}，${UNIT_KIND_LABELS[input.kind as UnitKind]}）`, after: values,
    });
    return id;
  });
}

export async function updateUnit(ctx: Ctx, id: number, input: UnitInput): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const current = await findUnit(trx, id);
    if (!current) throw notFound('单位');
    const units = await allUnits(trx);
    const problems = treeProblems(units, input, id);
    if (input.kind !== current.kind && isUnitKind(input.kind)) problems.push(...await kindChangeProblems(trx, units, id, input.kind));
    if (problems.length > 0) throw new ValidationError(problems);
    const next = { code: input.code.trim(), name: input.name.trim(), kind: input.kind, parent_id: input.parentId };
    const diff = changedFields(current, next);
    if (!diff) return;
    await trx.updateTable('units').set({ ...next, updated_at: nowIso(ctx.clock) }).where('id', '=', id).execute();
    await recordAudit(trx, ctx.clock, auditActor(ctx), {
      action: 'unit.update', entityType: 'unit', entityId: id, summary: `修改单位“${next.name}”`, ...diff,
    });
  });
}

export async function setUnitActive(ctx: Ctx, id: number, active: boolean): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const current = await findUnit(trx, id);
    if (!current) throw notFound('单位');
    if ((current.active === 1) === active) return;
    if (!active) {
      const children = await countActiveChildren(trx, id);
      const users = await countActiveUsers(trx, id);
      if (children > 0 || users > 0) {
        throw conflict(`单位“${current.name}”下还有 ${children} 个启用的下级单位、${users} 个启用的用户，请先停用或调整后再停用本单位`);
      }
      if (id === ctx.actor.unitId) throw conflict('不能停用自己所在的单位');
    } else if (current.parent_id !== null) {
      const parent = await findUnit(trx, current.parent_id);
      if (parent && parent.active !== 1) throw conflict(`上级单位“${parent.name}”已停用，请先启用上级单位`);
    }
    await trx.updateTable('units').set({ active: active ? 1 : 0, updated_at: nowIso(ctx.clock) }).where('id', '=', id).execute();
    await recordAudit(trx, ctx.clock, auditActor(ctx), {
      action: active ? 'unit.activate' : 'unit.deactivate', entityType: 'unit', entityId: id,
      summary: `${active ? '启用' : '停用'}单位“${current.name}”`, before: { active: current.active }, after: { active: active ? 1 : 0 },
    });
  });
}

/** All or nothing: every row is checked first; one bad row rejects the file with the full list. */
export async function importUnits(ctx: Ctx, rows: ImportRow[], fileName: string): Promise<{ created: number }> {
  return ctx.db.transaction().execute(async (trx) => {
    const existing = await allUnits(trx);
    const plan = planUnitImport(rows, existing);
    if (!plan.ok) throw new ValidationError(plan.problems, `导入失败：共 ${plan.problems.length} 处问题，未导入任何数据`);
    const now = nowIso(ctx.clock);
    const idByCode = new Map(existing.map((u) => [u.code.toLowerCase(), u.id]));
    for (const unit of plan.items) {
      const parentId = unit.parentCode ? idByCode.get(unit.parentCode.toLowerCase())! : null;
      const { id } = await trx.insertInto('units').values({
        code: unit.code, name: unit.name, kind: unit.kind, parent_id: parentId, active: 1, created_at: now, updated_at: now,
      }).returning('id').executeTakeFirstOrThrow();
      idByCode.set(unit.code.toLowerCase(), id);
    }
    await recordAudit(trx, ctx.clock, auditActor(ctx), {
      action: 'unit.import', entityType: 'unit', entityId: null,
      summary: `从文件“${fileName}”导入 ${plan.items.length} 个单位`,
      after: { file: fileName, codes: plan.items.map((u) => u.code) },
    });
    return { created: plan.items.length };
  });
}

export async function unitDetail(ctx: Ctx, id: number) {
  const row = await findUnit(ctx.db, id);
  if (!row) throw notFound('单位');
  const units = await allUnits(ctx.db);
  const node = toNode(row);
  const parent = node.parentId === null ? null : units.find((u) => u.id === node.parentId) ?? null;
  const children = orderAsTree(units.filter((u) => u.parentId === id));
  return { unit: node, parent, children, createdAt: row.created_at, updatedAt: row.updated_at };
}
