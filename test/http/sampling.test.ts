// Sampling: rules, a seeded draw that can be repeated and verified, manual changes with reasons, scoping.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUnit, addUser, createTestApp, csrfFrom, loginAs, loginAsAdmin, rootUnitId, type TestApp } from '../support/app.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof loginAsAdmin>>;
let campaignId: number;
const units = { a: 0, b: 0 };

async function post(path: string, body: Record<string, string>) {
  const page = await admin.agent.get(`/campaigns/${campaignId}/sampling`);
  return admin.agent.post(path).type('form').send({ _csrf: csrfFrom(page.text), ...body });
}
const sampled = () => t.db.selectFrom('sampled_files').selectAll().where('campaign_id', '=', campaignId).where('removed_at', 'is', null).orderBy('case_file_id').execute();

beforeAll(async () => {
  t = await createTestApp();
  const root = await rootUnitId(t.db);
  const county = await addUnit(t.db, 'CTY', '东安区司法局', 'bureau', root);
  units.a = await addUnit(t.db, 'A', '东安区市场监督管理局', 'department', county);
  units.b = await addUnit(t.db, 'B', '东安区生态环境局', 'department', county);
  await addUser(t.db, { username: 'dept-a', role: 'department', unitId: units.a });
  admin = await loginAsAdmin(t);
  const form = await admin.agent.get('/campaigns/new');
  const created = await admin.agent.post('/campaigns').type('form').send({
    _csrf: csrfFrom(form.text), name: '2026年度交叉评查', year: '2026', kind: 'cross', description: '', periodFrom: '2026-01-01',
    periodTo: '2026-12-31', reviewersPerFile: '2', disagreementThresholdTenths: '5', commonIssueThreshold: '3',
    objectionWindowDays: '5', rectificationDays: '30', docNumberPattern: '案评整改〔{year}〕{seq}号',
  });
  campaignId = Number(created.headers.location!.split('/').pop());
  const now = new Date().toISOString();
  for (const unitId of [units.a, units.b]) {
    await t.db.insertInto('campaign_units').values({ campaign_id: campaignId, unit_id: unitId }).execute();
    for (let i = 1; i <= 20; i++) {
      await t.db.insertInto('case_files').values({
        campaign_id: campaignId, unit_id: unitId, file_number: `${unitId}-CF-${String(i).padStart(3, '0')}`, case_type: i <= 15 ? 'penalty' : 'license',
        cause: '未按规定公示信息', handlers: '张三、李四', is_major: i % 5 === 0 ? 1 : 0, closed_on: '2026-05-01', pages: 30, source: 'import',
        created_at: now, created_by: null, field: null, party: null,
      }).execute();
    }
  }
  await t.db.updateTable('campaigns').set({ status: 'sampling' }).where('id', '=', campaignId).execute();
});
afterAll(async () => { await t.close(); });

