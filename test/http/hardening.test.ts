// Regressions from a review of the whole app: rules re-checked at the point of no return, races, and inputs
// that used to end in a 500.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUnit, addUser, createTestApp, csrfFrom, loginAsAdmin, rootUnitId, type TestApp } from '../support/app.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof loginAsAdmin>>;

beforeAll(async () => {
  t = await createTestApp({ LOGIN_MAX_FAILURES: '5' });
  admin = await loginAsAdmin(t);
});
afterAll(async () => { await t.close(); });

describe('assignments that break a rule after they were made', () => {
  it('are listed on the assignment page and stop the campaign from starting review', async () => {
    const root = await rootUnitId(t.db);
    const a = await addUnit(t.db, 'HA', '甲局', 'department', root);
    const b = await addUnit(t.db, 'HB', '乙局', 'department', root);
    const reviewer = await addUser(t.db, { username: 'hrev', role: 'reviewer', unitId: b, displayName: '韩评查' });
    const now = new Date().toISOString();
    const { id: campaignId } = await t.db.insertInto('campaigns').values({
      name: '加固测试', year: 2026, kind: 'cross', status: 'sampling', description: null, period_from: null, period_to: null,
      reviewers_per_file: 1, disagreement_threshold_tenths: 50, common_issue_threshold: 3, objection_window_days: 5, rectification_days: 30,
      doc_number_pattern: '{seq}', created_at: now, created_by: null, updated_at: now, status_changed_at: now,
    }).returning('id').executeTakeFirstOrThrow();
    await t.db.insertInto('campaign_units').values([{ campaign_id: campaignId, unit_id: a }, { campaign_id: campaignId, unit_id: b }]).execute();
    const version = await t.db.selectFrom('rubric_versions').select('id').where('rubric_key', '=', 'penalty-general').executeTakeFirstOrThrow();
    await t.db.insertInto('campaign_rubrics').values({ campaign_id: campaignId, case_type: 'penalty', rubric_version_id: version.id }).execute();
    const { id: fileId } = await t.db.insertInto('case_files').values({
      campaign_id: campaignId, unit_id: a, file_number: 'HA-1', case_type: 'penalty', cause: '无证经营', handlers: '张三', is_major: 0,
      closed_on: null, pages: null, source: 'entry', created_at: now, created_by: null, field: null, party: null,
    }).returning('id').executeTakeFirstOrThrow();
    await t.db.insertInto('sampled_files').values({ campaign_id: campaignId, case_file_id: fileId, origin: 'draw', draw_id: null, added_at: now, added_by: null, added_reason: null, removed_at: null, removed_by: null, removed_reason: null }).execute();
    await t.db.insertInto('reviewer_pool').values({ campaign_id: campaignId, user_id: reviewer, added_at: now }).execute();
    let page = await admin.agent.get(`/campaigns/${campaignId}/assignments`);
    await admin.agent.post(`/campaigns/${campaignId}/assignments/auto`).type('form').send({ _csrf: csrfFrom(page.text) });
    expect(await t.db.selectFrom('assignments').select('reviewer_id').where('case_file_id', '=', fileId).executeTakeFirst()).toEqual({ reviewer_id: reviewer });

    // The reviewer now declares a conflict with the file's unit.
    page = await admin.agent.get(`/campaigns/${campaignId}/assignments`);
    await admin.agent.post(`/campaigns/${campaignId}/assignments/conflicts`).type('form')
      .send({ _csrf: csrfFrom(page.text), reviewerId: String(reviewer), unitId: String(a), fileNumber: '', reason: '配偶在甲局工作' });
    page = await admin.agent.get(`/campaigns/${campaignId}/assignments`);
    expect(page.text).toContain('以下分配违反回避规则');
    expect(page.text).toContain('HA-1');
    const show = await admin.agent.get(`/campaigns/${campaignId}`);
    expect(show.text).toContain('违反回避规则');
    await admin.agent.post(`/campaigns/${campaignId}/transition`).type('form').send({ _csrf: csrfFrom(show.text), to: 'reviewing' });
    expect((await t.db.selectFrom('campaigns').select('status').where('id', '=', campaignId).executeTakeFirstOrThrow()).status).toBe('sampling');
  });
});

describe('login under pressure', () => {
  it('locks the account even when wrong passwords arrive in parallel', async () => {
    const unit = await rootUnitId(t.db);
    await addUser(t.db, { username: 'target2', role: 'leader', unitId: unit });
    const attempts = Array.from({ length: 12 }, async () => {
      const agent = request.agent(t.app);
      const form = await agent.get('/login');
      return agent.post('/login').type('form').send({ _csrf: csrfFrom(form.text), username: 'target2', password: 'Wrong12345' });
    });
    await Promise.all(attempts);
    const row = await t.db.selectFrom('users').select(['locked_until']).where('username', '=', 'target2').executeTakeFirstOrThrow();
    expect(row.locked_until).not.toBeNull();
  });

  it('refuses an absurdly long username without writing it to the audit log', async () => {
    const agent = request.agent(t.app);
    const form = await agent.get('/login');
    const res = await agent.post('/login').type('form').send({ _csrf: csrfFrom(form.text), username: 'x'.repeat(200_000), password: 'whatever1' });
    expect(res.status).toBe(401);
    const longest = await t.db.selectFrom('audit_log').select(({ fn }) => fn.max(fn('length', ['summary'])).as('n')).executeTakeFirstOrThrow();
    expect(Number(longest.n)).toBeLessThan(1000);
  });
});

describe('inputs that used to end in a 500', () => {
  it('treats a malformed page number as page 1', async () => {
    for (const path of ['/users?page=1.01', '/audit?page=1e308', '/users?page=-4', '/audit?page=abc']) {
      expect((await admin.agent.get(path)).status, path).toBe(200);
    }
  });

  it('answers a truncated multipart upload with a Chinese 400', async () => {
    const page = await admin.agent.get('/units/import');
    const res = await admin.agent.post('/units/import').set('Content-Type', 'multipart/form-data; boundary=XYZ')
      .set('X-CSRF-Token', csrfFrom(page.text)).send('--XYZ\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nabc');
    expect(res.status).toBe(400);
    expect(res.text).toContain('上传内容不完整或格式有误');
  });
});
