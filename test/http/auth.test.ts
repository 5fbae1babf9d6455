// Signing in and out: lockout, session lifetime, forced and voluntary password changes, deactivation,
// and the audit trail of all of it. One fresh database for the file (plus one for the rate limit).
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD, addUser, createTestApp, csrfFrom, loginAs, loginAsAdmin, rootUnitId, type TestApp,
} from '../support/app.ts';

const WRONG = '用户名或密码错误';
const PASSWORD = 'Passw0rd1';
const MINUTE = 60_000;

let t: TestApp;
let rootId: number;
beforeAll(async () => {
  t = await createTestApp({ LOGIN_MAX_FAILURES: '3', LOGIN_LOCK_MINUTES: '15', SESSION_IDLE_MINUTES: '30' });
  rootId = await rootUnitId(t.db);
});
afterAll(async () => { await t.close(); });

/** The `sid=...` pair the response sets, if any. */
function sidCookie(res: request.Response): string | undefined {
  return res.get('Set-Cookie')?.find((c) => c.startsWith('sid='))?.split(';')[0];
}

/** A fresh browser that opens the login page and submits the form. */
async function tryLogin(app: TestApp, username: string, password: string, extra: Record<string, string> = {}) {
  const agent = request.agent(app.app);
  const page = await agent.get('/login');
  const res = await agent.post('/login').type('form').send({ _csrf: csrfFrom(page.text), username, password, ...extra });
  return { agent, page, res };
}

async function user(username: string) {
  return t.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirstOrThrow();
}

async function auditActions(entityId: number): Promise<string[]> {
  const rows = await t.db.selectFrom('audit_log').select('action').where('entity_type', '=', 'user')
    .where('entity_id', '=', String(entityId)).orderBy('id').execute();
  return rows.map((r) => r.action);
}

async function sessionsOf(userId: number): Promise<number> {
  const rows = await t.db.selectFrom('sessions').select('sid').where('user_id', '=', userId).execute();
  return rows.length;
}

describe('login', () => {
  it('signs in with the right password and lands on the dashboard', async () => {
    await addUser(t.db, { username: 'zhang', role: 'reviewer', unitId: rootId, displayName: '张评查' });
    const { agent, res } = await tryLogin(t, 'zhang', PASSWORD);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/');
    const home = await agent.get('/');
    expect(home.status).toBe(200);
    expect(home.text).toContain('张评查');
    expect((await user('zhang')).last_login_at).not.toBeNull();
  });

  it('accepts the username in any letter case and with surrounding spaces', async () => {
    const { res } = await tryLogin(t, '  ZHANG ', PASSWORD);
    expect(res.status).toBe(302);
  });

  it('refuses a wrong password with the generic message and keeps the typed username', async () => {
    const { res } = await tryLogin(t, 'zhang', 'wrong-password-1');
    expect(res.status).toBe(401);
    expect(res.text).toContain(WRONG);
    expect(res.text).toContain('value="zhang"');
    expect(res.text).not.toContain('Passw0rd1');
  });

  it('gives an unknown username exactly the same message as a wrong password', async () => {
    const unknown = await tryLogin(t, 'nobody-here', PASSWORD);
    expect(unknown.res.status).toBe(401);
    expect(unknown.res.text).toContain(WRONG);
    expect(unknown.res.text).not.toContain('不存在');
  });

  it('asks for both fields when one is empty', async () => {
    const { res } = await tryLogin(t, 'zhang', '');
    expect(res.status).toBe(401);
    expect(res.text).toContain('请输入用户名和密码');
  });

  it('gives the signed-in user a new session id (a planted id is worth nothing)', async () => {
    const { page, res } = await tryLogin(t, 'zhang', PASSWORD);
    const before = sidCookie(page);
    const after = sidCookie(res);
    expect(before).toBeDefined();
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    // The pre-login id does not carry the login.
    const withOld = await request(t.app).get('/').set('Cookie', before!);
    expect(withOld.status).toBe(302);
    expect(withOld.headers.location).toMatch(/^\/login/);
    const withNew = await request(t.app).get('/').set('Cookie', after!);
    expect(withNew.status).toBe(200);
  });

  it('sends anonymous visitors to the login page, remembering where they were going', async () => {
    const res = await request(t.app).get('/users?role=reviewer');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/login?next=%2Fusers%3Frole%3Dreviewer');
    const page = await request(t.app).get(res.headers.location!);
    expect(page.text).toContain('name="next" value="/users?role&#x3D;reviewer"'); // escaped by the template
  });

  it('follows a local next path after login', async () => {
    const { res } = await tryLogin(t, 'zhang', PASSWORD, { next: '/account/password' });
    expect(res.headers.location).toBe('/account/password');
  });
});

