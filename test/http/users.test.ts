// Users over HTTP: creating every role, one-time passwords, the rules of the form, editing, (de)activation,
// password resets that end sessions, and the filtered, paginated list.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/features/auth/password-hash.ts';
import { addUnit, ADMIN_PASSWORD, createTestApp, loginAs, loginAsAdmin, rootUnitId, type TestApp } from '../support/app.ts';

type Agent = Awaited<ReturnType<typeof loginAsAdmin>>['agent'];
type Fields = Record<string, string | number | null | string[]>;

let t: TestApp;
let agent: Agent;
let csrf: string;
let adminId: number;
let rootId: number;
let countyId: number;
let policeId: number;
let townId: number;
let closedId: number;

beforeAll(async () => {
  t = await createTestApp();
  ({ agent, csrf } = await loginAsAdmin(t));
  rootId = await rootUnitId(t.db);
  adminId = (await userRow('admin')).id;
  countyId = await addUnit(t.db, 'DA', '东安区司法局', 'bureau', rootId);
  policeId = await addUnit(t.db, 'DA-GA', '东安区公安分局', 'department', countyId);
  townId = await addUnit(t.db, 'DA-XL', '兴隆镇', 'town', countyId);
  closedId = await addUnit(t.db, 'DA-OLD', '已撤销的部门', 'department', countyId);
  await t.db.updateTable('units').set({ active: 0 }).where('id', '=', closedId).execute();
});
afterAll(async () => { await t.close(); });

/** A form body as a browser sends it: repeated fields for lists (caseTypes=a&caseTypes=b). */
function formBody(fields: Fields): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) {
    if (Array.isArray(value)) for (const v of value) params.append(key, v);
    else params.append(key, value === null ? '' : String(value));
  }
  return params.toString();
}

const post = (a: Agent, path: string, fields: Fields, token: string) =>
  a.post(path).type('form').send(formBody({ ...fields, _csrf: token }));

const userRow = (username: string) => t.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirstOrThrow();

