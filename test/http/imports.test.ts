// Unit and user imports over HTTP: CSV (UTF-8 with BOM, GBK) and XLSX, the templates, header checks,
// every bad row listed with its row and column, all or nothing, and files that are not what they claim.
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, loginAs, loginAsAdmin, type TestApp } from '../support/app.ts';

type Agent = Awaited<ReturnType<typeof loginAsAdmin>>['agent'];

let t: TestApp;
let agent: Agent;
let csrf: string;

beforeAll(async () => {
  t = await createTestApp();
  ({ agent, csrf } = await loginAsAdmin(t));
});
afterAll(async () => { await t.close(); });

const UNIT_HEADER = '单位编码,单位名称,单位类型,上级单位编码';
const USER_HEADER = '用户名,姓名,角色,所属单位编码,评查员类别,可评案卷类型,联系电话,初始密码';
const BOM = '\uFEFF';

const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');

const upload = (path: string, buffer: Buffer, fileName: string, a: Agent = agent, token: string = csrf) =>
  a.post(path).field('_csrf', token).attach('file', buffer, fileName);

/** A response body as raw bytes (supertest would decode text and lose the BOM). */
const download = (path: string) => agent.get(path).buffer(true).parse((res, done) => {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
});

async function count(table: 'units' | 'users' | 'audit_log'): Promise<number> {
  const row = await t.db.selectFrom(table).select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

const unit = (code: string) => t.db.selectFrom('units').selectAll().where('code', '=', code).executeTakeFirst();
const unitId = async (code: string) => (await unit(code))!.id;
const user = (username: string) => t.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();

/** The problem table of a failed import: one entry per listed problem, entities decoded. */
function problems(html: string): { row: number; column: string; message: string }[] {
  const section = /<section class="import-failure"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
  const decode = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#x27;/g, "'")
    .replace(/&#x3D;/g, '=').replace(/&#x60;/g, '`').replace(/&amp;/g, '&');
  return [...section.matchAll(/<tr><td class="num">第 (\d+) 行<\/td><td>([^<]*)<\/td><td>([^<]*)<\/td><\/tr>/g)]
    .map((m) => ({ row: Number(m[1]), column: decode(m[2]!), message: decode(m[3]!) }));
}

/** Follows the redirect after a successful unit import and returns the success message. */
async function importedMessage(res: { status: number; headers: Record<string, string>; text: string }): Promise<string> {
  expect(res.status, res.text.slice(0, 2000)).toBe(302);
  expect(res.headers.location).toBe('/units');
  const page = await agent.get('/units');
  return /<div class="flash flash-success"[^>]*>([^<]*)<\/div>/.exec(page.text)?.[1] ?? '';
}

describe('unit import: good files', () => {
  it('reads a UTF-8 CSV with a BOM where children come before their parents', async () => {
    const csv = [
      UNIT_HEADER,
      'DA-GA-JJ,交警大队,执法部门,DA-GA',
      'DA-GA,东安区公安分局,执法部门,DA',
      'DA-XL,兴隆镇,乡镇,da',
      '',
      '"DA","东安区司法局，含“法律援助中心”",司法局,ROOT',
    ].join('\r\n');
    const before = await count('units');
    const res = await upload('/units/import', utf8(BOM + csv), '东安区单位.csv');
    expect(await importedMessage(res)).toBe('导入成功：新增 4 个单位');
    expect(await count('units')).toBe(before + 4);

    const county = (await unit('DA'))!;
    expect(county).toMatchObject({ name: '东安区司法局，含“法律援助中心”', kind: 'bureau', active: 1 });
    expect((await unit('DA-GA'))!).toMatchObject({ name: '东安区公安分局', kind: 'department', parent_id: county.id });
    expect((await unit('DA-XL'))!).toMatchObject({ name: '兴隆镇', kind: 'town', parent_id: county.id });
    expect((await unit('DA-GA-JJ'))!.parent_id).toBe(await unitId('DA-GA'));

    const audit = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'unit.import').executeTakeFirstOrThrow();
    expect(audit.summary).toBe('从文件“东安区单位.csv”导入 4 个单位');
    expect(JSON.parse(audit.after_json!).codes).toEqual(['DA', 'DA-GA', 'DA-GA-JJ', 'DA-XL']);
  });

  it('reads the same kind of data saved as GBK by older Chinese Excel, names intact', async () => {
    const csv = [UNIT_HEADER, 'XA-SJ,西安区市场监督管理局,执法部门,XA', 'XA-BS,白沙街道,乡镇（街道）,XA', 'XA,西安区司法局,司法局,ROOT', ''].join('\r\n');
    const gbk = iconv.encode(csv, 'gbk');
    expect(gbk.equals(utf8(csv))).toBe(false);
    const res = await upload('/units/import', gbk, 'xa.csv');
    expect(await importedMessage(res)).toBe('导入成功：新增 3 个单位');
    expect((await unit('XA'))!.name).toBe('西安区司法局');
    expect((await unit('XA-SJ'))!.name).toBe('西安区市场监督管理局');
    expect((await unit('XA-BS'))!).toMatchObject({ name: '白沙街道', kind: 'town', parent_id: await unitId('XA') });
  });

  it('reads an XLSX workbook, including codes Excel stored as numbers', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('单位');
    sheet.addRow(['单位编码', '单位名称', '单位类型', '上级单位编码']);
    sheet.addRow([3101, '南岗区交通运输局', '执法部门', 'NG']);
    sheet.addRow(['NG', '南岗区司法局', '司法局', 'ROOT']);
    sheet.addRow([]);
    sheet.addRow(['NG-HS', { richText: [{ text: '和平' }, { text: '街道' }] }, '乡镇（街道）', 'NG']);
    const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
    const res = await upload('/units/import', buffer, '南岗区.xlsx');
    expect(await importedMessage(res)).toBe('导入成功：新增 3 个单位');
    expect((await unit('3101'))!).toMatchObject({ name: '南岗区交通运输局', kind: 'department', parent_id: await unitId('NG') });
    expect((await unit('NG-HS'))!.name).toBe('和平街道');
  });

  it('shows the imported units in the tree', async () => {
    const page = await agent.get('/units');
    for (const name of ['东安区公安分局', '交警大队', '西安区市场监督管理局', '白沙街道', '南岗区交通运输局', '和平街道']) {
      expect(page.text).toContain(`>${name}</a>`);
    }
  });
});

