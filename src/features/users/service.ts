// Creating, editing, (de)activating, resetting and importing users. Never a hard delete.
import type { Ctx } from '../../context.ts';
import type { DbOrTrx } from '../../db/connection.ts';
import { nowIso } from '../../context.ts';
import { passwordProblems } from '../../domain/password-rules.ts';
import type { ImportRow } from '../../domain/units.ts';
import { cleanUser, planUserImport, userFieldProblems, type UserFields } from '../../domain/users.ts';
import { ROLE_LABELS, type UnitKind } from '../../domain/vocabulary.ts';
import { conflict, notFound, ValidationError } from '../../web/app-error.ts';
import { destroyUserSessions } from '../../web/session-store.ts';
import { changedFields, recordAudit, auditActor } from '../audit/record.ts';
import { hashPassword, randomPassword } from '../auth/password-hash.ts';
import { allUnits, findUnit } from '../units/queries.ts';
import { allUsernames, countActiveAdmins, findUser } from './queries.ts';


export interface CreatedUser {
  id: number;
  username: string;
  displayName: string;
  password: string; // shown once to the administrator, never stored in clear
}

async function activeUnitKind(ctx: Ctx, unitId: number | null): Promise<UnitKind | null> {
  if (unitId === null) return null;
  const unit = await findUnit(ctx.db, unitId);
  return unit && unit.active === 1 ? (unit.kind as UnitKind) : null;
}

/** An empty password field means "generate one"; a typed one must follow the rules. */
export async function createUser(ctx: Ctx, input: UserFields, typedPassword: string): Promise<CreatedUser> {
  const problems = userFieldProblems(input, await activeUnitKind(ctx, input.unitId));
  const clean = problems.length === 0 ? cleanUser(input) : null;
  if (typedPassword !== '') {
    for (const m of passwordProblems(typedPassword, clean?.username)) problems.push({ field: 'password', message: m });
  }
  if (problems.length > 0 || !clean) throw new ValidationError(problems);
  const password = typedPassword || randomPassword();
  const hash = await hashPassword(password, ctx.config.passwordHashCost);
  return ctx.db.transaction().execute(async (trx) => {
    if ((await allUsernames(trx)).has(clean.username)) {
      throw new ValidationError([{ field: 'username', message: `用户名“${clean.username}”已被使用` }]);
    }
    const now = nowIso(ctx.clock);
    const values = {
      username: clean.username, display_name: clean.displayName, role: clean.role, unit_id: clean.unitId,
      pool_type: clean.poolType, case_types: JSON.stringify(clean.caseTypes), phone: clean.phone,
    };
    const { id } = await trx.insertInto('users').values({
      ...values, password_hash: hash, active: 1, must_change_password: 1, password_changed_at: now, created_at: now, updated_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    await recordAudit(trx, ctx.clock, auditActor(ctx), {
      action: 'user.create', entityType: 'user', entityId: id,
      summary: `新建用户 ${clean.displayName}（${clean.username}，${ROLE_LABELS[clean.role]}）`, after: values,
    });
    return { id, username: clean.username, displayName: clean.displayName, password };
  });
}

export async function updateUser(ctx: Ctx, id: number, input: UserFields): Promise<void> {
  // Every read that decides the change happens inside the transaction that writes it.
  await ctx.db.transaction().execute(async (trx) => {
    const current = await findUser(trx, id);
    if (!current) throw notFound('用户');
    // The username is the login name people know; it does not change once created.
    const fields = { ...input, username: current.username };
    const unit = input.unitId === null ? undefined : await findUnit(trx, input.unitId);
    const problems = userFieldProblems(fields, unit && unit.active === 1 ? (unit.kind as UnitKind) : null);
    if (id === ctx.actor.id && input.role !== current.role) problems.push({ field: 'role', message: '不能修改自己的角色' });
    if (problems.length > 0) throw new ValidationError(problems);
    const clean = cleanUser(fields);
    if (current.role === 'admin' && clean.role !== 'admin' && current.active === 1 && (await countActiveAdmins(trx)) <= 1) {
      throw new ValidationError([{ field: 'role', message: '系统中至少要保留一名启用的管理员' }]);
    }
    const next = {
      display_name: clean.displayName, role: clean.role, unit_id: clean.unitId, pool_type: clean.poolType,
      case_types: JSON.stringify(clean.caseTypes), phone: clean.phone,
    };
    const diff = changedFields(current, next);
    if (!diff) return;
    await trx.updateTable('users').set({ ...next, updated_at: nowIso(ctx.clock) }).where('id', '=', id).execute();
    // A new role or unit changes what the user may see: end their sessions so it applies at once.
    if (next.role !== current.role || next.unit_id !== current.unit_id) await destroyUserSessions(trx, id);
    await recordAudit(trx, ctx.clock, auditActor(ctx), {
      action: 'user.update', entityType: 'user', entityId: id, summary: `修改用户 ${clean.displayName}（${current.username}）`, ...diff,
    });
  });
}

export async function setUserActive(ctx: Ctx, id: number, active: boolean): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const current = await findUser(trx, id);
    if (!current) throw notFound('用户');
    if ((current.active === 1) === active) return;
    if (!active && id === ctx.actor.id) throw conflict('不能停用自己的账户');
    if (!active && current.role === 'admin' && (await countActiveAdmins(trx)) <= 1) throw conflict('系统中至少要保留一名启用的管理员');
    if (active) {
      const unit = await findUnit(trx, current.unit_id);
      if (unit?.active !== 1) throw conflict(`用户所在单位“${current.unit_name}”已停用，请先启用单位或调整用户的单位`);
    }
    await trx.updateTable('users').set({ active: active ? 1 : 0, updated_at: nowIso(ctx.clock) }).where('id', '=', id).execute();
    if (!active) await destroyUserSessions(trx, id);
    await recordAudit(trx, ctx.clock, auditActor(ctx), {
      action: active ? 'user.activate' : 'user.deactivate', entityType: 'user', entityId: id,
      summary: `${active ? '启用' : '停用'}用户 ${current.display_name}（${current.username}）`,
      before: { active: current.active }, after: { active: active ? 1 : 0 },
    });
  });
}

