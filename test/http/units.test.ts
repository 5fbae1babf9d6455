// Units over HTTP: the tree, the form and its rules, (de)activation, and the audit trail of each change.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, createTestApp, loginAs, loginAsAdmin, rootUnitId, type TestApp } from '../support/app.ts';

type Agent = Awaited<ReturnType<typeof loginAsAdmin>>['agent'];

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

interface UnitForm { code: string; name: string; kind: string; parentId: number | null | string }

const postUnit = (fields: UnitForm, path = '/units') =>
  agent.post(path).type('form').send({ ...fields, parentId: fields.parentId === null ? '' : String(fields.parentId), _csrf: csrf });

/** Creates a unit through the form and returns its id (from the redirect to its page). */
async function createUnit(fields: UnitForm): Promise<number> {
  const res = await postUnit(fields);
  expect(res.status, res.text.slice(0, 500)).toBe(302);
  const match = /^\/units\/(\d+)$/.exec(res.headers.location ?? '');
  expect(match).not.toBeNull();
  await agent.get(res.headers.location!); // shows (and so clears) the success message
  return Number(match![1]);
}

const unitRow = (id: number) => t.db.selectFrom('units').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const unitByCode = (code: string) => t.db.selectFrom('units').selectAll().where('code', '=', code).executeTakeFirstOrThrow();