describe('templates', () => {
  for (const [path, name, headers] of [
    ['/units/import', '单位导入模板', ['单位编码', '单位名称', '单位类型', '上级单位编码']],
    ['/users/import', '用户导入模板', ['用户名', '姓名', '角色', '所属单位编码', '评查员类别', '可评案卷类型', '联系电话', '初始密码']],
  ] as const) {
    it(`${name}: the CSV has a BOM, the Chinese headers, and a Chinese file name`, async () => {
      const res = await download(`${path}/template.csv`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent(`${name}.csv`)}`);
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="[\x20-\x7e]+"; /);
      const body = res.body as Buffer;
      expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(body.subarray(3).toString('utf8').trim()).toBe(headers.join(','));
    });

    it(`${name}: the XLSX has the headers on its first sheet and notes on a second`, async () => {
      const res = await download(`${path}/template.xlsx`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      expect(res.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent(`${name}.xlsx`)}`);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(res.body as unknown as ArrayBuffer);
      const [data, notes] = workbook.worksheets;
      expect(data!.name).toBe('数据');
      expect((data!.getRow(1).values as unknown[]).slice(1)).toEqual([...headers]);
      expect(data!.rowCount).toBe(1);
      expect(notes!.name).toBe('填写说明');
      const described = notes!.getColumn(1).values.slice(2).map(String);
      expect(described).toEqual([...headers]);
    });
  }

  it('a template in another format is a Chinese 404', async () => {
    const res = await agent.get('/units/import/template.pdf');
    expect(res.status).toBe(404);
    expect(res.text).toContain('模板格式只有 xlsx 和 csv 两种');
  });

  it('the downloaded template uploaded unfilled says there are no data rows', async () => {
    const template = (await download('/units/import/template.csv')).body as Buffer;
    const res = await upload('/units/import', template, '单位导入模板.csv');
    expect(res.status).toBe(422);
    expect(res.text).toContain('文件中没有数据行（第 1 行为表头，数据从第 2 行开始）');
  });
});