async function countRows(table: 'users' | 'audit_log'): Promise<number> {
  const row = await t.db.selectFrom(table).select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The password shown on the one-time page. */
function shownPassword(html: string): string {
  const match = /<dd class="mono secret">([^<]+)<\/dd>/.exec(html);
  if (!match) throw new Error('no password on the page');
  return match[1]!;
}

async function flashAfter(res: { status: number; headers: Record<string, string> }): Promise<{ success: string[]; error: string[] }> {
  expect(res.status).toBe(302);
  const page = await agent.get(res.headers.location!);
  const pick = (type: string) => [...page.text.matchAll(new RegExp(`<div class="flash flash-${type}"[^>]*>([^<]*)</div>`, 'g'))].map((m) => m[1]!);
  return { success: pick('success'), error: pick('error') };
}

/** Usernames in the list's table, in order. */
function listedUsernames(html: string): string[] {
  const body = html.slice(html.indexOf('<tbody>'), html.indexOf('</tbody>'));
  return [...body.matchAll(/<td class="mono">([^<]+)<\/td>/g)].map((m) => m[1]!);
}

/** The page links of the pagination bar, with HTML entities decoded (handlebars writes = as &#x3D;). */
function pageLinks(html: string): string[] {
  const nav = /<nav class="pagination"[\s\S]*?<\/nav>/.exec(html)?.[0] ?? '';
  return [...nav.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&'));
}

/** Whether a session cookie still belongs to a signed-in user: a page behind the login answers 200. */
async function stillSignedIn(a: Agent): Promise<boolean> {
  const res = await a.get('/account/password');
  if (res.status === 200) return true;
  expect(res.status).toBe(302);
  expect(res.headers.location).toMatch(/^\/login/);
  return false;
}

const passwords: Record<string, string> = {};

describe('the only administrator', () => {
  it('cannot take away their own admin role', async () => {
    const res = await post(agent, `/users/${adminId}`, { displayName: '系统管理员', role: 'leader', unitId: rootId }, csrf);
    expect(res.status).toBe(422);
    expect(res.text).toContain('不能修改自己的角色');
    expect((await userRow('admin')).role).toBe('admin');
  });

  it('cannot deactivate themselves, and is not offered the button', async () => {
    const page = await agent.get(`/users/${adminId}`);
    expect(page.text).not.toContain(`/users/${adminId}/deactivate`);
    const audit = await countRows('audit_log');
    const { error } = await flashAfter(await post(agent, `/users/${adminId}/deactivate`, {}, csrf));
    expect(error).toEqual(['不能停用自己的账户']);
    expect((await userRow('admin')).active).toBe(1);
    expect(await countRows('audit_log')).toBe(audit);
  });
});

describe('creating users of every role', () => {
  it('creates an administrator with a generated password, shown once on a 201 page', async () => {
    const res = await post(agent, '/users', { username: ' Wang.Admin ', displayName: '王管理', role: 'admin', unitId: countyId, password: '' }, csrf);
    expect(res.status).toBe(201);
    expect(res.text).toContain('已创建用户 王管理');
    expect(res.text).toContain('<dd class="mono">wang.admin</dd>');
    expect(res.text).toContain('此密码只显示这一次');
    const password = shownPassword(res.text);
    expect(password).toMatch(/^(?=.*[A-Za-z])(?=.*\d)[A-Za-z0-9]{12}$/);
    passwords['wang.admin'] = password;

    const row = await userRow('wang.admin');
    expect(row).toMatchObject({ display_name: '王管理', role: 'admin', unit_id: countyId, pool_type: null, active: 1, must_change_password: 1 });
    expect(row.password_hash).toMatch(/^scrypt\$/);
    expect(row.password_hash).not.toContain(password);
  });

  it('creates a reviewer with a category, several case types and a phone number', async () => {
    const res = await post(agent, '/users', {
      username: 'li.reviewer', displayName: '李评查', role: 'reviewer', unitId: policeId, poolType: 'enforcement',
      caseTypes: ['penalty', 'license', 'penalty'], phone: '0453-1234567', password: '',
    }, csrf);
    expect(res.status).toBe(201);
    passwords['li.reviewer'] = shownPassword(res.text);
    const row = await userRow('li.reviewer');
    expect(row).toMatchObject({ role: 'reviewer', unit_id: policeId, pool_type: 'enforcement', phone: '0453-1234567' });
    expect(JSON.parse(row.case_types)).toEqual(['penalty', 'license']);

    const page = await agent.get(`/users/${row.id}`);
    expect(page.text).toContain('执法人员');
    expect(page.text).toContain('行政处罚、行政许可');
  });

  it('creates a department user; reviewer-only fields are dropped for other roles', async () => {
    const res = await post(agent, '/users', {
      username: 'zhao_ga', displayName: '赵部门', role: 'department', unitId: policeId, poolType: 'lawyer', caseTypes: ['penalty'], password: '',
    }, csrf);
    expect(res.status).toBe(201);
    passwords.zhao_ga = shownPassword(res.text);
    const row = await userRow('zhao_ga');
    expect(row).toMatchObject({ role: 'department', unit_id: policeId, pool_type: null, case_types: '[]' });
  });

  it('creates a leader with a typed password, shown once as typed', async () => {
    const res = await post(agent, '/users', { username: 'sun.leader', displayName: '孙领导', role: 'leader', unitId: rootId, password: 'Leader2026x' }, csrf);
    expect(res.status).toBe(201);
    expect(shownPassword(res.text)).toBe('Leader2026x');
    passwords['sun.leader'] = 'Leader2026x';
    expect(await userRow('sun.leader')).toMatchObject({ role: 'leader', unit_id: rootId, must_change_password: 1 });
  });

  it('does not show the password again anywhere', async () => {
    const row = await userRow('wang.admin');
    for (const page of [`/users/${row.id}`, '/users', `/users/${row.id}/edit`, '/audit']) {
      const res = await agent.get(page);
      expect(res.status, page).toBe(200);
      expect(res.text, page).not.toContain(passwords['wang.admin']!);
    }
  });

  it('the new user logs in with the generated password and must change it before anything else', async () => {
    const user = await loginAs(t, 'wang.admin', passwords['wang.admin']!);
    const home = await user.agent.get('/');
    expect(home.status).toBe(302);
    expect(home.headers.location).toBe('/account/password');
    const page = await user.agent.get('/account/password');
    expect(page.text).toContain('您正在使用初始密码或管理员重置的密码');
    const blocked = await post(user.agent, '/units', { code: 'X', name: '某单位', kind: 'bureau', parentId: rootId }, user.csrf);
    expect(blocked.status).toBe(403);
    expect(blocked.text).toContain('请先修改初始密码');

    const changed = await post(user.agent, '/account/password', { current: passwords['wang.admin']!, next: 'Wang2026new', confirm: 'Wang2026new' }, user.csrf);
    expect(changed.status).toBe(302);
    expect((await user.agent.get('/')).status).toBe(200);
    expect((await userRow('wang.admin')).must_change_password).toBe(0);
    passwords['wang.admin'] = 'Wang2026new';
  });

  it('a typed password works at login too', async () => {
    const res = await agent.get('/users'); // keeps the admin session in use
    expect(res.status).toBe(200);
    const leader = await loginAs(t, 'sun.leader', 'Leader2026x');
    expect((await leader.agent.get('/')).headers.location).toBe('/account/password');
  });
});

describe('invalid input gives 422 with Chinese messages and creates nothing', () => {
  const valid = (): Fields => ({ username: 'new.user', displayName: '新用户', role: 'reviewer', unitId: policeId, poolType: 'judicial', phone: '', password: '' });
  const cases: [string, () => Fields, string[]][] = [
    ['duplicate username (other case)', () => ({ ...valid(), username: 'LI.Reviewer' }), ['用户名“li.reviewer”已被使用']],
    ['empty username', () => ({ ...valid(), username: '  ' }), ['用户名不能为空']],
    ['username with Chinese characters', () => ({ ...valid(), username: '张三' }), ['用户名为 3–32 位小写字母、数字、下划线、点或短横线']],
    ['empty name', () => ({ ...valid(), displayName: '' }), ['姓名不能为空']],
    ['reviewer without a category', () => ({ ...valid(), poolType: '' }), ['评查员须选择类别（执法人员、司法行政人员、律师或其他）']],
    ['unknown category', () => ({ ...valid(), poolType: 'judge' }), ['评查员须选择类别']],
    ['unknown case type', () => ({ ...valid(), caseTypes: ['penalty', 'murder'] }), ['未知的案卷类型“murder”']],
    ['administrator in a department', () => ({ ...valid(), role: 'admin', unitId: policeId }), ['管理员只能属于司法局']],
    ['leader in a town', () => ({ ...valid(), role: 'leader', unitId: townId }), ['领导只能属于司法局']],
    ['unknown role', () => ({ ...valid(), role: 'superuser' }), ['请选择角色']],
    ['no unit', () => ({ ...valid(), unitId: '' }), ['请选择所属单位']],
    ['a deactivated unit', () => ({ ...valid(), unitId: closedId }), ['所属单位不存在或已停用']],
    ['a unit that does not exist', () => ({ ...valid(), unitId: 987654 }), ['所属单位不存在或已停用']],
    ['bad phone number', () => ({ ...valid(), phone: '请打办公室电话' }), ['联系电话格式不正确']],
    ['short password without digits', () => ({ ...valid(), password: 'abcdef' }), ['密码至少 8 位', '密码须同时包含字母和数字']],
    ['password without letters', () => ({ ...valid(), password: '12345678' }), ['密码须同时包含字母和数字']],
    ['password containing the username', () => ({ ...valid(), password: 'New.User2026' }), ['密码不能包含用户名']],
  ];

  for (const [label, fields, messages] of cases) {
    it(label, async () => {
      const users = await countRows('users');
      const audit = await countRows('audit_log');
      const input = fields();
      const res = await post(agent, '/users', input, csrf);
      expect(res.status).toBe(422);
      expect(res.text).toContain('<h1>新建用户</h1>');
      for (const message of messages) expect(res.text).toContain(message);
      // What was typed is kept, except the password, which is never sent back.
      if (typeof input.displayName === 'string' && input.displayName) expect(res.text).toContain(`value="${input.displayName}"`);
      if (typeof input.password === 'string' && input.password) expect(res.text).not.toContain(input.password);
      expect(await countRows('users')).toBe(users);
      expect(await countRows('audit_log')).toBe(audit);
    });
  }
});

describe('editing', () => {
  it('shows the username as fixed and keeps it even when another is posted', async () => {
    const row = await userRow('li.reviewer');
    const form = await agent.get(`/users/${row.id}/edit`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('用户名创建后不能修改');
    expect(form.text).not.toContain('name="username"');
    expect(form.text).toMatch(/<input type="checkbox" name="caseTypes" value="license" checked>/);

    const res = await post(agent, `/users/${row.id}`, {
      username: 'hacker', displayName: '李评查（已调整）', role: 'reviewer', unitId: policeId, poolType: 'judicial', caseTypes: ['inspection'], phone: '',
    }, csrf);
    expect((await flashAfter(res)).success).toEqual(['用户信息已保存']);
    const after = await userRow('li.reviewer');
    expect(after).toMatchObject({ id: row.id, display_name: '李评查（已调整）', pool_type: 'judicial', phone: null });
    expect(JSON.parse(after.case_types)).toEqual(['inspection']);
    expect(await t.db.selectFrom('users').select('id').where('username', '=', 'hacker').executeTakeFirst()).toBeUndefined();
  });

  it('a rejected edit re-renders the form with 422, the username, and changes nothing', async () => {
    const before = await userRow('zhao_ga');
    const res = await post(agent, `/users/${before.id}`, { username: 'x', displayName: '赵部门', role: 'admin', unitId: policeId, phone: '12' }, csrf);
    expect(res.status).toBe(422);
    expect(res.text).toContain('<h1>修改用户</h1>');
    expect(res.text).toContain('value="zhao_ga"');
    expect(res.text).toContain('管理员只能属于司法局');
    expect(res.text).toContain('联系电话格式不正确');
    expect(await userRow('zhao_ga')).toEqual(before);
  });

  it('moving a user to another unit ends their sessions, so the new scope applies at once', async () => {
    const user = await loginAs(t, 'zhao_ga', passwords.zhao_ga!);
    expect(await stillSignedIn(user.agent)).toBe(true);
    const row = await userRow('zhao_ga');
    const res = await post(agent, `/users/${row.id}`, { displayName: '赵部门', role: 'department', unitId: townId }, csrf);
    expect((await flashAfter(res)).success).toEqual(['用户信息已保存']);
    expect((await userRow('zhao_ga')).unit_id).toBe(townId);
    expect(await stillSignedIn(user.agent)).toBe(false);
  });

  it('one administrator may make another one a leader while an administrator remains', async () => {
    const row = await userRow('wang.admin');
    const res = await post(agent, `/users/${row.id}`, { displayName: '王管理', role: 'leader', unitId: countyId }, csrf);
    expect((await flashAfter(res)).success).toEqual(['用户信息已保存']);
    expect((await userRow('wang.admin')).role).toBe('leader');
    const audit = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'user.update').where('entity_id', '=', String(row.id)).executeTakeFirstOrThrow();
    expect(JSON.parse(audit.before_json!)).toEqual({ role: 'admin' });
    expect(JSON.parse(audit.after_json!)).toEqual({ role: 'leader' });
  });

  it('an unknown user is a 404 page', async () => {
    expect((await agent.get('/users/987654')).status).toBe(404);
    const res = await post(agent, '/users/987654', { displayName: '无', role: 'leader', unitId: rootId }, csrf);
    expect(res.status).toBe(404);
    expect(res.text).toContain('用户不存在或已被删除');
  });
});

describe('deactivating and activating', () => {
  it('deactivation ends the user’s sessions and blocks login; activation restores it', async () => {
    const leader = await loginAs(t, 'sun.leader', 'Leader2026x');
    const row = await userRow('sun.leader');
    const { success } = await flashAfter(await post(agent, `/users/${row.id}/deactivate`, {}, csrf));
    expect(success).toEqual(['用户已停用，其登录会话已全部结束']);
    expect((await userRow('sun.leader')).active).toBe(0);
    expect(await stillSignedIn(leader.agent)).toBe(false);
    const page = await agent.get(`/users/${row.id}`);
    expect(page.text).toContain('<span class="tag">已停用</span>');

    const login = await leader.agent.get('/login');
    const refused = await post(leader.agent, '/login', { username: 'sun.leader', password: 'Leader2026x' }, /name="_csrf" value="([^"]+)"/.exec(login.text)![1]!);
    expect(refused.status).toBe(401);
    expect(refused.text).toContain('用户名或密码错误');

    expect((await flashAfter(await post(agent, `/users/${row.id}/activate`, {}, csrf))).success).toEqual(['用户已启用']);
    expect((await userRow('sun.leader')).active).toBe(1);
    await loginAs(t, 'sun.leader', 'Leader2026x');

    const entries = await t.db.selectFrom('audit_log').select('action').where('entity_id', '=', String(row.id))
      .where('action', 'in', ['user.deactivate', 'user.activate']).orderBy('id').execute();
    expect(entries.map((e) => e.action)).toEqual(['user.deactivate', 'user.activate']);
  });

  it('a user of a deactivated unit cannot be activated', async () => {
    const unitId = await addUnit(t.db, 'DA-TMP', '临时部门', 'department', countyId);
    const created = await post(agent, '/users', { username: 'tmp.user', displayName: '临时用户', role: 'department', unitId, password: '' }, csrf);
    expect(created.status).toBe(201);
    const row = await userRow('tmp.user');
    await post(agent, `/users/${row.id}/deactivate`, {}, csrf);
    await post(agent, `/units/${unitId}/deactivate`, {}, csrf);
    const { error } = await flashAfter(await post(agent, `/users/${row.id}/activate`, {}, csrf));
    expect(error).toEqual(['用户所在单位“临时部门”已停用，请先启用单位或调整用户的单位']);
    expect((await userRow('tmp.user')).active).toBe(0);
  });
});

describe('resetting a password', () => {
  it('ends the user’s sessions, shows a new temporary password once, and forces a change', async () => {
    const row = await userRow('li.reviewer');
    const reviewer = await loginAs(t, 'li.reviewer', passwords['li.reviewer']!);
    await post(reviewer.agent, '/account/password', { current: passwords['li.reviewer']!, next: 'Li2026pass', confirm: 'Li2026pass' }, reviewer.csrf);
    expect((await userRow('li.reviewer')).must_change_password).toBe(0);
    expect(await stillSignedIn(reviewer.agent)).toBe(true);

    const res = await post(agent, `/users/${row.id}/reset-password`, {}, csrf);
    expect(res.status).toBe(200);
    expect(res.text).toContain('<h1>密码已重置</h1>');
    expect(res.text).toContain('已为 李评查（已调整） 重置密码，其原有登录会话已全部结束');
    expect(res.text).toContain('<dt>临时密码</dt>');
    const temporary = shownPassword(res.text);
    expect(temporary).not.toBe('Li2026pass');

    expect(await stillSignedIn(reviewer.agent)).toBe(false);
    const sessions = await t.db.selectFrom('sessions').select('sid').where('user_id', '=', row.id).execute();
    expect(sessions).toEqual([]);
    expect((await userRow('li.reviewer')).must_change_password).toBe(1);

    // The old password no longer works; the temporary one does, and must be changed first.
    await expect(loginAs(t, 'li.reviewer', 'Li2026pass')).rejects.toThrow(/401/);
    const again = await loginAs(t, 'li.reviewer', temporary);
    expect((await again.agent.get('/')).headers.location).toBe('/account/password');
    expect((await agent.get(`/users/${row.id}`)).text).not.toContain(temporary);
  });

  it('is refused without the CSRF token and leaves the password alone', async () => {
    const row = await userRow('sun.leader');
    const res = await agent.post(`/users/${row.id}/reset-password`).type('form').send('');
    expect(res.status).toBe(403);
    expect((await userRow('sun.leader')).password_hash).toBe(row.password_hash);
  });
});

describe('the list', () => {
  beforeAll(async () => {
    // 55 more reviewers in the county bureau, two of them deactivated.
    const hash = await hashPassword('Passw0rd1', 10);
    const now = new Date().toISOString();
    for (let i = 1; i <= 55; i++) {
      const n = String(i).padStart(2, '0');
      await t.db.insertInto('users').values({
        username: `pc${n}`, display_name: `评查员${n}`, role: 'reviewer', unit_id: countyId, password_hash: hash, pool_type: 'lawyer',
        case_types: '[]', phone: null, active: i > 53 ? 0 : 1, must_change_password: 0, password_changed_at: now, created_at: now, updated_at: now,
      }).execute();
    }
  });

  const list = async (query: string) => {
    const res = await agent.get(`/users${query}`);
    expect(res.status).toBe(200);
    return res;
  };

  it('shows 50 a page, with the total and a link to the next page', async () => {
    const total = await countRows('users');
    expect(total).toBeGreaterThan(50);
    const first = await list('');
    expect(listedUsernames(first.text)).toHaveLength(50);
    expect(first.text).toContain(`第 1 / 2 页，共 ${total} 条`);
    expect(pageLinks(first.text)).toEqual(['?page=2']);
    const second = await list('?page=2');
    expect(listedUsernames(second.text)).toHaveLength(total - 50);
    expect(pageLinks(second.text)).toEqual(['?page=1']);
    // Together the two pages show everyone once.
    const all = new Set([...listedUsernames(first.text), ...listedUsernames(second.text)]);
    expect(all.size).toBe(total);
    // A page past the end is empty, not an error; nonsense is page 1.
    expect((await list('?page=99')).text).toContain('没有符合条件的用户');
    expect(listedUsernames((await list('?page=abc')).text)).toEqual(listedUsernames(first.text));
  });

  it('filters by role, keeping the filter in the page links', async () => {
    const leaders = await list('?role=leader');
    expect(listedUsernames(leaders.text).sort()).toEqual(['sun.leader', 'wang.admin']);
    const reviewers = await list('?role=reviewer');
    expect(reviewers.text).toContain('第 1 / 2 页，共 56 条');
    expect(pageLinks(reviewers.text)).toEqual(['?role=reviewer&page=2']);
    const page2 = await list('?role=reviewer&page=2');
    expect(listedUsernames(page2.text)).toHaveLength(6);
    // An unknown role is ignored rather than matching nothing.
    expect(listedUsernames((await list('?role=superuser')).text)).toHaveLength(50);
  });

  it('filters by unit', async () => {
    expect(listedUsernames((await list(`?unitId=${policeId}`)).text)).toEqual(['li.reviewer']);
    expect(listedUsernames((await list(`?unitId=${townId}`)).text)).toEqual(['zhao_ga']);
  });

  it('filters by status', async () => {
    expect(listedUsernames((await list('?status=inactive')).text).sort()).toEqual(['pc54', 'pc55', 'tmp.user']);
    const active = listedUsernames((await list('?status=active&role=reviewer&page=2')).text);
    expect(active).not.toContain('pc54');
    expect((await list('?status=active&role=reviewer')).text).toContain('共 54 条');
  });

  it('searches names and usernames, taking % and _ literally', async () => {
    expect(listedUsernames((await list(`?q=${encodeURIComponent('孙')}`)).text)).toEqual(['sun.leader']);
    expect(listedUsernames((await list('?q=LEADER')).text)).toEqual(['sun.leader']);
    expect(listedUsernames((await list(`?q=${encodeURIComponent('评查员0')}&status=active`)).text)).toHaveLength(9);
    expect(listedUsernames((await list('?q=zhao_')).text)).toEqual(['zhao_ga']);
    expect(listedUsernames((await list('?q=pc_1')).text)).toEqual([]);
    expect((await list('?q=%25')).text).toContain('没有符合条件的用户');
  });

  it('combines filters', async () => {
    const res = await list(`?q=pc5&role=reviewer&unitId=${countyId}&status=active`);
    expect(listedUsernames(res.text)).toEqual(['pc50', 'pc51', 'pc52', 'pc53']);
    expect(res.text).toContain('共 4 条');
  });
});

describe('the admin password is never exposed', () => {
  it('is not in the pages an administrator sees', async () => {
    for (const page of ['/users', `/users/${adminId}`, '/audit']) {
      expect((await agent.get(page)).text).not.toContain(ADMIN_PASSWORD);
    }
  });
});
