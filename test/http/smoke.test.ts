import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, loginAsAdmin, type TestApp } from '../support/app.ts';

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); });
afterAll(async () => { await t.close(); });

describe('smoke', () => {
  it('admin logs in and sees the dashboard with name, unit and role', async () => {
    const { agent } = await loginAsAdmin(t);
    const res = await agent.get('/');
    expect(res.status).toBe(200);
    expect(res.text).toContain('系统管理员');
    expect(res.text).toContain('市司法局');
    expect(res.text).toContain('管理员');
    for (const page of ['/units', '/users', '/audit', '/units/new', '/users/new', '/units/import', '/users/import']) {
      const r = await agent.get(page);
      expect(r.status, page).toBe(200);
    }
  });
});
