// Web security outcomes: CSRF, headers on plain HTTP and behind an HTTPS proxy, cookies, error pages
// that reveal nothing, JSON errors, open redirects and escaping of user-entered text.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD, addUnit, addUser, createTestApp, csrfFrom, loginAsAdmin, rootUnitId, type TestApp,
} from '../support/app.ts';

const CSRF_MESSAGE = '页面已过期或请求来源无法验证，请刷新页面后重新提交';
const XSS = '<script>alert(1)</script>';

let t: TestApp;
let rootId: number;
let admin: Awaited<ReturnType<typeof loginAsAdmin>>;
beforeAll(async () => {
  t = await createTestApp();
  rootId = await rootUnitId(t.db);
  admin = await loginAsAdmin(t);
});
afterAll(async () => { await t.close(); });

const unitCsv = (code: string, name: string) => Buffer.from(`单位编码,单位名称,单位类型,上级单位编码\n${code},${name},执法部门,ROOT\n`, 'utf8');

async function unitExists(code: string): Promise<boolean> {
  return (await t.db.selectFrom('units').select('id').where('code', '=', code).executeTakeFirst()) !== undefined;
}

async function isActive(userId: number): Promise<boolean> {
  return (await t.db.selectFrom('users').select('active').where('id', '=', userId).executeTakeFirstOrThrow()).active === 1;
}

describe('CSRF', () => {
  const unitForm = (code: string) => ({ code, name: '跨站测试单位', kind: 'department', parentId: String(rootId) });

  it('refuses a form post without a token, with a Chinese message, and changes nothing', async () => {
    const res = await admin.agent.post('/units').type('form').send(unitForm('CSRF1'));
    expect(res.status).toBe(403);
    expect(res.text).toContain(CSRF_MESSAGE);
    expect(await unitExists('CSRF1')).toBe(false);
  });

  it('refuses a form post with a wrong token', async () => {
    const res = await admin.agent.post('/units').type('form').send({ ...unitForm('CSRF2'), _csrf: 'x'.repeat(admin.csrf.length) });
    expect(res.status).toBe(403);
    expect(res.text).toContain(CSRF_MESSAGE);
    expect(await unitExists('CSRF2')).toBe(false);
  });

  it('refuses a token from another session', async () => {
    const other = await loginAsAdmin(t);
    const res = await admin.agent.post('/units').type('form').send({ ...unitForm('CSRF3'), _csrf: other.csrf });
    expect(res.status).toBe(403);
    expect(await unitExists('CSRF3')).toBe(false);
  });

  it('accepts the same form with the session\'s token (the check is not simply always failing)', async () => {
    const res = await admin.agent.post('/units').type('form').send({ ...unitForm('CSRF4'), _csrf: admin.csrf });
    expect(res.status).toBe(302);
    expect(await unitExists('CSRF4')).toBe(true);
  });

  it('refuses a multipart upload to /units/import without a token or with a wrong one', async () => {
    const none = await admin.agent.post('/units/import').attach('file', unitCsv('UP1', '上传一'), '单位.csv');
    expect(none.status).toBe(403);
    expect(none.text).toContain(CSRF_MESSAGE);
    const wrong = await admin.agent.post('/units/import').field('_csrf', 'not-the-token')
      .attach('file', unitCsv('UP2', '上传二'), '单位.csv');
    expect(wrong.status).toBe(403);
    expect(wrong.text).toContain(CSRF_MESSAGE);
    expect(await unitExists('UP1')).toBe(false);
    expect(await unitExists('UP2')).toBe(false);

    const right = await admin.agent.post('/units/import').field('_csrf', admin.csrf).attach('file', unitCsv('UP3', '上传三'), '单位.csv');
    expect(right.status).toBe(302);
    expect(await unitExists('UP3')).toBe(true);
  });

  it('does not let a multipart body slip past the check on routes that take no file', async () => {
    const victim = await addUser(t.db, { username: 'victim', role: 'reviewer', unitId: rootId });
    const res = await admin.agent.post(`/users/${victim}/deactivate`).field('note', 'cross-site');
    expect(res.status).toBe(403);
    expect(res.text).toContain(CSRF_MESSAGE);
    expect(await isActive(victim)).toBe(true);

    const reset = await admin.agent.post(`/users/${victim}/reset-password`).field('_csrf', admin.csrf);
    expect(reset.status).toBe(403);
    expect(reset.text).not.toContain('临时密码');
  });

  it('refuses the login form without a token', async () => {
    const res = await request(t.app).post('/login').type('form').send({ username: 'admin', password: ADMIN_PASSWORD });
    expect(res.status).toBe(403);
    expect(res.text).toContain(CSRF_MESSAGE);
  });

  it('answers a JSON client with the CSRF error as JSON', async () => {
    const res = await admin.agent.post('/units').set('Accept', 'application/json').send(unitForm('CSRF5'));
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error: { code: 'csrf_failed', message: CSRF_MESSAGE, details: null } });
  });
});