describe('lockout', () => {
  it('locks the account after LOGIN_MAX_FAILURES wrong passwords, even against the right password', async () => {
    const id = await addUser(t.db, { username: 'lock1', role: 'reviewer', unitId: rootId });
    for (let i = 1; i <= 2; i++) {
      const { res } = await tryLogin(t, 'lock1', `Wrong${i}pass`);
      expect(res.status).toBe(401);
      expect(res.text).toContain(WRONG);
    }
    const third = await tryLogin(t, 'lock1', 'Wrong3pass');
    expect(third.res.status).toBe(401);
    expect(third.res.text).toContain('连续 3 次密码错误，账户已锁定 15 分钟');
    expect((await user('lock1')).locked_until).not.toBeNull();

    const right = await tryLogin(t, 'lock1', PASSWORD);
    expect(right.res.status).toBe(401);
    expect(right.res.text).toContain('该账户因多次登录失败已被锁定');
    expect(right.res.text).toContain('15 分钟后再试');
    expect((await right.agent.get('/')).status).toBe(302); // no signed-in session was handed out

    const actions = await auditActions(id);
    expect(actions.filter((a) => a === 'auth.login_failed')).toHaveLength(3);
    expect(actions).toContain('auth.locked');
    expect(actions).not.toContain('auth.login');
  });

  it('lets the user in again once the lock period has passed', async () => {
    t.clock.advance(14 * MINUTE);
    const early = await tryLogin(t, 'lock1', PASSWORD);
    expect(early.res.status).toBe(401);
    expect(early.res.text).toContain('1 分钟后再试');

    t.clock.advance(MINUTE + 1000);
    const later = await tryLogin(t, 'lock1', PASSWORD);
    expect(later.res.status).toBe(302);
    expect((await later.agent.get('/')).status).toBe(200);
    const row = await user('lock1');
    expect(row.locked_until).toBeNull();
    expect(row.failed_logins).toBe(0);
  });

  it('does not count failures from before a successful login', async () => {
    await addUser(t.db, { username: 'lock2', role: 'reviewer', unitId: rootId });
    await tryLogin(t, 'lock2', 'Wrong1pass');
    await tryLogin(t, 'lock2', 'Wrong2pass');
    expect((await tryLogin(t, 'lock2', PASSWORD)).res.status).toBe(302);
    const again = await tryLogin(t, 'lock2', 'Wrong3pass');
    expect(again.res.text).toContain(WRONG);
    expect((await user('lock2')).locked_until).toBeNull();
  });

  it('lets an administrator lift the lock at once', async () => {
    const id = await addUser(t.db, { username: 'lock3', role: 'reviewer', unitId: rootId, displayName: '锁定者' });
    for (let i = 1; i <= 3; i++) await tryLogin(t, 'lock3', `Wrong${i}pass`);
    expect((await tryLogin(t, 'lock3', PASSWORD)).res.status).toBe(401);

    const admin = await loginAsAdmin(t);
    const profile = await admin.agent.get(`/users/${id}`);
    expect(profile.text).toContain('已锁定');
    expect(profile.text).toContain('解除锁定');
    const unlock = await admin.agent.post(`/users/${id}/unlock`).type('form').send({ _csrf: admin.csrf });
    expect(unlock.status).toBe(302);
    expect(unlock.headers.location).toBe(`/users/${id}`);
    const after = await admin.agent.get(`/users/${id}`);
    expect(after.text).toContain('已解除登录锁定');
    expect(after.text).not.toContain('class="tag warn">已锁定');

    expect((await tryLogin(t, 'lock3', PASSWORD)).res.status).toBe(302);
    expect(await auditActions(id)).toContain('user.unlock');
  });

  it('does not let a department user or leader lift a lock', async () => {
    const id = await addUser(t.db, { username: 'lock4', role: 'reviewer', unitId: rootId });
    for (let i = 1; i <= 3; i++) await tryLogin(t, 'lock4', `Wrong${i}pass`);
    await addUser(t.db, { username: 'leader1', role: 'leader', unitId: rootId });
    const leader = await loginAs(t, 'leader1', PASSWORD);
    const res = await leader.agent.post(`/users/${id}/unlock`).type('form').send({ _csrf: leader.csrf });
    expect(res.status).toBe(403);
    expect((await user('lock4')).locked_until).not.toBeNull();
  });
});