describe('unit import: wrong headers', () => {
  it('names a missing required column', async () => {
    const before = await count('units');
    const res = await upload('/units/import', utf8('单位编码,单位类型,上级单位编码\r\nZZ-1,执法部门,DA\r\n'), 'missing.csv');
    expect(res.status).toBe(422);
    expect(res.text).toContain('导入失败：missing.csv');
    expect(res.text).toContain('表头与模板不一致，请下载模板对照修改');
    expect(problems(res.text)).toEqual([{ row: 1, column: '', message: '缺少必需的列：单位名称' }]);
    expect(await count('units')).toBe(before);
  });

  it('names an unknown column and a repeated one', async () => {
    const res = await upload('/units/import', utf8(`${UNIT_HEADER},备注,单位名称\r\nZZ-1,某局,执法部门,DA,无,某局\r\n`), 'extra.csv');
    expect(res.status).toBe(422);
    const listed = problems(res.text).map((p) => p.message);
    expect(listed).toContain('无法识别的列：备注（模板的列为：单位编码、单位名称、单位类型、上级单位编码）');
    expect(listed).toContain('列名重复：单位名称');
    expect(await unit('ZZ-1')).toBeUndefined();
  });
});

describe('unit import: bad rows', () => {
  it('lists every bad row with its row number and column, and imports nothing', async () => {
    const csv = [
      UNIT_HEADER, // row 1
      'YA,永安区司法局,司法局,ROOT', // 2: fine
      'YA-1,永安区公安分局,执法部门,YA', // 3: fine
      'ya-1,永安区交通局,执法部门,YA', // 4: same code as row 3 (case does not matter)
      'da-ga,另一个公安分局,执法部门,YA', // 5: code already in the database
      'YA-2,永安区税务局,执法部门,NOPE', // 6: unknown parent
      'YA-3,永安区某局,部委,YA', // 7: unknown kind
      'YA-4,,执法部门,YA', // 8: empty name
      'YA-5,永安街道,乡镇（街道）,YA-1', // 9: a town under a department
      'YA 6,永安区水务局,执法部门,YA', // 10: bad code characters
      'YA-7,永安区林业局,执法部门,', // 11: a department without a parent
    ].join('\n');
    const units = await count('units');
    const audit = await count('audit_log');
    const res = await upload('/units/import', utf8(BOM + csv), 'yongan.csv');
    expect(res.status).toBe(422);
    expect(res.text).toContain('导入失败：共 8 处问题，未导入任何数据');
    expect(res.text).toContain('文件中的所有行均未导入');
    expect(problems(res.text)).toEqual([
      { row: 4, column: '单位编码', message: '单位编码“ya-1”与第 3 行重复' },
      { row: 5, column: '单位编码', message: '单位编码“da-ga”已存在于系统中' },
      { row: 6, column: '上级单位编码', message: '上级单位编码“NOPE”在系统和本文件中都不存在' },
      { row: 7, column: '单位类型', message: '未知的单位类型“部委”，应为：司法局、执法部门、乡镇（街道）' },
      { row: 8, column: '单位名称', message: '单位名称不能为空' },
      { row: 9, column: '上级单位编码', message: '乡镇（街道）的上级单位只能是司法局' },
      { row: 10, column: '单位编码', message: '单位编码只能由字母、数字、下划线、点和短横线组成，以字母或数字开头，最长 64 位' },
      { row: 11, column: '上级单位编码', message: '执法部门必须有上级单位' },
    ]);
    // The good rows 2 and 3 were not imported either.
    expect(await unit('YA')).toBeUndefined();
    expect(await unit('YA-1')).toBeUndefined();
    expect(await count('units')).toBe(units);
    expect(await count('audit_log')).toBe(audit);
  });

  it('reports a parent that is deactivated, and a loop inside the file', async () => {
    const xa = (await unit('XA-BS'))!;
    await t.db.updateTable('units').set({ active: 0 }).where('id', '=', xa.id).execute();
    const csv = [UNIT_HEADER, 'LP-A,甲局,执法部门,LP-B', 'LP-B,乙局,执法部门,LP-A', 'BS-1,白沙某站,执法部门,XA-BS'].join('\n');
    const res = await upload('/units/import', utf8(csv), 'loop.csv');
    expect(res.status).toBe(422);
    const listed = problems(res.text);
    expect(listed.some((p) => p.row <= 3 && p.column === '上级单位编码' && p.message.startsWith('上下级关系形成循环'))).toBe(true);
    expect(listed).toContainEqual({ row: 4, column: '上级单位编码', message: '上级单位“XA-BS”已停用' });
    expect(await unit('LP-A')).toBeUndefined();
    await t.db.updateTable('units').set({ active: 1 }).where('id', '=', xa.id).execute();
  });
});

