// A real application over a fresh SQLite database in a temporary folder: one per test file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import request from 'supertest';
import { createApp } from '../../src/app.ts';
import { ensureFirstAdmin } from '../../src/bootstrap.ts';
import { fixedClock, type Clock } from '../../src/clock.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { openDatabase, type Db } from '../../src/db/connection.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { createLogger } from '../../src/logger.ts';
import { hashPassword } from '../../src/features/auth/password-hash.ts';
import { loadRubricDirectory } from '../../src/features/rubrics/loader.ts';

export const ADMIN_PASSWORD = 'Admin12345';

export interface TestApp {
  app: Express;
  db: Db;
  config: Config;
  clock: ReturnType<typeof fixedClock>;
  dir: string;
  close(): Promise<void>;
}

export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfr-test-'));
  const config = loadConfig({
    NODE_ENV: 'test', DB_PATH: path.join(dir, 'app.db'), ADMIN_PASSWORD, PASSWORD_HASH_COST: '10',
    LOGIN_RATE_LIMIT_PER_MINUTE: '1000', ...env,
  });
  const opened = openDatabase(config.dbPath);
  await migrateToLatest(opened.db);
  // The clock starts at real time so that session cookie expiry (set by express-session) and the
  // app's own idle check agree; tests move it forward to simulate waiting.
  const clock = fixedClock(new Date());
  const deps = { db: opened.db, config, clock: clock as Clock, logger: createLogger(config) };
  await loadRubricDirectory(deps);
  await ensureFirstAdmin(deps);
  const app = await createApp(deps);
  return {
    app, db: opened.db, config, clock, dir,
    async close() {
      await opened.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Pulls the CSRF token out of a rendered page. */
export function csrfFrom(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('no CSRF token on the page');
  return match[1]!;
}

/** A logged-in agent (cookies kept) plus the CSRF token of its session. */
export async function loginAs(t: TestApp, username: string, password: string) {
  const agent = request.agent(t.app);
  const page = await agent.get('/login');
  const token = csrfFrom(page.text);
  const res = await agent.post('/login').type('form').send({ _csrf: token, username, password });
  if (res.status !== 302) throw new Error(`login as ${username} failed: ${res.status} ${res.text.slice(0, 300)}`);
  // The session id (and so the token) changes at login: read the new one from a page.
  const home = await agent.get('/account/password');
  return { agent, csrf: csrfFrom(home.text) };
}

export const loginAsAdmin = (t: TestApp) => loginAs(t, 'admin', ADMIN_PASSWORD);

/** Inserts a unit directly (fixtures for tests that are not about creating units). */
export async function addUnit(db: Db, code: string, name: string, kind: string, parentId: number | null): Promise<number> {
  const now = new Date().toISOString();
  const row = await db.insertInto('units').values({ code, name, kind, parent_id: parentId, active: 1, created_at: now, updated_at: now })
    .returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** Inserts a user with a known password and no forced change. */
export async function addUser(db: Db, fields: { username: string; role: string; unitId: number; displayName?: string; password?: string; poolType?: string | null }): Promise<number> {
  const now = new Date().toISOString();
  const row = await db.insertInto('users').values({
    username: fields.username, display_name: fields.displayName ?? fields.username, role: fields.role, unit_id: fields.unitId,
    password_hash: await hashPassword(fields.password ?? 'Passw0rd1', 10), pool_type: fields.poolType ?? (fields.role === 'reviewer' ? 'judicial' : null),
    case_types: '[]', phone: null, active: 1, must_change_password: 0, password_changed_at: now, created_at: now, updated_at: now,
  }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function rootUnitId(db: Db): Promise<number> {
  return (await db.selectFrom('units').select('id').where('code', '=', 'ROOT').executeTakeFirstOrThrow()).id;
}
