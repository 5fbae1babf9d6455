// First start: a root bureau and the first administrator, so a new installation can be logged into.
import { randomBytes } from 'node:crypto';
import type { Deps } from './context.ts';
import { nowIso } from './context.ts';
import { recordAudit, SYSTEM_ACTOR } from './features/audit/record.ts';
import { hashPassword, randomPassword } from './features/auth/password-hash.ts';

export const FIRST_ADMIN_USERNAME = 'admin';

/** Returns the generated password when one was made (to be printed once), or null. */
export async function ensureFirstAdmin(deps: Deps): Promise<{ username: string; generatedPassword: string | null } | null> {
  const { db, clock, config } = deps;
  const anyUser = await db.selectFrom('users').select('id').limit(1).executeTakeFirst();
  if (anyUser) return null;
  const password = config.adminPassword ?? randomPassword(16);
  const hash = await hashPassword(password, config.passwordHashCost);
  await db.transaction().execute(async (trx) => {
    const now = nowIso(clock);
    let root = await trx.selectFrom('units').select('id').where('parent_id', 'is', null).where('kind', '=', 'bureau').orderBy('id').limit(1).executeTakeFirst();
    if (!root) {
      root = await trx.insertInto('units').values({
        code: 'ROOT', name: config.bureauName, kind: 'bureau', parent_id: null, active: 1, created_at: now, updated_at: now,
      }).returning('id').executeTakeFirstOrThrow();
    }
    const { id } = await trx.insertInto('users').values({
      username: FIRST_ADMIN_USERNAME, display_name: '系统管理员', password_hash: hash, role: 'admin', unit_id: root.id,
      pool_type: null, case_types: '[]', phone: null, active: 1,
      // A generated password was shown on a console: it must be replaced at first login.
      must_change_password: config.adminPassword ? 0 : 1, password_changed_at: now, created_at: now, updated_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    await recordAudit(trx, clock, SYSTEM_ACTOR, {
      action: 'system.bootstrap', entityType: 'user', entityId: id, summary: `系统初始化：创建顶级单位和首个管理员账户 ${FIRST_ADMIN_USERNAME}`,
    });
  });
  return { username: FIRST_ADMIN_USERNAME, generatedPassword: config.adminPassword ? null : password };
}

/** The session secret: from the environment, else generated once and kept in the database. */
export async function sessionSecret(deps: Deps): Promise<string> {
  if (deps.config.sessionSecret) return deps.config.sessionSecret;
  const row = await deps.db.selectFrom('app_settings').select('value').where('key', '=', 'session_secret').executeTakeFirst();
  if (row) return row.value;
  const secret = randomBytes(48).toString('base64url');
  await deps.db.insertInto('app_settings').values({ key: 'session_secret', value: secret })
    .onConflict((oc) => oc.column('key').doNothing()).execute();
  const stored = await deps.db.selectFrom('app_settings').select('value').where('key', '=', 'session_secret').executeTakeFirstOrThrow();
  return stored.value;
}