describe('unit import: files that cannot be read', () => {
  const refused = async (buffer: Buffer, fileName: string, status: number, message: string) => {
    const units = await count('units');
    const res = await upload('/units/import', buffer, fileName);
    expect(res.status, res.text.slice(0, 300)).toBe(status);
    expect(res.text).toContain(message);
    expect(await count('units')).toBe(units);
    return res;
  };

  it('an old .xls workbook', async () => {
    const xls = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]);
    await refused(xls, '单位.xls', 422, '不支持旧版 Excel（.xls）格式：请在 Excel 中另存为 .xlsx 或 CSV 后重新上传');
  });

  it('a binary file named .txt (an .xlsx renamed)', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('单位').addRow(['单位编码', '单位名称', '单位类型', '上级单位编码']);
    const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
    const res = await refused(buffer, 'units.txt', 422, '文件不是文本格式的 CSV');
    expect(res.text).not.toContain('无法识别的列');
  });

  it('a file that is neither UTF-8 nor GBK', async () => {
    const garbage = Buffer.concat([utf8(UNIT_HEADER + '\n'), Buffer.from([0x41, 0xff, 0xfe, 0x80, 0xff, 0x2c, 0x42, 0x0a])]);
    await refused(garbage, 'odd.csv', 422, '无法识别文件编码（既不是 UTF-8 也不是 GBK）');
  });

  it('a UTF-16 file', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${UNIT_HEADER}\r\nQQ,某局,司法局,ROOT\r\n`, 'utf16le')]);
    await refused(utf16, 'utf16.csv', 422, '文件为 UTF-16 编码，无法读取');
  });

  it('a damaged .xlsx', async () => {
    await refused(utf8('this is not a zip archive'), 'broken.xlsx', 422, '无法读取该 .xlsx 文件：文件可能已损坏或并非 Excel 文件');
  });

  it('another file type', async () => {
    await refused(utf8('%PDF-1.4'), '单位.pdf', 422, '不支持的文件类型“.pdf”：请上传 .xlsx 或 .csv 文件');
  });

  it('a CSV with broken quoting names the problem', async () => {
    await refused(utf8(`${UNIT_HEADER}\nQQ,"某局,司法局,ROOT\n`), 'quotes.csv', 422, 'CSV 格式有误');
  });

  it('an empty file', async () => {
    await refused(Buffer.alloc(0), 'empty.csv', 400, '上传的文件“empty.csv”是空的');
  });

  it('a file with only blank lines', async () => {
    await refused(utf8('\r\n\r\n'), 'blank.csv', 422, '缺少必需的列：单位编码、单位名称、单位类型');
  });

  it('no file at all', async () => {
    const res = await agent.post('/units/import').field('_csrf', csrf);
    expect(res.status).toBe(400);
    expect(res.text).toContain('请选择要上传的文件');
  });

  it('an upload without the CSRF token is refused and imports nothing', async () => {
    const res = await agent.post('/units/import').attach('file', utf8(`${UNIT_HEADER}\nCS,某局,司法局,ROOT\n`), 'csrf.csv');
    expect(res.status).toBe(403);
    expect(await unit('CS')).toBeUndefined();
  });

  it('a department user may not import units', async () => {
    await t.db.insertInto('users').values({
      username: 'ga.clerk', display_name: '公安办事员', role: 'department', unit_id: await unitId('DA-GA'),
      password_hash: (await t.db.selectFrom('users').select('password_hash').where('username', '=', 'admin').executeTakeFirstOrThrow()).password_hash,
      case_types: '[]', active: 1, must_change_password: 0, password_changed_at: '2026-01-01T00:00:00.000Z', created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T00:00:00.000Z',
    }).execute();
    const clerk = await loginAs(t, 'ga.clerk', 'Admin12345');
    const res = await upload('/units/import', utf8(`${UNIT_HEADER}\nCL,某局,司法局,ROOT\n`), 'clerk.csv', clerk.agent, clerk.csrf);
    expect(res.status).toBe(403);
    expect(await unit('CL')).toBeUndefined();
  });
});

