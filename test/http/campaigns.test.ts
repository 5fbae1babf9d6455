// Campaigns over HTTP: creating one with its defaults, settings and their validation, participating units,
// pinned rubrics, the guarded stage changes, what locks once reviewing starts, the audit trail, and who sees what.
//
// Units: 市司法局 (ROOT) → 东安县司法局 → 市场监管局 (A), 生态环境局 (B), 交通运输局 (C), 已撤并的执法部门 (inactive).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type request from 'supertest';
import { addUnit, addUser, createTestApp, loginAs, loginAsAdmin, rootUnitId, type TestApp } from '../support/app.ts';

type Session = { agent: request.Agent; csrf: string };

let t: TestApp;
let admin: Session;
let year: number;
const ids = {
  county: 0, a: 0, b: 0, c: 0, inactive: 0, reviewerIn: 0, reviewerOut: 0,
  penalty: 0, license: 0, inspection: 0, coercion: 0,
};

beforeAll(async () => {
  t = await createTestApp();
  year = Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(t.clock.now()));
  const root = await rootUnitId(t.db);
  ids.county = await addUnit(t.db, 'CTY', '东安县司法局', 'bureau', root);
  ids.a = await addUnit(t.db, 'A', '县市场监督管理局', 'department', ids.county);
  ids.b = await addUnit(t.db, 'B', '县生态环境局', 'department', ids.county);
  ids.c = await addUnit(t.db, 'C', '县交通运输局', 'department', ids.county);
  ids.inactive = await addUnit(t.db, 'OLD', '已撤并的执法部门', 'department', ids.county);
  await t.db.updateTable('units').set({ active: 0 }).where('id', '=', ids.inactive).execute();
  await addUser(t.db, { username: 'leader', role: 'leader', unitId: root, displayName: '李局长' });
  await addUser(t.db, { username: 'dept-a', role: 'department', unitId: ids.a, displayName: '市监联络员' });
  // Reviewers from a neighbouring county: no parent or child of the units whose files they review.
  const peer = await addUnit(t.db, 'PEER', '邻县司法局', 'bureau', root);
  ids.reviewerIn = await addUser(t.db, { username: 'reviewer-in', role: 'reviewer', unitId: peer, displayName: '钱评查' });
  ids.reviewerOut = await addUser(t.db, { username: 'reviewer-out', role: 'reviewer', unitId: peer, displayName: '孙评查' });
  for (const [key, rubricKey] of [['penalty', 'penalty-general'], ['license', 'license'], ['inspection', 'inspection'], ['coercion', 'coercion']] as const) {
    ids[key] = (await t.db.selectFrom('rubric_versions').select('id').where('rubric_key', '=', rubricKey).executeTakeFirstOrThrow()).id;
  }
  admin = await loginAsAdmin(t);
});
afterAll(async () => { await t.close(); });

// ---------------------------------------------------------------------------------------------------------
// Helpers

type SettingsForm = Record<string, string>;

const defaultForm = (): SettingsForm => ({
  name: `${year}年度行政执法案卷交叉评查`, year: String(year), kind: 'cross', description: '',
  periodFrom: `${year}-01-01`, periodTo: `${year}-12-31`, reviewersPerFile: '2', disagreementThresholdTenths: '5',
  commonIssueThreshold: '3', objectionWindowDays: '5', rectificationDays: '30', docNumberPattern: '案评整改〔{year}〕{seq}号',
});

/** A form body as a browser sends it: repeated fields for lists (unitIds=1&unitIds=2). */
function formBody(fields: Record<string, string | number | (string | number)[]>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) {
    for (const v of Array.isArray(value) ? value : [value]) params.append(key, String(v));
  }
  return params.toString();
}

const post = (path: string, fields: Record<string, string | number | (string | number)[]>, session: Session = admin) =>
  session.agent.post(path).type('form').send(formBody({ _csrf: session.csrf, ...fields }));

/** A change made only to set the scene: it must be accepted, and its message is read (so it does not linger). */
async function perform(path: string, fields: Record<string, string | number | (string | number)[]>): Promise<void> {
  const res = await post(path, fields);
  expect(res.status, res.text.slice(0, 300)).toBe(302);
  const page = await admin.agent.get(res.headers.location!);
  expect(pick(page.text, 'error'), path).toEqual([]);
}

async function createCampaign(name: string): Promise<number> {
  const res = await post('/campaigns', { ...defaultForm(), name });
  expect(res.status, res.text.slice(0, 500)).toBe(302);
  const match = /^\/campaigns\/(\d+)$/.exec(res.headers.location ?? '');
  expect(match).not.toBeNull();
  await admin.agent.get(res.headers.location!); // shows (and so clears) the success message
  return Number(match![1]);
}

const campaignRow = (id: number) => t.db.selectFrom('campaigns').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const unitIdsOf = async (id: number) =>
  (await t.db.selectFrom('campaign_units').select('unit_id').where('campaign_id', '=', id).orderBy('unit_id').execute()).map((r) => r.unit_id);
const pinsOf = async (id: number) => Object.fromEntries((await t.db.selectFrom('campaign_rubrics').select(['case_type', 'rubric_version_id'])
  .where('campaign_id', '=', id).execute()).map((r) => [r.case_type, r.rubric_version_id]));
const auditOf = (id: number) => t.db.selectFrom('audit_log').selectAll()
  .where('entity_type', '=', 'campaign').where('entity_id', '=', String(id)).orderBy('id').execute();

