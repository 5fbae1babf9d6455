// A campaign's exports over a real database, scored through the services: the XLSX workbook read back and compared
// cell by cell with the statistics, the CSV tables, CSV/XLSX injection, a department's own-unit copy (and nothing
// before release), reviewers refused, the bulletin's paragraph and charts, and its PDF.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import ExcelJS from 'exceljs';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beijingDate } from '../../src/domain/rectification.ts';
import { formatTenths } from '../../src/domain/rubric/points.ts';
import { parseCsv } from '../../src/exports/csv.ts';
import { pdfSettings } from '../../src/exports/pdf.ts';
import { findCampaign } from '../../src/features/campaigns/queries.ts';
import { transitionCampaign } from '../../src/features/campaigns/service.ts';
import { campaignIssues } from '../../src/features/issues/service.ts';
import { addMeasure, issueNotices, reviewMeasure, submitReport } from '../../src/features/rectification/service.ts';
import { saveSheet } from '../../src/features/reviews/service.ts';
import { finalResults, statisticsOf, submittedSheets } from '../../src/features/statistics/service.ts';
import { createTestApp, loginAs, loginAsAdmin, type TestApp } from '../support/app.ts';
import { adminCtxOf, ctxFor, FIXTURE_PASSWORD, saveAs, setUpReviewCampaign, type ReviewFixture } from '../support/review-fixture.ts';

const FORMULA = '=HYPERLINK("http://x")';
const HAS_CHROMIUM = fs.existsSync('/usr/bin/chromium');
const PDFTOTEXT = ['/usr/bin/pdftotext', '/usr/local/bin/pdftotext'].find((p) => fs.existsSync(p)) ?? null;

let t: TestApp;
let fx: ReviewFixture;
type Agent = { agent: request.Agent; csrf: string };
let admin: Agent;
let leader: Agent;
let reviewer: Agent;
let deptA: Agent;

beforeAll(async () => {
  t = await createTestApp();
  fx = await setUpReviewCampaign(t);
  admin = await loginAsAdmin(t);
  leader = await loginAs(t, 'leader', FIXTURE_PASSWORD);
  reviewer = await loginAs(t, 'rev-a', FIXTURE_PASSWORD);
  deptA = await loginAs(t, 'dept-a', FIXTURE_PASSWORD);
});
afterAll(async () => { await t.close(); });

const url = (path = '') => `/campaigns/${fx.campaignId}${path}`;
const binary = (res: request.Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};
const download = (a: Agent, path: string) => a.agent.get(path).buffer(true).parse(binary);

async function workbookOf(a: Agent, path = url('/export.xlsx')): Promise<ExcelJS.Workbook> {
  const res = await download(a, path);
  expect(res.status, String(res.body).slice(0, 300)).toBe(200);
  expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(res.body as Buffer as unknown as ArrayBuffer);
  return workbook;
}

/** A sheet's rows as arrays of raw cell values (numbers stay numbers), header first. */
function rowsOf(sheet: ExcelJS.Worksheet): unknown[][] {
  const rows: unknown[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row, n) => {
    const values: unknown[] = [];
    for (let c = 1; c <= sheet.columnCount; c++) values.push(row.getCell(c).value ?? null);
    rows[n - 1] = values;
  });
  return rows;
}

async function csvOf(a: Agent, table: string): Promise<string[][]> {
  const res = await a.agent.get(url(`/export/${table}.csv`));
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toContain('text/csv');
  expect(res.text.charCodeAt(0)).toBe(0xfeff);
  return parseCsv(res.text.replace(/^\uFEFF/, ''));
}

const sheetNames = ['单位汇总', '案卷结果', '问题清单', '整改台账'];