describe('logout', () => {
  it('ends the session: the old cookie no longer opens any page', async () => {
    const id = await addUser(t.db, { username: 'leaver', role: 'reviewer', unitId: rootId });
    const { agent, res } = await tryLogin(t, 'leaver', PASSWORD);
    const cookie = sidCookie(res)!;
    const home = await agent.get('/');
    expect(home.status).toBe(200);
    expect(await sessionsOf(id)).toBe(1);

    const out = await agent.post('/logout').type('form').send({ _csrf: csrfFrom(home.text) });
    expect(out.status).toBe(302);
    expect(out.headers.location).toBe('/login');
    expect(await sessionsOf(id)).toBe(0);

    const replay = await request(t.app).get('/').set('Cookie', cookie);
    expect(replay.status).toBe(302);
    expect(replay.headers.location).toMatch(/^\/login/);
    expect(await auditActions(id)).toContain('auth.logout');
  });
});

describe('idle timeout', () => {
  it('keeps an active session alive and ends it after SESSION_IDLE_MINUTES without activity', async () => {
    await addUser(t.db, { username: 'idler', role: 'reviewer', unitId: rootId });
    const { agent } = await tryLogin(t, 'idler', PASSWORD);
    // Activity resets the timer: two gaps of 29 minutes are fine.
    t.clock.advance(29 * MINUTE);
    expect((await agent.get('/')).status).toBe(200);
    t.clock.advance(29 * MINUTE);
    expect((await agent.get('/')).status).toBe(200);

    t.clock.advance(31 * MINUTE);
    const res = await agent.get('/units');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/login?next=%2Funits');
    const login = await agent.get(res.headers.location!);
    expect(login.status).toBe(200);
    expect(login.text).toContain('超过 30 分钟未操作，已自动退出，请重新登录');
    // Shown once only.
    expect((await agent.get('/login')).text).not.toContain('已自动退出');
    expect((await agent.get('/')).status).toBe(302);
  });
});

describe('rate limit on POST /login', () => {
  let limited: TestApp;
  beforeAll(async () => { limited = await createTestApp({ LOGIN_RATE_LIMIT_PER_MINUTE: '3' }); });
  afterAll(async () => { await limited.close(); });

  it('answers 429 with a Chinese message after the per-minute limit, even for the right password', async () => {
    for (let i = 0; i < 3; i++) {
      const { res } = await tryLogin(limited, 'admin', 'Wrong-pass-1');
      expect(res.status).toBe(401);
    }
    const { res } = await tryLogin(limited, 'admin', ADMIN_PASSWORD);
    expect(res.status).toBe(429);
    expect(res.text).toContain('登录尝试过于频繁，请一分钟后再试');
    expect(res.text).toContain('value="admin"');
    // The login page itself stays available.
    expect((await request(limited.app).get('/login')).status).toBe(200);
  });
});

