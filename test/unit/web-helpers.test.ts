import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { changedFields } from '../../src/features/audit/record.ts';
import { hashPassword, randomPassword, verifyPassword } from '../../src/features/auth/password-hash.ts';
import { formatDate, formatDateTime } from '../../src/web/format.ts';
import { safeLocalPath } from '../../src/web/form.ts';
import { allTemplateFiles, createViewEngine } from '../../src/web/view-engine.ts';
import { passwordProblems } from '../../src/domain/password-rules.ts';

describe('templates', () => {
  it('every .hbs file compiles', () => {
    const { hbs } = createViewEngine({ cache: false });
    const files = allTemplateFiles();
    expect(files.length).toBeGreaterThan(15);
    for (const file of files) expect(() => hbs.precompile(fs.readFileSync(file, 'utf8')), file).not.toThrow();
  });
});

describe('display in Asia/Shanghai', () => {
  it('shows timestamps in Beijing time and leaves case dates alone', () => {
    expect(formatDateTime('2026-11-23T16:30:00.000Z')).toBe('2026-11-24 00:30');
    expect(formatDate('2026-11-23T16:30:00.000Z')).toBe('2026-11-24');
    expect(formatDate('2022-03-01')).toBe('2022-03-01');
    expect(formatDateTime(null)).toBe('');
  });
});

describe('redirect targets after login', () => {
  it.each([
    ['/units/3', '/units/3'],
    ['//evil.example/x', '/'],
    ['/\\evil.example', '/'],
    ['https://evil.example', '/'],
    ['javascript:alert(1)', '/'],
    [undefined, '/'],
  ])('%s → %s', (input, expected) => {
    expect(safeLocalPath(input)).toBe(expected);
  });
});

describe('passwords', () => {
  it('hashes with scrypt, verifies, and never stores the clear text', async () => {
    const hash = await hashPassword('Review2026', 10);
    expect(hash).toMatch(/^scrypt\$1024\$8\$1\$/);
    expect(hash).not.toContain('Review2026');
    expect(await verifyPassword('Review2026', hash)).toBe(true);
    expect(await verifyPassword('review2026', hash)).toBe(false);
    expect(await verifyPassword('Review2026', 'garbage')).toBe(false);
  });
  it('generates passwords that pass the rules', () => {
    for (let i = 0; i < 50; i++) expect(passwordProblems(randomPassword())).toEqual([]);
  });
});

describe('audit diffs', () => {
  it('keeps only the fields that changed', () => {
    expect(changedFields({ name: '甲', code: 'A', kind: 'bureau' }, { name: '乙', code: 'A' })).toEqual({ before: { name: '甲' }, after: { name: '乙' } });
    expect(changedFields({ name: '甲' }, { name: '甲' })).toBeNull();
  });
});