async function count(table: 'campaigns' | 'audit_log' | 'campaign_units' | 'campaign_rubrics'): Promise<number> {
  return Number((await t.db.selectFrom(table).select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
}

/** Everything a campaign change could touch. */
async function snapshot(): Promise<string> {
  return JSON.stringify({
    campaigns: await t.db.selectFrom('campaigns').selectAll().orderBy('id').execute(),
    units: await t.db.selectFrom('campaign_units').selectAll().orderBy('campaign_id').orderBy('unit_id').execute(),
    rubrics: await t.db.selectFrom('campaign_rubrics').selectAll().orderBy('campaign_id').orderBy('case_type').execute(),
    audit: await count('audit_log'),
  });
}

const pick = (html: string, type: string) =>
  [...html.matchAll(new RegExp(`<div class="flash flash-${type}"[^>]*>([^<]*)</div>`, 'g'))].map((m) => m[1]!);

/** Follows a redirect and returns where it went and the flash messages shown there. */
async function follow(res: { status: number; headers: Record<string, string> }, session: Session = admin) {
  expect(res.status).toBe(302);
  const location = res.headers.location!;
  const page = await session.agent.get(location);
  return { location, html: page.text, success: pick(page.text, 'success'), error: pick(page.text, 'error') };
}

const fieldErrors = (html: string) => [...html.matchAll(/<span class="field-error" role="alert">([^<]*)<\/span>/g)].map((m) => m[1]!);

/** The 下一步 panel: each transition button, whether it is enabled, and the reasons listed beside it. */
function nextSteps(html: string): { label: string; enabled: boolean; problems: string[] }[] {
  const panel = /<h2>下一步<\/h2>([\s\S]*?)<\/section>/.exec(html)?.[1] ?? '';
  return panel.split('<div class="transition">').slice(1).map((block) => ({
    label: /<button[^>]*>([^<]*)<\/button>/.exec(block)![1]!,
    enabled: !/<button[^>]*disabled/.test(block),
    problems: [...block.matchAll(/<li>([^<]*)<\/li>/g)].map((m) => m[1]!),
  }));
}

/** The 参评单位 table as [name, listed, sampled] rows. */
function unitRows(html: string): [string, string, string][] {
  const section = /<h2>参评单位[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
  return [...section.matchAll(/<tr><td>(?:<span class="tree-indent"><\/span>)*(?:<a [^>]*>)?([^<]+)(?:<\/a>)?<\/td><td class="num">(\d+)<\/td><td class="num">(\d+)<\/td>/g)]
    .map((m) => [m[1]!, m[2]!, m[3]!]);
}

/** The 活动记录 table's summaries, newest first. */
function history(html: string): string[] {
  const section = /<h2>活动记录<\/h2>([\s\S]*?)<\/section>/.exec(html)?.[1] ?? '';
  return [...section.matchAll(/<tr><td class="nowrap">[^<]*<\/td><td>[^<]*<\/td><td>([^<]*)<\/td><\/tr>/g)].map((m) => m[1]!);
}

const decode = (s: string) => s.replace(/&quot;/g, '"').replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');

// ---------------------------------------------------------------------------------------------------------

let mainId: number;

describe('creating a campaign', () => {
  it('shows the defaults on /campaigns/new', async () => {
    const res = await admin.agent.get('/campaigns/new');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<h1>新建评查活动</h1>');
    for (const [name, value] of Object.entries(defaultForm())) {
      if (name === 'kind' || name === 'description') continue;
      expect(res.text, name).toMatch(new RegExp(`name="${name}" value="${value.replace(/[{}]/g, '\\$&')}"`));
    }
    expect(res.text).toContain('<option value="cross" selected>交叉评查</option>');
    expect(res.text).toContain('<form method="post" action="/campaigns"');
  });

  it('creates it with the newest bundled standard pinned for each of the four case types', async () => {
    const before = await count('campaigns');
    const res = await post('/campaigns', { ...defaultForm(), name: '  东安县行政执法案卷交叉评查  ' });
    const { location, html, success } = await follow(res);
    mainId = Number(/^\/campaigns\/(\d+)$/.exec(location)![1]);
    expect(await count('campaigns')).toBe(before + 1);
    expect(success).toEqual(['评查活动已创建，请选择参评单位并指定评查标准']);

    expect(await campaignRow(mainId)).toMatchObject({
      name: '东安县行政执法案卷交叉评查', year, kind: 'cross', status: 'draft', description: null,
      period_from: `${year}-01-01`, period_to: `${year}-12-31`, reviewers_per_file: 2, disagreement_threshold_tenths: 50,
      common_issue_threshold: 3, objection_window_days: 5, rectification_days: 30, doc_number_pattern: '案评整改〔{year}〕{seq}号',
    });
    expect(await pinsOf(mainId)).toEqual({ penalty: ids.penalty, license: ids.license, inspection: ids.inspection, coercion: ids.coercion });
    expect(await unitIdsOf(mainId)).toEqual([]);

    expect(html).toContain('<h1>东安县行政执法案卷交叉评查 <span class="tag status-draft">筹备中</span></h1>');
    for (const title of ['行政处罚案卷（一般程序）评查标准', '行政许可案卷评查标准', '行政检查案卷评查标准', '行政强制案卷评查标准']) {
      expect(html).toContain(`>${title}</a>`);
    }
    expect(html).toContain('<dd>5 分</dd>');
    expect(html).toContain('参评单位（0）');

    const audit = await auditOf(mainId);
    expect(audit.map((a) => [a.action, a.summary, a.actor_name])).toEqual([['campaign.create', '新建评查活动“东安县行政执法案卷交叉评查”', '系统管理员']]);
    expect(JSON.parse(audit[0]!.after_json!)).toMatchObject({ name: '东安县行政执法案卷交叉评查', reviewers_per_file: 2, disagreement_threshold_tenths: 50 });
  });

  it('lists it on /campaigns with its stage', async () => {
    const res = await admin.agent.get('/campaigns');
    expect(res.status).toBe(200);
    expect(res.text).toContain(`<a href="/campaigns/${mainId}">东安县行政执法案卷交叉评查</a>`);
    expect(res.text).toContain('<span class="tag status-draft">筹备中</span>');
    expect(res.text).toContain('<a class="button" href="/campaigns/new">新建评查活动</a>');
  });

  it('re-renders the form with 422 and every problem in Chinese, keeps what was typed, and saves nothing', async () => {
    const before = await snapshot();
    const res = await post('/campaigns', {
      ...defaultForm(), name: '', kind: 'annual', periodFrom: `${year}-07-01`, periodTo: `${year}-06-30`, reviewersPerFile: '5',
      disagreementThresholdTenths: '2.55', commonIssueThreshold: '1', objectionWindowDays: '100', rectificationDays: '0', docNumberPattern: '整改〔{year}〕号',
    });
    expect(res.status).toBe(422);
    expect(fieldErrors(res.text)).toEqual([
      '活动名称不能为空',
      '请选择评查方式（交叉评查、自查、抽查或专项评查）',
      '案卷截止日期不能早于起始日期',
      '每卷评查人数为 1 到 3 人',
      '复核分差为 0 到 100 之间的分数，最多一位小数，例如 5 或 2.5',
      '共性问题单位数为不少于 2 的整数：同一问题出现在至少这么多家单位的案卷中，即为共性问题',
      '异议期为 0 到 90 天',
      '整改期限为 1 到 365 天',
      '文号格式须包含序号占位符 {seq}，可选 {year}，例如：案评整改〔{year}〕{seq}号',
    ]);
    expect(res.text).toContain('name="disagreementThresholdTenths" value="2.55"');
    expect(res.text).toContain('name="reviewersPerFile" value="5"');
    expect(res.text).toContain('<form method="post" action="/campaigns"');
    expect(await snapshot()).toBe(before);
  });

  it('refuses a document number pattern with other placeholders', async () => {
    const before = await snapshot();
    const res = await post('/campaigns', { ...defaultForm(), docNumberPattern: '{unit}〔{year}〕{seq}号' });
    expect(res.status).toBe(422);
    expect(fieldErrors(res.text)).toEqual(['文号格式不超过 60 个字，只能使用 {year} 和 {seq} 两个占位符']);
    expect(await snapshot()).toBe(before);
  });

  it('starts from a newer standard once one is loaded for a case type', async () => {
    const bundled = await t.db.selectFrom('rubric_versions').selectAll().where('id', '=', ids.penalty).executeTakeFirstOrThrow();
    const { id: newer } = await t.db.insertInto('rubric_versions').values({
      ...bundled, id: undefined, version: '2026.2', content_hash: 'f'.repeat(64), source: 'upload', source_name: 'penalty-2026.2.json',
      created_at: t.clock.now().toISOString(),
    }).returning('id').executeTakeFirstOrThrow();
    const id = await createCampaign('用新版标准的活动');
    expect(await pinsOf(id)).toEqual({ penalty: newer, license: ids.license, inspection: ids.inspection, coercion: ids.coercion });
    // The campaign created earlier keeps the version it was given.
    expect((await pinsOf(mainId)).penalty).toBe(ids.penalty);
  });
});

describe('settings', () => {
  it('shows the saved settings on the edit form, the threshold in points', async () => {
    const res = await admin.agent.get(`/campaigns/${mainId}/edit`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('<h1>修改活动设置</h1>');
    expect(res.text).toContain(`<form method="post" action="/campaigns/${mainId}"`);
    expect(res.text).toContain('name="name" value="东安县行政执法案卷交叉评查"');
    expect(res.text).toContain('name="disagreementThresholdTenths" value="5"');
    expect(res.text).not.toContain('readonly');
    expect(res.text).not.toContain('影响结果的设置已锁定');
  });

  it('saves changes and logs only what changed, before → after', async () => {
    const res = await post(`/campaigns/${mainId}`, {
      ...defaultForm(), name: '东安县行政执法案卷交叉评查', disagreementThresholdTenths: '2.5', objectionWindowDays: '7',
      description: '重点评查行政处罚案卷', periodFrom: '', periodTo: '',
    });
    const { location, html, success } = await follow(res);
    expect(location).toBe(`/campaigns/${mainId}`);
    expect(success).toEqual(['活动设置已保存']);
    expect(await campaignRow(mainId)).toMatchObject({
      disagreement_threshold_tenths: 25, objection_window_days: 7, description: '重点评查行政处罚案卷', period_from: null, period_to: null,
    });
    expect(html).toContain('<dd>2.5 分</dd>');
    expect(html).toContain('<dd>结果发布后 7 天</dd>');
    expect(html).toContain('<dd>不限</dd>');

    const entry = (await auditOf(mainId)).at(-1)!;
    expect(entry).toMatchObject({ action: 'campaign.update', summary: '修改评查活动“东安县行政执法案卷交叉评查”的设置' });
    expect(JSON.parse(entry.before_json!)).toEqual({
      description: null, period_from: `${year}-01-01`, period_to: `${year}-12-31`, disagreement_threshold_tenths: 50, objection_window_days: 5,
    });
    expect(JSON.parse(entry.after_json!)).toEqual({
      description: '重点评查行政处罚案卷', period_from: null, period_to: null, disagreement_threshold_tenths: 25, objection_window_days: 7,
    });
  });

  it('writes no audit entry when nothing changed', async () => {
    const before = await count('audit_log');
    const res = await post(`/campaigns/${mainId}`, {
      ...defaultForm(), name: '东安县行政执法案卷交叉评查', disagreementThresholdTenths: '2.5', objectionWindowDays: '7',
      description: '重点评查行政处罚案卷', periodFrom: '', periodTo: '',
    });
    expect((await follow(res)).success).toEqual(['活动设置已保存']);
    expect(await count('audit_log')).toBe(before);
  });

  it('re-renders the edit form with 422 on bad input and changes nothing', async () => {
    const before = await snapshot();
    const res = await post(`/campaigns/${mainId}`, { ...defaultForm(), year: '1999', disagreementThresholdTenths: '五' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('<h1>修改活动设置</h1>');
    expect(fieldErrors(res.text)).toEqual(['年度应为 2000 到 2100 之间的年份', '复核分差为 0 到 100 之间的分数，最多一位小数，例如 5 或 2.5']);
    expect(res.text).toContain('name="year" value="1999"');
    expect(await snapshot()).toBe(before);
  });

  it('answers 404 for a campaign that does not exist', async () => {
    for (const path of ['/campaigns/999999', '/campaigns/999999/edit', '/campaigns/abc', '/campaigns/999999/units']) {
      const res = await admin.agent.get(path);
      expect(res.status, path).toBe(404);
      expect(res.text).toContain('不存在');
    }
    expect((await post('/campaigns/999999', defaultForm())).status).toBe(404);
    expect((await post('/campaigns/999999/transition', { to: 'sampling' })).status).toBe(404);
  });
});

describe('participating units', () => {
  it('offers the active units, none ticked yet', async () => {
    const res = await admin.agent.get(`/campaigns/${mainId}/units`);
    expect(res.status).toBe(200);
    for (const id of [ids.a, ids.b, ids.c, ids.county]) expect(res.text).toContain(`name="unitIds" value="${id}">`);
    expect(res.text).not.toContain('已撤并的执法部门');
    expect(res.text).not.toContain('checked');
  });

  it('saves the ticked units, lists them on the campaign page and logs the change', async () => {
    const res = await admin.agent.post(`/campaigns/${mainId}/units`).type('form')
      .send(formBody({ _csrf: admin.csrf, unitIds: [ids.a, ids.b, ids.a] }));
    const { location, html, success } = await follow(res);
    expect(location).toBe(`/campaigns/${mainId}`);
    expect(success).toEqual(['参评单位已保存（共 2 个）']);
    expect(await unitIdsOf(mainId)).toEqual([ids.a, ids.b]);
    expect(html).toContain('参评单位（2）');
    // Siblings in pinyin order: 生 (shēng) before 市 (shì).
    expect(unitRows(html).map((r) => r[0])).toEqual(['县生态环境局', '县市场监督管理局']);

    const entry = (await auditOf(mainId)).at(-1)!;
    expect(entry).toMatchObject({ action: 'campaign.units', summary: '调整“东安县行政执法案卷交叉评查”的参评单位：新增 2 个，移出 0 个' });
    expect(JSON.parse(entry.after_json!)).toEqual({ added: ['县市场监督管理局', '县生态环境局'] });

    const form = await admin.agent.get(`/campaigns/${mainId}/units`);
    expect(form.text).toContain(`name="unitIds" value="${ids.a}" checked>`);
    expect(form.text).toContain(`name="unitIds" value="${ids.b}" checked>`);
    expect(form.text).toContain(`name="unitIds" value="${ids.c}">`);
  });

  it('swaps one unit for another', async () => {
    const res = await follow(await post(`/campaigns/${mainId}/units`, { unitIds: [ids.a, ids.c] }));
    expect(res.success).toEqual(['参评单位已保存（共 2 个）']);
    expect(await unitIdsOf(mainId)).toEqual([ids.a, ids.c]);
    const entry = (await auditOf(mainId)).at(-1)!;
    expect(entry.summary).toBe('调整“东安县行政执法案卷交叉评查”的参评单位：新增 1 个，移出 1 个');
    expect(JSON.parse(entry.before_json!)).toEqual({ removed: ['县生态环境局'] });
    expect(JSON.parse(entry.after_json!)).toEqual({ added: ['县交通运输局'] });
    await perform(`/campaigns/${mainId}/units`, { unitIds: [ids.a, ids.b] });
    expect(await unitIdsOf(mainId)).toEqual([ids.a, ids.b]);
  });

  it('refuses an inactive unit and a unit that does not exist, changing nothing', async () => {
    const before = await snapshot();
    const inactive = await follow(await post(`/campaigns/${mainId}/units`, { unitIds: [ids.a, ids.b, ids.inactive] }));
    expect(inactive.location).toBe(`/campaigns/${mainId}/units`);
    expect(inactive.error).toEqual(['单位“已撤并的执法部门”已停用，不能参评']);
    const unknown = await follow(await post(`/campaigns/${mainId}/units`, { unitIds: [ids.a, 999999] }));
    expect(unknown.error).toEqual(['所选单位中有不存在的单位']);
    expect(await snapshot()).toBe(before);
  });

  it('keeps a unit that was deactivated after it was chosen, and offers it still ticked', async () => {
    await t.db.updateTable('units').set({ active: 0 }).where('id', '=', ids.b).execute();
    try {
      const form = await admin.agent.get(`/campaigns/${mainId}/units`);
      expect(form.text).toContain(`name="unitIds" value="${ids.b}" checked>`);
      const saved = await follow(await post(`/campaigns/${mainId}/units`, { unitIds: [ids.a, ids.b] }));
      expect(saved.error).toEqual([]);
      expect(saved.location).toBe(`/campaigns/${mainId}`);
      expect(await unitIdsOf(mainId)).toEqual([ids.a, ids.b]);
    } finally {
      await t.db.updateTable('units').set({ active: 1 }).where('id', '=', ids.b).execute();
    }
  });
});

describe('rubrics', () => {
  it('unpins and pins a standard for a case type, and logs both', async () => {
    const unpin = await follow(await post(`/campaigns/${mainId}/rubrics`, { caseType: 'inspection', versionId: '' }));
    expect(unpin.location).toBe(`/campaigns/${mainId}#rubrics`);
    expect(unpin.success).toEqual(['行政检查评查标准已保存']);
    expect((await pinsOf(mainId)).inspection).toBeUndefined();

    const pin = await follow(await post(`/campaigns/${mainId}/rubrics`, { caseType: 'inspection', versionId: ids.inspection }));
    expect(pin.success).toEqual(['行政检查评查标准已保存']);
    expect((await pinsOf(mainId)).inspection).toBe(ids.inspection);

    const entries = (await auditOf(mainId)).slice(-2);
    expect(entries.map((e) => [e.action, e.summary])).toEqual([
      ['campaign.rubric', '行政检查案卷不再指定评查标准'],
      ['campaign.rubric', '行政检查案卷使用“行政检查案卷评查标准”2026.1 版'],
    ]);
    expect(JSON.parse(entries[0]!.before_json!)).toEqual({ rubric: '行政检查案卷评查标准 2026.1' });
    expect(JSON.parse(entries[0]!.after_json!)).toEqual({ rubric: null });
  });

  it('refuses a standard that does not apply to the case type, and an unknown case type or version', async () => {
    const before = await snapshot();
    const wrong = await follow(await post(`/campaigns/${mainId}/rubrics`, { caseType: 'penalty', versionId: ids.license }));
    expect(wrong.error).toEqual(['“行政许可案卷评查标准”不适用于行政处罚案卷']);
    const unknownType = await follow(await post(`/campaigns/${mainId}/rubrics`, { caseType: 'murder', versionId: ids.penalty }));
    expect(unknownType.error).toEqual(['未知的案卷类型']);
    const unknownVersion = await follow(await post(`/campaigns/${mainId}/rubrics`, { caseType: 'penalty', versionId: 999999 }));
    expect(unknownVersion.error).toEqual(['评查标准版本不存在']);
    expect(await snapshot()).toBe(before);
    expect((await pinsOf(mainId)).penalty).toBe(ids.penalty);
  });

  it('offers on the campaign page only the versions that apply to each case type', async () => {
    const res = await admin.agent.get(`/campaigns/${mainId}`);
    const select = /<select name="versionId" aria-label="行政许可评查标准">([\s\S]*?)<\/select>/.exec(res.text)![1]!;
    expect([...select.matchAll(/<option value="(\d*)"/g)].map((m) => m[1])).toEqual(['', String(ids.license)]);
  });
});

// ---------------------------------------------------------------------------------------------------------
// The lifecycle, on a campaign of its own

let flowId: number;
const files: number[] = [];

async function addCaseFile(unitId: number, caseType: string, n: number): Promise<number> {
  const now = t.clock.now().toISOString();
  return (await t.db.insertInto('case_files').values({
    campaign_id: flowId, unit_id: unitId, file_number: `${caseType}-${unitId}-${n}`, case_type: caseType, field: null,
    cause: '未按规定办理', party: '某公司', handlers: '张三、李四', is_major: 0, closed_on: `${year}-03-01`, pages: 40,
    source: 'entry', created_at: now, created_by: null,
  }).returning('id').executeTakeFirstOrThrow()).id;
}

async function sample(caseFileId: number, removed = false): Promise<void> {
  const now = t.clock.now().toISOString();
  await t.db.insertInto('sampled_files').values({
    campaign_id: flowId, case_file_id: caseFileId, origin: 'manual', draw_id: null, added_at: now, added_by: null, added_reason: '测试',
    removed_at: removed ? now : null, removed_by: null, removed_reason: removed ? '测试移出' : null,
  }).execute();
}

async function assign(caseFileId: number, reviewerId: number): Promise<void> {
  await t.db.insertInto('reviewer_pool').values({ campaign_id: flowId, user_id: reviewerId, added_at: t.clock.now().toISOString() })
    .onConflict((oc) => oc.doNothing()).execute();
  await t.db.insertInto('assignments').values({
    campaign_id: flowId, case_file_id: caseFileId, reviewer_id: reviewerId, origin: 'manual', assigned_at: t.clock.now().toISOString(),
    assigned_by: null, removed_at: null, removed_by: null, removed_reason: null,
  }).execute();
}

const transition = (to: string) => post(`/campaigns/${flowId}/transition`, { to });
const statusOf = async () => (await campaignRow(flowId)).status;

describe('lifecycle', () => {
  beforeAll(async () => { flowId = await createCampaign('流程测试活动'); });

  it('refuses draft → sampling while no unit is chosen, with the reason on the page and in the message', async () => {
    const page = await admin.agent.get(`/campaigns/${flowId}`);
    expect(nextSteps(page.text)).toEqual([{ label: '开始抽取案卷', enabled: false, problems: ['尚未选择参评单位'] }]);

    const before = await snapshot();
    const res = await follow(await transition('sampling'));
    expect(res.location).toBe(`/campaigns/${flowId}`);
    expect(res.error).toEqual(['不能转入该阶段：尚未选择参评单位']);
    expect(await statusOf()).toBe('draft');
    expect(await snapshot()).toBe(before);
  });

  it('names both reasons when no standard is pinned either', async () => {
    for (const caseType of ['penalty', 'license', 'inspection', 'coercion']) {
      await perform(`/campaigns/${flowId}/rubrics`, { caseType, versionId: '' });
    }
    expect(await pinsOf(flowId)).toEqual({});
    const res = await follow(await transition('sampling'));
    expect(res.error).toEqual(['不能转入该阶段：尚未选择参评单位；尚未为任何案卷类型指定评查标准']);
    for (const [caseType, versionId] of [['penalty', ids.penalty], ['license', ids.license]] as const) {
      await perform(`/campaigns/${flowId}/rubrics`, { caseType, versionId });
    }
  });

  it('refuses a jump past the next stage and an unknown stage', async () => {
    const jump = await follow(await transition('reviewing'));
    expect(jump.error).toEqual(['不能转入该阶段：活动当前处于“筹备中”阶段，不能转为“评查中”']);
    const unknown = await transition('finished');
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain('未知的活动阶段');
    expect(await statusOf()).toBe('draft');
  });

  it('moves to sampling once units are chosen, and logs the move', async () => {
    await perform(`/campaigns/${flowId}/units`, { unitIds: [ids.a, ids.b] });
    const page = await admin.agent.get(`/campaigns/${flowId}`);
    expect(nextSteps(page.text)).toEqual([{ label: '开始抽取案卷', enabled: true, problems: [] }]);
    expect(page.text).toContain('data-confirm="开始抽取案卷：进入抽取阶段后，参评单位报送案卷目录，管理员抽取案卷。"');

    t.clock.advance(60_000);
    const res = await follow(await transition('sampling'));
    expect(res.success).toEqual(['活动已转入“抽取案卷”阶段']);
    expect(await campaignRow(flowId)).toMatchObject({ status: 'sampling', status_changed_at: t.clock.now().toISOString() });
    expect(res.html).toContain('<span class="tag status-sampling">抽取案卷</span>');
    expect(res.html).toContain('<li class="current" aria-current="step">抽取案卷</li>');

    const entry = (await auditOf(flowId)).at(-1)!;
    expect(entry).toMatchObject({ action: 'campaign.transition', summary: '“流程测试活动”由“筹备中”转入“抽取案卷”' });
    expect(JSON.parse(entry.before_json!)).toEqual({ status: 'draft' });
    expect(JSON.parse(entry.after_json!)).toEqual({ status: 'sampling' });
  });

  it('refuses sampling → reviewing while nothing is sampled', async () => {
    const page = await admin.agent.get(`/campaigns/${flowId}`);
    expect(nextSteps(page.text)).toEqual([
      { label: '退回筹备', enabled: true, problems: [] },
      { label: '开始评查', enabled: false, problems: ['尚未抽取任何案卷'] },
    ]);
    const res = await follow(await transition('reviewing'));
    expect(res.error).toEqual(['不能转入该阶段：尚未抽取任何案卷']);
    expect(await statusOf()).toBe('sampling');
  });

  it('refuses it while sampled files lack a standard or reviewers', async () => {
    // A draw: units A and B listed files; three penalty files and one licensing file are sampled, one more was taken out again.
    for (const [unit, n] of [[ids.a, 1], [ids.a, 2], [ids.b, 1], [ids.b, 2]] as const) files.push(await addCaseFile(unit, 'penalty', n));
    files.push(await addCaseFile(ids.b, 'license', 1));
    for (const id of [files[0]!, files[2]!, files[3]!, files[4]!]) await sample(id);
    await sample(files[1]!, true);
    await perform(`/campaigns/${flowId}/rubrics`, { caseType: 'license', versionId: '' });

    let res = await follow(await transition('reviewing'));
    expect(res.error).toEqual(['不能转入该阶段：以下案卷类型没有指定评查标准：行政许可；还有 4 卷案卷未分配足够的评查人员']);
    expect(unitRows(res.html)).toEqual([['县生态环境局', '3', '3'], ['县市场监督管理局', '2', '1']]);

    await perform(`/campaigns/${flowId}/rubrics`, { caseType: 'license', versionId: ids.license });
    for (const id of [files[0]!, files[2]!, files[3]!]) await assign(id, ids.reviewerIn);
    for (const id of [files[0]!, files[2]!]) await assign(id, ids.reviewerOut);
    res = await follow(await transition('reviewing'));
    expect(res.error).toEqual(['不能转入该阶段：还有 2 卷案卷未分配足够的评查人员']);
    expect(nextSteps(res.html)[1]).toEqual({ label: '开始评查', enabled: false, problems: ['还有 2 卷案卷未分配足够的评查人员'] });
    expect(await statusOf()).toBe('sampling');
  });

  it('refuses going back to preparation with a sample drawn, and removing a unit whose list is in', async () => {
    const back = await follow(await transition('draft'));
    expect(back.error).toEqual(['不能转入该阶段：已抽取 4 卷案卷，请先撤销抽取结果再退回筹备']);
    const units = await follow(await post(`/campaigns/${flowId}/units`, { unitIds: [ids.a] }));
    expect(units.error).toEqual(['单位“县生态环境局”已报送案卷目录，不能移出本活动（请先删除其案卷目录）']);
    expect(await unitIdsOf(flowId)).toEqual([ids.a, ids.b]);
    expect(await statusOf()).toBe('sampling');
  });

  it('moves to reviewing once every sampled file has its reviewers', async () => {
    await assign(files[3]!, ids.reviewerOut);
    await assign(files[4]!, ids.reviewerIn);
    await assign(files[4]!, ids.reviewerOut);
    const res = await follow(await transition('reviewing'));
    expect(res.success).toEqual(['活动已转入“评查中”阶段']);
    expect(await statusOf()).toBe('reviewing');
  });
});

describe('once reviewing has started', () => {
  const flowForm = () => ({ ...defaultForm(), name: '流程测试活动' });

  it('shows the result-affecting settings locked on the edit form', async () => {
    const res = await admin.agent.get(`/campaigns/${flowId}/edit`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('（评查已开始，影响结果的设置已锁定）');
    for (const name of ['year', 'periodFrom', 'periodTo', 'reviewersPerFile', 'disagreementThresholdTenths', 'commonIssueThreshold']) {
      expect(res.text, name).toMatch(new RegExp(`name="${name}" value="[^"]*"[^>]* readonly>`));
    }
    expect(res.text).toContain('<select name="kind" disabled>');
    expect(res.text).toContain('<input type="hidden" name="kind" value="cross">');
    expect(res.text).not.toMatch(/name="name" value="[^"]*"[^>]* readonly/);
  });

  it.each([
    ['reviewersPerFile', '3', '每卷评查人数'],
    ['kind', 'spot', '评查方式'],
    ['disagreementThresholdTenths', '10', '复核分差'],
    ['commonIssueThreshold', '4', '共性问题单位数'],
  ])('refuses a change of %s with 422, naming the setting', async (field, value, label) => {
    const before = await snapshot();
    const res = await post(`/campaigns/${flowId}`, { ...flowForm(), [field]: value });
    expect(res.status).toBe(422);
    expect(fieldErrors(res.text)).toEqual([`评查已开始，“${label}”会影响已有评查结果，不能再修改`]);
    expect(await snapshot()).toBe(before);
  });

  it('still saves the name and the objection window', async () => {
    const res = await follow(await post(`/campaigns/${flowId}`, { ...flowForm(), name: '流程测试活动（第二批）', objectionWindowDays: '10' }));
    expect(res.success).toEqual(['活动设置已保存']);
    expect(await campaignRow(flowId)).toMatchObject({ name: '流程测试活动（第二批）', objection_window_days: 10, reviewers_per_file: 2, status: 'reviewing' });
    // Back to the old name, so the summaries below read the same.
    await perform(`/campaigns/${flowId}`, { ...flowForm(), objectionWindowDays: '10' });
  });

  it('locks the participating units', async () => {
    const page = await admin.agent.get(`/campaigns/${flowId}/units`);
    expect(page.text).toContain('评查已开始，参评单位不能再调整。');
    expect(page.text).toContain(`name="unitIds" value="${ids.a}" checked disabled>`);
    expect(page.text).not.toContain('保存参评单位');
    const before = await snapshot();
    const res = await follow(await post(`/campaigns/${flowId}/units`, { unitIds: [ids.a, ids.b, ids.c] }));
    expect(res.error).toEqual(['评查已开始，参评单位不能再调整']);
    expect(await snapshot()).toBe(before);
  });

  it('locks the rubrics, and stops offering to change them', async () => {
    const before = await snapshot();
    const res = await follow(await post(`/campaigns/${flowId}/rubrics`, { caseType: 'penalty', versionId: '' }));
    expect(res.error).toEqual(['评查已开始，评查标准不能再更换']);
    expect(await snapshot()).toBe(before);
    expect(res.html).not.toContain('<th>更换</th>');
    expect(res.html).not.toContain(`/campaigns/${flowId}/units"`);
  });

  it('refuses reviewing → rechecking while reviews are pending', async () => {
    const page = await admin.agent.get(`/campaigns/${flowId}`);
    expect(nextSteps(page.text)).toEqual([{ label: '进入复核', enabled: false, problems: ['还有 8 份评分表未提交'] }]);
    const res = await follow(await transition('rechecking'));
    expect(res.error).toEqual(['不能转入该阶段：还有 8 份评分表未提交']);
    expect(await statusOf()).toBe('reviewing');
  });

  it('has every change and stage move in the audit log and under 活动记录', async () => {
    const audit = await auditOf(flowId);
    expect(audit.map((a) => a.action)).toEqual([
      'campaign.create',
      ...Array(4).fill('campaign.rubric'), // all four unpinned
      'campaign.rubric', 'campaign.rubric', // penalty and licensing pinned again
      'campaign.units', 'campaign.transition',
      'campaign.rubric', 'campaign.rubric', // licensing unpinned and pinned again
      'campaign.transition', 'campaign.update', 'campaign.update',
    ]);
    const page = await admin.agent.get(`/campaigns/${flowId}`);
    expect(history(page.text)).toEqual(audit.map((a) => a.summary).reverse());
    expect(history(page.text)).toEqual(expect.arrayContaining([
      '新建评查活动“流程测试活动”',
      '调整“流程测试活动”的参评单位：新增 2 个，移出 0 个',
      '“流程测试活动”由“筹备中”转入“抽取案卷”',
      '“流程测试活动”由“抽取案卷”转入“评查中”',
      '修改评查活动“流程测试活动（第二批）”的设置',
      '行政许可案卷使用“行政许可案卷评查标准”2026.1 版',
    ]));
    // The audit page finds them too.
    const log = await admin.agent.get(`/audit?entityType=campaign&entityId=${flowId}`);
    expect(log.status).toBe(200);
    expect(log.text).toContain('“流程测试活动”由“抽取案卷”转入“评查中”');
  });

  it('refuses every change to a closed campaign', async () => {
    await t.db.updateTable('campaigns').set({ status: 'closed' }).where('id', '=', flowId).execute();
    try {
      const before = await snapshot();
      const update = await post(`/campaigns/${flowId}`, flowForm());
      expect(update.status).toBe(409);
      expect(update.text).toContain('活动已结束，不能再修改');
      const page = await admin.agent.get(`/campaigns/${flowId}`);
      expect(page.text).not.toContain('修改设置');
      expect(page.text).not.toContain('<h2>下一步</h2>');
      expect(await snapshot()).toBe(before);
    } finally {
      await t.db.updateTable('campaigns').set({ status: 'reviewing' }).where('id', '=', flowId).execute();
    }
  });
});

// ---------------------------------------------------------------------------------------------------------
// Who sees what

describe('visibility', () => {
  let otherId: number;
  let department: Session;
  let reviewerIn: Session;
  let reviewerOut: Session;
  let leader: Session;

  beforeAll(async () => {
    // 'other' is a campaign unit A takes no part in; reviewer-in is in its pool only.
    otherId = await createCampaign('生态环境专项评查');
    await perform(`/campaigns/${otherId}/units`, { unitIds: [ids.b, ids.c] });
    await t.db.insertInto('reviewer_pool').values({ campaign_id: otherId, user_id: ids.reviewerIn, added_at: t.clock.now().toISOString() }).execute();
    department = await loginAs(t, 'dept-a', 'Passw0rd1');
    reviewerIn = await loginAs(t, 'reviewer-in', 'Passw0rd1');
    reviewerOut = await loginAs(t, 'reviewer-out', 'Passw0rd1');
    leader = await loginAs(t, 'leader', 'Passw0rd1');
  });

  const listed = (html: string) => [...html.matchAll(/<a href="\/campaigns\/(\d+)">/g)].map((m) => Number(m[1]));

  it('shows a department only the campaigns its unit takes part in', async () => {
    const list = await department.agent.get('/campaigns');
    expect(list.status).toBe(200);
    expect(listed(list.text).sort()).toEqual([mainId, flowId].sort());
    expect(list.text).not.toContain('生态环境专项评查');
    expect(list.text).not.toContain('新建评查活动');

    const other = await department.agent.get(`/campaigns/${otherId}`);
    expect(other.status).toBe(404);
    expect(other.text).toContain('评查活动不存在或已被删除');
    expect(other.text).not.toContain('生态环境专项评查');
  });

  it('shows a department its campaign without management controls, history or other units\' figures', async () => {
    const res = await department.agent.get(`/campaigns/${flowId}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('流程测试活动');
    expect(res.text).not.toContain('<h2>下一步</h2>');
    expect(res.text).not.toContain('<h2>活动记录</h2>');
    expect(res.text).not.toContain('修改设置');
    expect([...res.text.matchAll(/<form method="post" action="([^"]+)"/g)].map((m) => m[1])).toEqual(['/logout']);
    expect(unitRows(res.text)).toEqual([['县市场监督管理局', '2', '1']]);
    expect(res.text).not.toContain('县生态环境局');
  });

  it('shows a reviewer only the campaigns whose pool holds them', async () => {
    // reviewer-in is in the pools of "other" and of the flow campaign (it was assigned there); reviewer-out only the flow's.
    const list = await reviewerIn.agent.get('/campaigns');
    expect(listed(list.text).sort()).toEqual([flowId, otherId].sort());
    expect((await reviewerIn.agent.get(`/campaigns/${otherId}`)).status).toBe(200);
    expect((await reviewerIn.agent.get(`/campaigns/${mainId}`)).status).toBe(404);

    const out = await reviewerOut.agent.get('/campaigns');
    expect(listed(out.text)).toEqual([flowId]);
    for (const id of [mainId, otherId]) expect((await reviewerOut.agent.get(`/campaigns/${id}`)).status).toBe(404);
    await t.db.deleteFrom('reviewer_pool').where('user_id', '=', ids.reviewerOut).where('campaign_id', '=', flowId).execute();
    const none = await reviewerOut.agent.get('/campaigns');
    expect(listed(none.text)).toEqual([]);
    expect(none.text).toContain('目前没有与您有关的评查活动。');
  });

  it('shows a leader every campaign with its history, and no controls', async () => {
    const list = await leader.agent.get('/campaigns');
    expect(listed(list.text)).toEqual(expect.arrayContaining([mainId, flowId, otherId]));
    expect(list.text).not.toContain('新建评查活动');
    const page = await leader.agent.get(`/campaigns/${flowId}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h2>活动记录</h2>');
    expect(unitRows(page.text).map((r) => r[0])).toEqual(['县生态环境局', '县市场监督管理局']);
    expect([...page.text.matchAll(/<form method="post" action="([^"]+)"/g)].map((m) => m[1])).toEqual(['/logout']);
    for (const path of ['/campaigns/new', `/campaigns/${flowId}/edit`, `/campaigns/${flowId}/units`]) {
      expect((await leader.agent.get(path)).status, path).toBe(403);
    }
  });

  it('refuses a leader every change with 403 and leaves no trace', async () => {
    const before = await snapshot();
    const writes: [string, Record<string, string | number | (string | number)[]>][] = [
      ['/campaigns', { ...defaultForm(), name: '领导新建的活动' }],
      [`/campaigns/${mainId}`, { ...defaultForm(), name: '领导改的名' }],
      [`/campaigns/${mainId}/units`, { unitIds: [ids.c] }],
      [`/campaigns/${mainId}/rubrics`, { caseType: 'penalty', versionId: '' }],
      [`/campaigns/${mainId}/transition`, { to: 'sampling' }],
    ];
    for (const [path, fields] of writes) {
      const res = await post(path, fields, leader);
      expect(res.status, path).toBe(403);
      expect(res.text).toContain('您没有权限访问此页面或执行此操作');
    }
    expect(await snapshot()).toBe(before);
  });

  it('refuses a department and a reviewer the same way', async () => {
    const before = await snapshot();
    for (const session of [department, reviewerIn]) {
      expect((await post(`/campaigns/${mainId}/transition`, { to: 'sampling' }, session)).status).toBe(403);
      expect((await post(`/campaigns/${otherId}`, { ...defaultForm(), name: '改名' }, session)).status).toBe(403);
    }
    expect(await snapshot()).toBe(before);
  });
});

describe('CSRF', () => {
  it('refuses a change without the token with 403, and changes nothing', async () => {
    const before = await snapshot();
    const writes: [string, Record<string, string | number | (string | number)[]>][] = [
      ['/campaigns', { ...defaultForm(), name: '没有令牌的活动' }],
      [`/campaigns/${mainId}`, { ...defaultForm(), name: '没有令牌的修改' }],
      [`/campaigns/${mainId}/units`, { unitIds: [ids.c] }],
      [`/campaigns/${mainId}/rubrics`, { caseType: 'penalty', versionId: '' }],
      [`/campaigns/${mainId}/transition`, { to: 'sampling' }],
    ];
    for (const [path, fields] of writes) {
      const missing = await admin.agent.post(path).type('form').send(formBody(fields));
      expect(missing.status, path).toBe(403);
      expect(decode(missing.text)).toContain('页面已过期或请求来源无法验证，请刷新页面后重新提交');
      const wrong = await admin.agent.post(path).type('form').send(formBody({ ...fields, _csrf: 'x'.repeat(admin.csrf.length) }));
      expect(wrong.status, path).toBe(403);
    }
    expect(await snapshot()).toBe(before);
  });
});