describe('upload size limit', () => {
  let small: TestApp;
  beforeAll(async () => { small = await createTestApp({ UPLOAD_MAX_MB: '1' }); });
  afterAll(async () => { await small.close(); });

  it('a file over the limit gets 413 with a Chinese message, and nothing is imported', async () => {
    const admin = await loginAsAdmin(small);
    const rows = [UNIT_HEADER];
    for (let i = 0; i < 30_000; i++) rows.push(`BIG-${i},很大的文件中的第${i}个执法部门,执法部门,ROOT`);
    const buffer = utf8(rows.join('\n'));
    expect(buffer.length).toBeGreaterThan(1024 * 1024);
    const res = await admin.agent.post('/units/import').field('_csrf', admin.csrf).attach('file', buffer, 'big.csv');
    expect(res.status).toBe(413);
    expect(res.text).toContain('上传的文件超过 1 MB 的上限，请拆分后分批导入');
    const units = await small.db.selectFrom('units').select('code').execute();
    expect(units.map((u) => u.code)).toEqual(['ROOT']);
    // The page says what the limit is before anyone tries.
    expect((await admin.agent.get('/units/import')).text).toContain('不超过 1 MB');
  });
});

describe('names with markup', () => {
  it('are imported as text and shown escaped', async () => {
    const csv = [UNIT_HEADER, 'XSS-1,"<script>alert(""单位"")</script>",司法局,ROOT', 'XSS-2,<img src=x onerror=alert(1)>,执法部门,XSS-1'].join('\n');
    const res = await upload('/units/import', utf8(csv), 'xss.csv');
    expect(await importedMessage(res)).toBe('导入成功：新增 2 个单位');
    expect((await unit('XSS-1'))!.name).toBe('<script>alert("单位")</script>');

    for (const path of ['/units', `/units/${await unitId('XSS-1')}`, '/audit']) {
      const page = await agent.get(path);
      expect(page.text, path).not.toContain('<script>alert');
      expect(page.text, path).not.toContain('<img src=x');
    }
    const tree = await agent.get('/units');
    expect(tree.text).toContain('&lt;script&gt;alert(&quot;单位&quot;)&lt;/script&gt;');
    expect(tree.text).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;');
  });

  it('in a bad file and its name are shown escaped on the error page', async () => {
    const csv = [UNIT_HEADER, 'XSS-3,某局,<b>部委</b>,ROOT', 'xss-1,"<svg onload=alert(1)>",司法局,ROOT'].join('\n');
    const res = await upload('/units/import', utf8(csv), '<b onmouseover=alert(1)>单位.csv');
    expect(res.status).toBe(422);
    expect(res.text).not.toContain('<b>部委</b>');
    expect(res.text).not.toContain('<b onmouseover');
    expect(res.text).toContain('导入失败：&lt;b onmouseover&#x3D;alert(1)&gt;单位.csv');
    expect(problems(res.text)).toEqual([
      { row: 2, column: '单位类型', message: '未知的单位类型“<b>部委</b>”，应为：司法局、执法部门、乡镇（街道）' },
      { row: 3, column: '单位编码', message: '单位编码“xss-1”已存在于系统中' },
    ]);
  });
});

