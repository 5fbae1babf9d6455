// Who may open and change what: every role against every unit and user route, by direct URL (not only
// through the menu), plus the navigation each role is shown and the data each list lets through.
//
// Tree: 市司法局 (ROOT) → 县司法局 (CTY) → 执法部门 A, 执法部门 B, and a spare unit for deactivation.
// Campaigns: one unit A takes part in (the reviewer is in its pool), one only B takes part in, and one ready to
// move on to sampling (for the write checks).
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUnit, addUser, createTestApp, loginAs, loginAsAdmin, rootUnitId, type TestApp } from '../support/app.ts';

type Role = 'admin' | 'leader' | 'reviewer' | 'department';
const ROLES: Role[] = ['leader', 'reviewer', 'department', 'admin']; // admin last: its writes change data
const PASSWORD = 'Passw0rd1';

let t: TestApp;
const ids = {
  rubric: 0, licenseRubric: 0, root: 0, county: 0, a: 0, b: 0, spare: 0, leader: 0, reviewer: 0, deptA: 0, userA: 0, userB: 0, target: 0,
  campaignA: 0, campaignB: 0, campaignReady: 0,
};
const sessions = {} as Record<Role, { agent: request.Agent; csrf: string }>;

beforeAll(async () => {
  t = await createTestApp();
  ids.root = await rootUnitId(t.db);
  ids.rubric = (await t.db.selectFrom('rubric_versions').select('id').where('rubric_key', '=', 'penalty-general').executeTakeFirstOrThrow()).id;
  ids.county = await addUnit(t.db, 'CTY', '东安县司法局', 'bureau', ids.root);
  ids.a = await addUnit(t.db, 'DEPT-A', '县市场监督管理局', 'department', ids.county);
  ids.b = await addUnit(t.db, 'DEPT-B', '县生态环境局', 'department', ids.county);
  ids.spare = await addUnit(t.db, 'SPARE', '待撤销的执法部门', 'department', ids.county);
  ids.leader = await addUser(t.db, { username: 'leader', role: 'leader', unitId: ids.root, displayName: '李局长' });
  ids.reviewer = await addUser(t.db, { username: 'reviewer', role: 'reviewer', unitId: ids.root, displayName: '赵评查' });
  ids.deptA = await addUser(t.db, { username: 'depta', role: 'department', unitId: ids.a, displayName: '市监联络员' });
  ids.userA = await addUser(t.db, { username: 'colleague-a', role: 'department', unitId: ids.a, displayName: '市监同事' });
  ids.userB = await addUser(t.db, { username: 'officer-b', role: 'department', unitId: ids.b, displayName: '环保联络员' });
  ids.target = await addUser(t.db, { username: 'target', role: 'reviewer', unitId: ids.root, displayName: '被操作的评查员' });
  ids.licenseRubric = (await t.db.selectFrom('rubric_versions').select('id').where('rubric_key', '=', 'license').executeTakeFirstOrThrow()).id;
  ids.campaignA = await addCampaign('县市场监管参评的交叉评查', [ids.a, ids.b]);
  ids.campaignB = await addCampaign('生态环境专项评查', [ids.b]);
  ids.campaignReady = await addCampaign('待进入抽取阶段的评查', [ids.a]);
  await t.db.insertInto('reviewer_pool').values({ campaign_id: ids.campaignA, user_id: ids.reviewer, added_at: new Date().toISOString() }).execute();
  sessions.admin = await loginAsAdmin(t);
  sessions.leader = await loginAs(t, 'leader', PASSWORD);
  sessions.reviewer = await loginAs(t, 'reviewer', PASSWORD);
  sessions.department = await loginAs(t, 'depta', PASSWORD);
});
afterAll(async () => { await t.close(); });

/** A draft campaign with its units and the penalty standard pinned, inserted directly (these tests are not about creating one). */
async function addCampaign(name: string, unitIds: number[]): Promise<number> {
  const now = new Date().toISOString();
  const { id } = await t.db.insertInto('campaigns').values({
    name, year: 2026, kind: 'cross', status: 'draft', description: null, period_from: null, period_to: null, reviewers_per_file: 2,
    disagreement_threshold_tenths: 50, common_issue_threshold: 3, objection_window_days: 5, rectification_days: 30,
    doc_number_pattern: '案评整改〔{year}〕{seq}号', created_at: now, created_by: null, updated_at: now, status_changed_at: now,
  }).returning('id').executeTakeFirstOrThrow();
  for (const unitId of unitIds) await t.db.insertInto('campaign_units').values({ campaign_id: id, unit_id: unitId }).execute();
  await t.db.insertInto('campaign_rubrics').values({ campaign_id: id, case_type: 'penalty', rubric_version_id: ids.rubric }).execute();
  return id;
}

// ---------------------------------------------------------------------------------------------------------
// Pages (GET)

type Expect = Record<Role, number>;
const all = (status: number): Expect => ({ admin: status, leader: status, reviewer: status, department: status });
const adminOnly: Expect = { admin: 200, leader: 403, reviewer: 403, department: 403 };
const bureauReaders: Expect = { admin: 200, leader: 200, reviewer: 403, department: 200 };