describe('forced password change', () => {
  let newId: number;
  let admin: Awaited<ReturnType<typeof loginAsAdmin>>;

  it('gives users created by an administrator a first-login password change', async () => {
    admin = await loginAsAdmin(t);
    const res = await admin.agent.post('/users').type('form').send({
      _csrf: admin.csrf, username: 'newbie', displayName: '新同事', role: 'reviewer', unitId: String(rootId),
      poolType: 'judicial', password: 'Start1234x',
    });
    expect(res.status).toBe(201);
    expect(res.text).toContain('Start1234x'); // shown once to the administrator
    const row = await user('newbie');
    newId = row.id;
    expect(row.must_change_password).toBe(1);
    expect(row.password_hash).not.toContain('Start1234x');
  });

  it('sends the new user to /account/password and nowhere else until the password is changed', async () => {
    const { agent, res } = await tryLogin(t, 'newbie', 'Start1234x');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/account/password');
    for (const path of ['/', '/units', '/users', `/users/${newId}`]) {
      const r = await agent.get(path);
      expect(r.status, path).toBe(302);
      expect(r.headers.location, path).toBe('/account/password');
    }
    const page = await agent.get('/account/password');
    expect(page.status).toBe(200);
    expect(page.text).toContain('请先设置新密码后再继续使用系统');
    const csrf = csrfFrom(page.text);
    const post = await agent.post('/units').type('form').send({ _csrf: csrf, code: 'X1', name: '某单位', kind: 'department', parentId: String(rootId) });
    expect(post.status).toBe(403);
    expect(post.text).toContain('请先修改初始密码');

    const change = await agent.post('/account/password').type('form')
      .send({ _csrf: csrf, current: 'Start1234x', next: 'Mine2026ok', confirm: 'Mine2026ok' });
    expect(change.status).toBe(302);
    expect(change.headers.location).toBe('/');
    const home = await agent.get('/');
    expect(home.status).toBe(200);
    expect(home.text).toContain('密码已修改');
    expect((await user('newbie')).must_change_password).toBe(0);

    expect((await tryLogin(t, 'newbie', 'Start1234x')).res.status).toBe(401);
    const fresh = await tryLogin(t, 'newbie', 'Mine2026ok');
    expect(fresh.res.headers.location).toBe('/');
  });

  it('forces a change again after an administrator resets the password', async () => {
    const reset = await admin.agent.post(`/users/${newId}/reset-password`).type('form').send({ _csrf: admin.csrf });
    expect(reset.status).toBe(200);
    const temporary = /class="mono secret">([^<]+)</.exec(reset.text)?.[1];
    expect(temporary).toBeDefined();
    expect((await tryLogin(t, 'newbie', 'Mine2026ok')).res.status).toBe(401);
    const { res } = await tryLogin(t, 'newbie', temporary!);
    expect(res.headers.location).toBe('/account/password');
  });
});