async function countRows(table: 'units' | 'audit_log' | 'users'): Promise<number> {
  const row = await t.db.selectFrom(table).select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The tree page as [depth, name, status] per row, in display order. */
async function treeRows(): Promise<{ depth: number; name: string; inactive: boolean }[]> {
  const res = await agent.get('/units');
  expect(res.status).toBe(200);
  const body = res.text.slice(res.text.indexOf('<tbody>'), res.text.indexOf('</tbody>'));
  return [...body.matchAll(/<tr class="(inactive)?">\s*<td>((?:<span class="tree-indent"><\/span>)*)<a href="\/units\/\d+">([^<]*)<\/a>/g)]
    .map((m) => ({ depth: (m[2]!.match(/tree-indent/g) ?? []).length, name: m[3]!, inactive: m[1] === 'inactive' }));
}

/** Follows a redirect and returns the text of the flash messages shown on the next page. */
async function flashAfter(res: { status: number; headers: Record<string, string> }): Promise<{ success: string[]; error: string[] }> {
  expect(res.status).toBe(302);
  const page = await agent.get(res.headers.location!);
  const pick = (type: string) => [...page.text.matchAll(new RegExp(`<div class="flash flash-${type}"[^>]*>([^<]*)</div>`, 'g'))].map((m) => m[1]!);
  return { success: pick('success'), error: pick('error') };
}

let countyId: number;
let policeId: number;
let marketId: number;
let trafficId: number;
let townId: number;

describe('creating the tree', () => {
  it('creates a county bureau under ROOT and departments and towns under it, shown nested on /units', async () => {
    const created = await postUnit({ code: ' DA ', name: '东安区司法局', kind: 'bureau', parentId: rootId });
    expect(created.status).toBe(302);
    countyId = Number(/^\/units\/(\d+)$/.exec(created.headers.location!)![1]);
    // The unit's page says it was created; the code is stored without the stray spaces.
    const page = await agent.get(created.headers.location!);
    expect(page.text).toContain('已新建单位“东安区司法局”');
    expect((await unitRow(countyId)).code).toBe('DA');
    expect(page.text).toContain('<a href="/units/' + rootId + '">市司法局</a>');

    marketId = await createUnit({ code: 'DA-SJ', name: '东安区市场监督管理局', kind: 'department', parentId: countyId });
    policeId = await createUnit({ code: 'DA-GA', name: '东安区公安分局', kind: 'department', parentId: countyId });
    townId = await createUnit({ code: 'DA-XL', name: '兴隆镇', kind: 'town', parentId: countyId });
    // A department may sit under another department (a brigade under its bureau).
    trafficId = await createUnit({ code: 'DA-GA.JJ', name: '交警大队', kind: 'department', parentId: policeId });

    expect(await unitRow(policeId)).toMatchObject({ code: 'DA-GA', name: '东安区公安分局', kind: 'department', parent_id: countyId, active: 1 });
    expect(await unitRow(townId)).toMatchObject({ kind: 'town', parent_id: countyId });
    expect(await unitRow(trafficId)).toMatchObject({ parent_id: policeId });

    // Depth first; departments before towns; siblings by pinyin (公安 gōng before 市场 shì).
    expect(await treeRows()).toEqual([
      { depth: 0, name: '市司法局', inactive: false },
      { depth: 1, name: '东安区司法局', inactive: false },
      { depth: 2, name: '东安区公安分局', inactive: false },
      { depth: 3, name: '交警大队', inactive: false },
      { depth: 2, name: '东安区市场监督管理局', inactive: false },
      { depth: 2, name: '兴隆镇', inactive: false },
    ]);
  });

  it('shows a unit with its parent, its children and their kinds', async () => {
    const res = await agent.get(`/units/${countyId}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('<dd class="mono">DA</dd>');
    expect(res.text).toContain('下级单位（3）');
    for (const name of ['东安区公安分局', '东安区市场监督管理局', '兴隆镇']) expect(res.text).toContain(name);
    expect(res.text).toContain('乡镇（街道）');
    expect(res.text).toContain('执法部门');
  });

  it('offers the parent on the new-unit form when coming from a unit page', async () => {
    const res = await agent.get(`/units/new?parentId=${countyId}`);
    expect(res.status).toBe(200);
    expect(res.text).toMatch(new RegExp(`<option value="${countyId}" selected>市司法局 / 东安区司法局</option>`));
  });
});

describe('editing', () => {
  it('renames a unit and moves another under a new parent', async () => {
    const form = await agent.get(`/units/${marketId}/edit`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('value="东安区市场监督管理局"');

    const rename = await postUnit({ code: 'DA-SJ', name: '  东安区市场监管局 ', kind: 'department', parentId: countyId }, `/units/${marketId}`);
    expect((await flashAfter(rename)).success).toEqual(['单位信息已保存']);
    expect((await unitRow(marketId)).name).toBe('东安区市场监管局');

    // The brigade moves from the police bureau straight under the county bureau.
    const move = await postUnit({ code: 'DA-GA.JJ', name: '交警大队', kind: 'department', parentId: countyId }, `/units/${trafficId}`);
    expect(move.status).toBe(302);
    expect((await unitRow(trafficId)).parent_id).toBe(countyId);
    const rows = await treeRows();
    expect(rows.find((r) => r.name === '交警大队')?.depth).toBe(2);
    expect(rows.map((r) => r.name)).toContain('东安区市场监管局');
    expect(rows.map((r) => r.name)).not.toContain('东安区市场监督管理局');

    // Both changes are in the log with before → after.
    const audit = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'unit.update').orderBy('id').execute();
    expect(audit.map((a) => a.entity_id)).toEqual([String(marketId), String(trafficId)]);
    expect(JSON.parse(audit[0]!.before_json!)).toEqual({ name: '东安区市场监督管理局' });
    expect(JSON.parse(audit[0]!.after_json!)).toEqual({ name: '东安区市场监管局' });
    expect(JSON.parse(audit[1]!.before_json!)).toEqual({ parent_id: policeId });
    expect(JSON.parse(audit[1]!.after_json!)).toEqual({ parent_id: countyId });

    // Put it back for the tests below.
    await postUnit({ code: 'DA-GA.JJ', name: '交警大队', kind: 'department', parentId: policeId }, `/units/${trafficId}`);
    expect((await unitRow(trafficId)).parent_id).toBe(policeId);
  });

  it('saving without changes writes no audit entry', async () => {
    const before = await countRows('audit_log');
    const res = await postUnit({ code: 'DA-XL', name: '兴隆镇', kind: 'town', parentId: countyId }, `/units/${townId}`);
    expect(res.status).toBe(302);
    expect(await countRows('audit_log')).toBe(before);
  });
});

describe('invalid input re-renders the form with 422 and Chinese errors, and saves nothing', () => {
  const cases: [string, () => UnitForm, string][] = [
    ['empty name', () => ({ code: 'DA-X1', name: '   ', kind: 'department', parentId: countyId }), '单位名称不能为空'],
    ['empty code', () => ({ code: '', name: '某部门', kind: 'department', parentId: countyId }), '单位编码不能为空'],
    ['bad code characters', () => ({ code: '东安 公安', name: '某部门', kind: 'department', parentId: countyId }), '单位编码只能由字母、数字、下划线、点和短横线组成'],
    ['code starting with a dash', () => ({ code: '-DA', name: '某部门', kind: 'department', parentId: countyId }), '单位编码只能由字母、数字、下划线、点和短横线组成'],
    ['duplicate code in another case', () => ({ code: 'da-ga', name: '另一个公安', kind: 'department', parentId: countyId }), '单位编码“da-ga”已被使用'],
    ['unknown parent', () => ({ code: 'DA-X2', name: '某部门', kind: 'department', parentId: 987654 }), '上级单位不存在'],
    ['department without a parent', () => ({ code: 'DA-X3', name: '某部门', kind: 'department', parentId: null }), '执法部门必须有上级单位'],
    ['town without a parent', () => ({ code: 'DA-X4', name: '某镇', kind: 'town', parentId: null }), '乡镇（街道）必须有上级单位'],
    ['town under a department', () => ({ code: 'DA-X5', name: '某街道', kind: 'town', parentId: policeId }), '乡镇（街道）的上级单位只能是司法局'],
    ['department under a town', () => ({ code: 'DA-X6', name: '某站所', kind: 'department', parentId: townId }), '执法部门的上级单位不能是乡镇（街道）'],
    ['bureau under a department', () => ({ code: 'DA-X7', name: '某司法所', kind: 'bureau', parentId: policeId }), '司法局的上级单位只能是司法局'],
    ['unknown kind', () => ({ code: 'DA-X8', name: '某单位', kind: 'ministry', parentId: countyId }), '请选择单位类型'],
  ];

  for (const [label, fields, message] of cases) {
    it(`create: ${label}`, async () => {
      const units = await countRows('units');
      const audit = await countRows('audit_log');
      const input = fields();
      const res = await postUnit(input);
      expect(res.status).toBe(422);
      expect(res.text).toContain('class="field-error"');
      expect(res.text).toContain(message);
      expect(res.text).toContain('<h1>新建单位</h1>');
      // What was typed stays in the form.
      if (input.name.trim()) expect(res.text).toContain(`value="${input.name}"`);
      expect(await countRows('units')).toBe(units);
      expect(await countRows('audit_log')).toBe(audit);
    });
  }

  it('reports every problem at once', async () => {
    const res = await postUnit({ code: 'a b', name: '', kind: '', parentId: 987654 });
    expect(res.status).toBe(422);
    expect(res.text).toContain('单位编码只能由');
    expect(res.text).toContain('单位名称不能为空');
    expect(res.text).toContain('请选择单位类型');
    expect(res.text).toContain('上级单位不存在');
  });

  it('edit: duplicate code in another case, and nothing changes', async () => {
    const before = await unitRow(marketId);
    const res = await postUnit({ code: 'DA-xl', name: '改了名字', kind: 'department', parentId: countyId }, `/units/${marketId}`);
    expect(res.status).toBe(422);
    expect(res.text).toContain('<h1>修改单位</h1>');
    expect(res.text).toContain('单位编码“DA-xl”已被使用');
    expect(await unitRow(marketId)).toEqual(before);
  });

  it('edit: keeping its own code in another case is not a duplicate', async () => {
    const res = await postUnit({ code: 'da-sj', name: '东安区市场监管局', kind: 'department', parentId: countyId }, `/units/${marketId}`);
    expect(res.status).toBe(302);
    expect((await unitRow(marketId)).code).toBe('da-sj');
    await postUnit({ code: 'DA-SJ', name: '东安区市场监管局', kind: 'department', parentId: countyId }, `/units/${marketId}`);
  });

  it('edit: moving a unit under its own descendant is refused as a cycle', async () => {
    const subBureauId = await createUnit({ code: 'DA-SFS', name: '东安区第一司法所', kind: 'bureau', parentId: countyId });
    const units = await countRows('units');
    const audit = await countRows('audit_log');
    const cycleMessage = '不能把单位设为自己或自己下级单位的下级';

    // The county bureau under its own child bureau.
    const res = await postUnit({ code: 'DA', name: '东安区司法局', kind: 'bureau', parentId: subBureauId }, `/units/${countyId}`);
    expect(res.status).toBe(422);
    expect(res.text).toContain(cycleMessage);
    expect((await unitRow(countyId)).parent_id).toBe(rootId);

    // The police bureau under its own brigade (two departments: only the cycle is wrong).
    const res2 = await postUnit({ code: 'DA-GA', name: '东安区公安分局', kind: 'department', parentId: trafficId }, `/units/${policeId}`);
    expect(res2.status).toBe(422);
    expect(res2.text).toContain(cycleMessage);
    expect((await unitRow(policeId)).parent_id).toBe(countyId);

    // A unit as its own parent.
    const res3 = await postUnit({ code: 'DA-GA', name: '东安区公安分局', kind: 'department', parentId: policeId }, `/units/${policeId}`);
    expect(res3.status).toBe(422);
    expect(res3.text).toContain(cycleMessage);

    expect(await countRows('units')).toBe(units);
    expect(await countRows('audit_log')).toBe(audit);
  });

  it('edit: changing the kind of a unit is refused when its children could no longer sit under it', async () => {
    const before = await unitRow(policeId);
    // The police bureau has a brigade under it; a town may have no departments under it.
    const res = await postUnit({ code: 'DA-GA', name: '东安区公安分局', kind: 'town', parentId: countyId }, `/units/${policeId}`);
    expect(res.status).toBe(422);
    expect(res.text).toContain('执法部门的上级单位不能是乡镇（街道）');
    expect(res.text).toContain('交警大队');
    expect(await unitRow(policeId)).toEqual(before);
  });

  it('edit: a bureau with a leader account cannot become a department', async () => {
    const subBureau = await unitByCode('DA-SFS');
    await addUser(t.db, { username: 'sfs.leader', role: 'leader', unitId: subBureau.id, displayName: '司法所所长' });
    const res = await postUnit({ code: 'DA-SFS', name: '东安区第一司法所', kind: 'department', parentId: countyId }, `/units/${subBureau.id}`);
    expect(res.status).toBe(422);
    expect(res.text).toContain('本单位有管理员或领导账户，他们只能属于司法局');
    expect(await unitRow(subBureau.id)).toEqual(subBureau);
  });

  it('edit: a kind change that fits the parent, the children and the people is saved', async () => {
    // The brigade has nothing below it and no accounts; as a town it must sit directly under a bureau.
    const underDepartment = await postUnit({ code: 'DA-GA.JJ', name: '交警大队', kind: 'town', parentId: policeId }, `/units/${trafficId}`);
    expect(underDepartment.status).toBe(422);
    expect(underDepartment.text).toContain('乡镇（街道）的上级单位只能是司法局');
    expect((await unitRow(trafficId)).kind).toBe('department');

    const underBureau = await postUnit({ code: 'DA-GA.JJ', name: '交警大队', kind: 'town', parentId: countyId }, `/units/${trafficId}`);
    expect(underBureau.status).toBe(302);
    expect(await unitRow(trafficId)).toMatchObject({ kind: 'town', parent_id: countyId });

    // And back, for the tests below.
    await postUnit({ code: 'DA-GA.JJ', name: '交警大队', kind: 'department', parentId: policeId }, `/units/${trafficId}`);
    expect(await unitRow(trafficId)).toMatchObject({ kind: 'department', parent_id: policeId });
  });

  it('an unknown unit is a 404 page in Chinese', async () => {
    const res = await agent.get('/units/987654');
    expect(res.status).toBe(404);
    expect(res.text).toContain('单位不存在或已被删除');
    const edit = await postUnit({ code: 'ZZ', name: '无', kind: 'bureau', parentId: rootId }, '/units/987654');
    expect(edit.status).toBe(404);
    expect(await t.db.selectFrom('units').select('id').where('code', '=', 'ZZ').executeTakeFirst()).toBeUndefined();
  });
});

describe('deactivating and activating', () => {
  it('is refused while the unit has active child units, with a flash message, and the unit stays active', async () => {
    const audit = await countRows('audit_log');
    const res = await agent.post(`/units/${countyId}/deactivate`).type('form').send({ _csrf: csrf });
    const { error, success } = await flashAfter(res);
    expect(success).toEqual([]);
    expect(error).toHaveLength(1);
    expect(error[0]).toContain('单位“东安区司法局”下还有 4 个启用的下级单位、0 个启用的用户');
    expect((await unitRow(countyId)).active).toBe(1);
    expect(await countRows('audit_log')).toBe(audit);
  });

  it('is refused while the unit has active users, and allowed once they are deactivated', async () => {
    const userId = await addUser(t.db, { username: 'xl.clerk', role: 'department', unitId: townId, displayName: '兴隆镇办事员' });
    const refused = await agent.post(`/units/${townId}/deactivate`).type('form').send({ _csrf: csrf });
    expect((await flashAfter(refused)).error[0]).toContain('0 个启用的下级单位、1 个启用的用户');
    expect((await unitRow(townId)).active).toBe(1);

    const off = await agent.post(`/users/${userId}/deactivate`).type('form').send({ _csrf: csrf });
    expect((await flashAfter(off)).success).toEqual(['用户已停用，其登录会话已全部结束']);
    const ok = await agent.post(`/units/${townId}/deactivate`).type('form').send({ _csrf: csrf });
    expect((await flashAfter(ok)).success).toEqual(['单位已停用']);
    expect((await unitRow(townId)).active).toBe(0);
  });

  it('shows a deactivated unit as such, audits it, and activates it again', async () => {
    const rows = await treeRows();
    expect(rows.find((r) => r.name === '兴隆镇')).toEqual({ depth: 2, name: '兴隆镇', inactive: true });
    const page = await agent.get(`/units/${townId}`);
    expect(page.text).toContain('<span class="tag">已停用</span>');
    expect(page.text).toContain(`action="/units/${townId}/activate"`);

    const off = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'unit.deactivate').where('entity_id', '=', String(townId)).executeTakeFirstOrThrow();
    expect(off.actor_name).toBe('系统管理员');
    expect(off.summary).toBe('停用单位“兴隆镇”');
    expect(JSON.parse(off.before_json!)).toEqual({ active: 1 });
    expect(JSON.parse(off.after_json!)).toEqual({ active: 0 });

    const on = await agent.post(`/units/${townId}/activate`).type('form').send({ _csrf: csrf });
    expect((await flashAfter(on)).success).toEqual(['单位已启用']);
    expect((await unitRow(townId)).active).toBe(1);
    const onAudit = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'unit.activate').where('entity_id', '=', String(townId)).executeTakeFirstOrThrow();
    expect(JSON.parse(onAudit.after_json!)).toEqual({ active: 1 });
  });

  it('a deactivated unit is no parent for new units, and its children cannot be activated before it', async () => {
    const leafBureau = await createUnit({ code: 'DA-SFS2', name: '东安区第二司法所', kind: 'bureau', parentId: countyId });
    const childId = await createUnit({ code: 'DA-SFS2-A', name: '第二司法所窗口', kind: 'department', parentId: leafBureau });
    expect((await flashAfter(await agent.post(`/units/${childId}/deactivate`).type('form').send({ _csrf: csrf }))).success).toEqual(['单位已停用']);
    expect((await flashAfter(await agent.post(`/units/${leafBureau}/deactivate`).type('form').send({ _csrf: csrf }))).success).toEqual(['单位已停用']);

    // Not offered as a parent, and refused when posted anyway.
    const form = await agent.get('/units/new');
    expect(form.text).not.toContain(`<option value="${leafBureau}"`);
    const units = await countRows('units');
    const res = await postUnit({ code: 'DA-SFS2-B', name: '新窗口', kind: 'department', parentId: leafBureau });
    expect(res.status).toBe(422);
    expect(res.text).toContain('上级单位“东安区第二司法所”已停用');
    expect(await countRows('units')).toBe(units);

    const refused = await agent.post(`/units/${childId}/activate`).type('form').send({ _csrf: csrf });
    expect((await flashAfter(refused)).error).toEqual(['上级单位“东安区第二司法所”已停用，请先启用上级单位']);
    expect((await unitRow(childId)).active).toBe(0);
  });

  it('deactivating an already inactive unit changes nothing and logs nothing', async () => {
    const code = await unitByCode('DA-SFS2');
    const audit = await countRows('audit_log');
    const res = await agent.post(`/units/${code.id}/deactivate`).type('form').send({ _csrf: csrf });
    expect(res.status).toBe(302);
    expect(await countRows('audit_log')).toBe(audit);
  });

  it('is refused without the CSRF token', async () => {
    const res = await agent.post(`/units/${marketId}/deactivate`).type('form').send({});
    expect(res.status).toBe(403);
    expect(res.text).toContain('页面已过期或请求来源无法验证');
    expect((await unitRow(marketId)).active).toBe(1);
  });
});

describe('who may manage units', () => {
  it('a department user may not create units', async () => {
    await addUser(t.db, { username: 'ga.clerk', role: 'department', unitId: policeId, password: 'Clerk2026a' });
    const clerk = await loginAs(t, 'ga.clerk', 'Clerk2026a');
    const units = await countRows('units');
    const res = await clerk.agent.post('/units').type('form').send({ code: 'HACK', name: '伪造单位', kind: 'bureau', parentId: '', _csrf: clerk.csrf });
    expect(res.status).toBe(403);
    expect(res.text).toContain('您没有权限');
    expect(await countRows('units')).toBe(units);
  });
});