const pages: { path: () => string; label: string; expect: Expect }[] = [
  { label: '/', path: () => '/', expect: all(200) },
  { label: '/units', path: () => '/units', expect: bureauReaders },
  { label: '/units/new', path: () => '/units/new', expect: adminOnly },
  { label: '/units/import', path: () => '/units/import', expect: adminOnly },
  { label: '/units/import/template.csv', path: () => '/units/import/template.csv', expect: adminOnly },
  { label: '/units/:A', path: () => `/units/${ids.a}`, expect: bureauReaders },
  { label: '/units/:B', path: () => `/units/${ids.b}`, expect: { admin: 200, leader: 200, reviewer: 403, department: 403 } },
  { label: '/units/:county (parent of A)', path: () => `/units/${ids.county}`, expect: { admin: 200, leader: 200, reviewer: 403, department: 403 } },
  { label: '/units/:A/edit', path: () => `/units/${ids.a}/edit`, expect: adminOnly },
  { label: '/units/:B/edit', path: () => `/units/${ids.b}/edit`, expect: adminOnly },
  { label: '/users', path: () => '/users', expect: bureauReaders },
  { label: '/users/new', path: () => '/users/new', expect: adminOnly },
  { label: '/users/import', path: () => '/users/import', expect: adminOnly },
  { label: '/users/import/template.xlsx', path: () => '/users/import/template.xlsx', expect: adminOnly },
  { label: '/users/:userInA', path: () => `/users/${ids.userA}`, expect: { admin: 200, leader: 200, reviewer: 404, department: 200 } },
  { label: '/users/:userInB', path: () => `/users/${ids.userB}`, expect: { admin: 200, leader: 200, reviewer: 404, department: 404 } },
  { label: '/users/:leader', path: () => `/users/${ids.leader}`, expect: { admin: 200, leader: 200, reviewer: 404, department: 404 } },
  { label: '/users/:userInA/edit', path: () => `/users/${ids.userA}/edit`, expect: adminOnly },
  { label: '/audit', path: () => '/audit', expect: { admin: 200, leader: 200, reviewer: 403, department: 403 } },
  { label: '/rubrics', path: () => '/rubrics', expect: all(200) },
  { label: '/rubrics/:id', path: () => `/rubrics/${ids.rubric}`, expect: all(200) },
  { label: '/rubrics/:id/download', path: () => `/rubrics/${ids.rubric}/download`, expect: all(200) },
  { label: '/rubrics/compare', path: () => `/rubrics/compare?a=${ids.rubric}&b=${ids.rubric}`, expect: all(200) },
  { label: '/rubrics/upload', path: () => '/rubrics/upload', expect: adminOnly },
  { label: '/campaigns', path: () => '/campaigns', expect: all(200) },
  { label: '/campaigns/new', path: () => '/campaigns/new', expect: adminOnly },
  { label: '/campaigns/:A (A takes part, reviewer in pool)', path: () => `/campaigns/${ids.campaignA}`, expect: all(200) },
  { label: '/campaigns/:B (A takes no part)', path: () => `/campaigns/${ids.campaignB}`, expect: { admin: 200, leader: 200, reviewer: 404, department: 404 } },
  { label: '/campaigns/:A/edit', path: () => `/campaigns/${ids.campaignA}/edit`, expect: adminOnly },
  { label: '/campaigns/:B/edit', path: () => `/campaigns/${ids.campaignB}/edit`, expect: adminOnly },
  { label: '/campaigns/:A/units', path: () => `/campaigns/${ids.campaignA}/units`, expect: adminOnly },
  // File lists (案卷目录): the bureau reads every unit's; a department its own unit's; a reviewer none (only its queue).
  { label: '/campaigns/:A/files', path: () => `/campaigns/${ids.campaignA}/files`, expect: { admin: 200, leader: 200, reviewer: 403, department: 200 } },
  { label: '/campaigns/:A/files?unitId=:A', path: () => `/campaigns/${ids.campaignA}/files?unitId=${ids.a}`, expect: { admin: 200, leader: 200, reviewer: 403, department: 200 } },
  { label: '/campaigns/:A/files?unitId=:B', path: () => `/campaigns/${ids.campaignA}/files?unitId=${ids.b}`, expect: { admin: 200, leader: 200, reviewer: 403, department: 403 } },
  { label: '/campaigns/:B/files', path: () => `/campaigns/${ids.campaignB}/files`, expect: { admin: 200, leader: 200, reviewer: 404, department: 404 } },
  // Import: whoever enters the list — the administrator, or a department for its own unit; the leader never writes.
  { label: '/campaigns/:A/files/import', path: () => `/campaigns/${ids.campaignA}/files/import`, expect: { admin: 200, leader: 403, reviewer: 403, department: 200 } },
  { label: '/campaigns/:A/files/import?unitId=:B', path: () => `/campaigns/${ids.campaignA}/files/import?unitId=${ids.b}`, expect: { admin: 200, leader: 403, reviewer: 403, department: 200 } },
  { label: '/campaigns/:B/files/import', path: () => `/campaigns/${ids.campaignB}/files/import`, expect: { admin: 200, leader: 403, reviewer: 404, department: 404 } },
  // Sampling: rules, seed and draw are open to the units taking part (a department sees its own files only).
  { label: '/campaigns/:A/sampling', path: () => `/campaigns/${ids.campaignA}/sampling`, expect: bureauReaders },
  { label: '/campaigns/:A/sampling?verify=1', path: () => `/campaigns/${ids.campaignA}/sampling?verify=1`, expect: bureauReaders },
  { label: '/campaigns/:B/sampling', path: () => `/campaigns/${ids.campaignB}/sampling`, expect: { admin: 200, leader: 200, reviewer: 404, department: 404 } },
  // Assignments: the bureau only (who reviews whom is not shown to the units or the reviewers).
  { label: '/campaigns/:A/assignments', path: () => `/campaigns/${ids.campaignA}/assignments`, expect: { admin: 200, leader: 200, reviewer: 403, department: 403 } },
  { label: '/campaigns/:B/assignments', path: () => `/campaigns/${ids.campaignB}/assignments`, expect: { admin: 200, leader: 200, reviewer: 404, department: 404 } },
  { label: '/queue', path: () => '/queue', expect: { admin: 403, leader: 403, reviewer: 200, department: 403 } },
  // Scoring: the progress board is the bureau's; the result list is the bureau's and, once released, each department's
  // own (before release a department is told so on a normal page); a reviewer reads results file by file only.
  { label: '/campaigns/:A/progress', path: () => `/campaigns/${ids.campaignA}/progress`, expect: { admin: 200, leader: 200, reviewer: 403, department: 403 } },
  { label: '/campaigns/:B/progress', path: () => `/campaigns/${ids.campaignB}/progress`, expect: { admin: 200, leader: 200, reviewer: 403, department: 403 } },
  { label: '/campaigns/:A/progress?state=final', path: () => `/campaigns/${ids.campaignA}/progress?state=final&unitId=${ids.b}`, expect: { admin: 200, leader: 200, reviewer: 403, department: 403 } },
  { label: '/campaigns/:A/results (not released)', path: () => `/campaigns/${ids.campaignA}/results`, expect: { admin: 200, leader: 200, reviewer: 403, department: 200 } },
  { label: '/campaigns/:A/results?unitId=:B', path: () => `/campaigns/${ids.campaignA}/results?unitId=${ids.b}`, expect: { admin: 200, leader: 200, reviewer: 403, department: 403 } },
  { label: '/campaigns/:B/results', path: () => `/campaigns/${ids.campaignB}/results`, expect: { admin: 200, leader: 200, reviewer: 404, department: 404 } },
  // Issues (问题汇总): as the result list — the bureau's whole campaign, a department its own unit's once released (before
  // that a notice, on the list and on an issue alike), a reviewer none; an unknown issue is a 404.
  { label: '/campaigns/:A/issues (not released)', path: () => `/campaigns/${ids.campaignA}/issues`, expect: { admin: 200, leader: 200, reviewer: 403, department: 200 } },
  { label: '/campaigns/:A/issues?unitId=:B', path: () => `/campaigns/${ids.campaignA}/issues?scope=common&unitId=${ids.b}`, expect: { admin: 200, leader: 200, reviewer: 403, department: 200 } },
  { label: '/campaigns/:B/issues', path: () => `/campaigns/${ids.campaignB}/issues`, expect: { admin: 200, leader: 200, reviewer: 404, department: 404 } },
  { label: '/campaigns/:A/issues/:unknown', path: () => `/campaigns/${ids.campaignA}/issues/${encodeURIComponent('item:penalty-general:S1-01')}`, expect: { admin: 404, leader: 404, reviewer: 403, department: 200 } },
  { label: '/campaigns/:B/issues/:unknown', path: () => `/campaigns/${ids.campaignB}/issues/${encodeURIComponent('item:penalty-general:S1-01')}`, expect: { admin: 404, leader: 404, reviewer: 404, department: 404 } },
];

describe.each(ROLES)('pages as %s', (role) => {
  for (const page of pages) {
    it(`GET ${page.label} → ${page.expect[role]}`, async () => {
      const res = await sessions[role].agent.get(page.path());
      expect(res.status).toBe(page.expect[role]);
      if (res.status === 403) expect(res.text).toContain('您没有权限访问此页面或执行此操作');
      if (res.status === 404) expect(res.text).toContain('不存在');
    });
  }
});

// ---------------------------------------------------------------------------------------------------------
// Changes (POST). Anyone but the administrator is refused, and a refused change leaves no trace.

let seq = 0;
const unique = () => String(++seq);
const unitCsv = (code: string) => Buffer.from(`单位编码,单位名称,单位类型,上级单位编码\n${code},导入的执法部门${code},执法部门,CTY\n`);
const userCsv = (username: string) => Buffer.from(`用户名,姓名,角色,所属单位编码,初始密码\n${username},导入的人员,部门用户,DEPT-A,Import2026x\n`);

