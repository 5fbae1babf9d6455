import type { DbOrTrx } from '../../db/connection.ts';
import type { UnitScope } from '../../domain/policy.ts';
import type { UnitNode } from '../../domain/units.ts';
import type { UnitKind } from '../../domain/vocabulary.ts';

export function toNode(row: { id: number; code: string; name: string; kind: string; parent_id: number | null; active: number }): UnitNode {
  return { id: row.id, code: row.code, name: row.name, kind: row.kind as UnitKind, parentId: row.parent_id, active: row.active === 1 };
}

export async function allUnits(db: DbOrTrx): Promise<UnitNode[]> {
  const rows = await db.selectFrom('units').select(['id', 'code', 'name', 'kind', 'parent_id', 'active']).execute();
  return rows.map(toNode);
}

/** Units a list may show, narrowed by the actor's scope in the query itself. */
export async function unitsInScope(db: DbOrTrx, scope: UnitScope): Promise<(UnitNode & { userCount: number })[]> {
  let q = db.selectFrom('units')
    .leftJoin('users', (j) => j.onRef('users.unit_id', '=', 'units.id').on('users.active', '=', 1))
    .select(({ fn }) => ['units.id', 'units.code', 'units.name', 'units.kind', 'units.parent_id', 'units.active', fn.count<number>('users.id').as('user_count')])
    .groupBy(['units.id', 'units.code', 'units.name', 'units.kind', 'units.parent_id', 'units.active']);
  if (scope.kind === 'units') q = q.where('units.id', 'in', scope.unitIds.length ? scope.unitIds : [-1]);
  const rows = await q.execute();
  return rows.map((r) => ({ ...toNode(r), userCount: Number(r.user_count) }));
}

export function findUnit(db: DbOrTrx, id: number) {
  return db.selectFrom('units').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findUnitByCode(db: DbOrTrx, code: string) {
  return db.selectFrom('units').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function countActiveChildren(db: DbOrTrx, id: number): Promise<number> {
  const row = await db.selectFrom('units').select(({ fn }) => fn.countAll<number>().as('n'))
    .where('parent_id', '=', id).where('active', '=', 1).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function countActiveUsers(db: DbOrTrx, unitId: number): Promise<number> {
  const row = await db.selectFrom('users').select(({ fn }) => fn.countAll<number>().as('n'))
    .where('unit_id', '=', unitId).where('active', '=', 1).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Accounts (active or not) of the given roles in a unit: administrators and leaders belong to bureaus. */
export async function countUsersWithRoles(db: DbOrTrx, unitId: number, roles: readonly string[]): Promise<number> {
  const row = await db.selectFrom('users').select(({ fn }) => fn.countAll<number>().as('n'))
    .where('unit_id', '=', unitId).where('role', 'in', [...roles]).executeTakeFirstOrThrow();
  return Number(row.n);
}
