// The one helper every state change uses to write the audit log: who, when, what, before → after.
import type { Clock } from '../../clock.ts';
import type { DbOrTrx } from '../../db/connection.ts';

export interface AuditActor {
  id: number | null;
  name: string;
  ip: string | null;
}

export const SYSTEM_ACTOR: AuditActor = { id: null, name: '系统', ip: null };

/** The signed-in user behind a request, as the log records them. */
export const auditActor = (ctx: { actor: { id: number; displayName: string }; ip: string | null }): AuditActor =>
  ({ id: ctx.actor.id, name: ctx.actor.displayName, ip: ctx.ip });

export interface AuditEntry {
  action: string; // e.g. 'unit.update'; labels in actions.ts
  entityType: string; // e.g. 'unit'
  entityId?: string | number | null;
  summary: string; // one Chinese sentence a person can read in the log
  before?: object | null;
  after?: object | null;
}

const SECRET_KEYS = new Set(['password', 'password_hash', 'passwordHash', 'data', 'token']);

/** Secrets never reach the log, whatever object a caller passes. */
function toJson(value: object | null | undefined): string | null {
  if (value === undefined || value === null) return null;
  return JSON.stringify(value, (key, v) => (SECRET_KEYS.has(key) ? undefined : v));
}

export async function recordAudit(db: DbOrTrx, clock: Clock, actor: AuditActor, entry: AuditEntry): Promise<void> {
  await db.insertInto('audit_log').values({
    at: clock.now().toISOString(),
    actor_id: actor.id,
    actor_name: actor.name,
    action: entry.action,
    entity_type: entry.entityType,
    entity_id: entry.entityId === undefined || entry.entityId === null ? null : String(entry.entityId),
    summary: entry.summary,
    before_json: toJson(entry.before),
    after_json: toJson(entry.after),
    ip: actor.ip,
  }).execute();
}

/** Only the fields that changed, so the log shows "before → after" and nothing else. */
export function changedFields<T extends object>(before: T, after: Partial<T>): { before: Partial<T>; after: Partial<T> } | null {
  const b: Partial<T> = {};
  const a: Partial<T> = {};
  for (const key of Object.keys(after) as (keyof T)[]) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      b[key] = before[key];
      a[key] = after[key];
    }
  }
  return Object.keys(a).length === 0 ? null : { before: b, after: a };
}