const writes: { label: string; adminStatus: number; send: (s: { agent: request.Agent; csrf: string }) => Promise<request.Response> }[] = [
  {
    label: 'POST /units', adminStatus: 302,
    send: ({ agent, csrf }) => agent.post('/units').type('form')
      .send({ _csrf: csrf, code: `NEW-${unique()}`, name: '新建的执法部门', kind: 'department', parentId: String(ids.county) }),
  },
  {
    label: 'POST /units/:A', adminStatus: 302,
    send: ({ agent, csrf }) => agent.post(`/units/${ids.a}`).type('form')
      .send({ _csrf: csrf, code: 'DEPT-A', name: '县市场监督管理局（更名）', kind: 'department', parentId: String(ids.county) }),
  },
  {
    label: 'POST /units/:B (another unit)', adminStatus: 302,
    send: ({ agent, csrf }) => agent.post(`/units/${ids.b}`).type('form')
      .send({ _csrf: csrf, code: 'DEPT-B', name: '县生态环境局（更名）', kind: 'department', parentId: String(ids.county) }),
  },
  {
    label: 'POST /units/:spare/deactivate', adminStatus: 302,
    send: ({ agent, csrf }) => agent.post(`/units/${ids.spare}/deactivate`).type('form').send({ _csrf: csrf }),
  },
  {
    label: 'POST /units/import', adminStatus: 302,
    send: ({ agent, csrf }) => agent.post('/units/import').field('_csrf', csrf).attach('file', unitCsv(`IMP-${unique()}`), '单位.csv'),
  },
  {
    label: 'POST /users', adminStatus: 201,
    send: ({ agent, csrf }) => agent.post('/users').type('form').send({
      _csrf: csrf, username: `new-user-${unique()}`, displayName: '新同事', role: 'department', unitId: String(ids.a), password: 'Start2026x',
    }),
  },
  {
    label: 'POST /users/:userInA (edit)', adminStatus: 302,
    send: ({ agent, csrf }) => agent.post(`/users/${ids.userA}`).type('form')
      .send({ _csrf: csrf, displayName: '市监同事（调岗）', role: 'department', unitId: String(ids.a) }),
  },
  {
    label: 'POST /users/:target/reset-password', adminStatus: 200,
    send: ({ agent, csrf }) => agent.post(`/users/${ids.target}/reset-password`).type('form').send({ _csrf: csrf }),
  },
  {
    label: 'POST /users/:userInA/reset-password (own unit)', adminStatus: 200,
    send: ({ agent, csrf }) => agent.post(`/users/${ids.userA}/reset-password`).type('form').send({ _csrf: csrf }),
  },
  {
    label: 'POST /users/:target/unlock', adminStatus: 302,
    send: ({ agent, csrf }) => agent.post(`/users/${ids.target}/unlock`).type('form').send({ _csrf: csrf }),
  },
  {
    label: 'POST /users/:target/deactivate', adminStatus: 302,
    send: ({ agent, csrf }) => agent.post(`/users/${ids.target}/deactivate`).type('form').send({ _csrf: csrf }),
  },
  {
    label: 'POST /rubrics/upload', adminStatus: 302,
    send: ({ agent, csrf }) => agent.post('/rubrics/upload').field('_csrf', csrf).attach('file', minimalRubric(`matrix-${unique()}`), 'rubric.json'),
  },
  {
    label: 'POST /users/import', adminStatus: 201,
    send: ({ agent, csrf }) => agent.post('/users/import').field('_csrf', csrf).attach('file', userCsv(`imported-${unique()}`), '用户.csv'),
  },
  {
    label: 'POST /campaigns', adminStatus: 302,
    send: ({ agent, csrf }) => agent.post('/campaigns').type('form').send({ _csrf: csrf, ...settingsForm(`新建的评查活动${unique()}`) }),
  },
  {
    label: 'POST /campaigns/:B (settings)', adminStatus: 302,
    send: ({ agent, csrf }) => agent.post(`/campaigns/${ids.campaignB}`).type('form').send({ _csrf: csrf, ...settingsForm(`更名的评查活动${unique()}`) }),
  },
  {
    label: 'POST /campaigns/:ready/units', adminStatus: 302,
    send: ({ agent, csrf }) => agent.post(`/campaigns/${ids.campaignReady}/units`).type('form')
      .send(`_csrf=${encodeURIComponent(csrf)}&unitIds=${ids.a}&unitIds=${ids.b}`),
  },
  {
    label: 'POST /campaigns/:ready/rubrics', adminStatus: 302,
    send: ({ agent, csrf }) => agent.post(`/campaigns/${ids.campaignReady}/rubrics`).type('form')
      .send({ _csrf: csrf, caseType: 'license', versionId: String(ids.licenseRubric) }),
  },
  {
    label: 'POST /campaigns/:ready/transition', adminStatus: 302,
    send: ({ agent, csrf }) => agent.post(`/campaigns/${ids.campaignReady}/transition`).type('form').send({ _csrf: csrf, to: 'sampling' }),
  },
];

const settingsForm = (name: string) => ({
  name, year: '2026', kind: 'cross', description: '', periodFrom: '', periodTo: '', reviewersPerFile: '2', disagreementThresholdTenths: '5',
  commonIssueThreshold: '3', objectionWindowDays: '5', rectificationDays: '30', docNumberPattern: '案评整改〔{year}〕{seq}号',
});

function minimalRubric(version: string): Buffer {
  const rubric = JSON.parse(fs.readFileSync(path.resolve('test/fixtures/rubrics/good/minimal.json'), 'utf8')) as { version: string };
  return Buffer.from(JSON.stringify({ ...rubric, version }));
}

/** Everything a write could change: units, users (with their password hashes), rubric versions, campaigns (with their
 * units and pinned rubrics) and the audit log. */
async function snapshot(): Promise<string> {
  const rubrics = await t.db.selectFrom('rubric_versions').select(['id', 'content_hash']).orderBy('id').execute();
  const units = await t.db.selectFrom('units').selectAll().orderBy('id').execute();
  const users = await t.db.selectFrom('users').selectAll().orderBy('id').execute();
  const campaigns = await t.db.selectFrom('campaigns').selectAll().orderBy('id').execute();
  const campaignUnits = await t.db.selectFrom('campaign_units').selectAll().orderBy('campaign_id').orderBy('unit_id').execute();
  const campaignRubrics = await t.db.selectFrom('campaign_rubrics').selectAll().orderBy('campaign_id').orderBy('case_type').execute();
  const audit = await t.db.selectFrom('audit_log').select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return JSON.stringify({ rubrics, units, users, campaigns, campaignUnits, campaignRubrics, audit: Number(audit.n) });
}

describe.each(ROLES)('changes as %s', (role) => {
  for (const write of writes) {
    const status = role === 'admin' ? write.adminStatus : 403;
    it(`${write.label} → ${status}`, async () => {
      const before = await snapshot();
      const res = await write.send(sessions[role]);
      expect(res.status).toBe(status);
      if (role === 'admin') {
        expect(await snapshot()).not.toBe(before);
      } else {
        expect(res.text).toContain('您没有权限访问此页面或执行此操作');
        expect(await snapshot()).toBe(before);
      }
    });
  }
});

// ---------------------------------------------------------------------------------------------------------
// What the pages show

/** The sidebar links as [href, label] pairs. */
function navOf(html: string): [string, string][] {
  const nav = /<nav class="sidenav"[^>]*>([\s\S]*?)<\/nav>/.exec(html)?.[1] ?? '';
  return [...nav.matchAll(/<a href="([^"]+)"[^>]*>([^<]+)<\/a>/g)].map((m) => [m[1]!, m[2]!]);
}

describe('navigation', () => {
  const expected: Record<Role, [string, string][]> = {
    admin: [['/', '工作台'], ['/campaigns', '评查活动'], ['/rectification', '整改'], ['/ratings', '年度考评'], ['/units', '单位管理'], ['/users', '用户管理'], ['/rubrics', '评查标准'], ['/audit', '操作日志']],
    leader: [['/', '工作台'], ['/campaigns', '评查活动'], ['/rectification', '整改'], ['/ratings', '年度考评'], ['/units', '单位管理'], ['/users', '用户管理'], ['/rubrics', '评查标准'], ['/audit', '操作日志']],
    reviewer: [['/', '工作台'], ['/queue', '我的评查任务'], ['/campaigns', '评查活动'], ['/rubrics', '评查标准']],
    department: [['/', '工作台'], ['/campaigns', '评查活动'], ['/rectification', '本单位整改'], ['/ratings', '年度考评'], ['/units', '本单位'], ['/users', '本单位人员'], ['/rubrics', '评查标准']],
  };

  it.each(ROLES)('shows %s only the links the role may open', async (role) => {
    const home = await sessions[role].agent.get('/');
    expect(navOf(home.text)).toEqual(expected[role]);
    for (const [href] of navOf(home.text)) {
      expect((await sessions[role].agent.get(href)).status, href).toBe(200);
    }
  });

  it('marks the current section', async () => {
    const res = await sessions.admin.agent.get(`/users/${ids.userA}`);
    expect(res.text).toContain('<a href="/users" class="active" aria-current="page">用户管理</a>');
  });

  it.each(ROLES)('links %s, on the pages it can open, only to pages it may open', async (role) => {
    const { agent } = sessions[role];
    const starts = ['/', '/units', '/users', `/units/${ids.a}`, `/users/${ids.userA}`, `/users/${ids[role === 'admin' ? 'userB' : role === 'department' ? 'deptA' : role]}`,
      '/campaigns', `/campaigns/${ids.campaignA}`, `/campaigns/${ids.campaignA}/files`, `/campaigns/${ids.campaignA}/files/import`,
      `/campaigns/${ids.campaignA}/sampling`, `/campaigns/${ids.campaignA}/assignments`, '/queue',
      `/campaigns/${ids.campaignA}/progress`, `/campaigns/${ids.campaignA}/results`, `/campaigns/${ids.campaignA}/issues`];
    const checked = new Set<string>();
    for (const start of starts) {
      const page = await agent.get(start);
      if (page.status !== 200) continue;
      const hrefs = [...page.text.matchAll(/<a [^>]*href="(\/[^"]*)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'))
        .filter((h) => !h.startsWith('/assets/'));
      for (const href of hrefs) {
        if (checked.has(href)) continue;
        checked.add(href);
        const res = await agent.get(href);
        expect(res.status, `${start} links to ${href}`).toBe(200);
      }
    }
    expect(checked.size).toBeGreaterThan(0);
  });
});