/** A new temporary password, shown once; the user must change it at the next login. */
export async function resetPassword(ctx: Ctx, id: number): Promise<CreatedUser> {
  const current = await findUser(ctx.db, id);
  if (!current) throw notFound('用户');
  const password = randomPassword();
  const hash = await hashPassword(password, ctx.config.passwordHashCost);
  await ctx.db.transaction().execute(async (trx) => {
    const now = nowIso(ctx.clock);
    await trx.updateTable('users').set({
      password_hash: hash, must_change_password: 1, failed_logins: 0, locked_until: null, password_changed_at: now, updated_at: now,
    }).where('id', '=', id).execute();
    await destroyUserSessions(trx, id);
    await recordAudit(trx, ctx.clock, auditActor(ctx), {
      action: 'user.reset_password', entityType: 'user', entityId: id, summary: `重置用户 ${current.display_name}（${current.username}）的密码`,
    });
  });
  return { id, username: current.username, displayName: current.display_name, password };
}

export async function unlockUser(ctx: Ctx, id: number): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const current = await findUser(trx, id);
    if (!current) throw notFound('用户');
    await trx.updateTable('users').set({ failed_logins: 0, locked_until: null }).where('id', '=', id).execute();
    await recordAudit(trx, ctx.clock, auditActor(ctx), {
      action: 'user.unlock', entityType: 'user', entityId: id, summary: `解除用户 ${current.display_name}（${current.username}）的登录锁定`,
      before: { locked_until: current.locked_until }, after: { locked_until: null },
    });
  });
}

/**
 * All or nothing. Rows are checked against the current units and usernames, passwords hashed outside the
 * transaction (hashing is slow on purpose), then everything is re-checked and written in one transaction.
 */
export async function importUsers(ctx: Ctx, rows: ImportRow[], fileName: string): Promise<CreatedUser[]> {
  const plan = async (db: DbOrTrx) => {
    const units = (await allUnits(db)).map((u) => ({ id: u.id, code: u.code, kind: u.kind, active: u.active }));
    const result = planUserImport(rows, units, await allUsernames(db));
    if (!result.ok) throw new ValidationError(result.problems, `导入失败：共 ${result.problems.length} 处问题，未导入任何数据`);
    return result.items;
  };
  const prepared = await Promise.all((await plan(ctx.db)).map(async (u) => {
    const password = u.password ?? randomPassword();
    return { ...u, password, generated: u.password === null, hash: await hashPassword(password, ctx.config.passwordHashCost) };
  }));
  return ctx.db.transaction().execute(async (trx) => {
    await plan(trx); // units or usernames may have changed while the passwords were hashed
    const now = nowIso(ctx.clock);
    const created: CreatedUser[] = [];
    for (const u of prepared) {
      const { id } = await trx.insertInto('users').values({
        username: u.username, display_name: u.displayName, role: u.role, unit_id: u.unitId, pool_type: u.poolType,
        case_types: JSON.stringify(u.caseTypes), phone: u.phone, password_hash: u.hash, active: 1, must_change_password: 1,
        password_changed_at: now, created_at: now, updated_at: now,
      }).returning('id').executeTakeFirstOrThrow();
      created.push({ id, username: u.username, displayName: u.displayName, password: u.generated ? u.password : '' });
    }
    await recordAudit(trx, ctx.clock, auditActor(ctx), {
      action: 'user.import', entityType: 'user', entityId: null, summary: `从文件“${fileName}”导入 ${created.length} 个用户`,
      after: { file: fileName, usernames: created.map((u) => u.username) },
    });
    return created;
  });
}
