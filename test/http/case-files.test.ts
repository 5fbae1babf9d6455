// File lists (案卷目录) over HTTP: a department enters and sees its own unit's list only; the bureau imports
// lists of several units (UTF-8 and GBK CSV, XLSX); a bad file lists every bad row and saves nothing;
// duplicates and dates outside the period are refused; the list locks once a file is drawn or reviewing
// starts; the reported total is checked and audited.
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUnit, addUser, createTestApp, loginAs, loginAsAdmin, rootUnitId, type TestApp } from '../support/app.ts';

type Session = Awaited<ReturnType<typeof loginAsAdmin>>;

let t: TestApp;
let admin: Session;
let deptA: Session;
let deptC: Session;
let leader: Session;
let reviewer: Session;
const ids = { root: 0, county: 0, a: 0, b: 0, c: 0, campaign: 0, other: 0 };

const HEADER = '单位编码,案卷编号,案卷类型,执法门类,案由,当事人,执法人员,是否重大,结案日期,页数';
const BOM = '\uFEFF';
const utf8 = (s: string) => Buffer.from(s, 'utf8');

async function addCampaign(name: string, status: string, unitIds: number[], period: [string | null, string | null] = ['2024-01-01', '2024-12-31']): Promise<number> {
  const now = new Date().toISOString();
  const { id } = await t.db.insertInto('campaigns').values({
    name, year: 2024, kind: 'cross', status, description: null, period_from: period[0], period_to: period[1],
    reviewers_per_file: 2, disagreement_threshold_tenths: 50, common_issue_threshold: 3, objection_window_days: 5,
    rectification_days: 30, doc_number_pattern: '案评整改〔{year}〕{seq}号', created_at: now, created_by: null, updated_at: now, status_changed_at: now,
  }).returning('id').executeTakeFirstOrThrow();
  for (const unitId of unitIds) await t.db.insertInto('campaign_units').values({ campaign_id: id, unit_id: unitId }).execute();
  return id;
}

const setStatus = (campaignId: number, status: string) => t.db.updateTable('campaigns').set({ status }).where('id', '=', campaignId).execute();

beforeAll(async () => {
  t = await createTestApp();
  ids.root = await rootUnitId(t.db);
  ids.county = await addUnit(t.db, 'CTY', '东安区司法局', 'bureau', ids.root);
  ids.a = await addUnit(t.db, 'SJ', '东安区市场监督管理局', 'department', ids.county);
  ids.b = await addUnit(t.db, 'HB', '东安区生态环境局', 'department', ids.county);
  ids.c = await addUnit(t.db, 'JT', '东安区交通运输局', 'department', ids.county); // takes no part
  await addUser(t.db, { username: 'depta', role: 'department', unitId: ids.a, displayName: '市监联络员' });
  await addUser(t.db, { username: 'deptc', role: 'department', unitId: ids.c, displayName: '交通联络员' });
  await addUser(t.db, { username: 'leader', role: 'leader', unitId: ids.root, displayName: '李局长' });
  await addUser(t.db, { username: 'reviewer', role: 'reviewer', unitId: ids.root, displayName: '赵评查' });
  ids.campaign = await addCampaign('2024年度行政执法案卷交叉评查', 'sampling', [ids.a, ids.b]);
  admin = await loginAsAdmin(t);
  deptA = await loginAs(t, 'depta', 'Passw0rd1');
  deptC = await loginAs(t, 'deptc', 'Passw0rd1');
  leader = await loginAs(t, 'leader', 'Passw0rd1');
  reviewer = await loginAs(t, 'reviewer', 'Passw0rd1');
});
afterAll(async () => { await t.close(); });

const files = (campaignId = ids.campaign) => `/campaigns/${campaignId}/files`;

const entry = (over: Record<string, string> = {}) => ({
  fileNumber: '东市监罚〔2024〕1号', caseType: 'penalty', field: '市场监管', cause: '销售过期食品', party: '某某超市',
  handlers: '张三，李四 王五', isMajor: '', closedOn: '2024/3/5', pages: '48', ...over,
});

const post = (s: Session, path: string, body: Record<string, string>) => s.agent.post(path).type('form').send({ _csrf: s.csrf, ...body });
const upload = (s: Session, buffer: Buffer, fileName: string, fields: Record<string, string> = {}, campaignId = ids.campaign) => {
  let req = s.agent.post(`${files(campaignId)}/import`).field('_csrf', s.csrf);
  for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
  return req.attach('file', buffer, fileName);
};

