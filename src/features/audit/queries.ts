import type { DbOrTrx } from '../../db/connection.ts';
import { containsText } from '../../db/contains.ts';

export interface AuditFilter {
  actor?: string;
  action?: string;
  entityType?: string;
  entityId?: string;
  fromIso?: string; // inclusive, UTC
  toIso?: string; // exclusive, UTC
}

export const AUDIT_PAGE_SIZE = 50;

export async function searchAudit(db: DbOrTrx, filter: AuditFilter, page: number) {
  let q = db.selectFrom('audit_log');
  const actor = filter.actor;
  if (actor) q = q.where(({ ref }) => containsText(ref('actor_name'), actor));
  if (filter.action) q = q.where('action', '=', filter.action);
  if (filter.entityType) q = q.where('entity_type', '=', filter.entityType);
  if (filter.entityId) q = q.where('entity_id', '=', filter.entityId);
  if (filter.fromIso) q = q.where('at', '>=', filter.fromIso);
  if (filter.toIso) q = q.where('at', '<', filter.toIso);
  const { total } = await q.select(({ fn }) => fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const rows = await q.selectAll().orderBy('id', 'desc').limit(AUDIT_PAGE_SIZE).offset((page - 1) * AUDIT_PAGE_SIZE).execute();
  return { total: Number(total), rows };
}
