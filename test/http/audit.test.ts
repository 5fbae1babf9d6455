// The audit log over HTTP: every change shows who did it, a Chinese action label and before → after;
// the filters (action, entity, actor, Shanghai dates) narrow the list; pages; and no secret ever reaches it.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, createTestApp, loginAs, loginAsAdmin, rootUnitId, type TestApp } from '../support/app.ts';

type Agent = Awaited<ReturnType<typeof loginAsAdmin>>['agent'];
type Fields = Record<string, string | number | string[]>;

let t: TestApp;
let agent: Agent;
let csrf: string;
let rootId: number;

beforeAll(async () => {
  t = await createTestApp();
  ({ agent, csrf } = await loginAsAdmin(t));
  rootId = await rootUnitId(t.db);
});
afterAll(async () => { await t.close(); });

function formBody(fields: Fields): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) {
    if (Array.isArray(value)) for (const v of value) params.append(key, v);
    else params.append(key, String(value));
  }
  return params.toString();
}

const post = (path: string, fields: Fields, a: Agent = agent, token: string = csrf) =>
  a.post(path).type('form').send(formBody({ ...fields, _csrf: token }));

const upload = (path: string, text: string, fileName: string) =>
  agent.post(path).field('_csrf', csrf).attach('file', Buffer.from(text, 'utf8'), fileName);

const idFrom = (location: string | undefined): number => Number(/\/(\d+)$/.exec(location ?? '')![1]);

const decode = (s: string): string => s.replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"')
  .replace(/&#x27;/g, "'").replace(/&#x3D;/g, '=').replace(/&#x60;/g, '`').replace(/&amp;/g, '&').trim();

interface Entry {
  time: string;
  actor: string;
  action: string;
  entity: string;
  summary: string;
  changes: { field: string; before: string; after: string }[];
  ip: string;
}

/** The rows of the audit table as a person reads them. */
function entries(html: string): Entry[] {
  const body = html.slice(html.indexOf('<tbody>'), html.indexOf('</tbody>'));
  return body.split('<tr>').slice(1).map((row) => [...row.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) => m[1]!))
    .filter((cells) => cells.length === 7)
    .map(([time, actor, action, entity, summary, changes, ip]) => ({
      time: decode(time!), actor: decode(actor!), action: decode(action!), entity: decode(entity!), summary: decode(summary!),
      changes: [...changes!.matchAll(/<li><span class="field">([\s\S]*?)<\/span>：<del>([\s\S]*?)<\/del> → <ins>([\s\S]*?)<\/ins><\/li>/g)]
        .map((m) => ({ field: decode(m[1]!), before: decode(m[2]!), after: decode(m[3]!) })),
      ip: decode(ip!),
    }));
}

async function auditPage(query = ''): Promise<{ text: string; rows: Entry[] }> {
  const res = await agent.get(`/audit${query}`);
  expect(res.status).toBe(200);
  return { text: res.text, rows: entries(res.text) };
}

const find = (rows: Entry[], action: string, summary: string): Entry => {
  const found = rows.find((r) => r.action === action && r.summary.includes(summary));
  if (!found) throw new Error(`no “${action}” entry about “${summary}” in:\n${rows.map((r) => `${r.action} ${r.summary}`).join('\n')}`);
  return found;
};

