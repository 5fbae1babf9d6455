import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

describe('configuration', () => {
  it('has working defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 3000, host: '127.0.0.1', sessionIdleMinutes: 30, loginMaxFailures: 5, trustProxy: false, passwordHashCost: 15 });
    expect(c.dbPath).toBe(path.resolve('data/app.db'));
  });
  it('reads every variable', () => {
    const c = loadConfig({ PORT: '8080', HOST: '0.0.0.0', DB_PATH: '/srv/review.db', TRUST_PROXY: 'yes', UPLOAD_MAX_MB: '5', SESSION_IDLE_MINUTES: '60' });
    expect(c).toMatchObject({ port: 8080, host: '0.0.0.0', dbPath: '/srv/review.db', trustProxy: true, uploadMaxBytes: 5 * 1024 * 1024, sessionIdleMinutes: 60 });
  });
  it('lists every bad value with the variable name, in Chinese', () => {
    try {
      loadConfig({ PORT: 'abc', SESSION_IDLE_MINUTES: '1', TRUST_PROXY: 'maybe', ADMIN_PASSWORD: 'short', LOG_LEVEL: 'loud', SESSION_SECRET: 'x' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const problems = (e as ConfigError).problems;
      expect(problems).toHaveLength(6);
      expect(problems).toContain('PORT=abc：应为 0 到 65535 之间的整数');
      expect((e as Error).message).toMatch(/^配置有误/);
      for (const name of ['SESSION_IDLE_MINUTES', 'TRUST_PROXY', 'ADMIN_PASSWORD', 'LOG_LEVEL', 'SESSION_SECRET']) {
        expect(problems.some((p) => p.startsWith(name))).toBe(true);
      }
    }
  });
});