describe('department user sees only its own unit', () => {
  it('lists only its own unit on /units', async () => {
    const res = await sessions.department.agent.get('/units');
    expect(res.status).toBe(200);
    expect(res.text).toContain('县市场监督管理局');
    for (const other of ['县生态环境局', '东安县司法局', '待撤销的执法部门', 'DEPT-B']) expect(res.text).not.toContain(other);
    expect(res.text).not.toContain('新建单位');
  });

  it('lists only its own unit\'s people on /users, whatever unitId is asked for', async () => {
    const res = await sessions.department.agent.get('/users');
    expect(res.status).toBe(200);
    expect(res.text).toContain('本单位人员');
    expect(res.text).toContain('colleague-a');
    expect(res.text).toContain('depta');
    for (const other of ['officer-b', '环保联络员', 'leader', '李局长', 'reviewer', 'admin', '县生态环境局']) {
      expect(res.text).not.toContain(`>${other}<`);
    }
    expect(res.text).not.toContain('新建用户');

    const forB = await sessions.department.agent.get(`/users?unitId=${ids.b}`);
    expect(forB.status).toBe(200);
    expect(forB.text).not.toContain('officer-b');
    expect(forB.text).not.toContain('环保联络员');
    const rows = [...forB.text.matchAll(/<a href="\/users\/(\d+)">/g)].map((m) => Number(m[1]));
    expect(rows.every((id) => id === ids.deptA || id === ids.userA)).toBe(true);

    const search = await sessions.department.agent.get('/users?q=officer');
    expect(search.text).not.toContain('officer-b');
    expect(search.text).toContain('没有符合条件的用户');
  });

  it('sees its own unit\'s page with its people but no management buttons', async () => {
    const res = await sessions.department.agent.get(`/units/${ids.a}`);
    expect(res.text).toContain('市监同事');
    expect(res.text).not.toContain('环保联络员');
    expect(res.text).not.toContain(`/units/${ids.a}/edit`);
    expect(res.text).not.toContain('/deactivate');
    // The parent bureau is named, but not offered as a link the user could not open.
    expect(res.text).toContain('东安县司法局');
    expect(res.text).not.toContain(`href="/units/${ids.county}"`);
  });

  it('is told on the result list that results are not yet released, and sees no files there', async () => {
    const res = await sessions.department.agent.get(`/campaigns/${ids.campaignA}/results`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('评查结果尚未发布');
    expect(res.text).not.toContain('<table');
  });

  it('is told on the issue list that results are not yet released, and sees no issues there', async () => {
    const res = await sessions.department.agent.get(`/campaigns/${ids.campaignA}/issues`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('评查结果尚未发布');
    expect(res.text).not.toContain('<table');
  });

  it('gets no data from another unit\'s pages', async () => {
    const unit = await sessions.department.agent.get(`/units/${ids.b}`);
    expect(unit.text).not.toContain('县生态环境局');
    const user = await sessions.department.agent.get(`/users/${ids.userB}`);
    expect(user.text).not.toContain('环保联络员');
    expect(user.text).not.toContain('officer-b');
  });
});

describe('leader reads everything and changes nothing', () => {
  it('sees every unit and every user', async () => {
    const units = await sessions.leader.agent.get('/units');
    for (const name of ['市司法局', '东安县司法局', '县市场监督管理局', '县生态环境局']) expect(units.text).toContain(name);
    const users = await sessions.leader.agent.get('/users');
    for (const name of ['colleague-a', 'officer-b', 'reviewer', 'admin']) expect(users.text).toContain(name);
  });

  it('is offered no buttons that change data', async () => {
    for (const path of ['/units', '/users', `/units/${ids.a}`, `/users/${ids.userA}`, '/campaigns', `/campaigns/${ids.campaignA}`,
      `/campaigns/${ids.campaignA}/progress`, `/campaigns/${ids.campaignA}/results`, `/campaigns/${ids.campaignA}/issues`]) {
      const res = await sessions.leader.agent.get(path);
      expect(res.status, path).toBe(200);
      for (const control of ['新建单位', '新建用户', '批量导入', '重置密码', '解除锁定', '/edit', '/deactivate', '新建评查活动', '选择参评单位']) {
        expect(res.text, `${path}: ${control}`).not.toContain(control);
      }
      // The only form a leader is shown besides filters is the logout button.
      const actions = [...res.text.matchAll(/<form method="post" action="([^"]+)"/g)].map((m) => m[1]);
      expect(actions, path).toEqual(['/logout']);
    }
  });
});

describe('reviewer', () => {
  it('sees on /queue only the files assigned to it', async () => {
    const now = new Date().toISOString();
    const file = async (unitId: number, fileNumber: string) => (await t.db.insertInto('case_files').values({
      campaign_id: ids.campaignA, unit_id: unitId, file_number: fileNumber, case_type: 'penalty', field: null, cause: `${fileNumber}的案由`,
      party: null, handlers: '张三、李四', is_major: 0, closed_on: null, pages: 30, source: 'entry', created_at: now, created_by: null,
    }).returning('id').executeTakeFirstOrThrow()).id;
    const assign = async (caseFileId: number, reviewerId: number) => t.db.insertInto('assignments').values({
      campaign_id: ids.campaignA, case_file_id: caseFileId, reviewer_id: reviewerId, origin: 'manual', assigned_at: now, assigned_by: null,
      removed_at: null, removed_by: null, removed_reason: null,
    }).execute();
    await assign(await file(ids.a, '队列-本人-1号'), ids.reviewer);
    await assign(await file(ids.b, '队列-他人-2号'), ids.target);
    const res = await sessions.reviewer.agent.get('/queue');
    expect(res.status).toBe(200);
    expect(res.text).toContain('队列-本人-1号');
    expect(res.text).not.toContain('队列-他人-2号');
  });

  it('may open its own profile but nobody else\'s', async () => {
    expect((await sessions.reviewer.agent.get(`/users/${ids.reviewer}`)).status).toBe(200);
    expect((await sessions.reviewer.agent.get(`/users/${ids.target}`)).status).toBe(404);
  });

  it('sees its unit named on its profile without a link to the unit page it may not open', async () => {
    const res = await sessions.reviewer.agent.get(`/users/${ids.reviewer}`);
    expect(res.text).toContain('市司法局');
    expect(res.text).not.toContain(`href="/units/${ids.root}"`);
    const admin = await sessions.admin.agent.get(`/users/${ids.reviewer}`);
    expect(admin.text).toContain(`href="/units/${ids.root}"`);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Rectification on the campaign side (整改 and 整改台账): every unit's notices, so the bureau only — the administrator
// and the leader read, only the administrator issues notices (and only once results are released: campaign A is a
// draft, so the administrator is refused with a message and nothing changes). A department reads its own notices
// at /rectification, never the campaign-wide pages; a reviewer none.

const rectificationPages: { path: () => string; label: string; expect: Expect }[] = [
  { label: '/campaigns/:A/rectification', path: () => `/campaigns/${ids.campaignA}/rectification`, expect: { admin: 200, leader: 200, reviewer: 403, department: 403 } },
  { label: '/campaigns/:B/rectification', path: () => `/campaigns/${ids.campaignB}/rectification`, expect: { admin: 200, leader: 200, reviewer: 403, department: 403 } },
  { label: '/campaigns/:A/rectification/ledger', path: () => `/campaigns/${ids.campaignA}/rectification/ledger`, expect: { admin: 200, leader: 200, reviewer: 403, department: 403 } },
  { label: '/campaigns/:A/rectification/ledger?unitId=:A', path: () => `/campaigns/${ids.campaignA}/rectification/ledger?unitId=${ids.a}&state=overdue`, expect: { admin: 200, leader: 200, reviewer: 403, department: 403 } },
  { label: '/campaigns/:A/rectification/ledger.csv', path: () => `/campaigns/${ids.campaignA}/rectification/ledger.csv`, expect: { admin: 200, leader: 200, reviewer: 403, department: 403 } },
  { label: '/campaigns/:unknown/rectification', path: () => '/campaigns/999999/rectification/ledger', expect: { admin: 404, leader: 404, reviewer: 403, department: 403 } },
];

describe.each(ROLES)('rectification campaign pages as %s', (role) => {
  for (const page of rectificationPages) {
    it(`GET ${page.label} → ${page.expect[role]}`, async () => {
      const res = await sessions[role].agent.get(page.path());
      expect(res.status).toBe(page.expect[role]);
      if (res.status === 403) expect(res.text).toContain('您没有权限访问此页面或执行此操作');
      if (res.status === 404) expect(res.text).toContain('不存在');
    });
  }

  const status = role === 'admin' ? 302 : 403;
  it(`POST /campaigns/:A/rectification/notices → ${status}, nothing issued`, async () => {
    const before = await snapshot();
    const { agent, csrf } = sessions[role];
    const res = await agent.post(`/campaigns/${ids.campaignA}/rectification/notices`).type('form')
      .send({ _csrf: csrf, issuedOn: '2026-11-23', deadline: '2026-12-23', requirements: '' });
    expect(res.status).toBe(status);
    if (role === 'admin') {
      const page = await agent.get(`/campaigns/${ids.campaignA}/rectification`);
      expect(page.text).toContain('评查结果发布后、活动结束前才能下发整改通知书');
    } else {
      expect(res.text).toContain('您没有权限访问此页面或执行此操作');
    }
    expect(await snapshot()).toBe(before);
    expect(await t.db.selectFrom('rectification_notices').selectAll().execute()).toEqual([]);
  });
});

describe('rectification campaign pages: the leader reads and changes nothing', () => {
  it('is offered no form but the logout button, and no link it may not open', async () => {
    for (const path of [`/campaigns/${ids.campaignA}/rectification`, `/campaigns/${ids.campaignA}/rectification/ledger`]) {
      const res = await sessions.leader.agent.get(path);
      expect(res.status, path).toBe(200);
      expect([...res.text.matchAll(/<form method="post" action="([^"]+)"/g)].map((m) => m[1]), path).toEqual(['/logout']);
      expect(res.text, path).not.toContain('下发整改通知书</button>');
      const hrefs = [...res.text.matchAll(/<a [^>]*href="(\/campaigns\/[^"]*)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
      for (const href of hrefs) expect((await sessions.leader.agent.get(href)).status, `${path} links to ${href}`).toBe(200);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------
// Rectification, notice side (整改清单): /rectification, a notice with its print and Word versions, evidence files,
// and every change, for every role. A released campaign with a notice for unit A and one for unit B, inserted
// directly (these tests are not about issuing notices). Kept in one block, separate from the other areas'.

describe('rectification notices', () => {
  const rect = { campaign: 0, fileA: 0, fileB: 0, noticeA: 0, noticeB: 0, itemA: 0, itemB: 0, measureA: 0, spareA: 0, measureB: 0, attachmentA: 0, attachmentB: 0 };
  const PDF = Buffer.from('%PDF-1.7\nrole matrix evidence\n%%EOF\n');

  beforeAll(async () => {
    const now = new Date().toISOString();
    rect.campaign = (await t.db.insertInto('campaigns').values({
      name: '已发布结果的整改评查', year: 2026, kind: 'cross', status: 'released', description: null, period_from: null, period_to: null,
      reviewers_per_file: 2, disagreement_threshold_tenths: 50, common_issue_threshold: 3, objection_window_days: 5, rectification_days: 30,
      doc_number_pattern: '矩阵整改〔{year}〕{seq}号', created_at: now, created_by: null, updated_at: now, status_changed_at: now, released_at: now,
    }).returning('id').executeTakeFirstOrThrow()).id;
    for (const unitId of [ids.a, ids.b]) await t.db.insertInto('campaign_units').values({ campaign_id: rect.campaign, unit_id: unitId }).execute();
    const file = async (unitId: number, fileNumber: string) => (await t.db.insertInto('case_files').values({
      campaign_id: rect.campaign, unit_id: unitId, file_number: fileNumber, case_type: 'penalty', field: null, cause: '整改矩阵案由', party: null,
      handlers: '张三、李四', is_major: 0, closed_on: null, pages: 20, source: 'entry', created_at: now, created_by: null,
    }).returning('id').executeTakeFirstOrThrow()).id;
    rect.fileA = await file(ids.a, '整改-A-001');
    rect.fileB = await file(ids.b, '整改-B-001');
    const notice = async (unitId: number, seq: number, fileId: number, fileNumber: string) => {
      const { id } = await t.db.insertInto('rectification_notices').values({
        campaign_id: rect.campaign, unit_id: unitId, year: 2026, seq, doc_number: `矩阵整改〔2026〕${seq}号`, issued_on: '2026-03-01',
        deadline: '2026-03-31', requirements: '请逐项整改。', issued_by: null, created_at: now, report_submitted_at: null, report_submitted_by: null,
      }).returning('id').executeTakeFirstOrThrow();
      const item = (await t.db.insertInto('rectification_items').values({
        notice_id: id, position: 0, issue_key: 'item:penalty-general:S1-01', kind: 'deduction', code: 'S1-01', wording: '执法人员未出示执法证件',
        category: '执法主体', scope: 'individual', repeated: 0, files: JSON.stringify([{ fileId, fileNumber }]),
      }).returning('id').executeTakeFirstOrThrow()).id;
      return { id, item };
    };
    const measure = async (noticeId: number, itemId: number, status: string) => (await t.db.insertInto('rectification_measures').values({
      item_id: itemId, notice_id: noticeId, description: `状态为 ${status} 的整改措施`, responsible: '李明', completed_on: '2026-03-20', evidence: '',
      status, created_by: null, created_at: now, updated_at: now, submitted_at: status === 'draft' ? null : now, verified_at: null, verified_by: null,
      returned_at: null, returned_by: null, return_reason: null, deleted_at: null,
    }).returning('id').executeTakeFirstOrThrow()).id;
    const attachment = async (measureId: number) => (await t.db.insertInto('attachments').values({
      measure_id: measureId, filename: '佐证.pdf', mime: 'application/pdf', size: PDF.length, sha256: 'x'.repeat(64), data: PDF,
      uploaded_by: null, uploaded_at: now, removed_at: null,
    }).returning('id').executeTakeFirstOrThrow()).id;
    ({ id: rect.noticeA, item: rect.itemA } = await notice(ids.a, 901, rect.fileA, '整改-A-001'));
    ({ id: rect.noticeB, item: rect.itemB } = await notice(ids.b, 902, rect.fileB, '整改-B-001'));
    rect.measureA = await measure(rect.noticeA, rect.itemA, 'draft');
    rect.spareA = await measure(rect.noticeA, rect.itemA, 'draft');
    rect.measureB = await measure(rect.noticeB, rect.itemB, 'submitted');
    rect.attachmentA = await attachment(rect.measureA);
    rect.attachmentB = await attachment(rect.measureB);
  });

  const noticeUrl = (id: number) => `/rectification/notices/${id}`;
  const otherUnitPage: Expect = { admin: 200, leader: 200, reviewer: 403, department: 404 };
  const rectPages: { label: string; path: () => string; expect: Expect }[] = [
    { label: '/rectification', path: () => '/rectification', expect: bureauReaders },
    { label: '/rectification/notices/:A', path: () => noticeUrl(rect.noticeA), expect: bureauReaders },
    { label: '/rectification/notices/:A/print', path: () => `${noticeUrl(rect.noticeA)}/print`, expect: bureauReaders },
    { label: '/rectification/notices/:A/download', path: () => `${noticeUrl(rect.noticeA)}/download`, expect: bureauReaders },
    { label: '/rectification/attachments/:A', path: () => `/rectification/attachments/${rect.attachmentA}`, expect: bureauReaders },
    { label: '/rectification/notices/:B', path: () => noticeUrl(rect.noticeB), expect: otherUnitPage },
    { label: '/rectification/notices/:B/print', path: () => `${noticeUrl(rect.noticeB)}/print`, expect: otherUnitPage },
    { label: '/rectification/notices/:B/download', path: () => `${noticeUrl(rect.noticeB)}/download`, expect: otherUnitPage },
    { label: '/rectification/attachments/:B', path: () => `/rectification/attachments/${rect.attachmentB}`, expect: otherUnitPage },
    { label: '/rectification/notices/:unknown', path: () => noticeUrl(999999), expect: { admin: 404, leader: 404, reviewer: 403, department: 404 } },
  ];

  describe.each(ROLES)('pages as %s', (role) => {
    for (const page of rectPages) {
      it(`GET ${page.label} → ${page.expect[role]}`, async () => {
        const res = await sessions[role].agent.get(page.path());
        expect(res.status).toBe(page.expect[role]);
        if (res.status === 403) expect(res.text).toContain('您没有权限访问此页面或执行此操作');
        if (res.status === 404) expect(res.text).toContain('不存在');
      });
    }
  });

  /** Everything a rectification change could touch. */
  async function rectSnapshot(): Promise<string> {
    const measures = await t.db.selectFrom('rectification_measures').selectAll().orderBy('id').execute();
    const notices = await t.db.selectFrom('rectification_notices').selectAll().orderBy('id').execute();
    const attachments = await t.db.selectFrom('attachments').select(['id', 'measure_id', 'removed_at']).orderBy('id').execute();
    const audit = await t.db.selectFrom('audit_log').select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return JSON.stringify({ measures, notices, attachments, audit: Number(audit.n) });
  }

  type Send = (s: { agent: request.Agent; csrf: string }) => Promise<request.Response>;
  const form = (path: string, body: Record<string, string> = {}): Send => ({ agent, csrf }) => agent.post(path).type('form').send({ _csrf: csrf, ...body });
  const measureForm = { description: '角色矩阵中的整改措施', responsible: '李明', completedOn: '2026-03-20', evidence: '' };
  // A department works its own unit's list (B's records are a 404 to it); only the administrator verifies. In order:
  // the department's report submits A's measures, which the administrator (last) then verifies.
  const ownUnit: Expect = { admin: 403, leader: 403, reviewer: 403, department: 302 };
  const otherUnit: Expect = { admin: 403, leader: 403, reviewer: 403, department: 404 };
  const verifier: Expect = { admin: 302, leader: 403, reviewer: 403, department: 403 };
  const rectWrites: { label: string; expect: Expect; send: Send }[] = [
    { label: 'add a measure to :A', expect: ownUnit, send: (x) => form(`/rectification/items/${rect.itemA}/measures`, measureForm)(x) },
    { label: 'add a measure to :B', expect: otherUnit, send: (x) => form(`/rectification/items/${rect.itemB}/measures`, measureForm)(x) },
    { label: 'update measure :A', expect: ownUnit, send: (x) => form(`/rectification/measures/${rect.measureA}`, { ...measureForm, description: '修改后的措施' })(x) },
    { label: 'update measure :B', expect: otherUnit, send: (x) => form(`/rectification/measures/${rect.measureB}`, measureForm)(x) },
    {
      label: 'upload to measure :A', expect: ownUnit,
      send: ({ agent, csrf }) => agent.post(`/rectification/measures/${rect.measureA}/attachments`).field('_csrf', csrf).attach('file', PDF, '新佐证.pdf'),
    },
    {
      label: 'upload to measure :B', expect: otherUnit,
      send: ({ agent, csrf }) => agent.post(`/rectification/measures/${rect.measureB}/attachments`).field('_csrf', csrf).attach('file', PDF, '新佐证.pdf'),
    },
    { label: 'remove attachment :A', expect: ownUnit, send: (x) => form(`/rectification/attachments/${rect.attachmentA}/delete`)(x) },
    { label: 'remove attachment :B', expect: otherUnit, send: (x) => form(`/rectification/attachments/${rect.attachmentB}/delete`)(x) },
    { label: 'delete measure :A', expect: ownUnit, send: (x) => form(`/rectification/measures/${rect.spareA}/delete`)(x) },
    { label: 'delete measure :B', expect: otherUnit, send: (x) => form(`/rectification/measures/${rect.measureB}/delete`)(x) },
    { label: 'report :A', expect: ownUnit, send: (x) => form(`${noticeUrl(rect.noticeA)}/report`)(x) },
    { label: 'report :B', expect: otherUnit, send: (x) => form(`${noticeUrl(rect.noticeB)}/report`)(x) },
    { label: 'verify measure :B', expect: verifier, send: (x) => form(`/rectification/measures/${rect.measureB}/review`, { decision: 'verify' })(x) },
    { label: 'return measure :A', expect: verifier, send: (x) => form(`/rectification/measures/${rect.measureA}/review`, { decision: 'return', reason: '佐证不足' })(x) },
  ];

  describe.each(ROLES)('changes as %s', (role) => {
    for (const write of rectWrites) {
      it(`${write.label} → ${write.expect[role]}`, async () => {
        const before = await rectSnapshot();
        const res = await write.send(sessions[role]);
        expect(res.status).toBe(write.expect[role]);
        if (res.status === 302) {
          expect(res.headers.location).toMatch(/^\/rectification\/notices\/\d+$/);
          const page = await sessions[role].agent.get(res.headers.location!);
          expect(page.text).toContain('flash flash-success');
          expect(await rectSnapshot()).not.toBe(before);
        } else {
          expect(res.text).toContain(res.status === 403 ? '您没有权限访问此页面或执行此操作' : '不存在');
          expect(await rectSnapshot()).toBe(before);
        }
      });
    }
  });

  it.each(ROLES)('links %s, on the rectification pages it can open, only to pages it may open', async (role) => {
    const { agent } = sessions[role];
    const checked = new Set<string>();
    for (const start of ['/rectification', noticeUrl(rect.noticeA), noticeUrl(rect.noticeB), `${noticeUrl(rect.noticeA)}/print`]) {
      const page = await agent.get(start);
      if (page.status !== 200) continue;
      const hrefs = [...page.text.matchAll(/<a [^>]*href="(\/[^"]*)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&')).filter((h) => !h.startsWith('/assets/'));
      for (const href of hrefs) {
        if (checked.has(href)) continue;
        checked.add(href);
        expect((await agent.get(href)).status, `${start} links to ${href}`).toBe(200);
      }
    }
    expect(checked.size > 0).toBe(role !== 'reviewer');
  });

  it('lists for a department only its own unit’s notices', async () => {
    const res = await sessions.department.agent.get('/rectification');
    expect(res.text).toContain(`href="${noticeUrl(rect.noticeA)}"`);
    expect(res.text).not.toContain(`href="${noticeUrl(rect.noticeB)}"`);
    expect(res.text).not.toContain('县生态环境局');
  });

  it('offers the leader no form on the rectification pages', async () => {
    for (const path of ['/rectification', noticeUrl(rect.noticeA), noticeUrl(rect.noticeB), `${noticeUrl(rect.noticeA)}/print`]) {
      const res = await sessions.leader.agent.get(path);
      expect(res.status, path).toBe(200);
      const actions = [...res.text.matchAll(/<form method="post" action="([^"]+)"/g)].map((m) => m[1]);
      expect(actions, path).toEqual(['/logout']);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------
// Statistics (统计分析): the bureau reads every campaign's figures (a unit's with ?unitId=); a department its own unit's
// once the results are released (a notice before that; another unit's figures are refused); a reviewer none. A
// released campaign of units A and B with final results inserted directly gives the pages something to show.

describe('statistics pages', () => {
  const stats = { campaign: 0 };

  beforeAll(async () => {
    const now = new Date().toISOString();
    const { id } = await t.db.insertInto('campaigns').values({
      name: '已发布结果的统计评查', year: 2026, kind: 'cross', status: 'released', description: null, period_from: null, period_to: null,
      reviewers_per_file: 2, disagreement_threshold_tenths: 50, common_issue_threshold: 3, objection_window_days: 5, rectification_days: 30,
      doc_number_pattern: '统计〔{year}〕{seq}号', created_at: now, created_by: null, updated_at: now, status_changed_at: now, released_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    stats.campaign = id;
    for (const unitId of [ids.a, ids.b]) await t.db.insertInto('campaign_units').values({ campaign_id: id, unit_id: unitId }).execute();
    await t.db.insertInto('campaign_rubrics').values({ campaign_id: id, case_type: 'penalty', rubric_version_id: ids.rubric }).execute();
    const result = async (unitId: number, fileNumber: string, tenths: number, grade: [string, string, 0 | 1]) => {
      const file = (await t.db.insertInto('case_files').values({
        campaign_id: id, unit_id: unitId, file_number: fileNumber, case_type: 'penalty', field: null, cause: `${fileNumber}的案由`, party: null,
        handlers: '张三、李四', is_major: 0, closed_on: null, pages: 30, source: 'entry', created_at: now, created_by: null,
      }).returning('id').executeTakeFirstOrThrow()).id;
      await t.db.insertInto('sampled_files').values({
        campaign_id: id, case_file_id: file, origin: 'manual', draw_id: null, added_at: now, added_by: null, added_reason: '统计矩阵',
        removed_at: null, removed_by: null, removed_reason: null,
      }).execute();
      await t.db.insertInto('final_results').values({
        campaign_id: id, case_file_id: file, revision: 1, supersedes_id: null, method: 'average', total_tenths: tenths, grade_code: grade[0],
        grade_label: grade[1], passing: grade[2], sheets: '[]', basis: '[]', withdrawn: '{"deductions":[],"vetoes":[]}', objection_id: null,
        explanation: '', created_at: now, created_by: null, superseded_at: null,
      }).execute();
    };
    await result(ids.a, '统计-A-001', 925, ['excellent', '优秀', 1]);
    await result(ids.a, '统计-A-002', 550, ['fail', '不合格', 0]);
    await result(ids.b, '统计-B-001', 845, ['good', '良好', 1]);
  });

  const url = (id: () => number, query = '') => () => `/campaigns/${id()}/statistics${query}`;
  const bureauAndOwnUnit: Expect = { admin: 200, leader: 200, reviewer: 403, department: 200 };
  const statsPages: { label: string; path: () => string; expect: Expect }[] = [
    { label: '/campaigns/:A/statistics (draft)', path: url(() => ids.campaignA), expect: bureauAndOwnUnit },
    { label: '/campaigns/:A/statistics?unitId=:A', path: url(() => ids.campaignA, `?unitId=${ids.a}`), expect: bureauAndOwnUnit },
    { label: '/campaigns/:A/statistics?unitId=:B', path: () => `/campaigns/${ids.campaignA}/statistics?unitId=${ids.b}`, expect: { admin: 200, leader: 200, reviewer: 403, department: 403 } },
    { label: '/campaigns/:B/statistics (A takes no part)', path: url(() => ids.campaignB), expect: { admin: 200, leader: 200, reviewer: 404, department: 404 } },
    { label: '/campaigns/:released/statistics', path: url(() => stats.campaign), expect: { admin: 200, leader: 200, reviewer: 404, department: 200 } },
    { label: '/campaigns/:released/statistics?unitId=:A', path: () => `/campaigns/${stats.campaign}/statistics?unitId=${ids.a}`, expect: { admin: 200, leader: 200, reviewer: 404, department: 200 } },
    { label: '/campaigns/:released/statistics?unitId=:B', path: () => `/campaigns/${stats.campaign}/statistics?unitId=${ids.b}`, expect: { admin: 200, leader: 200, reviewer: 404, department: 403 } },
    { label: '/campaigns/:unknown/statistics', path: () => '/campaigns/999999/statistics', expect: all(404) },
  ];

  describe.each(ROLES)('as %s', (role) => {
    for (const page of statsPages) {
      it(`GET ${page.label} → ${page.expect[role]}`, async () => {
        const res = await sessions[role].agent.get(page.path());
        expect(res.status).toBe(page.expect[role]);
        if (res.status === 403) expect(res.text).toContain('您没有权限访问此页面或执行此操作');
        if (res.status === 404) expect(res.text).toContain('不存在');
      });
    }

    it(`links ${role}, on the statistics pages it can open, only to pages it may open`, async () => {
      const { agent } = sessions[role];
      const checked = new Set<string>();
      for (const page of statsPages) {
        const res = await agent.get(page.path());
        if (res.status !== 200) continue;
        const hrefs = [...res.text.matchAll(/<a [^>]*href="(\/[^"]*)"/g)].map((m) => m[1]!.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&'))
          .filter((h) => !h.startsWith('/assets/'));
        for (const href of hrefs) {
          if (checked.has(href)) continue;
          checked.add(href);
          expect((await agent.get(href)).status, `${page.label} links to ${href}`).toBe(200);
        }
      }
      expect(checked.size > 0).toBe(role !== 'reviewer');
    });
  });

  it('shows a department its own unit\'s figures only, and a notice before release', async () => {
    const released = await sessions.department.agent.get(`/campaigns/${stats.campaign}/statistics`);
    expect(released.text).toContain('<h1>统计分析 · 县市场监督管理局');
    expect(released.text).toContain('<span class="stat-value">73.8</span><span class="stat-label">平均分</span>'); // (92.5 + 55) / 2
    expect(released.text).not.toContain('县生态环境局');
    expect(released.text).not.toContain('统计-B-001');
    const draft = await sessions.department.agent.get(`/campaigns/${ids.campaignA}/statistics`);
    expect(draft.text).toContain('评查结果尚未发布');
    expect(draft.text).not.toContain('<table');
    expect(draft.text).not.toContain('<svg');
  });

  it('offers the leader no form but the logout button', async () => {
    for (const path of [`/campaigns/${stats.campaign}/statistics`, `/campaigns/${stats.campaign}/statistics?unitId=${ids.a}`, `/campaigns/${ids.campaignA}/statistics`]) {
      const res = await sessions.leader.agent.get(path);
      expect(res.status, path).toBe(200);
      const actions = [...res.text.matchAll(/<form method="post" action="([^"]+)"/g)].map((m) => m[1]);
      expect(actions, path).toEqual(['/logout']);
    }
  });

  it('links the campaign page to the statistics for the bureau, and for a department once released', async () => {
    const link = (id: number) => `href="/campaigns/${id}/statistics"`;
    for (const role of ['admin', 'leader', 'department'] as const) {
      expect((await sessions[role].agent.get(`/campaigns/${stats.campaign}`)).text, role).toContain(link(stats.campaign));
    }
    // Campaign A is a draft: no figures for anyone yet, so no link.
    for (const role of ROLES) expect((await sessions[role].agent.get(`/campaigns/${ids.campaignA}`)).text, role).not.toContain(link(ids.campaignA));
  });
});

// ---------------------------------------------------------------------------------------------------------
// Exports (导出): the XLSX workbook, the CSV tables, the printable bulletin (通报) and its PDF. The bureau exports any
// campaign at any stage; a department taking part only its own unit's, and only once the results are released; a
// reviewer never (403 in a campaign whose pool holds it, 404 elsewhere). A released campaign of units A and B with
// one final result each, inserted directly, gives the exports something to show. Kept in one block of its own.

describe('campaign exports', () => {
  const exp = { campaign: 0 };
  const HAS_CHROMIUM = fs.existsSync('/usr/bin/chromium');
  const unitName = async (id: number) => (await t.db.selectFrom('units').select('name').where('id', '=', id).executeTakeFirstOrThrow()).name;

  beforeAll(async () => {
    const now = new Date().toISOString();
    exp.campaign = (await t.db.insertInto('campaigns').values({
      name: '已发布结果的导出评查', year: 2026, kind: 'cross', status: 'released', description: null, period_from: null, period_to: null,
      reviewers_per_file: 2, disagreement_threshold_tenths: 50, common_issue_threshold: 3, objection_window_days: 5, rectification_days: 30,
      doc_number_pattern: '导出〔{year}〕{seq}号', created_at: now, created_by: null, updated_at: now, status_changed_at: now, released_at: now,
    }).returning('id').executeTakeFirstOrThrow()).id;
    for (const unitId of [ids.a, ids.b]) await t.db.insertInto('campaign_units').values({ campaign_id: exp.campaign, unit_id: unitId }).execute();
    await t.db.insertInto('campaign_rubrics').values({ campaign_id: exp.campaign, case_type: 'penalty', rubric_version_id: ids.rubric }).execute();
    await t.db.insertInto('reviewer_pool').values({ campaign_id: exp.campaign, user_id: ids.reviewer, added_at: now }).execute();
    for (const [unitId, fileNumber, tenths] of [[ids.a, '导出-A-001', 915], [ids.b, '导出-B-001', 845]] as const) {
      const file = (await t.db.insertInto('case_files').values({
        campaign_id: exp.campaign, unit_id: unitId, file_number: fileNumber, case_type: 'penalty', field: null, cause: '导出矩阵案由', party: null,
        handlers: '张三、李四', is_major: 0, closed_on: null, pages: 30, source: 'entry', created_at: now, created_by: null,
      }).returning('id').executeTakeFirstOrThrow()).id;
      const excellent = tenths >= 900;
      await t.db.insertInto('final_results').values({
        campaign_id: exp.campaign, case_file_id: file, revision: 1, supersedes_id: null, method: 'average', total_tenths: tenths,
        grade_code: excellent ? 'excellent' : 'good', grade_label: excellent ? '优秀' : '良好', passing: 1, sheets: '[]', basis: '[]',
        withdrawn: '{"deductions":[],"vetoes":[]}', objection_id: null, explanation: '', created_at: now, created_by: null, superseded_at: null,
      }).execute();
    }
  });

  const releasedExpect: Expect = { admin: 200, leader: 200, reviewer: 403, department: 200 };
  const beforeRelease: Expect = { admin: 200, leader: 200, reviewer: 403, department: 403 };
  const notTakingPart: Expect = { admin: 200, leader: 200, reviewer: 404, department: 404 };
  const at = (id: () => number, path: string) => () => `/campaigns/${id()}${path}`;
  const exportPages: { label: string; path: () => string; expect: Expect }[] = [
    { label: '/campaigns/:released/export.xlsx', path: at(() => exp.campaign, '/export.xlsx'), expect: releasedExpect },
    ...['units', 'files', 'issues', 'ledger'].map((table) => ({ label: `/campaigns/:released/export/${table}.csv`, path: at(() => exp.campaign, `/export/${table}.csv`), expect: releasedExpect })),
    { label: '/campaigns/:released/export/unknown.csv', path: at(() => exp.campaign, '/export/passwords.csv'), expect: all(404) },
    { label: '/campaigns/:released/bulletin', path: at(() => exp.campaign, '/bulletin'), expect: releasedExpect },
    {
      label: '/campaigns/:released/bulletin.pdf', path: at(() => exp.campaign, '/bulletin.pdf'),
      expect: HAS_CHROMIUM ? releasedExpect : { admin: 503, leader: 503, reviewer: 403, department: 503 },
    },
    { label: '/campaigns/:A/export.xlsx (not released)', path: at(() => ids.campaignA, '/export.xlsx'), expect: beforeRelease },
    { label: '/campaigns/:A/export/files.csv (not released)', path: at(() => ids.campaignA, '/export/files.csv'), expect: beforeRelease },
    { label: '/campaigns/:A/bulletin (not released)', path: at(() => ids.campaignA, '/bulletin'), expect: beforeRelease },
    { label: '/campaigns/:A/bulletin.pdf (not released)', path: at(() => ids.campaignA, '/bulletin.pdf'), expect: { ...beforeRelease, admin: HAS_CHROMIUM ? 200 : 503, leader: HAS_CHROMIUM ? 200 : 503 } },
    { label: '/campaigns/:B/export.xlsx (A takes no part)', path: at(() => ids.campaignB, '/export.xlsx'), expect: notTakingPart },
    { label: '/campaigns/:B/export/units.csv (A takes no part)', path: at(() => ids.campaignB, '/export/units.csv'), expect: notTakingPart },
    { label: '/campaigns/:B/bulletin (A takes no part)', path: at(() => ids.campaignB, '/bulletin'), expect: notTakingPart },
    { label: '/campaigns/:unknown/export.xlsx', path: () => '/campaigns/999999/export.xlsx', expect: all(404) },
    { label: '/campaigns/:unknown/bulletin', path: () => '/campaigns/999999/bulletin', expect: all(404) },
  ];

  describe.each(ROLES)('as %s', (role) => {
    for (const page of exportPages) {
      it(`GET ${page.label} → ${page.expect[role]}`, async () => {
        const res = await sessions[role].agent.get(page.path());
        expect(res.status).toBe(page.expect[role]);
        if (res.status === 403) {
          expect(res.text).toContain(role === 'department' ? '评查结果尚未发布' : '您没有权限访问此页面或执行此操作');
        }
        if (res.status === 404) expect(res.text).toContain('不存在');
      }, 30_000);
    }

    it(`links ${role}, on the bulletin pages it can open, only to pages it may open`, async () => {
      const { agent } = sessions[role];
      const checked = new Set<string>();
      for (const start of [`/campaigns/${exp.campaign}/bulletin`, `/campaigns/${ids.campaignA}/bulletin`]) {
        const page = await agent.get(start);
        if (page.status !== 200) continue;
        const hrefs = [...page.text.matchAll(/<a [^>]*href="(\/[^"]*)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'))
          // The PDF is opened by every role in the table above; launching Chromium again here adds nothing.
          .filter((h) => !h.startsWith('/assets/') && !h.endsWith('.pdf'));
        for (const href of hrefs) {
          if (checked.has(href)) continue;
          checked.add(href);
          expect((await agent.get(href)).status, `${start} links to ${href}`).toBe(200);
        }
      }
      expect(checked.size > 0).toBe(role !== 'reviewer');
    });
  });

  it('gives a department its own unit’s rows only', async () => {
    const [ownName, otherName] = [await unitName(ids.a), await unitName(ids.b)];
    for (const table of ['units', 'files']) {
      const res = await sessions.department.agent.get(`/campaigns/${exp.campaign}/export/${table}.csv`);
      expect(res.text, table).toContain(ownName);
      expect(res.text, table).not.toContain(otherName);
      expect(res.text, table).not.toContain('导出-B-001');
    }
    const bulletin = await sessions.department.agent.get(`/campaigns/${exp.campaign}/bulletin`);
    expect(bulletin.text).toContain(`${ownName}参加交叉评查，评查案卷 1 件`);
    expect(bulletin.text).not.toContain(otherName);
    const bureau = await sessions.leader.agent.get(`/campaigns/${exp.campaign}/export/files.csv`);
    expect(bureau.text).toContain('导出-A-001');
    expect(bureau.text).toContain('导出-B-001');
  });

  it('offers the leader no form on the bulletin but the logout button', async () => {
    for (const path of [`/campaigns/${exp.campaign}/bulletin`, `/campaigns/${ids.campaignA}/bulletin`]) {
      const res = await sessions.leader.agent.get(path);
      expect(res.status, path).toBe(200);
      expect([...res.text.matchAll(/<form method="post" action="([^"]+)"/g)].map((m) => m[1]), path).toEqual(['/logout']);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------
// Annual rating (年度考评): the bureau and departments read (a department its own unit's row only), the administrator
// alone saves the rule and publishes; a reviewer is refused everywhere. By now the statistics and export blocks have
// released 2026 campaigns of units A and B. Kept in one block of its own.

describe('annual rating', () => {
  const readers: Expect = { admin: 200, leader: 200, reviewer: 403, department: 200 };
  const ratingPages: { label: string; path: string; expect: Expect }[] = [
    { label: '/ratings', path: '/ratings', expect: readers },
    { label: '/ratings/2026', path: '/ratings/2026', expect: readers },
    { label: '/ratings/2026?source=live', path: '/ratings/2026?source=live', expect: readers },
    { label: '/ratings/2026.xlsx', path: '/ratings/2026.xlsx', expect: readers },
    { label: '/ratings/2025 (no campaign)', path: '/ratings/2025', expect: readers },
    { label: '/ratings/2026/revisions/1 (not published)', path: '/ratings/2026/revisions/1', expect: { ...readers, admin: 404, leader: 404, department: 404 } },
    { label: '/ratings/abcd', path: '/ratings/abcd', expect: { ...readers, admin: 404, leader: 404, department: 404 } },
  ];

  describe.each(ROLES)('as %s', (role) => {
    for (const page of ratingPages) {
      it(`GET ${page.label} → ${page.expect[role]}`, async () => {
        const res = await sessions[role].agent.get(page.path);
        expect(res.status).toBe(page.expect[role]);
        if (res.status === 403) expect(res.text).toContain('您没有权限访问此页面或执行此操作');
      });
    }

    it(`POST the rule and publish as ${role}`, async () => {
      const { agent, csrf } = sessions[role];
      const rule = await agent.post('/ratings/2026/rule').type('form').send({ _csrf: csrf, rule: '[{"label":"达标","minAverage":60},{"label":"不达标"}]' });
      const published = await agent.post('/ratings/2026/publish').type('form').send({ _csrf: csrf, note: '' });
      const count = (await t.db.selectFrom('rating_publications').select('id').execute()).length;
      if (role === 'admin') {
        expect([rule.status, published.status]).toEqual([302, 302]);
        expect(count).toBe(1);
      } else {
        expect([rule.status, published.status]).toEqual([403, 403]);
        expect(count).toBe(0);
        expect(await t.db.selectFrom('rating_rules').select('id').execute()).toEqual([]);
      }
    });
  });

  it('opens the published revision to readers only, and a department sees its own unit only', async () => {
    for (const role of ROLES) {
      expect((await sessions[role].agent.get('/ratings/2026/revisions/1')).status, role).toBe(role === 'reviewer' ? 403 : 200);
    }
    const [ownName, otherName] = await Promise.all([ids.a, ids.b].map(async (id) => (await t.db.selectFrom('units').select('name').where('id', '=', id).executeTakeFirstOrThrow()).name));
    for (const path of ['/ratings/2026', '/ratings/2026/revisions/1']) {
      const dept = await sessions.department.agent.get(path);
      expect(dept.text, path).toContain(ownName!);
      expect(dept.text, path).not.toContain(otherName!);
      const leader = await sessions.leader.agent.get(path);
      expect(leader.text, path).toContain(otherName!);
      expect([...leader.text.matchAll(/<form method="post" action="([^"]+)"/g)].map((m) => m[1]), path).toEqual(['/logout']);
    }
  });

  it.each(ROLES)('links %s, on the rating pages it can open, only to pages it may open', async (role) => {
    const { agent } = sessions[role];
    const checked = new Set<string>();
    for (const start of ['/ratings', '/ratings/2026', '/ratings/2026?source=live', '/ratings/2026/revisions/1']) {
      const page = await agent.get(start);
      if (page.status !== 200) continue;
      const hrefs = [...page.text.matchAll(/<a [^>]*href="(\/[^"]*)"/g)].map((m) => m[1]!.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&'))
        .filter((h) => !h.startsWith('/assets/'));
      for (const href of hrefs) {
        if (checked.has(href)) continue;
        checked.add(href);
        expect((await agent.get(href)).status, `${start} links to ${href}`).toBe(200);
      }
    }
    expect(checked.size > 0).toBe(role !== 'reviewer');
  });
});