async function auditCount(where: { action?: string } = {}): Promise<number> {
  let q = t.db.selectFrom('audit_log').select(({ fn }) => fn.countAll<number>().as('n'));
  if (where.action) q = q.where('action', '=', where.action);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

// Passwords that pass through the system in this file; none may ever be in the log.
const secrets: string[] = [ADMIN_PASSWORD, 'Typed2026pw', 'Import2026pw', 'Changed2026pw'];
let countyId: number;
let policeId: number;
let townId: number;
let reviewerId: number;

describe('every change is in the log', () => {
  beforeAll(async () => {
    // Units: create, rename, move, deactivate, activate, import.
    countyId = idFrom((await post('/units', { code: 'DA', name: '东安区司法局', kind: 'bureau', parentId: rootId })).headers.location);
    policeId = idFrom((await post('/units', { code: 'DA-GA', name: '东安区公安分局', kind: 'department', parentId: countyId })).headers.location);
    townId = idFrom((await post('/units', { code: 'DA-XL', name: '兴隆镇', kind: 'town', parentId: rootId })).headers.location);
    expect((await post(`/units/${policeId}`, { code: 'DA-GA', name: '东安区公安局', kind: 'department', parentId: countyId })).status).toBe(302);
    expect((await post(`/units/${townId}`, { code: 'DA-XL', name: '兴隆镇', kind: 'town', parentId: countyId })).status).toBe(302);
    expect((await post(`/units/${townId}/deactivate`, {})).status).toBe(302);
    expect((await post(`/units/${townId}/activate`, {})).status).toBe(302);
    expect((await upload('/units/import', '单位编码,单位名称,单位类型,上级单位编码\nDA-SJ,东安区市场监管局,执法部门,DA\n', '东安单位.csv')).status).toBe(302);

    // Users: create (typed password), edit, reset, deactivate, activate, import.
    const created = await post('/users', {
      username: 'li.reviewer', displayName: '李评查', role: 'reviewer', unitId: policeId, poolType: 'enforcement', caseTypes: ['penalty'], password: 'Typed2026pw',
    });
    expect(created.status).toBe(201);
    reviewerId = (await t.db.selectFrom('users').select('id').where('username', '=', 'li.reviewer').executeTakeFirstOrThrow()).id;
    expect((await post(`/users/${reviewerId}`, {
      displayName: '李评查', role: 'reviewer', unitId: policeId, poolType: 'lawyer', caseTypes: ['penalty', 'license'], phone: '13800000000',
    })).status).toBe(302);
    const reset = await post(`/users/${reviewerId}/reset-password`, {});
    secrets.push(/<dd class="mono secret">([^<]+)<\/dd>/.exec(reset.text)![1]!);
    expect((await post(`/users/${reviewerId}/deactivate`, {})).status).toBe(302);
    expect((await post(`/users/${reviewerId}/activate`, {})).status).toBe(302);
    const imported = await upload('/users/import', '用户名,姓名,角色,所属单位编码,评查员类别,初始密码\nga.zhang,张警官,部门用户,DA-GA,,Import2026pw\nga.wang,王警官,部门用户,DA-GA,,\n', '用户.csv');
    expect(imported.status).toBe(201);
    secrets.push(...[...imported.text.matchAll(/<td class="mono secret">([A-Za-z0-9]{12})<\/td>/g)].map((m) => m[1]!));

    // The imported user signs in and sets their own password.
    const zhang = await loginAs(t, 'ga.zhang', 'Import2026pw');
    expect((await post('/account/password', { current: 'Import2026pw', next: 'Changed2026pw', confirm: 'Changed2026pw' }, zhang.agent, zhang.csrf)).status).toBe(302);
  });

  it('unit changes: actor, Chinese label and before → after', async () => {
    const { rows } = await auditPage('?entityType=unit');
    const create = find(rows, '新建单位', '东安区司法局');
    expect(create.actor).toBe('系统管理员');
    expect(create.entity).toBe(`单位 #${countyId}`);
    expect(create.summary).toBe('新建单位“东安区司法局”（DA，司法局）');
    expect(create.changes).toContainEqual({ field: '单位名称', before: '', after: '东安区司法局' });
    expect(create.ip).not.toBe('');

    const rename = find(rows, '修改单位', '东安区公安局');
    expect(rename.actor).toBe('系统管理员');
    expect(rename.changes).toEqual([{ field: '单位名称', before: '东安区公安分局', after: '东安区公安局' }]);

    const move = find(rows, '修改单位', '兴隆镇');
    expect(move.changes).toEqual([{ field: '上级单位', before: '市司法局', after: '东安区司法局' }]);

    expect(find(rows, '停用单位', '兴隆镇').changes).toEqual([{ field: '状态', before: '启用', after: '停用' }]);
    expect(find(rows, '启用单位', '兴隆镇').changes).toEqual([{ field: '状态', before: '停用', after: '启用' }]);
    const imported = find(rows, '导入单位', '东安单位.csv');
    expect(imported.summary).toBe('从文件“东安单位.csv”导入 1 个单位');
    expect(imported.changes).toContainEqual({ field: '单位编码', before: '', after: 'DA-SJ' });
  });

  it('user changes: actor, Chinese label and before → after', async () => {
    const { rows } = await auditPage('?entityType=user');
    const create = find(rows, '新建用户', '李评查');
    expect(create.actor).toBe('系统管理员');
    expect(create.entity).toBe(`用户 #${reviewerId}`);
    expect(create.changes).toContainEqual({ field: '角色', before: '', after: '评查员' });
    expect(create.changes).toContainEqual({ field: '评查员类别', before: '', after: '执法人员' });

    const edit = find(rows, '修改用户', '李评查');
    expect(edit.changes).toContainEqual({ field: '评查员类别', before: '执法人员', after: '律师' });
    expect(edit.changes).toContainEqual({ field: '可评案卷类型', before: '行政处罚', after: '行政处罚、行政许可' });
    expect(edit.changes).toContainEqual({ field: '联系电话', before: '（空）', after: '13800000000' });

    expect(find(rows, '重置密码', '李评查').summary).toBe('重置用户 李评查（li.reviewer）的密码');
    expect(find(rows, '停用用户', '李评查').changes).toEqual([{ field: '状态', before: '启用', after: '停用' }]);
    expect(find(rows, '启用用户', '李评查').changes).toEqual([{ field: '状态', before: '停用', after: '启用' }]);
    expect(find(rows, '导入用户', '用户.csv').summary).toBe('从文件“用户.csv”导入 2 个用户');

    // What users do themselves is theirs.
    expect(find(rows, '登录', '张警官').actor).toBe('张警官');
    expect(find(rows, '修改密码', '张警官').actor).toBe('张警官');
  });

  it('the newest entry comes first, with its Shanghai time', async () => {
    const { rows } = await auditPage();
    expect(rows[0]!.action).toBe('修改密码');
    const last = await t.db.selectFrom('audit_log').select('at').orderBy('id', 'desc').executeTakeFirstOrThrow();
    const shanghai = new Date(Date.parse(last.at) + 8 * 3_600_000).toISOString();
    expect(rows[0]!.time).toBe(`${shanghai.slice(0, 10)} ${shanghai.slice(11, 16)}`);
  });

  it('a failed change leaves no entry', async () => {
    const before = await auditCount();
    expect((await post('/units', { code: 'da', name: '重复', kind: 'bureau', parentId: rootId })).status).toBe(422);
    expect((await post('/users', { username: 'li.reviewer', displayName: '重名', role: 'leader', unitId: rootId, password: '' })).status).toBe(422);
    expect((await upload('/units/import', '单位编码,单位名称,单位类型,上级单位编码\nX1,某局,部委,DA\n', 'bad.csv')).status).toBe(422);
    expect(await auditCount()).toBe(before);
  });
});

describe('filters', () => {
  it('by action', async () => {
    const { rows, text } = await auditPage('?action=unit.update');
    expect(rows.length).toBe(await auditCount({ action: 'unit.update' }));
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((r) => r.action))).toEqual(new Set(['修改单位']));
    expect(text).toContain('<option value="unit.update" selected>修改单位</option>');
  });

  it('by entity type and id', async () => {
    const { rows } = await auditPage(`?entityType=unit&entityId=${townId}`);
    expect(rows.map((r) => r.action)).toEqual(['启用单位', '停用单位', '修改单位', '新建单位']);
    expect(new Set(rows.map((r) => r.entity))).toEqual(new Set([`单位 #${townId}`]));
    const users = await auditPage('?entityType=user');
    expect(users.rows.every((r) => r.entity.startsWith('用户'))).toBe(true);
    expect(users.rows.some((r) => r.action === '新建单位')).toBe(false);
  });

  it('by actor, taking % and _ literally', async () => {
    // A failed login records the name that was typed.
    const stranger = request.agent(t.app);
    const login = await stranger.get('/login');
    const token = /name="_csrf" value="([^"]+)"/.exec(login.text)![1]!;
    expect((await stranger.post('/login').type('form').send({ _csrf: token, username: 'no_such_user', password: 'whatever1' })).status).toBe(401);

    const zhang = await auditPage(`?actor=${encodeURIComponent('张')}`);
    expect(zhang.rows.length).toBeGreaterThan(0);
    expect(new Set(zhang.rows.map((r) => r.actor))).toEqual(new Set(['张警官']));
    expect((await auditPage(`?actor=${encodeURIComponent('张')}&action=auth.password_change`)).rows).toHaveLength(1);

    expect((await auditPage('?actor=no_such')).rows.map((r) => r.actor)).toEqual(['no_such_user']);
    expect((await auditPage('?actor=no%25such')).rows).toEqual([]);
    expect((await auditPage('?actor=n_such')).rows).toEqual([]);
  });

  it('ignores values that are not on the form', async () => {
    const all = await auditPage();
    const odd = await auditPage('?action=drop.tables&entityType=planet&entityId=abc&from=yesterday&to=2025-13-45');
    expect(odd.rows.length).toBe(all.rows.length);
  });
});

