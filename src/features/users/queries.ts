import { isCaseType, type CaseType } from '../../domain/vocabulary.ts';
import type { DbOrTrx } from '../../db/connection.ts';
import { containsText } from '../../db/contains.ts';
import type { UnitScope } from '../../domain/policy.ts';

export interface UserFilter {
  q?: string;
  role?: string;
  unitId?: number | null;
  status?: 'active' | 'inactive' | '';
}

export const PAGE_SIZE = 50;

const listColumns = [
  'users.id', 'users.username', 'users.display_name', 'users.role', 'users.unit_id', 'users.pool_type', 'users.case_types',
  'users.phone', 'users.active', 'users.locked_until', 'users.last_login_at', 'units.name as unit_name', 'units.code as unit_code',
] as const;

export async function usersInScope(db: DbOrTrx, scope: UnitScope, filter: UserFilter, page: number) {
  let q = db.selectFrom('users').innerJoin('units', 'units.id', 'users.unit_id');
  if (scope.kind === 'units') q = q.where('users.unit_id', 'in', scope.unitIds.length ? scope.unitIds : [-1]);
  if (filter.q) {
    const text = filter.q;
    q = q.where((eb) => eb.or([containsText(eb.ref('users.username'), text), containsText(eb.ref('users.display_name'), text)]));
  }
  if (filter.role) q = q.where('users.role', '=', filter.role);
  if (filter.unitId) q = q.where('users.unit_id', '=', filter.unitId);
  if (filter.status === 'active') q = q.where('users.active', '=', 1);
  if (filter.status === 'inactive') q = q.where('users.active', '=', 0);
  const { total } = await q.select(({ fn }) => fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const rows = await q.select(listColumns).orderBy('units.code').orderBy('users.username')
    .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE).execute();
  return { total: Number(total), rows: rows.map(withCaseTypes) };
}

export async function usersOfUnit(db: DbOrTrx, unitId: number) {
  const rows = await db.selectFrom('users').innerJoin('units', 'units.id', 'users.unit_id').select(listColumns)
    .where('users.unit_id', '=', unitId).orderBy('users.active', 'desc').orderBy('users.username').execute();
  return rows.map(withCaseTypes);
}

export async function findUser(db: DbOrTrx, id: number) {
  const row = await db.selectFrom('users').innerJoin('units', 'units.id', 'users.unit_id')
    .select([...listColumns, 'users.must_change_password', 'users.failed_logins', 'users.created_at', 'users.updated_at', 'users.password_changed_at'])
    .where('users.id', '=', id).executeTakeFirst();
  return row ? withCaseTypes(row) : undefined;
}

export async function countActiveAdmins(db: DbOrTrx): Promise<number> {
  const row = await db.selectFrom('users').select(({ fn }) => fn.countAll<number>().as('n'))
    .where('role', '=', 'admin').where('active', '=', 1).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function allUsernames(db: DbOrTrx): Promise<Set<string>> {
  const rows = await db.selectFrom('users').select('username').execute();
  return new Set(rows.map((r) => r.username));
}

/** A user's case types, stored as a JSON array; unreadable text counts as none. */
export function caseTypesOf(json: string): CaseType[] {
  try {
    const parsed: unknown = JSON.parse(json);
    return Array.isArray(parsed) ? parsed.filter(isCaseType) : [];
  } catch {
    return [];
  }
}

function withCaseTypes<T extends { case_types: string }>(row: T): T & { caseTypeList: string[] } {
  return { ...row, caseTypeList: caseTypesOf(row.case_types) };
}