describe('a campaign without results yet', () => {
  it('gives the bureau a workbook with every unit at zero and a bulletin that says so', async () => {
    const workbook = await workbookOf(admin);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(sheetNames);
    const units = rowsOf(workbook.getWorksheet('单位汇总')!);
    expect(units[0]).toEqual(['序号', '单位', '参评案卷数', '90分以上', '60–89分', '60分以下', '平均分', '合格率', '优秀率', '排名', '备注']);
    expect(units.slice(1, 4).map((r) => [r[1], r[2], r[6], r[7], r[9], r[10]])).toEqual([
      ['东安区市场监督管理局', 0, null, null, null, '暂无最后得分'],
      ['阳明区生态环境局', 0, null, null, null, '暂无最后得分'],
      ['爱民区交通运输局', 0, null, null, null, '暂无最后得分'],
    ]);
    expect(units[4]!.slice(0, 6)).toEqual(['合计', '3 个单位', 0, 0, 0, 0]);
    for (const name of sheetNames.slice(1)) expect(rowsOf(workbook.getWorksheet(name)!), name).toHaveLength(1);

    const page = await admin.agent.get(url('/bulletin'));
    expect(page.status).toBe(200);
    expect(page.text).toContain('组织 3 个单位开展交叉评查，目前尚无案卷形成最后得分。');
    expect(page.text).toContain('目前尚无案卷形成最后得分，暂无结果分布。');
    expect(page.text).toContain('本活动的评查结果尚未发布');
    expect(page.text).not.toContain('<svg');
    expect((await csvOf(admin, 'files'))).toHaveLength(1);
  });

  it('refuses a department before release, and a reviewer always', async () => {
    for (const path of ['/export.xlsx', '/export/units.csv', '/export/ledger.csv', '/bulletin', '/bulletin.pdf']) {
      const dept = await deptA.agent.get(url(path));
      expect(dept.status, path).toBe(403);
      expect(dept.text, path).toContain('评查结果尚未发布');
      const rev = await reviewer.agent.get(url(path));
      expect(rev.status, path).toBe(403);
      expect(rev.text, path).toContain('您没有权限访问此页面或执行此操作');
    }
  });
});