describe('date range (Asia/Shanghai days)', () => {
  let unitId: number;

  /** Renames the unit at a given instant, as an administrator signed in at that time. */
  async function renameAt(iso: string, name: string): Promise<void> {
    t.clock.set(iso);
    const admin = await loginAsAdmin(t);
    const res = await post(`/units/${unitId}`, { code: 'DATE-1', name, kind: 'department', parentId: countyId }, admin.agent, admin.csrf);
    expect(res.status).toBe(302);
  }

  beforeAll(async () => {
    unitId = idFrom((await post('/units', { code: 'DATE-1', name: '日期测试局', kind: 'department', parentId: countyId })).headers.location);
    await renameAt('2025-03-01T02:00:00.000Z', '三月一日的名字'); // 3月1日 10:00 in Shanghai
    await renameAt('2025-03-02T17:30:00.000Z', '三月三日凌晨的名字'); // 3月3日 01:30 in Shanghai, still 3月2日 in UTC
    await renameAt('2025-03-05T15:59:00.000Z', '三月五日深夜的名字'); // 3月5日 23:59 in Shanghai
    t.clock.set(new Date());
    ({ agent, csrf } = await loginAsAdmin(t));
  });

  const renames = async (range: string) =>
    (await auditPage(`?action=unit.update&entityType=unit&entityId=${unitId}${range}`)).rows.map((r) => r.changes[0]!.after);

  it('a single day', async () => {
    expect(await renames('&from=2025-03-01&to=2025-03-01')).toEqual(['三月一日的名字']);
    expect(await renames('&from=2025-03-02&to=2025-03-02')).toEqual([]);
    expect(await renames('&from=2025-03-03&to=2025-03-03')).toEqual(['三月三日凌晨的名字']);
    expect(await renames('&from=2025-03-05&to=2025-03-05')).toEqual(['三月五日深夜的名字']);
  });

  it('open and closed ranges', async () => {
    expect(await renames('&from=2025-03-01&to=2025-03-03')).toEqual(['三月三日凌晨的名字', '三月一日的名字']);
    expect(await renames('&to=2025-03-04')).toEqual(['三月三日凌晨的名字', '三月一日的名字']);
    expect(await renames('&from=2025-03-04')).toEqual(['三月五日深夜的名字']);
    expect(await renames('&from=2025-03-06')).toEqual([]);
    expect(await renames('')).toEqual(['三月五日深夜的名字', '三月三日凌晨的名字', '三月一日的名字']);
  });

  it('shows the times in Shanghai time and keeps the dates in the form', async () => {
    const { rows, text } = await auditPage(`?entityId=${unitId}&entityType=unit&from=2025-03-03&to=2025-03-03`);
    expect(rows.find((r) => r.action === '修改单位')!.time).toBe('2025-03-03 01:30');
    expect(text).toContain('name="from" value="2025-03-03"');
    expect(text).toContain('name="to" value="2025-03-03"');
  });

  it('combines with the other filters', async () => {
    const logins = await auditPage('?action=auth.login&from=2025-03-01&to=2025-03-05');
    expect(logins.rows.map((r) => r.time.slice(0, 10))).toEqual(['2025-03-05', '2025-03-03', '2025-03-01']);
  });
});