describe('sampling', () => {
  it('refuses to draw without rules', async () => {
    const res = await post(`/campaigns/${campaignId}/sampling/draw`, { seed: '' });
    expect(res.status).toBe(302);
    const page = await admin.agent.get(`/campaigns/${campaignId}/sampling`);
    expect(page.text).toContain('请先设置抽取规则');
    expect(await sampled()).toHaveLength(0);
  });

  it('refuses a count larger than the list, naming the unit and type, and draws nothing', async () => {
    await post(`/campaigns/${campaignId}/sampling/rules`, { unitId: '', caseType: 'license', mode: 'count', value: '8', minimum: '', majorWeight: '1' });
    await post(`/campaigns/${campaignId}/sampling/draw`, { seed: 'ABC' });
    const page = await admin.agent.get(`/campaigns/${campaignId}/sampling`);
    expect(page.text).toContain('东安区市场监督管理局');
    expect(page.text).toMatch(/仅 5 卷，少于要求抽取的 8 卷/);
    expect(await sampled()).toHaveLength(0);
    const rule = await t.db.selectFrom('sampling_rules').select('id').where('case_type', '=', 'license').executeTakeFirstOrThrow();
    await post(`/campaigns/${campaignId}/sampling/rules/${rule.id}/delete`, {});
  });

  it('draws by rule with a recorded seed, and the same seed gives the same files', async () => {
    await post(`/campaigns/${campaignId}/sampling/rules`, { unitId: '', caseType: 'penalty', mode: 'percent', value: '20', minimum: '2', majorWeight: '2' });
    await post(`/campaigns/${campaignId}/sampling/rules`, { unitId: String(units.b), caseType: 'license', mode: 'count', value: '2', minimum: '', majorWeight: '1' });
    const first = await post(`/campaigns/${campaignId}/sampling/draw`, { seed: '7k3m-9qxa-2bhd' });
    expect(first.status).toBe(302);
    const files = await sampled();
    // 20% of 15 penalty files = 3 per unit, plus 2 licence files of unit B.
    expect(files).toHaveLength(3 + 3 + 2);
    const page = await admin.agent.get(`/campaigns/${campaignId}/sampling`);
    expect(page.text).toContain('7K3M-9QXA-2BHD');
    const again = await post(`/campaigns/${campaignId}/sampling/draw`, { seed: '7K3M9QXA2BHD' });
    expect(again.status).toBe(302);
    expect((await sampled()).map((f) => f.case_file_id)).toEqual(files.map((f) => f.case_file_id));
    const draws = await t.db.selectFrom('sample_draws').selectAll().where('campaign_id', '=', campaignId).execute();
    expect(draws).toHaveLength(2);
    expect(draws.filter((d) => d.superseded_at === null)).toHaveLength(1);
    const verified = await admin.agent.get(`/campaigns/${campaignId}/sampling?verify=1`);
    expect(verified.text).toContain('复核一致');
  });

  it('records manual additions and removals with their reasons, and requires a reason', async () => {
    const before = await sampled();
    const notSampled = await t.db.selectFrom('case_files').select(['id', 'file_number', 'unit_id']).where('campaign_id', '=', campaignId)
      .where('id', 'not in', before.map((f) => f.case_file_id)).executeTakeFirstOrThrow();
    await post(`/campaigns/${campaignId}/sampling/add`, { unitId: String(notSampled.unit_id), fileNumber: notSampled.file_number, reason: '' });
    expect(await sampled()).toHaveLength(before.length);
    await post(`/campaigns/${campaignId}/sampling/add`, { unitId: String(notSampled.unit_id), fileNumber: notSampled.file_number, reason: '群众举报线索' });
    expect(await sampled()).toHaveLength(before.length + 1);
    const victim = before[0]!;
    await post(`/campaigns/${campaignId}/sampling/files/${victim.case_file_id}/remove`, { reason: '该案正在行政复议中' });
    const page = await admin.agent.get(`/campaigns/${campaignId}/sampling`);
    expect(page.text).toContain('人工加入');
    expect(page.text).toContain('群众举报线索');
    expect(page.text).toContain('该案正在行政复议中');
    const audit = await t.db.selectFrom('audit_log').select('action').where('entity_type', '=', 'campaign').where('action', 'like', 'sampling.%').execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['sampling.rule', 'sampling.draw', 'sampling.add', 'sampling.remove']));
    // A redraw keeps the hand-added file, and keeps the record of the hand removal with its reason.
    await post(`/campaigns/${campaignId}/sampling/draw`, { seed: '7K3M9QXA2BHD' });
    expect((await sampled()).some((f) => f.case_file_id === notSampled.id && f.origin === 'manual')).toBe(true);
    const history = await t.db.selectFrom('sampled_files').selectAll().where('case_file_id', '=', victim.case_file_id).orderBy('id').execute();
    expect(history.some((h) => h.removed_reason === '该案正在行政复议中')).toBe(true);
    expect(history.filter((h) => h.removed_at === null).length).toBeLessThanOrEqual(1);
    // Every file of the first draw that left the sample at the redraw says why.
    const replaced = await t.db.selectFrom('sampled_files').select('removed_reason').where('campaign_id', '=', campaignId)
      .where('removed_reason', '=', '重新抽取，原抽取结果作废').execute();
    expect(replaced.length).toBeGreaterThan(0);
  });

  it('shows a department only its own unit, and refuses its changes', async () => {
    const dept = await loginAs(t, 'dept-a', 'Passw0rd1');
    const page = await dept.agent.get(`/campaigns/${campaignId}/sampling`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('东安区市场监督管理局');
    expect(page.text).not.toContain(`${units.b}-CF-`);
    const res = await dept.agent.post(`/campaigns/${campaignId}/sampling/draw`).type('form').send({ _csrf: dept.csrf, seed: 'X' });
    expect(res.status).toBe(403);
  });
});
