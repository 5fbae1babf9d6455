// Rubric versions: loading the rubrics/ folder at start, immutability, upload, download, compare, score sheet.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deps } from '../../src/context.ts';
import { createLogger } from '../../src/logger.ts';
import { loadRubricDirectory, RUBRICS_DIR } from '../../src/features/rubrics/loader.ts';
import { createTestApp, csrfFrom, loginAs, loginAsAdmin, addUser, rootUnitId, type TestApp } from '../support/app.ts';

const minimal = JSON.parse(fs.readFileSync(path.resolve('test/fixtures/rubrics/good/minimal.json'), 'utf8')) as Record<string, unknown> & {
  version: string; title: string; sections: { code: string; items: Record<string, unknown>[] }[];
};

let t: TestApp;
let deps: Deps;
let admin: Awaited<ReturnType<typeof loginAsAdmin>>;
let folder: string;

const versions = () => t.db.selectFrom('rubric_versions').selectAll().orderBy('id').execute();
const write = (name: string, value: unknown) => fs.writeFileSync(path.join(folder, name), typeof value === 'string' ? value : JSON.stringify(value, null, 2));

beforeAll(async () => {
  t = await createTestApp();
  deps = { db: t.db, config: t.config, clock: t.clock, logger: createLogger(t.config) };
  admin = await loginAsAdmin(t);
  folder = fs.mkdtempSync(path.join(t.dir, 'rubrics-'));
});
afterAll(async () => { await t.close(); });

describe('bundled standards', () => {
  it('are loaded at start as snapshots with their content hash', async () => {
    const rows = await versions();
    expect(rows.map((r) => r.rubric_key).sort()).toEqual(['coercion', 'inspection', 'license', 'penalty-general']);
    for (const r of rows) {
      expect(r.content_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(r.source).toBe('file');
    }
  });

  it('are not loaded twice when the app starts again', async () => {
    const report = await loadRubricDirectory(deps, RUBRICS_DIR);
    expect(report.created).toEqual([]);
    expect(report.unchanged).toHaveLength(4);
    expect(await versions()).toHaveLength(4);
  });

  it('are listed for every role, and the score sheet shows vetoes, sections and items', async () => {
    const unit = await rootUnitId(t.db);
    await addUser(t.db, { username: 'pingcha', role: 'reviewer', unitId: unit });
    const reviewer = await loginAs(t, 'pingcha', 'Passw0rd1');
    const list = await reviewer.agent.get('/rubrics');
    expect(list.status).toBe(200);
    expect(list.text).toContain('行政处罚案卷（一般程序）评查标准');
    expect(list.text).not.toContain('上传新版本');
    const penalty = (await versions()).find((r) => r.rubric_key === 'penalty-general')!;
    const sheet = await reviewer.agent.get(`/rubrics/${penalty.id}`);
    expect(sheet.status).toBe(200);
    expect(sheet.text).toContain('一、否决项（合法性审查）');
    expect(sheet.text).toContain('计 0 分并评为不合格');
    expect(sheet.text).toContain('评查人（签名）');
    expect(sheet.text).toMatch(/每处扣 \d+(\.\d)? 分/);
    expect(sheet.text).toContain('S1-01');
  });
});

describe('loading a folder', () => {
  it('keeps a valid file, and lists an invalid one with its problems without stopping', async () => {
    write('minimal.json', minimal);
    write('broken.json', { ...minimal, id: 'broken', sections: minimal.sections.slice(0, 1) });
    write('not-json.json', '{ "id": ');
    const report = await loadRubricDirectory(deps, folder);
    expect(report.created).toEqual(['minimal.json']);
    expect(report.rejected.map((r) => r.file).sort()).toEqual(['broken.json', 'not-json.json']);
    const page = await admin.agent.get('/rubrics');
    expect(page.text).toContain('以下标准文件未能载入');
    expect(page.text).toContain('broken.json');
    expect(page.text).toContain('不是有效的 JSON');
  });

  it('refuses a file whose content changed under the same version, and keeps the stored one', async () => {
    const before = (await versions()).find((r) => r.rubric_key === 'penalty-minimal')!;
    write('minimal.json', { ...minimal, title: '悄悄改过的标题' });
    const report = await loadRubricDirectory(deps, folder);
    const rejected = report.rejected.find((r) => r.file === 'minimal.json');
    expect(rejected?.problems[0]?.message).toContain('已载入的版本不能修改');
    const after = (await versions()).find((r) => r.rubric_key === 'penalty-minimal')!;
    expect(after.content_hash).toBe(before.content_hash);
    expect(after.title).toBe(minimal.title);
  });

  it('accepts the changed content as a new version beside the old one', async () => {
    write('minimal.json', { ...minimal, version: '2026.2', title: '修订后的标题' });
    const report = await loadRubricDirectory(deps, folder);
    expect(report.created).toEqual(['minimal.json']);
    const rows = (await versions()).filter((r) => r.rubric_key === 'penalty-minimal');
    expect(rows.map((r) => r.version)).toEqual(['2026.1', '2026.2']);
  });

  it('treats a reformatted file with the same content as unchanged', async () => {
    write('minimal.json', JSON.stringify({ ...minimal, version: '2026.2', title: '修订后的标题' }));
    const report = await loadRubricDirectory(deps, folder);
    expect(report.unchanged).toEqual(['minimal.json']);
  });
});

describe('upload', () => {
  const upload = async (body: string, name = 'rubric.json') => {
    const form = await admin.agent.get('/rubrics/upload');
    return admin.agent.post('/rubrics/upload').field('_csrf', csrfFrom(form.text)).attach('file', Buffer.from(body), name);
  };

  it('stores a new version, audited, and shows its score sheet', async () => {
    const res = await upload(JSON.stringify({ ...minimal, id: 'uploaded', version: '1.0' }));
    expect(res.status).toBe(302);
    const row = (await versions()).find((r) => r.rubric_key === 'uploaded')!;
    expect(row.source).toBe('upload');
    expect(res.headers.location).toBe(`/rubrics/${row.id}`);
    const audit = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'rubric.load').where('entity_id', '=', String(row.id)).executeTakeFirst();
    expect(audit?.actor_name).toBe('系统管理员');
  });

  it('shows every problem inline with its JSON path, and stores nothing', async () => {
    const count = (await versions()).length;
    const bad = { ...minimal, id: 'bad-upload', scale: 90, grades: [] };
    const res = await upload(JSON.stringify(bad));
    expect(res.status).toBe(422);
    expect(res.text).toContain('未载入');
    expect(res.text).toContain('/grades');
    expect(await versions()).toHaveLength(count);
  });

  it('refuses a changed file under an existing version with a Chinese explanation', async () => {
    const res = await upload(JSON.stringify({ ...minimal, id: 'uploaded', version: '1.0', title: '换了标题' }));
    expect(res.status).toBe(422);
    expect(res.text).toContain('已载入的版本不能修改');
  });

  it('says so when the same version is uploaded again unchanged', async () => {
    const res = await upload(JSON.stringify({ ...minimal, id: 'uploaded', version: '1.0' }));
    expect(res.status).toBe(302);
    const page = await admin.agent.get(res.headers.location!);
    expect(page.text).toContain('内容完全相同，未重复载入');
  });

  it('refuses non-JSON with the line and column', async () => {
    const res = await upload('{\n  "id": "x",\n}');
    expect(res.status).toBe(422);
    expect(res.text).toMatch(/第 3 行第 \d+ 列/);
  });
});