describe('changing one\'s own password', () => {
  const form = async (agent: request.Agent) => csrfFrom((await agent.get('/account/password')).text);

  it('rejects a weak or mistyped new password with field messages in Chinese and keeps the old one', async () => {
    await addUser(t.db, { username: 'wang', role: 'reviewer', unitId: rootId });
    const { agent } = await tryLogin(t, 'wang', PASSWORD);
    const csrf = await form(agent);
    const cases: [Record<string, string>, string][] = [
      [{ current: PASSWORD, next: 'Ab1', confirm: 'Ab1' }, '密码至少 8 位'],
      [{ current: PASSWORD, next: 'abcdefghij', confirm: 'abcdefghij' }, '密码须同时包含字母和数字'],
      [{ current: PASSWORD, next: 'Newpass123', confirm: 'Newpass124' }, '两次输入的新密码不一致'],
      [{ current: 'Not-my-pass1', next: 'Newpass123', confirm: 'Newpass123' }, '当前密码不正确'],
      [{ current: PASSWORD, next: 'wang12345', confirm: 'wang12345' }, '密码不能包含用户名'],
      [{ current: PASSWORD, next: PASSWORD, confirm: PASSWORD }, '新密码不能与当前密码相同'],
    ];
    for (const [fields, message] of cases) {
      const res = await agent.post('/account/password').type('form').send({ _csrf: csrf, ...fields });
      expect(res.status, message).toBe(422);
      expect(res.text, message).toContain(message);
    }
    expect((await tryLogin(t, 'wang', PASSWORD)).res.status).toBe(302);
  });

  it('ends the user\'s other sessions but keeps the one that made the change', async () => {
    const id = (await user('wang')).id;
    const here = await tryLogin(t, 'wang', PASSWORD);
    const elsewhere = await tryLogin(t, 'wang', PASSWORD);
    expect((await elsewhere.agent.get('/')).status).toBe(200);

    const res = await here.agent.post('/account/password').type('form')
      .send({ _csrf: await form(here.agent), current: PASSWORD, next: 'Changed2026', confirm: 'Changed2026' });
    expect(res.status).toBe(302);
    expect((await here.agent.get('/')).status).toBe(200);
    const other = await elsewhere.agent.get('/');
    expect(other.status).toBe(302);
    expect(other.headers.location).toMatch(/^\/login/);
    expect(await sessionsOf(id)).toBe(1);
    expect(await auditActions(id)).toContain('auth.password_change');
  });
});

describe('deactivated users', () => {
  it('end the user\'s open session at once and refuse later logins with the generic message', async () => {
    const id = await addUser(t.db, { username: 'gone', role: 'reviewer', unitId: rootId, displayName: '离职者' });
    const { agent } = await tryLogin(t, 'gone', PASSWORD);
    expect((await agent.get('/')).status).toBe(200);

    const admin = await loginAsAdmin(t);
    const res = await admin.agent.post(`/users/${id}/deactivate`).type('form').send({ _csrf: admin.csrf });
    expect(res.status).toBe(302);
    expect((await admin.agent.get(`/users/${id}`)).text).toContain('用户已停用，其登录会话已全部结束');
    expect((await user('gone')).active).toBe(0);

    const next = await agent.get('/');
    expect(next.status).toBe(302);
    expect(next.headers.location).toMatch(/^\/login/);
    const login = await tryLogin(t, 'gone', PASSWORD);
    expect(login.res.status).toBe(401);
    expect(login.res.text).toContain(WRONG);
    expect(await sessionsOf(id)).toBe(0);
  });
});

describe('audit log of sign-in events', () => {
  it('records login, failed login, lock, logout and password change, without any password', async () => {
    const rows = await t.db.selectFrom('audit_log').selectAll().execute();
    const actions = new Set(rows.map((r) => r.action));
    for (const action of ['auth.login', 'auth.login_failed', 'auth.locked', 'auth.logout', 'auth.password_change']) {
      expect(actions, action).toContain(action);
    }
    const unknown = rows.find((r) => r.action === 'auth.login_failed' && r.summary.includes('nobody-here'));
    expect(unknown?.entity_id).toBeNull();
    for (const secret of [PASSWORD, 'Start1234x', 'Mine2026ok', 'Changed2026', 'Wrong1pass', 'scrypt$']) {
      expect(JSON.stringify(rows)).not.toContain(secret);
    }

    const admin = await loginAsAdmin(t);
    const page = await admin.agent.get('/audit');
    expect(page.status).toBe(200);
    for (const label of ['登录', '登录失败', '账户锁定', '退出登录', '修改密码']) expect(page.text).toContain(label);
    const filtered = await admin.agent.get('/audit?action=auth.locked');
    expect(filtered.text).toContain('连续 3 次登录失败，账户锁定 15 分钟');
    expect(filtered.text).not.toContain('退出登录</td>');
  });
});
