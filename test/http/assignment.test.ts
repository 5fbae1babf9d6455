// Assignment: the reviewer pool, automatic conflict-free assignment, unassignable files with reasons,
// manual changes through the same rules, and each reviewer's own queue.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUnit, addUser, createTestApp, csrfFrom, loginAs, loginAsAdmin, rootUnitId, type TestApp } from '../support/app.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof loginAsAdmin>>;
let campaignId: number;
const u = { county: 0, a: 0, b: 0, c: 0 };
const r = { county: 0, b: 0, c: 0, city: 0, fileA1: 0, fileA2: 0, fileB1: 0, fileC1: 0 };

async function post(path: string, body: Record<string, string | string[]>) {
  const page = await admin.agent.get(`/campaigns/${campaignId}/assignments`);
  return admin.agent.post(path).type('form').send({ _csrf: csrfFrom(page.text), ...body });
}
const active = () => t.db.selectFrom('assignments').selectAll().where('campaign_id', '=', campaignId).where('removed_at', 'is', null).execute();

beforeAll(async () => {
  t = await createTestApp();
  const root = await rootUnitId(t.db);
  u.county = await addUnit(t.db, 'CTY', '东安区司法局', 'bureau', root);
  u.a = await addUnit(t.db, 'A', '东安区市场监督管理局', 'department', u.county);
  u.b = await addUnit(t.db, 'B', '阳明区生态环境局', 'department', root);
  u.c = await addUnit(t.db, 'C', '爱民区交通运输局', 'department', root);
  // Reviewers: one from the county bureau (parent of A), one from B, one from C, one from the city bureau (ancestor of all).
  r.county = await addUser(t.db, { username: 'rev-county', role: 'reviewer', unitId: u.county, displayName: '县局评查员' });
  r.b = await addUser(t.db, { username: 'rev-b', role: 'reviewer', unitId: u.b, displayName: '王五' });
  r.c = await addUser(t.db, { username: 'rev-c', role: 'reviewer', unitId: u.c, displayName: '赵六' });
  r.city = await addUser(t.db, { username: 'rev-city', role: 'reviewer', unitId: root, displayName: '市局评查员' });
  admin = await loginAsAdmin(t);
  const now = new Date().toISOString();
  ({ id: campaignId } = await t.db.insertInto('campaigns').values({
    name: '2026年度交叉评查', year: 2026, kind: 'cross', status: 'sampling', description: null, period_from: null, period_to: null,
    reviewers_per_file: 1, disagreement_threshold_tenths: 50, common_issue_threshold: 3, objection_window_days: 5, rectification_days: 30,
    doc_number_pattern: '案评整改〔{year}〕{seq}号', created_at: now, created_by: null, updated_at: now, status_changed_at: now,
  }).returning('id').executeTakeFirstOrThrow());
  const file = async (unitId: number, n: string, handlers: string) => {
    const { id } = await t.db.insertInto('case_files').values({
      campaign_id: campaignId, unit_id: unitId, file_number: n, case_type: 'penalty', cause: '无证经营', handlers, is_major: 0,
      closed_on: null, pages: 20, source: 'import', created_at: now, created_by: null, field: null, party: '某商行',
    }).returning('id').executeTakeFirstOrThrow();
    await t.db.insertInto('sampled_files').values({ campaign_id: campaignId, case_file_id: id, origin: 'draw', draw_id: null, added_at: now, added_by: null, added_reason: null, removed_at: null, removed_by: null, removed_reason: null }).execute();
    return id;
  };
  for (const unitId of [u.a, u.b, u.c]) await t.db.insertInto('campaign_units').values({ campaign_id: campaignId, unit_id: unitId }).execute();
  r.fileA1 = await file(u.a, 'A-001', '张三、李四');
  r.fileA2 = await file(u.a, 'A-002', '张三、王 五'); // handled by a namesake of reviewer 王五
  r.fileB1 = await file(u.b, 'B-001', '钱七');
  r.fileC1 = await file(u.c, 'C-001', '孙八');
});
afterAll(async () => { await t.close(); });

