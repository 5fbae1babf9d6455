// Environment → typed, validated configuration. Fails fast with a Chinese message naming the variable.
import path from 'node:path';

export interface Config {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  dbPath: string;
  adminPassword: string | undefined;
  bureauName: string;
  sessionSecret: string | undefined;
  sessionIdleMinutes: number;
  loginMaxFailures: number;
  loginLockMinutes: number;
  loginRateLimitPerMinute: number;
  uploadMaxBytes: number;
  passwordHashCost: number;
  trustProxy: boolean;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`配置有误：\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];

  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return fallback;
    if (!/^\d+$/.test(raw.trim())) {
      problems.push(`${name}=${raw}：应为 ${min} 到 ${max} 之间的整数`);
      return fallback;
    }
    const value = Number(raw.trim());
    if (value < min || value > max) problems.push(`${name}=${raw}：应在 ${min} 到 ${max} 之间`);
    return value;
  };
  const oneOf = <T extends string>(name: string, fallback: T, allowed: readonly T[]): T => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return fallback;
    if (!(allowed as readonly string[]).includes(raw.trim())) {
      problems.push(`${name}=${raw}：可选值为 ${allowed.join(' / ')}`);
      return fallback;
    }
    return raw.trim() as T;
  };
  const bool = (name: string, fallback: boolean): boolean => {
    const raw = env[name]?.trim().toLowerCase();
    if (raw === undefined || raw === '') return fallback;
    if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
    if (['0', 'false', 'no', 'off'].includes(raw)) return false;
    problems.push(`${name}=${env[name]}：应为 true 或 false`);
    return fallback;
  };

  const nodeEnv = oneOf('NODE_ENV', 'development', ['development', 'production', 'test'] as const);
  const adminPassword = env.ADMIN_PASSWORD || undefined;
  if (adminPassword !== undefined && adminPassword.length < 8) {
    problems.push('ADMIN_PASSWORD：初始管理员密码至少 8 位');
  }
  const sessionSecret = env.SESSION_SECRET || undefined;
  if (sessionSecret !== undefined && sessionSecret.length < 32) {
    problems.push('SESSION_SECRET：会话密钥至少 32 个字符（不设置则自动生成并保存在数据库中）');
  }
  const host = env.HOST?.trim() || '127.0.0.1';
  if (!/^[\w.:-]+$/.test(host)) problems.push(`HOST=${host}：不是有效的主机地址`);

  const config: Config = {
    env: nodeEnv,
    host,
    port: int('PORT', 3000, 0, 65535),
    dbPath: path.resolve(env.DB_PATH?.trim() || './data/app.db'),
    adminPassword,
    bureauName: env.BUREAU_NAME?.trim() || '市司法局',
    sessionSecret,
    sessionIdleMinutes: int('SESSION_IDLE_MINUTES', 30, 5, 24 * 60),
    loginMaxFailures: int('LOGIN_MAX_FAILURES', 5, 3, 20),
    loginLockMinutes: int('LOGIN_LOCK_MINUTES', 15, 1, 24 * 60),
    loginRateLimitPerMinute: int('LOGIN_RATE_LIMIT_PER_MINUTE', 20, 1, 10000),
    uploadMaxBytes: int('UPLOAD_MAX_MB', 10, 1, 200) * 1024 * 1024,
    // log2 of scrypt's N; tests lower it to stay fast, production keeps 15 (32 MiB per hash).
    passwordHashCost: int('PASSWORD_HASH_COST', 15, 10, 20),
    trustProxy: bool('TRUST_PROXY', false),
    logLevel: oneOf('LOG_LEVEL', nodeEnv === 'test' ? 'silent' : 'info',
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
