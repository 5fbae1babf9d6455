import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const run = (...files: string[]): { status: number | null; stdout: string; stderr: string } => {
  const result = spawnSync(process.execPath, ['scripts/rubrics-check.ts', ...files], { cwd: root, encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
};

describe('npm run rubrics:check', () => {
  it('passes a valid file with exit code 0', () => {
    const { status, stdout } = run('test/fixtures/rubrics/good/minimal.json');
    expect(stdout).toContain('✓ test/fixtures/rubrics/good/minimal.json（penalty-minimal@2026.1，3 个部分，6 个评查项目，3 个否决项）');
    expect(stdout).toContain('共检查 1 个文件，全部通过');
    expect(status).toBe(0);
  });

  it('prints every problem as "file: /json/path — 说明" and exits 1', () => {
    const { status, stdout } = run('test/fixtures/rubrics/good/minimal.json', 'test/fixtures/rubrics/bad/many-problems.json', 'test/fixtures/rubrics/bad/not-json-comment.json');
    const lines = stdout.trim().split('\n');
    expect(lines).toContain('test/fixtures/rubrics/bad/many-problems.json: /version — 评查标准缺少必填的版本号（version）');
    expect(lines.filter((l) => l.startsWith('test/fixtures/rubrics/bad/many-problems.json: '))).toHaveLength(5);
    expect(lines).toContain('test/fixtures/rubrics/bad/not-json-comment.json: (整个文件) — 不是有效的 JSON：第 9 行第 3 列：JSON 不支持注释（// 或 /* */），请删除注释');
    expect(lines.at(-1)).toBe('共检查 3 个文件：1 个通过，2 个有问题（共 6 处）');
    expect(status).toBe(1);
  });

  it('reports a missing file instead of crashing', () => {
    const { status, stdout, stderr } = run('test/fixtures/rubrics/nope.json');
    expect(stdout).toContain('test/fixtures/rubrics/nope.json: (整个文件) — 文件不存在或无法读取');
    expect(stderr).toBe('');
    expect(status).toBe(1);
  });
});