describe('pagination', () => {
  let unitId: number;
  beforeAll(async () => {
    unitId = idFrom((await post('/units', { code: 'MANY', name: '改名 0 次', kind: 'department', parentId: countyId })).headers.location);
    for (let i = 1; i <= 55; i++) {
      expect((await post(`/units/${unitId}`, { code: 'MANY', name: `改名 ${i} 次`, kind: 'department', parentId: countyId })).status).toBe(302);
    }
  });

  const links = (html: string) => [...(/<nav class="pagination"[\s\S]*?<\/nav>/.exec(html)?.[0] ?? '').matchAll(/href="([^"]*)"/g)]
    .map((m) => m[1]!.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&'));

  it('shows 50 a page, newest first, with filters kept in the links', async () => {
    const first = await auditPage(`?entityType=unit&entityId=${unitId}`);
    expect(first.rows).toHaveLength(50);
    expect(first.rows[0]!.changes).toEqual([{ field: '单位名称', before: '改名 54 次', after: '改名 55 次' }]);
    expect(first.text).toContain('第 1 / 2 页，共 56 条');
    expect(links(first.text)).toEqual([`?entityType=unit&entityId=${unitId}&page=2`]);

    const second = await auditPage(`?entityType=unit&entityId=${unitId}&page=2`);
    expect(second.rows).toHaveLength(6);
    expect(second.rows.at(-1)!.action).toBe('新建单位');
    expect(links(second.text)).toEqual([`?entityType=unit&entityId=${unitId}&page=1`]);
  });

  it('the whole log pages too', async () => {
    const total = await auditCount();
    const pages = Math.ceil(total / 50);
    const last = await auditPage(`?page=${pages}`);
    expect(last.rows).toHaveLength(total - 50 * (pages - 1));
    const oldest = await t.db.selectFrom('audit_log').select('summary').orderBy('id').executeTakeFirstOrThrow();
    expect(last.rows.at(-1)!.summary).toBe(oldest.summary);
    expect(last.text).toContain(`第 ${pages} / ${pages} 页，共 ${total} 条`);
  });
});

describe('secrets never reach the log', () => {
  it('no password hash and no plain password in any column', async () => {
    expect(secrets.length).toBeGreaterThanOrEqual(6);
    const rows = await t.db.selectFrom('audit_log').selectAll().execute();
    expect(rows.length).toBeGreaterThan(80);
    const text = rows.map((r) => [r.actor_name, r.summary, r.before_json, r.after_json, r.entity_id].join('\n')).join('\n');
    expect(text).not.toContain('scrypt$');
    expect(text).not.toContain('password_hash');
    for (const secret of secrets) expect(text).not.toContain(secret);
  });

  it('nor on the log page', async () => {
    const total = await auditCount();
    for (let page = 1; page <= Math.ceil(total / 50); page++) {
      const { text } = await auditPage(`?page=${page}`);
      expect(text).not.toContain('scrypt$');
      for (const secret of secrets) expect(text).not.toContain(secret);
    }
  });
});