describe('a scored, released campaign with rectification under way', () => {
  beforeAll(async () => {
    await saveAs(t, fx, fx.reviewers.rb, fx.files.a1, { deductions: { 'S1-01': 1, 'S3-01': 1 } });
    await saveAs(t, fx, fx.reviewers.rc, fx.files.a1, { deductions: { 'S1-01': 1 } });
    await saveAs(t, fx, fx.reviewers.rb, fx.files.a2, { deductions: { 'S1-01': 1 } });
    await saveAs(t, fx, fx.reviewers.rc, fx.files.a2, {});
    // B's file: both reviewers mark the veto 主要违法事实不清 — 98 points, yet 不合格.
    await saveAs(t, fx, fx.reviewers.ra, fx.files.b1, { deductions: { 'S1-01': 2 }, vetoes: ['V04'] });
    await saveAs(t, fx, fx.reviewers.rc, fx.files.b1, { deductions: { 'S1-01': 2 }, vetoes: ['V04'] });
    // C's file: a reviewer's notes written like spreadsheet formulas.
    await saveSheet(await ctxFor(t, fx.reviewers.ra), fx.campaignId, fx.files.c1, {
      deductions: [{ itemCode: 'S1-01', count: 1, note: '@SUM(1)', document: '+1+1', page: '3' }], vetoes: [],
      others: [{ note: FORMULA, document: '', page: '' }], opinion: '',
    }, 0, true, true);
    await saveAs(t, fx, fx.reviewers.rb, fx.files.c1, {});
    const bureau = await adminCtxOf(t);
    await transitionCampaign(bureau, fx.campaignId, 'rechecking');
    await transitionCampaign(bureau, fx.campaignId, 'released');
    await issueNotices(bureau, fx.campaignId, { issuedOn: '', deadline: '', requirements: '' });
    // Unit A records a measure per issue (texts that look like formulas), reports; one is verified, one returned.
    const notice = await t.db.selectFrom('rectification_notices').select('id').where('unit_id', '=', fx.units.a).executeTakeFirstOrThrow();
    const items = await t.db.selectFrom('rectification_items').select('id').where('notice_id', '=', notice.id).orderBy('position').execute();
    const dept = await ctxFor(t, fx.departments.a);
    const today = beijingDate(t.clock.now());
    const m1 = await addMeasure(dept, items[0]!.id, { description: FORMULA, responsible: '+1+1', completedOn: today, evidence: '@SUM(1)' });
    const m2 = await addMeasure(dept, items[1]!.id, { description: '-2+3 补正笔录', responsible: '李明', completedOn: today, evidence: '培训签到表' });
    await submitReport(dept, notice.id);
    await reviewMeasure(bureau, m1, 'verify', '');
    await reviewMeasure(bureau, m2, 'return', '缺少补正后的笔录');
  });

  const expectedParagraph = '组织 3 个单位开展交叉评查，累计评查案卷 4 件，均为行政处罚案卷；评查结果为优秀 3 件、不合格 1 件，合格率 75.0%；'
    + '发现共性问题 1 个、个性问题 3 个，落实整改措施 1 项。';

  it('writes the per-unit overview cell by cell as the statistics have it, with a 合计 row and number formats', async () => {
    const campaign = (await findCampaign(t.db, fx.campaignId))!;
    const stats = await statisticsOf(t.db, campaign);
    const results = await finalResults(t.db, fx.campaignId);
    const workbook = await workbookOf(admin);
    const sheet = workbook.getWorksheet('单位汇总')!;
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const rows = rowsOf(sheet);
    const byName = new Map(stats.byUnit.map((u) => [u.unitName, u]));
    const fraction = (r: { numerator: number; denominator: number }) => r.numerator / r.denominator;
    const inRange = (unitId: number | null, lo: number, hi: number) => results.filter((f) => (unitId === null || f.unitId === unitId) && f.totalTenths >= lo && f.totalTenths < hi).length;
    rows.slice(1, 4).forEach((row, i) => {
      const u = byName.get(row[1] as string)!;
      expect(row).toEqual([
        i + 1, u.unitName, u.files, inRange(u.unitId, 900, 10_000), inRange(u.unitId, 600, 900), inRange(u.unitId, 0, 600),
        u.averageTenths! / 10, fraction(u.passRate), fraction(u.excellenceRate), u.rank,
        `单位等次：${u.gradeLabel}${u.vetoes ? `；否决 ${u.vetoes} 卷` : ''}`,
      ]);
    });
    // Hand-checked: A averages 98.8 and 99.5 → 99.2 (rank 2); B's one file 98 but vetoed (pass rate 0); C 99.5 (rank 1).
    expect(rows.slice(1, 4).map((r) => [r[1], r[6], r[7], r[9], r[10]])).toEqual([
      ['东安区市场监督管理局', 99.2, 1, 2, '单位等次：优秀'],
      ['阳明区生态环境局', 98, 0, 3, '单位等次：优秀；否决 1 卷'],
      ['爱民区交通运输局', 99.5, 1, 1, '单位等次：优秀'],
    ]);
    // 90分以上 counts scores: the vetoed 98 is there although its grade is 不合格.
    expect(rows[4]).toEqual(['合计', '3 个单位', 4, 4, 0, 0, 99, 0.75, 0.75, null, '分数段按最后得分统计：90分以上含 90 分，60分以下不含 60 分']);
    expect([stats.summary.files, stats.summary.averageTenths, stats.summary.passRate.percent]).toEqual([4, 990, '75.0%']);
    expect(rows).toHaveLength(5);
    // Numbers as numbers: counts whole, the average with one decimal, rates as percentages (the totals row too).
    for (const r of [2, 5]) {
      const row = sheet.getRow(r);
      expect([row.getCell(3).numFmt, row.getCell(4).numFmt, row.getCell(7).numFmt, row.getCell(8).numFmt, row.getCell(9).numFmt]).toEqual(['0', '0', '0.0', '0.0%', '0.0%']);
      for (const c of [3, 4, 7, 8, 9]) expect(row.getCell(c).type).toBe(ExcelJS.ValueType.Number);
    }
    expect([sheet.getRow(2).getCell(1).numFmt, sheet.getRow(2).getCell(10).numFmt]).toEqual(['0', '0']);
    expect(sheet.getRow(5).font?.bold).toBe(true);
    expect(sheet.getRow(1).font?.bold).toBe(true);
    expect(sheet.getColumn(2).width).toBeGreaterThanOrEqual(20);
  });

  it('writes each file with every reviewer’s score, its issues and how its final score was reached', async () => {
    const results = new Map((await finalResults(t.db, fx.campaignId)).map((f) => [f.fileNumber, f]));
    const sheets = await submittedSheets(t.db, fx.campaignId);
    const sheet = (await workbookOf(admin)).getWorksheet('案卷结果')!;
    const rows = rowsOf(sheet);
    expect(rows[0]).toEqual(['序号', '执法单位', '案卷编号', '案卷类型', '案由', '评查人数', '最后得分', '等次', '评查人员', '评查得分', '复核人员', '复核得分', '问题', '备注']);
    expect(rows.slice(1).map((r) => r[2])).toEqual(['DA-2026-001', 'DA-2026-002', 'DB-2026-001', 'DC-2026-001']);
    for (const row of rows.slice(1)) {
      const f = results.get(row[2] as string)!;
      const mine = sheets.filter((s) => s.fileId === f.fileId && s.kind === 'review');
      expect(row.slice(0, 9)).toEqual([rows.indexOf(row), f.unitName, f.fileNumber, '行政处罚', '未取得营业执照从事经营活动', mine.length, f.totalTenths / 10, f.gradeLabel, row[8]]);
      expect((row[9] as string).split('；').sort()).toEqual(mine.map((s) => `${s.reviewerName} ${formatTenths(s.totalTenths)}`).sort());
      expect([row[10], row[11]]).toEqual([null, null]);
    }
    expect(rows[1]!.slice(8)).toEqual([
      '乙评查员、丙评查员', '乙评查员 98.5；丙评查员 99', null, null, '执法人员未出示执法证件；调查笔录要素不全',
      '评查人员评分取平均：两名评查人员评分分别为 98.5 分、99 分，相差 0.5 分，未超过复核分差 5 分，等次一致（优秀），否决项一致（均未勾选否决项），取平均分 98.8 分（保留一位小数，四舍五入）',
    ]);
    expect(rows[3]![7]).toBe('不合格');
    expect(rows[3]![12]).toBe('执法人员未出示执法证件；【否决】主要违法事实不清');
    expect(rows[4]![12]).toBe(`执法人员未出示执法证件；${FORMULA}`);
    expect(sheet.getRow(2).getCell(7).numFmt).toBe('0.0');
    expect(sheet.getRow(2).getCell(7).value).toBe(98.8);
  });

  it('lists the issues as classified, and the rectification ledger as the ledger page has it', async () => {
    const campaign = (await findCampaign(t.db, fx.campaignId))!;
    const classification = await campaignIssues(t.db, campaign);
    const workbook = await workbookOf(admin);
    const issues = rowsOf(workbook.getWorksheet('问题清单')!);
    expect(issues[0]).toEqual(['序号', '问题', '类别', '性质', '涉及单位数', '涉及案卷数', '涉及单位']);
    expect(issues.slice(1).map((r) => [r[1], r[4], r[5]])).toEqual(classification.issues.map((i) => [i.wording, i.unitCount, i.fileCount]));
    expect(issues[1]).toEqual([1, '执法人员未出示执法证件', '执法主体', '共性问题', 3, 4, '东安区市场监督管理局（2 卷）、阳明区生态环境局（1 卷）、爱民区交通运输局（1 卷）']);
    expect(issues.slice(1).filter((r) => r[3] === '个性问题')).toHaveLength(3);

    const ledger = rowsOf(workbook.getWorksheet('整改台账')!);
    const page = parseCsv((await admin.agent.get(url('/rectification/ledger.csv'))).text.replace(/^\uFEFF/, ''));
    // The same rows as the ledger page's CSV (which escapes formulas with a leading apostrophe, and writes numbers as text).
    const unescape = (v: string) => (/^'[=+\-@]/.test(v) ? v.slice(1) : v);
    expect(ledger.map((r) => r.map((v) => (v === null ? '' : String(v))))).toEqual(page.map((r) => r.map(unescape)));
    expect(ledger[1]!.slice(0, 3)).toEqual([1, '东安区市场监督管理局', '案评整改〔2026〕1号']);
    expect([ledger[1]![12], ledger[1]![13], ledger[1]![15], ledger[1]![16]]).toEqual([FORMULA, '+1+1', '@SUM(1)', '已验收']);
    expect([ledger[2]![12], ledger[2]![16], ledger[2]![20]]).toEqual(['-2+3 补正笔录', '已退回', '缺少补正后的笔录']);
    expect(ledger.filter((r) => r[1] === '爱民区交通运输局').map((r) => r[6])).toEqual(['执法人员未出示执法证件', FORMULA]);
  });

  it('keeps formula-like text plain in the workbook and escaped in every CSV', async () => {
    const workbook = await workbookOf(admin);
    const suspicious: ExcelJS.Cell[] = [];
    for (const sheet of workbook.worksheets) {
      sheet.eachRow((row) => row.eachCell((cell) => {
        expect(cell.formula, `${sheet.name}!${cell.address}`).toBeUndefined();
        expect(cell.type, `${sheet.name}!${cell.address}`).not.toBe(ExcelJS.ValueType.Formula);
        if (typeof cell.value === 'string' && /^[=+\-@]/.test(cell.value)) suspicious.push(cell);
      }));
    }
    // The formula-looking texts are all there, as plain strings.
    expect(suspicious.map((c) => c.value)).toEqual(expect.arrayContaining([FORMULA, '+1+1', '@SUM(1)', '-2+3 补正笔录']));
    expect(suspicious.every((c) => c.type === ExcelJS.ValueType.String)).toBe(true);

    for (const table of ['units', 'files', 'issues', 'ledger']) {
      const rows = await csvOf(admin, table);
      for (const row of rows) for (const cell of row) expect(cell, `${table}: ${cell}`).not.toMatch(/^[=+\-@\t\r]/);
    }
    const ledger = (await csvOf(admin, 'ledger')).flat();
    expect(ledger).toEqual(expect.arrayContaining([`'${FORMULA}`, "'+1+1", "'@SUM(1)", "'-2+3 补正笔录"]));
    expect((await csvOf(admin, 'issues')).flat()).toContain(`'${FORMULA}`);
  });

  it('writes the same tables as CSV as in the workbook', async () => {
    const workbook = await workbookOf(admin);
    const text = (v: unknown, fmt: string | undefined) => (v === null ? '' : typeof v === 'number' && fmt === '0.0%' ? `${(v * 100).toFixed(1)}%` : String(v));
    for (const [table, name] of [['units', '单位汇总'], ['files', '案卷结果'], ['issues', '问题清单'], ['ledger', '整改台账']] as const) {
      const sheet = workbook.getWorksheet(name)!;
      const fromSheet = rowsOf(sheet).map((r, i) => r.map((v, c) => text(v, sheet.getRow(i + 1).getCell(c + 1).numFmt)));
      const csv = (await csvOf(admin, table)).map((r) => r.map((v) => (/^'[=+\-@]/.test(v) ? v.slice(1) : v)));
      expect(csv, table).toEqual(fromSheet);
    }
    const res = await admin.agent.get(url('/export/units.csv'));
    expect(decodeURIComponent(res.headers['content-disposition']!)).toContain('2026年度行政执法案卷交叉评查-单位汇总.csv');
    expect((await admin.agent.get(url('/export/secrets.csv'))).status).toBe(404);
  });

  it('names the workbook after the campaign', async () => {
    const res = await download(admin, url('/export.xlsx'));
    expect(decodeURIComponent(res.headers['content-disposition']!)).toContain("filename*=UTF-8''2026年度行政执法案卷交叉评查-评查结果.xlsx");
  });

  it('gives a department, after release, only its own unit', async () => {
    const workbook = await workbookOf(deptA);
    const everything = workbook.worksheets.flatMap((s) => rowsOf(s).flat()).filter((v): v is string => typeof v === 'string').join('\n');
    for (const other of ['阳明区生态环境局', '爱民区交通运输局', 'DB-2026-001', 'DC-2026-001', '案评整改〔2026〕2号', '案评整改〔2026〕3号', '主要违法事实不清']) {
      expect(everything).not.toContain(other);
    }
    const units = rowsOf(workbook.getWorksheet('单位汇总')!);
    expect(units).toHaveLength(3);
    // No rank on a unit's own copy: a rank compares units.
    expect(units[1]).toEqual([1, '东安区市场监督管理局', 2, 2, 0, 0, 99.2, 1, 1, null, '单位等次：优秀']);
    expect(units[2]!.slice(0, 4)).toEqual(['合计', '1 个单位', 2, 2]);
    expect(rowsOf(workbook.getWorksheet('案卷结果')!).slice(1).map((r) => r[2])).toEqual(['DA-2026-001', 'DA-2026-002']);
    expect(rowsOf(workbook.getWorksheet('问题清单')!).slice(1).map((r) => [r[1], r[3], r[4], r[5], r[6]])).toEqual([
      ['执法人员未出示执法证件', '共性问题', 1, 2, '东安区市场监督管理局（2 卷）'],
      ['调查笔录要素不全', '个性问题', 1, 1, '东安区市场监督管理局（1 卷）'],
    ]);
    expect(rowsOf(workbook.getWorksheet('整改台账')!).slice(1).map((r) => r[2])).toEqual(['案评整改〔2026〕1号', '案评整改〔2026〕1号']);
    expect((await csvOf(deptA, 'files')).slice(1).map((r) => r[2])).toEqual(['DA-2026-001', 'DA-2026-002']);
    expect((await csvOf(deptA, 'ledger')).flat().join()).not.toContain('爱民区交通运输局');
    const res = await download(deptA, url('/export.xlsx'));
    expect(decodeURIComponent(res.headers['content-disposition']!)).toContain('2026年度行政执法案卷交叉评查-东安区市场监督管理局-评查结果.xlsx');

    const page = await deptA.agent.get(url('/bulletin'));
    expect(page.status).toBe(200);
    expect(page.text).toContain('东安区市场监督管理局参加交叉评查，评查案卷 2 件，均为行政处罚案卷；评查结果为优秀 2 件，合格率 100.0%；发现共性问题 1 个、个性问题 1 个，落实整改措施 1 项。');
    expect(page.text).not.toContain('阳明区生态环境局');
    expect(page.text).not.toContain('爱民区交通运输局');
  });

  it('refuses a reviewer, and lets the leader read it all', async () => {
    for (const path of ['/export.xlsx', '/export/files.csv', '/bulletin', '/bulletin.pdf']) {
      expect((await reviewer.agent.get(url(path))).status, path).toBe(403);
    }
    expect((await leader.agent.get(url('/export/files.csv'))).status).toBe(200);
    const page = await leader.agent.get(url('/bulletin'));
    expect(page.status).toBe(200);
    expect([...page.text.matchAll(/<form method="post" action="([^"]+)"/g)].map((m) => m[1])).toEqual(['/logout']);
  });

  it('prints the bulletin with the paragraph, the tables, the charts and the common issues', async () => {
    const page = await admin.agent.get(url('/bulletin'));
    expect(page.status).toBe(200);
    const html = page.text;
    expect(html).toContain('<h1>关于2026年度行政执法案卷交叉评查情况的通报</h1>');
    expect(html).toContain(`<p class="bulletin-paragraph">${expectedParagraph}</p>`);
    expect(html).not.toContain('评查结果尚未发布');
    // The unit table, with the totals row.
    expect(html).toContain('<tr><td>1</td><td>东安区市场监督管理局</td><td>2</td><td>2</td><td>0</td><td>0</td><td>99.2</td><td>100.0%</td><td>100.0%</td><td>2</td><td>单位等次：优秀</td></tr>');
    expect(html).toContain('<tr class="bulletin-totals"><td>合计</td><td>3 个单位</td><td>4</td><td>4</td><td>0</td><td>0</td><td>99</td><td>75.0%</td><td>75.0%</td><td></td><td></td></tr>');
    // Two server-drawn SVG charts that obey the page's CSP (no style attributes, no <style>).
    const svgs = html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
    expect(svgs).toHaveLength(2);
    for (const svg of svgs) {
      expect(svg).not.toMatch(/\sstyle="/);
      expect(svg).not.toContain('<style');
      expect(svg).toContain('font-family="\'Noto Sans CJK SC\'');
    }
    expect(svgs[0]).toContain('等次分布');
    expect(svgs[1]).toContain('各单位平均分');
    expect(svgs[1]).toContain('爱民区交通运输局');
    expect(html).toContain('<li>执法人员未出示执法证件（涉及 3 个单位、4 卷案卷）</li>');
    expect(html).toContain('另发现个性问题 3 个');
    expect(html).toContain('下发整改通知书 3 份，涉及问题 6 个，已整改 1 个，落实整改措施 1 项。');
    expect(html).toContain('<p class="signature">市司法局</p>');
    expect(html).toMatch(/<p class="sign-date">\d{4}年\d{1,2}月\d{1,2}日<\/p>/);
    for (const link of ['/export.xlsx', '/export/units.csv', '/export/files.csv', '/export/issues.csv', '/export/ledger.csv', '/bulletin.pdf']) {
      expect(html).toContain(`href="${url(link)}"`);
    }
  });

  it.skipIf(!HAS_CHROMIUM)('renders the bulletin to PDF with Chromium', async () => {
    const res = await download(admin, url('/bulletin.pdf'));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const pdf = res.body as Buffer;
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    if (!PDFTOTEXT) {
      console.warn('pdftotext is not installed: the PDF’s text is not checked (only its %PDF header)');
      return;
    }
    const file = `${t.dir}/bulletin.pdf`;
    fs.writeFileSync(file, pdf);
    const text = execFileSync(PDFTOTEXT, [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    expect(text).toContain('关于2026年度行政执法案卷交叉评查情况的通报');
    expect(text).toContain(expectedParagraph.replace(/\s+/g, ''));
    expect(text).toContain('执法人员未出示执法证件（涉及3个单位、4卷案卷）');
  }, 60_000);

  it('offers the printable page when Chromium is missing', async () => {
    const saved = pdfSettings.executablePath;
    pdfSettings.executablePath = '/nonexistent/chromium';
    try {
      const res = await admin.agent.get(url('/bulletin.pdf'));
      expect(res.status).toBe(503);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.text).toContain('生成 PDF 需要在服务器上安装 Chromium 浏览器');
      expect(res.text).toContain(expectedParagraph);
      expect(res.text).toContain('data-print');
    } finally {
      pdfSettings.executablePath = saved;
    }
  });

  it('answers 404 for a campaign that does not exist', async () => {
    for (const path of ['/campaigns/999999/export.xlsx', '/campaigns/999999/export/units.csv', '/campaigns/999999/bulletin']) {
      expect((await admin.agent.get(path)).status, path).toBe(404);
    }
  });
});