describe('user import', () => {
  it('creates the users and shows each generated password once on the result page', async () => {
    const csv = [
      USER_HEADER,
      'GA.Zhang,张警官,部门用户,DA-GA,,,,',
      'pc.li,李律师,评查员,da,律师,行政处罚、行政许可,13800000000,',
      'leader.wu,吴局长,领导,DA,,,,Wu2026abc',
      'sj.chen,陈评查,评查员,XA-SJ,执法人员,处罚;检查,,',
    ].join('\r\n');
    const before = await count('users');
    const res = await upload('/users/import', utf8(BOM + csv), '用户名单.csv');
    expect(res.status, res.text.slice(0, 2000)).toBe(201);
    expect(res.text).toContain('已从“用户名单.csv”导入 4 个用户');
    expect(res.text).toContain('其中 3 个用户的初始密码由系统生成');
    expect(await count('users')).toBe(before + 4);

    const shown = Object.fromEntries([...res.text.matchAll(/<a href="\/users\/\d+">([^<]+)<\/a><\/td><td>[^<]*<\/td><td class="mono secret">([^<]+)<\/td>/g)]
      .map((m) => [m[1]!, m[2]!]));
    expect(Object.keys(shown).sort()).toEqual(['ga.zhang', 'leader.wu', 'pc.li', 'sj.chen']);
    expect(shown['leader.wu']).toBe('（使用文件中填写的密码）');
    expect(res.text).not.toContain('Wu2026abc');
    for (const name of ['ga.zhang', 'pc.li', 'sj.chen']) expect(shown[name]).toMatch(/^[A-Za-z0-9]{12}$/);

    expect(await user('ga.zhang')).toMatchObject({ display_name: '张警官', role: 'department', unit_id: await unitId('DA-GA'), must_change_password: 1 });
    const li = (await user('pc.li'))!;
    expect(li).toMatchObject({ role: 'reviewer', pool_type: 'lawyer', phone: '13800000000', unit_id: await unitId('DA') });
    expect(JSON.parse(li.case_types)).toEqual(['penalty', 'license']);
    expect(JSON.parse((await user('sj.chen'))!.case_types)).toEqual(['penalty', 'inspection']);

    // Each generated password works once given, and must be changed at first login.
    const zhang = await loginAs(t, 'ga.zhang', shown['ga.zhang']!);
    expect((await zhang.agent.get('/')).headers.location).toBe('/account/password');
    const wu = await loginAs(t, 'leader.wu', 'Wu2026abc');
    expect((await wu.agent.get('/')).headers.location).toBe('/account/password');

    // Shown once: the user's page and the list never show it again.
    for (const path of [`/users/${li.id}`, '/users', '/audit']) {
      expect((await agent.get(path)).text).not.toContain(shown['pc.li']!);
    }
  });

  it('reads an XLSX user list', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('用户');
    sheet.addRow(['用户名', '姓名', '角色', '所属单位编码', '评查员类别']);
    sheet.addRow(['ng.zhou', '周评查', '评查员', 'NG', '司法行政人员']);
    sheet.addRow(['ng.admin', '南岗管理员', '管理员', 'NG', '']);
    const res = await upload('/users/import', Buffer.from(await workbook.xlsx.writeBuffer()), 'ng.xlsx');
    expect(res.status).toBe(201);
    expect(await user('ng.zhou')).toMatchObject({ role: 'reviewer', pool_type: 'judicial' });
    expect(await user('ng.admin')).toMatchObject({ role: 'admin', unit_id: await unitId('NG') });
  });

  it('lists every bad row and imports none of them', async () => {
    const csv = [
      USER_HEADER, // row 1
      'ok.one,正常用户,部门用户,DA-GA,,,,', // 2: fine
      'bad.unit,单位不存在,部门用户,NOPE,,,,', // 3: unknown unit code
      'bad.role,角色不对,科员,DA-GA,,,,', // 4: unknown role
      'bad.pool,没有类别,评查员,DA,,,,', // 5: reviewer without category
      'OK.ONE,重名用户,部门用户,DA-GA,,,,', // 6: same username as row 2
      'admin,已有用户,管理员,ROOT,,,,', // 7: username already in the system
      'weak.pw,弱密码,部门用户,DA-GA,,,,abc', // 8: weak password
      'leader.ga,部门领导,领导,DA-GA,,,,', // 9: a leader outside a bureau
      'bad.type,类型不对,评查员,DA,律师,行政处罚、打官司,,', // 10: unknown case type
      'bad.phone,电话不对,部门用户,DA-GA,,,电话号码,', // 11: bad phone
    ].join('\n');
    const users = await count('users');
    const audit = await count('audit_log');
    const res = await upload('/users/import', utf8(csv), 'bad-users.csv');
    expect(res.status).toBe(422);
    expect(res.text).toContain('导入失败：bad-users.csv');
    const listed = problems(res.text);
    expect(listed).toContainEqual({ row: 3, column: '所属单位编码', message: '单位编码“NOPE”不存在' });
    expect(listed).toContainEqual({ row: 4, column: '角色', message: '未知的角色“科员”，应为：管理员、评查员、部门用户、领导' });
    expect(listed).toContainEqual({ row: 5, column: '评查员类别', message: '评查员须选择类别（执法人员、司法行政人员、律师或其他）' });
    expect(listed).toContainEqual({ row: 6, column: '用户名', message: '用户名“ok.one”与第 2 行重复' });
    expect(listed).toContainEqual({ row: 7, column: '用户名', message: '用户名“admin”已存在' });
    expect(listed).toContainEqual({ row: 8, column: '初始密码', message: '密码至少 8 位' });
    expect(listed).toContainEqual({ row: 8, column: '初始密码', message: '密码须同时包含字母和数字' });
    expect(listed).toContainEqual({ row: 9, column: '所属单位编码', message: '领导只能属于司法局' });
    expect(listed).toContainEqual({ row: 10, column: '可评案卷类型', message: '未知的案卷类型“打官司”' });
    expect(listed).toContainEqual({ row: 11, column: '联系电话', message: '联系电话格式不正确' });
    // Every bad row is listed, and only bad rows.
    expect([...new Set(listed.map((p) => p.row))]).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(res.text).toContain(`导入失败：共 ${listed.length} 处问题，未导入任何数据`);
    // All or nothing: the good row 2 is not imported either.
    expect(await user('ok.one')).toBeUndefined();
    expect(await count('users')).toBe(users);
    expect(await count('audit_log')).toBe(audit);
  });

  it('checks the user headers too', async () => {
    const res = await upload('/users/import', utf8('用户名,姓名,所属单位\nx.y,某人,DA\n'), 'users.csv');
    expect(res.status).toBe(422);
    const listed = problems(res.text).map((p) => p.message);
    expect(listed).toContain('缺少必需的列：角色、所属单位编码');
    expect(listed.some((m) => m.startsWith('无法识别的列：所属单位（'))).toBe(true);
  });

  it('reads a GBK user list with Chinese names intact', async () => {
    const csv = [USER_HEADER, 'xa.gbk,欧阳明月,部门用户,XA-SJ,,,,'].join('\r\n');
    const res = await upload('/users/import', iconv.encode(csv, 'gbk'), 'gbk.csv');
    expect(res.status).toBe(201);
    expect((await user('xa.gbk'))!.display_name).toBe('欧阳明月');
  });

  it('the import is audited without any password', async () => {
    const entries = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'user.import').orderBy('id').execute();
    expect(entries.map((e) => e.summary)).toEqual([
      '从文件“用户名单.csv”导入 4 个用户', '从文件“ng.xlsx”导入 2 个用户', '从文件“gbk.csv”导入 1 个用户',
    ]);
    expect(JSON.parse(entries[0]!.after_json!)).toEqual({ file: '用户名单.csv', usernames: ['ga.zhang', 'pc.li', 'leader.wu', 'sj.chen'] });
    const leaked = await t.db.selectFrom('audit_log').select('id')
      .where((eb) => eb.or([eb('after_json', 'like', '%Wu2026abc%'), eb('after_json', 'like', '%scrypt$%'), eb('summary', 'like', '%Wu2026abc%')]))
      .execute();
    expect(leaked).toEqual([]);
  });
});