describe('assignment', () => {
  it('builds the pool from active reviewers only', async () => {
    await post(`/campaigns/${campaignId}/assignments/pool`, { userIds: [String(r.county), String(r.b), String(r.c), String(r.city)] });
    const pool = await t.db.selectFrom('reviewer_pool').select('user_id').where('campaign_id', '=', campaignId).execute();
    expect(pool).toHaveLength(4);
    await post(`/campaigns/${campaignId}/assignments/pool`, { userIds: ['1'] }); // the administrator is no reviewer
    const page = await admin.agent.get(`/campaigns/${campaignId}/assignments`);
    expect(page.text).toContain('不是启用的评查员账户');
  });

  it('assigns automatically without any conflict, and lists what cannot be assigned with the reason', async () => {
    await post(`/campaigns/${campaignId}/assignments/auto`, {});
    const rows = await active();
    const byFile = new Map(rows.map((a) => [a.case_file_id, a.reviewer_id]));
    // City and county reviewers sit above A, B and C (ancestors) or above A: they can take no file of theirs.
    expect([...byFile.values()]).not.toContain(r.city);
    expect(byFile.get(r.fileA1)).not.toBe(r.county);
    expect(byFile.get(r.fileA2)).not.toBe(r.b); // 王五 handled A-002
    expect(byFile.get(r.fileB1)).not.toBe(r.b);
    expect(byFile.get(r.fileC1)).not.toBe(r.c);
    // Eligible: A-001 → 王五 or 赵六; A-002 → 赵六; B-001 → 赵六 or 县局 (county is no relative of B); C-001 → 王五 or 县局.
    expect(byFile.size).toBe(4);
    const loads = new Map<number, number>();
    for (const a of rows) loads.set(a.reviewer_id, (loads.get(a.reviewer_id) ?? 0) + 1);
    const counts = [r.county, r.b, r.c].map((id) => loads.get(id) ?? 0);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    const audit = await t.db.selectFrom('audit_log').select('summary').where('action', '=', 'assignment.auto').executeTakeFirstOrThrow();
    expect(audit.summary).toContain('新增 4 人次');
  });

  it('refuses a manual change that breaks a rule, with the reason, and accepts a valid one', async () => {
    const current = (await active()).find((a) => a.case_file_id === r.fileA2)!;
    const refused = await post(`/campaigns/${campaignId}/assignments/files/${r.fileA2}`, { reviewerId: String(r.b), replace: String(current.id), reason: '调整工作量' });
    expect(refused.status).toBe(302);
    let page = await admin.agent.get(`/campaigns/${campaignId}/assignments`);
    expect(page.text).toContain('不能把案卷 A-002 分配给王五');
    expect((await active()).find((a) => a.case_file_id === r.fileA2)!.reviewer_id).toBe(current.reviewer_id);
    const other = (await active()).find((a) => a.case_file_id === r.fileC1)!;
    const replacement = other.reviewer_id === r.b ? r.county : r.b;
    await post(`/campaigns/${campaignId}/assignments/files/${r.fileC1}`, { reviewerId: String(replacement), replace: String(other.id), reason: '原评查员出差' });
    page = await admin.agent.get(`/campaigns/${campaignId}/assignments`);
    expect((await active()).find((a) => a.case_file_id === r.fileC1)!.reviewer_id).toBe(replacement);
    const removed = await t.db.selectFrom('assignments').selectAll().where('id', '=', other.id).executeTakeFirstOrThrow();
    expect(removed.removed_reason).toBe('原评查员出差');
  });

  it('lists files that cannot be covered once a conflict removes the last eligible reviewer', async () => {
    await t.db.updateTable('campaigns').set({ reviewers_per_file: 2 }).where('id', '=', campaignId).execute();
    await post(`/campaigns/${campaignId}/assignments/conflicts`, { reviewerId: String(r.c), unitId: String(u.a), fileNumber: '', reason: '近亲属在该单位任职' });
    const page = await admin.agent.get(`/campaigns/${campaignId}/assignments`);
    expect(page.text).toContain('近亲属在该单位任职');
    expect(page.text).toContain('无法配齐');
    await t.db.updateTable('campaigns').set({ reviewers_per_file: 1 }).where('id', '=', campaignId).execute();
  });

  it('shows each reviewer only their own queue', async () => {
    const mine = (await active()).filter((a) => a.reviewer_id === r.c);
    const reviewer = await loginAs(t, 'rev-c', 'Passw0rd1');
    const queue = await reviewer.agent.get('/queue');
    expect(queue.status).toBe(200);
    const numbers = [...queue.text.matchAll(/<td class="mono">([A-C]-\d{3})<\/td>/g)].map((m) => m[1]);
    expect(numbers).toHaveLength(mine.length);
    expect((await reviewer.agent.get(`/campaigns/${campaignId}/assignments`)).status).toBe(403);
    expect((await admin.agent.get('/queue')).status).toBe(403);
  });
});