describe('download and compare', () => {
  it('downloads a version as JSON that validates again to the same content', async () => {
    const row = (await versions()).find((r) => r.rubric_key === 'penalty-minimal' && r.version === '2026.1')!;
    const res = await admin.agent.get(`/rubrics/${row.id}/download`);
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toContain("filename*=UTF-8''penalty-minimal-2026.1.json");
    expect(JSON.parse(res.text)).toMatchObject({ id: 'penalty-minimal', version: '2026.1', title: minimal.title });
  });

  it('compares two versions: items added, removed and changed', async () => {
    const changed = structuredClone(minimal);
    changed.version = '2026.3';
    changed.sections[0]!.items.pop(); // S1-02 removed
    changed.sections[1]!.items[0]!.text = '违法事实的时间、地点要素记载不全'; // S2-01 changed
    changed.sections[2]!.items.push({ code: 'S3-09', text: '未制作结案报告', deduction: { type: 'per_occurrence', points: 3 }, category: '执法程序', issue: '未制作结案报告' });
    write('minimal.json', changed);
    await loadRubricDirectory(deps, folder);
    const rows = (await versions()).filter((r) => r.rubric_key === 'penalty-minimal');
    const from = rows.find((r) => r.version === '2026.1')!;
    const to = rows.find((r) => r.version === '2026.3')!;
    const res = await admin.agent.get(`/rubrics/compare?a=${from.id}&b=${to.id}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('新增（1）');
    expect(res.text).toContain('S3-09');
    expect(res.text).toContain('删除（1）');
    expect(res.text).toContain('S1-02');
    expect(res.text).toContain('修改（1）');
    expect(res.text).toContain('违法事实的时间、地点要素记载不全');
  });

  it('answers 404 for a version that does not exist and 400 without two versions', async () => {
    expect((await admin.agent.get('/rubrics/99999')).status).toBe(404);
    expect((await admin.agent.get('/rubrics/compare?a=1')).status).toBe(400);
  });
});