const fileRow = (unitId: number, fileNumber: string, campaignId = ids.campaign) => t.db.selectFrom('case_files').selectAll()
  .where('campaign_id', '=', campaignId).where('unit_id', '=', unitId).where('file_number', '=', fileNumber).executeTakeFirst();

async function count(table: 'case_files' | 'audit_log'): Promise<number> {
  return Number((await t.db.selectFrom(table).select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
}

const lastAudit = (action: string) => t.db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('id', 'desc').executeTakeFirstOrThrow();

/** The problem table of a failed import: one entry per listed problem. */
function problems(html: string): { row: number; column: string; message: string }[] {
  const section = /<section class="import-failure"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
  const decode = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#x27;/g, "'")
    .replace(/&#x3D;/g, '=').replace(/&#x60;/g, '`').replace(/&amp;/g, '&');
  return [...section.matchAll(/<tr><td class="num">第 (\d+) 行<\/td><td>([^<]*)<\/td><td>([^<]*)<\/td><\/tr>/g)]
    .map((m) => ({ row: Number(m[1]), column: decode(m[2]!), message: decode(m[3]!) }));
}

const fieldErrors = (html: string) => [...html.matchAll(/<span class="field-error" role="alert">([^<]*)<\/span>/g)].map((m) => m[1]!);

async function flashOf(s: Session, location: string): Promise<string> {
  const page = await s.agent.get(location);
  return /<div class="flash flash-success"[^>]*>([^<]*)<\/div>/.exec(page.text)?.[1] ?? '';
}

describe('a department user enters its own files', () => {
  it('opens the entry form for its own unit', async () => {
    const res = await deptA.agent.get(`${files()}/new`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('东安区市场监督管理局');
    expect(res.text).not.toContain('东安区生态环境局');
  });

  it('enters a file: the names are normalized, the date understood, the change audited', async () => {
    const res = await post(deptA, files(), entry());
    expect(res.status, res.text.slice(0, 1500)).toBe(302);
    expect(res.headers.location).toBe(files());
    expect(await flashOf(deptA, res.headers.location!)).toBe('已录入案卷“东市监罚〔2024〕1号”');
    const row = (await fileRow(ids.a, '东市监罚〔2024〕1号'))!;
    expect(row).toMatchObject({
      case_type: 'penalty', field: '市场监管', cause: '销售过期食品', party: '某某超市', handlers: '张三、李四、王五',
      is_major: 0, closed_on: '2024-03-05', pages: 48, source: 'entry',
    });
    const audit = await lastAudit('caseFile.create');
    expect(audit).toMatchObject({ entity_type: 'caseFile', entity_id: String(row.id), actor_name: '市监联络员' });
    expect(audit.summary).toContain('为“东安区市场监督管理局”录入案卷“东市监罚〔2024〕1号”');
    expect(JSON.parse(audit.after_json!)).toMatchObject({ unit_id: ids.a, handlers: '张三、李四、王五', closed_on: '2024-03-05' });
  });

  it('"save and continue" returns to an empty form', async () => {
    const res = await post(deptA, files(), entry({ fileNumber: '东市监许〔2024〕7号', caseType: 'license', isMajor: '是', next: 'new' }));
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(`${files()}/new?unitId=${ids.a}`);
    expect((await fileRow(ids.a, '东市监许〔2024〕7号'))!.is_major).toBe(1);
  });

  it('cannot enter a file for another unit', async () => {
    const before = await count('case_files');
    const res = await post(deptA, files(), { ...entry({ fileNumber: 'B-X' }), unitId: String(ids.b) });
    expect(res.status).toBe(403);
    expect(await count('case_files')).toBe(before);
  });

  it('shows every problem of a bad entry on the form (422) and saves nothing', async () => {
    const before = await count('case_files');
    const res = await post(deptA, files(), entry({ fileNumber: '', caseType: '', cause: '', handlers: '', closedOn: '2024-02-30', pages: '0' }));
    expect(res.status).toBe(422);
    expect(fieldErrors(res.text)).toEqual([
      '案卷编号不能为空',
      expect.stringContaining('案卷类型不能为空'),
      '案由不能为空',
      expect.stringContaining('执法人员不能为空'),
      expect.stringContaining('“2024-02-30”不是有效日期'),
      expect.stringContaining('页数应为 1 到 99999 之间的整数'),
    ]);
    expect(await count('case_files')).toBe(before);
  });

  it('refuses a closing date outside the campaign period, naming the period', async () => {
    const res = await post(deptA, files(), entry({ fileNumber: '东市监罚〔2023〕99号', closedOn: '2023年12月31日' }));
    expect(res.status).toBe(422);
    expect(fieldErrors(res.text)).toEqual(['结案日期 2023-12-31 不在本次评查的案卷范围（结案日期 2024-01-01 至 2024-12-31）内']);
    expect(await fileRow(ids.a, '东市监罚〔2023〕99号')).toBeUndefined();
  });

  it('refuses a number already in its list (case and spaces do not make a new file)', async () => {
    const res = await post(deptA, files(), entry({ fileNumber: ' 东市监罚〔2024〕1号 ' }));
    expect(res.status).toBe(422);
    expect(fieldErrors(res.text)).toEqual(['“东安区市场监督管理局”的案卷目录中已有案卷编号“东市监罚〔2024〕1号”，同一单位的案卷编号不能重复']);
  });
});

describe('who sees which list', () => {
  beforeAll(async () => {
    const res = await post(admin, files(), { ...entry({ fileNumber: '东环罚〔2024〕3号', cause: '超标排放污染物' }), unitId: String(ids.b) });
    expect(res.status).toBe(302);
  });

  it('a department user sees its own unit only, even when it asks for another with ?unitId=', async () => {
    const own = await deptA.agent.get(files());
    expect(own.status).toBe(200);
    expect(own.text).toContain('东市监罚〔2024〕1号');
    expect(own.text).not.toContain('东环罚〔2024〕3号');
    expect(own.text).not.toContain('超标排放污染物');
    const other = await deptA.agent.get(`${files()}?unitId=${ids.b}`);
    expect(other.status).toBe(403);
    expect(other.text).not.toContain('东环罚〔2024〕3号');
    const search = await deptA.agent.get(`${files()}?q=${encodeURIComponent('超标')}`);
    expect(search.text).not.toContain('东环罚〔2024〕3号');
  });

  it('a department user cannot open, change or delete another unit\'s file (404)', async () => {
    const other = (await fileRow(ids.b, '东环罚〔2024〕3号'))!;
    expect((await deptA.agent.get(`${files()}/${other.id}/edit`)).status).toBe(404);
    expect((await post(deptA, `${files()}/${other.id}`, entry({ fileNumber: '改掉' }))).status).toBe(404);
    expect((await post(deptA, `${files()}/${other.id}/delete`, {})).status).toBe(404);
    expect((await fileRow(ids.b, '东环罚〔2024〕3号'))!.cause).toBe('超标排放污染物');
  });

  it('a unit that takes no part, and a reviewer outside the pool, do not find the campaign', async () => {
    expect((await deptC.agent.get(files())).status).toBe(404);
    expect((await post(deptC, files(), entry({ fileNumber: 'JT-1' }))).status).toBe(404);
    expect((await reviewer.agent.get(files())).status).toBe(404);
  });

  it('the bureau reads every unit; a leader reads but does not write', async () => {
    const all = await leader.agent.get(files());
    expect(all.status).toBe(200);
    expect(all.text).toContain('东市监罚〔2024〕1号');
    expect(all.text).toContain('东环罚〔2024〕3号');
    expect(all.text).not.toContain('录入案卷');
    const onlyB = await leader.agent.get(`${files()}?unitId=${ids.b}`);
    expect(onlyB.text).toContain('东环罚〔2024〕3号');
    expect(onlyB.text).not.toContain('东市监罚〔2024〕1号');
    expect((await leader.agent.get(`${files()}/new`)).status).toBe(403);
    expect((await post(leader, files(), { ...entry({ fileNumber: 'L-1' }), unitId: String(ids.a) })).status).toBe(403);
    expect((await post(leader, `${files()}/total`, { unitId: String(ids.a), total: '100' })).status).toBe(403);
  });

  it('an administrator cannot list a file for a unit outside the campaign', async () => {
    const res = await post(admin, files(), { ...entry({ fileNumber: 'JT-1' }), unitId: String(ids.c) });
    expect(res.status).toBe(422);
    expect(fieldErrors(res.text)).toEqual(['单位“东安区交通运输局”不是本次评查活动的参评单位']);
  });

  it('filters by case type and searches number and cause', async () => {
    const licences = await admin.agent.get(`${files()}?caseType=license`);
    expect(licences.text).toContain('东市监许〔2024〕7号');
    expect(licences.text).not.toContain('东市监罚〔2024〕1号');
    const byCause = await admin.agent.get(`${files()}?q=${encodeURIComponent('超标')}`);
    expect(byCause.text).toContain('东环罚〔2024〕3号');
    expect(byCause.text).not.toContain('东市监罚〔2024〕1号');
    const byNumber = await admin.agent.get(`${files()}?q=${encodeURIComponent('监许')}`);
    expect(byNumber.text).toContain('东市监许〔2024〕7号');
    expect(byNumber.text).not.toContain('东环罚〔2024〕3号');
  });

  it('the campaign page links to the file lists', async () => {
    const page = await admin.agent.get(`/campaigns/${ids.campaign}`);
    expect(page.text).toContain(`href="${files()}"`);
    expect(page.text).toContain(`href="${files()}?unitId=${ids.b}"`);
    const own = await deptA.agent.get(`/campaigns/${ids.campaign}`);
    expect(own.text).toContain(`href="${files()}?unitId=${ids.a}"`);
    expect(own.text).not.toContain(`href="${files()}?unitId=${ids.b}"`);
  });
});

describe('import', () => {
  let campaign = 0;
  beforeAll(async () => {
    campaign = await addCampaign('2024年度专项评查（导入）', 'draft', [ids.a, ids.b]);
  });

  it('the bureau imports a UTF-8 CSV covering several units', async () => {
    const csv = [
      HEADER,
      'SJ,东市监罚〔2024〕101号,行政处罚,市场监管,销售不合格商品,甲公司,"张三、李四",是,2024-03-05,30',
      'hb,东环罚〔2024〕5号,处罚,生态环境,未批先建,乙公司,王五 赵六,否,2024/4/1,',
      'HB,东环许〔2024〕2号,许可,,排污许可,,钱七,,2024年5月6日,12',
      '',
    ].join('\r\n');
    const res = await upload(admin, utf8(BOM + csv), '案卷目录.csv', {}, campaign);
    expect(res.status, res.text.slice(0, 3000)).toBe(302);
    expect(await flashOf(admin, res.headers.location!)).toBe('导入成功：新增 3 卷案卷（2 个单位）');
    expect(await fileRow(ids.a, '东市监罚〔2024〕101号', campaign)).toMatchObject({
      case_type: 'penalty', is_major: 1, closed_on: '2024-03-05', pages: 30, handlers: '张三、李四', source: 'import',
    });
    expect(await fileRow(ids.b, '东环罚〔2024〕5号', campaign)).toMatchObject({ handlers: '王五、赵六', closed_on: '2024-04-01', pages: null, is_major: 0 });
    expect(await fileRow(ids.b, '东环许〔2024〕2号', campaign)).toMatchObject({ case_type: 'license', field: null, party: null, closed_on: '2024-05-06' });
    const audit = await lastAudit('caseFile.import');
    expect(audit.summary).toBe('从文件“案卷目录.csv”为“东安区市场监督管理局”、“东安区生态环境局”导入 3 卷案卷（2024年度专项评查（导入））');
    expect(JSON.parse(audit.after_json!)).toEqual({
      file: '案卷目录.csv', count: 3, numbers: ['SJ 东市监罚〔2024〕101号', 'HB 东环罚〔2024〕5号', 'HB 东环许〔2024〕2号'],
    });
  });

  it('reads a GBK CSV from older Chinese Excel, text intact', async () => {
    const csv = [HEADER, 'SJ,东市监检〔2024〕8号,行政检查,市场监管,食品安全检查,丙餐馆,孙八、周九,,2024.7.8,5', ''].join('\r\n');
    const res = await upload(admin, iconv.encode(csv, 'gbk'), 'gbk.csv', {}, campaign);
    expect(res.status, res.text.slice(0, 3000)).toBe(302);
    expect(await fileRow(ids.a, '东市监检〔2024〕8号', campaign)).toMatchObject({
      case_type: 'inspection', cause: '食品安全检查', party: '丙餐馆', handlers: '孙八、周九', closed_on: '2024-07-08',
    });
  });

  it('reads an XLSX for one chosen unit, without the 单位编码 column, with real Excel dates and numbers', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('案卷目录');
    sheet.addRow(['案卷编号', '案卷类型', '案由', '执法人员', '结案日期', '页数', '是否重大']);
    sheet.addRow([20240011, '行政强制', '查封扣押', '吴十、郑十一', new Date(Date.UTC(2024, 8, 9)), 77, 'Y']);
    sheet.addRow(['东环征〔2024〕1号', '征收', { richText: [{ text: '排污' }, { text: '费' }] }, '冯十二', '2024-10-10', '', 0]);
    const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
    const res = await upload(admin, buffer, '生态环境局.xlsx', { unitId: String(ids.b) }, campaign);
    expect(res.status, res.text.slice(0, 3000)).toBe(302);
    expect(res.headers.location).toBe(`${files(campaign)}?unitId=${ids.b}`);
    expect(await fileRow(ids.b, '20240011', campaign)).toMatchObject({ case_type: 'coercion', closed_on: '2024-09-09', pages: 77, is_major: 1 });
    expect(await fileRow(ids.b, '东环征〔2024〕1号', campaign)).toMatchObject({ case_type: 'levy', cause: '排污费', is_major: 0 });
  });

  it('without a chosen unit the file must have the 单位编码 column', async () => {
    const res = await upload(admin, utf8('案卷编号,案卷类型,案由,执法人员\nX-1,处罚,案由,张三\n'), 'no-unit.csv', {}, campaign);
    expect(res.status).toBe(422);
    expect(problems(res.text)).toEqual([{ row: 1, column: '', message: '缺少必需的列：单位编码' }]);
  });

  it('a department user imports for its own unit, without the column; a row of another unit is refused', async () => {
    const ok = await upload(deptA, utf8('案卷编号,案卷类型,案由,执法人员\n东市监罚〔2024〕201号,处罚,无照经营,张三\n'), '本单位.csv', {}, campaign);
    expect(ok.status, ok.text.slice(0, 3000)).toBe(302);
    expect(ok.headers.location).toBe(files(campaign));
    expect(await fileRow(ids.a, '东市监罚〔2024〕201号', campaign)).toBeDefined();

    const before = await count('case_files');
    const bad = await upload(deptA, utf8(`${HEADER}\nSJ,东市监罚〔2024〕202号,处罚,,案由,,张三,,,\nHB,东环罚〔2024〕99号,处罚,,案由,,李四,,,\n`), '混入.csv', {}, campaign);
    expect(bad.status).toBe(422);
    expect(problems(bad.text)).toEqual([
      { row: 3, column: '单位编码', message: '只能导入本单位“东安区市场监督管理局”（SJ）的案卷，该行的单位编码“HB”是“东安区生态环境局”' },
    ]);
    expect(await count('case_files')).toBe(before);
    expect(await fileRow(ids.a, '东市监罚〔2024〕202号', campaign)).toBeUndefined();

    const forOther = await upload(deptA, utf8('案卷编号,案卷类型,案由,执法人员\nY-1,处罚,案由,张三\n'), 'b.csv', { unitId: String(ids.b) }, campaign);
    expect(forOther.status).toBe(403);
    expect(await count('case_files')).toBe(before);
  });

  it('a bad file lists every bad row with its row and column, and saves nothing', async () => {
    const beforeFiles = await count('case_files');
    const beforeAudit = await count('audit_log');
    const csv = [
      HEADER,
      'SJ,东市监罚〔2024〕301号,处罚,,好的一行,,张三,,2024-01-02,', // 2: fine
      'NOPE,X-1,处罚,,案由,,张三,,,', // 3: unknown unit
      'JT,X-2,处罚,,案由,,张三,,,', // 4: not taking part
      'SJ,X-3,复议,,案由,,张三,,,', // 5: unknown case type
      'SJ,X-4,处罚,,案由,,张三,,2024-02-30,', // 6: not a date
      'SJ,X-5,处罚,,案由,,张三,,2025-01-01,', // 7: outside the period
      'SJ,东市监罚〔2024〕101号,处罚,,案由,,张三,,,', // 8: already listed
      'SJ,东市监罚〔2024〕301号,处罚,,案由,,张三,,,', // 9: repeats row 2
      'HB,,处罚,,,,、,也许,,0', // 10: many problems at once
    ].join('\n');
    const res = await upload(admin, utf8(csv), '有错的目录.csv', {}, campaign);
    expect(res.status).toBe(422);
    expect(res.text).toContain('导入失败：共 12 处问题，未导入任何案卷');
    expect(problems(res.text).map((p) => [p.row, p.column])).toEqual([
      [3, '单位编码'], [4, '单位编码'], [5, '案卷类型'], [6, '结案日期'], [7, '结案日期'], [8, '案卷编号'], [9, '案卷编号'],
      [10, '案卷编号'], [10, '案由'], [10, '执法人员'], [10, '是否重大'], [10, '页数'],
    ]);
    const listed = problems(res.text);
    expect(listed[0]!.message).toBe('单位编码“NOPE”不存在');
    expect(listed[1]!.message).toBe('单位“东安区交通运输局”（JT）不是本次评查活动的参评单位');
    expect(listed[4]!.message).toBe('结案日期 2025-01-01 不在本次评查的案卷范围（结案日期 2024-01-01 至 2024-12-31）内');
    expect(listed[5]!.message).toBe('“东安区市场监督管理局”的案卷目录中已有案卷编号“东市监罚〔2024〕101号”，同一单位的案卷编号不能重复');
    expect(listed[6]!.message).toBe('案卷编号“东市监罚〔2024〕301号”与第 2 行重复（同一单位）');
    expect(await count('case_files')).toBe(beforeFiles);
    expect(await count('audit_log')).toBe(beforeAudit);
  });

  it('importing the same file twice is refused as duplicates, not skipped', async () => {
    const csv = `${HEADER}\nSJ,东市监罚〔2024〕401号,处罚,,案由,,张三,,,\n`;
    expect((await upload(admin, utf8(csv), '一次.csv', {}, campaign)).status).toBe(302);
    const before = await count('case_files');
    const again = await upload(admin, utf8(csv), '一次.csv', {}, campaign);
    expect(again.status).toBe(422);
    expect(problems(again.text)).toEqual([
      { row: 2, column: '案卷编号', message: '“东安区市场监督管理局”的案卷目录中已有案卷编号“东市监罚〔2024〕401号”，同一单位的案卷编号不能重复' },
    ]);
    expect(await count('case_files')).toBe(before);
  });

  it('an upload without the CSRF token is refused', async () => {
    const res = await admin.agent.post(`${files(campaign)}/import`).attach('file', utf8(`${HEADER}\nSJ,Z-1,处罚,,案由,,张三,,,\n`), 'x.csv');
    expect(res.status).toBe(403);
    expect(await fileRow(ids.a, 'Z-1', campaign)).toBeUndefined();
  });

  it('offers the template as CSV and XLSX with the Chinese headers', async () => {
    const csv = await admin.agent.get(`${files(campaign)}/import/template.csv`).buffer(true);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-disposition']).toContain(encodeURIComponent('案卷目录导入模板.csv'));
    expect(csv.text.replace(/^\uFEFF/, '').trim()).toBe(HEADER);
    const xlsx = await admin.agent.get(`${files(campaign)}/import/template.xlsx`).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
    expect(xlsx.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.body as unknown as ArrayBuffer);
    expect((workbook.worksheets[0]!.getRow(1).values as unknown[]).slice(1)).toEqual(HEADER.split(','));
    expect(workbook.worksheets[1]!.name).toBe('填写说明');
    expect((await deptA.agent.get(`${files(campaign)}/import/template.csv`)).status).toBe(200);
    expect((await leader.agent.get(`${files(campaign)}/import/template.csv`)).status).toBe(403);
  });

  it('the import page offers the participating units to the bureau and only its own unit to a department', async () => {
    const bureau = await admin.agent.get(`${files(campaign)}/import`);
    expect(bureau.status).toBe(200);
    expect(bureau.text).toContain('东安区生态环境局');
    expect(bureau.text).not.toContain('东安区交通运输局');
    const own = await deptA.agent.get(`${files(campaign)}/import`);
    expect(own.text).toContain('东安区市场监督管理局');
    expect(own.text).not.toContain('东安区生态环境局');
  });
});

describe('editing and deleting', () => {
  let campaign = 0;
  let fileId = 0;
  beforeAll(async () => {
    campaign = await addCampaign('2024年度抽查（修改）', 'sampling', [ids.a, ids.b]);
    expect((await post(deptA, files(campaign), entry({ fileNumber: 'E-1' }))).status).toBe(302);
    expect((await post(deptA, files(campaign), entry({ fileNumber: 'E-2' }))).status).toBe(302);
    fileId = (await fileRow(ids.a, 'E-1', campaign))!.id;
  });

  it('a department user edits its own file; only the changed fields are audited', async () => {
    expect((await deptA.agent.get(`${files(campaign)}/${fileId}/edit`)).status).toBe(200);
    const res = await post(deptA, `${files(campaign)}/${fileId}`, entry({ fileNumber: 'E-1', cause: '销售假冒商品', isMajor: '是' }));
    expect(res.status, res.text.slice(0, 2000)).toBe(302);
    expect(await fileRow(ids.a, 'E-1', campaign)).toMatchObject({ cause: '销售假冒商品', is_major: 1 });
    const audit = await lastAudit('caseFile.update');
    expect(JSON.parse(audit.before_json!)).toEqual({ cause: '销售过期食品', is_major: 0 });
    expect(JSON.parse(audit.after_json!)).toEqual({ cause: '销售假冒商品', is_major: 1 });
    const log = await admin.agent.get('/audit?action=caseFile.update');
    expect(log.text).toContain('修改案卷');
    expect(log.text).toContain('是否重大');
  });

  it('an edit may not take another file\'s number', async () => {
    const res = await post(deptA, `${files(campaign)}/${fileId}`, entry({ fileNumber: 'e-2' }));
    expect(res.status).toBe(422);
    expect(fieldErrors(res.text)[0]).toContain('已有案卷编号“E-2”');
  });

  it('a file drawn for review can no longer be edited or deleted (409)', async () => {
    const drawn = (await fileRow(ids.a, 'E-2', campaign))!;
    await t.db.insertInto('sampled_files').values({ campaign_id: campaign, case_file_id: drawn.id, origin: 'manual', added_at: new Date().toISOString() }).execute();
    const edit = await post(deptA, `${files(campaign)}/${drawn.id}`, entry({ fileNumber: 'E-2', cause: '改' }));
    expect(edit.status).toBe(409);
    expect(edit.text).toContain('案卷“E-2”已被抽取为评查案卷，不能再修改');
    expect((await deptA.agent.get(`${files(campaign)}/${drawn.id}/edit`)).status).toBe(409);
    const del = await post(admin, `${files(campaign)}/${drawn.id}/delete`, {});
    expect(del.status).toBe(409);
    expect(del.text).toContain('不能再删除');
    expect(await fileRow(ids.a, 'E-2', campaign)).toMatchObject({ cause: '销售过期食品' });
    const list = await deptA.agent.get(files(campaign));
    expect(list.text).toContain('已抽取');
  });

  it('once reviewing starts the list is locked (409), and unlocks nothing on the way', async () => {
    await setStatus(campaign, 'reviewing');
    try {
      const edit = await post(deptA, `${files(campaign)}/${fileId}`, entry({ fileNumber: 'E-1', cause: '改' }));
      expect(edit.status).toBe(409);
      expect(edit.text).toContain('活动已进入“评查中”阶段，案卷目录已锁定');
      expect((await post(deptA, `${files(campaign)}/${fileId}/delete`, {})).status).toBe(409);
      expect((await post(deptA, files(campaign), entry({ fileNumber: 'E-3' }))).status).toBe(409);
      expect((await upload(admin, utf8(`${HEADER}\nSJ,E-4,处罚,,案由,,张三,,,\n`), 'late.csv', {}, campaign)).status).toBe(409);
      expect((await deptA.agent.get(`${files(campaign)}/new`)).status).toBe(409);
      expect(await fileRow(ids.a, 'E-1', campaign)).toMatchObject({ cause: '销售假冒商品' });
      expect(await fileRow(ids.a, 'E-3', campaign)).toBeUndefined();
      const list = await deptA.agent.get(files(campaign));
      expect(list.status).toBe(200);
      expect(list.text).not.toContain('录入案卷');
    } finally {
      await setStatus(campaign, 'sampling');
    }
  });

  it('a department user deletes its own file; the deletion keeps the file in the log', async () => {
    const res = await post(deptA, `${files(campaign)}/${fileId}/delete`, {});
    expect(res.status).toBe(302);
    expect(await fileRow(ids.a, 'E-1', campaign)).toBeUndefined();
    const audit = await lastAudit('caseFile.delete');
    expect(audit.entity_id).toBe(String(fileId));
    expect(JSON.parse(audit.before_json!)).toMatchObject({ file_number: 'E-1', cause: '销售假冒商品', unit_id: ids.a });
  });
});

describe('the total a unit reports for the period', () => {
  let campaign = 0;
  beforeAll(async () => {
    campaign = await addCampaign('2024年度交叉评查（总数）', 'sampling', [ids.a, ids.b], [null, null]);
    for (const n of ['T-1', 'T-2', 'T-3']) expect((await post(deptA, files(campaign), entry({ fileNumber: n, closedOn: '2019-01-01' }))).status).toBe(302);
  });

  const total = (unitId: number) => t.db.selectFrom('campaign_units').selectAll().where('campaign_id', '=', campaign).where('unit_id', '=', unitId).executeTakeFirstOrThrow();

  it('must be a whole number no smaller than the files listed', async () => {
    expect((await deptA.agent.get(`${files(campaign)}/total`)).status).toBe(200);
    const fewer = await post(deptA, `${files(campaign)}/total`, { total: '2' });
    expect(fewer.status).toBe(422);
    expect(fieldErrors(fewer.text)).toEqual(['本期案卷总数（2）不能少于已报送案卷目录中的案卷数（3 卷）']);
    const junk = await post(deptA, `${files(campaign)}/total`, { total: '很多' });
    expect(junk.status).toBe(422);
    expect((await total(ids.a)).reported_total).toBeNull();
  });

  it('is stored with who and when, and audited', async () => {
    const res = await post(deptA, `${files(campaign)}/total`, { total: '120' });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(files(campaign));
    const row = await total(ids.a);
    expect(row.reported_total).toBe(120);
    expect(row.reported_at).toBe(t.clock.now().toISOString());
    expect(row.reported_by).not.toBeNull();
    const audit = await lastAudit('caseFile.total');
    expect(audit).toMatchObject({ entity_type: 'campaign', entity_id: String(campaign) });
    expect(audit.summary).toBe('“东安区市场监督管理局”报送本期案卷总数 120 卷，已报送案卷目录 3 卷');
    const again = await post(deptA, `${files(campaign)}/total`, { total: '130' });
    expect(again.status).toBe(302);
    const second = await lastAudit('caseFile.total');
    expect(JSON.parse(second.before_json!)).toEqual({ unit_id: ids.a, reported_total: 120 });
    expect(JSON.parse(second.after_json!)).toEqual({ unit_id: ids.a, reported_total: 130 });
    const list = await deptA.agent.get(files(campaign));
    expect(list.text).toContain('130 卷');
  });

  it('a department user reports for its own unit only; the administrator for any participating unit', async () => {
    expect((await post(deptA, `${files(campaign)}/total`, { unitId: String(ids.b), total: '50' })).status).toBe(403);
    expect((await total(ids.b)).reported_total).toBeNull();
    expect((await post(admin, `${files(campaign)}/total`, { unitId: String(ids.b), total: '0' })).status).toBe(302);
    expect((await total(ids.b)).reported_total).toBe(0);
    const outsider = await post(admin, `${files(campaign)}/total`, { unitId: String(ids.c), total: '5' });
    expect(outsider.status).toBe(422);
  });

  it('is locked once results are published', async () => {
    await setStatus(campaign, 'released');
    try {
      const res = await post(deptA, `${files(campaign)}/total`, { total: '140' });
      expect(res.status).toBe(409);
      expect(res.text).toContain('本期案卷总数不能再修改');
      expect((await total(ids.a)).reported_total).toBe(130);
    } finally {
      await setStatus(campaign, 'sampling');
    }
  });
});

describe('a long list', () => {
  it('pages by 50', async () => {
    const campaign = await addCampaign('2024年度自查（分页）', 'sampling', [ids.a]);
    const now = new Date().toISOString();
    for (let i = 1; i <= 60; i++) {
      await t.db.insertInto('case_files').values({
        campaign_id: campaign, unit_id: ids.a, file_number: `P-${String(i).padStart(3, '0')}`, case_type: 'penalty', field: null,
        cause: '案由', party: null, handlers: '张三', is_major: 0, closed_on: null, pages: null, source: 'import', created_at: now, created_by: null,
      }).execute();
    }
    const first = await admin.agent.get(files(campaign));
    expect(first.text).toContain('P-050');
    expect(first.text).not.toContain('P-051');
    expect(first.text).toContain('第 1 / 2 页，共 60 条');
    const second = await admin.agent.get(`${files(campaign)}?page=2`);
    expect(second.text).toContain('P-060');
    expect(second.text).not.toContain('P-050<');
  });
});