describe('security headers on plain HTTP (intranet address)', () => {
  it('sends a CSP without upgrade-insecure-requests and no HSTS', async () => {
    const res = await request(t.app).get('/login');
    const csp = res.headers['content-security-policy'];
    expect(csp).toBeDefined();
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(res.headers['strict-transport-security']).toBeUndefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('ignores X-Forwarded-Proto when the app is not behind a trusted proxy', async () => {
    const res = await request(t.app).get('/login').set('X-Forwarded-Proto', 'https');
    expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    expect(res.headers['strict-transport-security']).toBeUndefined();
    expect(res.get('Set-Cookie')?.join(';')).not.toMatch(/;\s*Secure/i);
  });

  it('sets the session cookie HttpOnly and SameSite=Lax (and not Secure over HTTP)', async () => {
    const res = await request(t.app).get('/login');
    const sid = res.get('Set-Cookie')?.find((c) => c.startsWith('sid='));
    expect(sid).toBeDefined();
    expect(sid).toMatch(/;\s*HttpOnly/i);
    expect(sid).toMatch(/;\s*SameSite=Lax/i);
    expect(sid).not.toMatch(/;\s*Secure/i);
  });
});

describe('security headers behind an HTTPS reverse proxy', () => {
  let proxied: TestApp;
  beforeAll(async () => { proxied = await createTestApp({ TRUST_PROXY: 'true' }); });
  afterAll(async () => { await proxied.close(); });

  it('adds upgrade-insecure-requests, HSTS and a Secure cookie when the request came over HTTPS', async () => {
    const res = await request(proxied.app).get('/login').set('X-Forwarded-Proto', 'https');
    expect(res.headers['content-security-policy']).toContain('upgrade-insecure-requests');
    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    const sid = res.get('Set-Cookie')?.find((c) => c.startsWith('sid='));
    expect(sid).toMatch(/;\s*Secure/i);
    expect(sid).toMatch(/;\s*HttpOnly/i);
  });

  it('still leaves plain-HTTP requests alone', async () => {
    const res = await request(proxied.app).get('/login');
    expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });
});

describe('error pages', () => {
  it('shows a Chinese 404 page for an unknown address', async () => {
    const res = await admin.agent.get('/no-such-page');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toContain('页面不存在');
    expect(res.text).toContain('回到工作台');
  });

  it('answers 404 for a unit or user id that does not exist, or is not an id at all', async () => {
    const unit = await admin.agent.get('/units/99999');
    expect(unit.status).toBe(404);
    expect(unit.text).toContain('单位不存在或已被删除');
    for (const path of ['/users/99999', '/units/abc', '/users/0', '/units/99999/edit', '/users/99999/edit']) {
      const res = await admin.agent.get(path);
      expect(res.status, path).toBe(404);
      expect(res.text, path).toContain('页面不存在');
    }
  });

  it('gives JSON clients {"error":{"code","message","details"}}', async () => {
    const missing = await admin.agent.get('/units/99999').set('Accept', 'application/json');
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toMatch(/application\/json/);
    expect(missing.body).toEqual({ error: { code: 'not_found', message: '单位不存在或已被删除', details: null } });

    const anonymous = await request(t.app).get('/units').set('Accept', 'application/json');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toEqual({ error: { code: 'unauthorized', message: '请先登录', details: null } });
  });

  describe('a server error', () => {
    let broken: TestApp;
    let agent: request.Agent;
    beforeAll(async () => {
      broken = await createTestApp();
      ({ agent } = await loginAsAdmin(broken));
      // The dashboard reads the audit log: without its table the page cannot be built.
      await broken.db.schema.dropTable('audit_log').execute();
    });
    afterAll(async () => { await broken.close(); });

    const leaks = (text: string) => {
      expect(text).not.toMatch(/\bError\b/);
      expect(text).not.toMatch(/\bat \S+ \(/); // stack frames
      expect(text).not.toMatch(/no such table|audit_log|sqlite/i);
      expect(text).not.toMatch(/\/(work|tmp|home|src|node_modules)\/|\.ts\b/);
    };

    it('shows a Chinese 500 page with no stack trace, SQL or file path', async () => {
      const res = await agent.get('/');
      expect(res.status).toBe(500);
      expect(res.text).toContain('系统错误');
      expect(res.text).toContain('系统内部错误，请稍后重试；如果问题持续，请联系管理员');
      leaks(res.text);
    });

    it('gives a JSON client the same message and nothing more', async () => {
      const res = await agent.get('/').set('Accept', 'application/json');
      expect(res.status).toBe(500);
      expect(res.body).toEqual({ error: { code: 'internal_error', message: '系统内部错误，请稍后重试；如果问题持续，请联系管理员', details: null } });
      leaks(res.text);
    });
  });
});

describe('open redirects after login', () => {
  const loginWithNext = async (next: string) => {
    const agent = request.agent(t.app);
    const page = await agent.get('/login');
    return agent.post('/login').type('form').send({ _csrf: csrfFrom(page.text), username: 'admin', password: ADMIN_PASSWORD, next });
  };

  for (const next of ['//evil.example', 'https://evil.example', '/\\evil.example', 'javascript:alert(1)', '///evil.example']) {
    it(`sends the user home instead of to ${next}`, async () => {
      const res = await loginWithNext(next);
      expect(res.status).toBe(302);
      expect(res.headers.location).toBe('/');
    });
  }

  it('still follows a local path', async () => {
    const res = await loginWithNext('/units?x=1');
    expect(res.headers.location).toBe('/units?x=1');
  });

  it('does not put a foreign next address into the login form', async () => {
    const page = await request(t.app).get('/login?next=%2F%2Fevil.example');
    expect(page.text).toContain('name="next" value=""');
    expect(page.text).not.toContain('evil.example');
  });
});

describe('escaping user-entered text', () => {
  let id: number;

  it('stores a unit named like a script tag as text', async () => {
    const res = await admin.agent.post('/units').type('form')
      .send({ _csrf: admin.csrf, code: 'XSS1', name: XSS, kind: 'department', parentId: String(rootId) });
    expect(res.status).toBe(302);
    const row = await t.db.selectFrom('units').select(['id', 'name']).where('code', '=', 'XSS1').executeTakeFirstOrThrow();
    expect(row.name).toBe(XSS);
    id = row.id;
  });

  it('renders the name escaped on every page that shows it', async () => {
    await addUser(t.db, { username: 'xss-user', role: 'department', unitId: id, displayName: `<img src=x onerror=alert(2)>` });
    const child = await addUnit(t.db, 'XSS2', '下级<b>单位</b>', 'department', id);
    for (const path of [`/units/${id}`, '/units', '/users', `/units/${child}`, `/units/${id}/edit`, '/audit', '/']) {
      const res = await admin.agent.get(path);
      expect(res.status, path).toBe(200);
      expect(res.text, path).not.toContain(XSS);
      expect(res.text, path).not.toContain('<img src=x');
      expect(res.text, path).not.toContain('<b>单位</b>');
    }
    const show = await admin.agent.get(`/units/${id}`);
    expect(show.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(show.text).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(2)&gt;');
    const list = await admin.agent.get('/units');
    expect(list.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});
