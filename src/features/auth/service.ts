// Login with lockout after repeated failures, and password changes.
import { sql } from 'kysely';
import type { Ctx, Deps } from '../../context.ts';
import { nowIso } from '../../context.ts';
import { passwordProblems } from '../../domain/password-rules.ts';
import { ValidationError } from '../../web/app-error.ts';
import { destroyUserSessions } from '../../web/session-store.ts';
import { auditActor, recordAudit } from '../audit/record.ts';
import { hashPassword, verifyPassword } from './password-hash.ts';
import { findUserForLogin } from './queries.ts';

// Verified against when the username does not exist, so a wrong name costs the same time as a wrong password.
let dummyHash: Promise<string> | undefined;

export type LoginResult =
  | { ok: true; userId: number; mustChangePassword: boolean }
  | { ok: false; message: string };

const WRONG = '用户名或密码错误';

export async function attemptLogin(deps: Deps, usernameInput: string, password: string, ip: string | null): Promise<LoginResult> {
  const { db, clock, config } = deps;
  const username = usernameInput.trim().toLowerCase();
  if (username === '' || password === '') return { ok: false, message: '请输入用户名和密码' };
  // Nothing longer than any real account can have reaches a lookup, a hash or the audit log.
  if (username.length > 64 || password.length > 128) return { ok: false, message: WRONG };
  const user = await findUserForLogin(db, username);
  const now = clock.now();

  if (!user || !user.active) {
    await verifyPassword(password, await (dummyHash ??= hashPassword('not-a-real-password-0', config.passwordHashCost)));
    await recordAudit(db, clock, { id: null, name: username.slice(0, 64), ip }, {
      action: 'auth.login_failed', entityType: 'user', entityId: user?.id ?? null,
      summary: user ? `已停用的账户 ${username} 尝试登录` : `不存在的用户名 ${username} 尝试登录`,
    });
    return { ok: false, message: WRONG };
  }
  if (user.locked_until && user.locked_until > now.toISOString()) {
    return { ok: false, message: `该账户因多次登录失败已被锁定，请在 ${minutesUntil(now, user.locked_until)} 分钟后再试，或联系管理员解除锁定` };
  }
  const actor = { id: user.id, name: user.display_name, ip };
  if (!(await verifyPassword(password, user.password_hash))) {
    // Counted in the database (failed_logins + 1), so parallel attempts cannot all read the same old count.
    const { failures, lock } = await db.transaction().execute(async (trx) => {
      const row = await trx.updateTable('users').set({ failed_logins: sql<number>`failed_logins + 1` })
        .where('id', '=', user.id).returning('failed_logins').executeTakeFirstOrThrow();
      const count = row.failed_logins;
      const locking = count >= config.loginMaxFailures;
      await recordAudit(trx, clock, actor, { action: 'auth.login_failed', entityType: 'user', entityId: user.id, summary: `${user.username} 密码错误（第 ${count} 次）` });
      if (locking) {
        const lockedUntil = new Date(now.getTime() + config.loginLockMinutes * 60_000).toISOString();
        await trx.updateTable('users').set({ failed_logins: 0, locked_until: lockedUntil }).where('id', '=', user.id).execute();
        await recordAudit(trx, clock, actor, {
          action: 'auth.locked', entityType: 'user', entityId: user.id,
          summary: `${user.username} 连续 ${count} 次登录失败，账户锁定 ${config.loginLockMinutes} 分钟`,
        });
      }
      return { failures: count, lock: locking };
    });
    if (lock) return { ok: false, message: `连续 ${failures} 次密码错误，账户已锁定 ${config.loginLockMinutes} 分钟` };
    return { ok: false, message: WRONG };
  }
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ failed_logins: 0, locked_until: null, last_login_at: now.toISOString() }).where('id', '=', user.id).execute();
    await recordAudit(trx, clock, actor, { action: 'auth.login', entityType: 'user', entityId: user.id, summary: `${user.display_name}（${user.username}）登录` });
  });
  return { ok: true, userId: user.id, mustChangePassword: user.must_change_password === 1 };
}

function minutesUntil(now: Date, iso: string): number {
  return Math.max(1, Math.ceil((new Date(iso).getTime() - now.getTime()) / 60_000));
}

/** Other sessions of the user end (a changed password should lock out whoever knew the old one). */
export async function changeOwnPassword(ctx: Ctx, current: string, next: string, confirm: string, keepSessionId: string): Promise<void> {
  const { db, clock, actor } = ctx;
  const user = await db.selectFrom('users').select(['password_hash', 'username']).where('id', '=', actor.id).executeTakeFirstOrThrow();
  const problems: { field: string; message: string }[] = [];
  if (!(await verifyPassword(current, user.password_hash))) problems.push({ field: 'current', message: '当前密码不正确' });
  for (const m of passwordProblems(next, user.username)) problems.push({ field: 'next', message: m });
  if (next !== confirm) problems.push({ field: 'confirm', message: '两次输入的新密码不一致' });
  if (next !== '' && next === current) problems.push({ field: 'next', message: '新密码不能与当前密码相同' });
  if (problems.length > 0) throw new ValidationError(problems);
  const hash = await hashPassword(next, ctx.config.passwordHashCost);
  await db.transaction().execute(async (trx) => {
    const now = nowIso(clock);
    await trx.updateTable('users').set({ password_hash: hash, must_change_password: 0, password_changed_at: now, updated_at: now })
      .where('id', '=', actor.id).execute();
    await destroyUserSessions(trx, actor.id, keepSessionId);
    await recordAudit(trx, clock, auditActor(ctx), {
      action: 'auth.password_change', entityType: 'user', entityId: actor.id, summary: `${actor.displayName} 修改了自己的密码`,
    });
  });
}

