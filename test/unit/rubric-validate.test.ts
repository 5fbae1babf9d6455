import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import schema from '../../rubrics/schema.json' with { type: 'json' };
import { scanJson } from '../../src/domain/rubric/json-text.ts';
import { DEDUCTION_TYPES, VETO_EFFECTS } from '../../src/domain/rubric/types.ts';
import { MAX_RUBRIC_BYTES, isRealDate, validateRubric, validateRubricValue } from '../../src/domain/rubric/validate.ts';
import { CASE_TYPES } from '../../src/domain/vocabulary.ts';

const fixtures = new URL('../fixtures/rubrics/', import.meta.url);
const read = (name: string): string => readFileSync(new URL(name, fixtures), 'utf8');
const good = (): Record<string, unknown> => JSON.parse(read('good/minimal.json')) as Record<string, unknown>;

function problemsOf(text: string): { path: string; message: string }[] {
  const result = validateRubric(text);
  if (result.ok) throw new Error('expected the rubric to be rejected');
  return result.problems;
}

describe('a valid rubric', () => {
  it('accepts the minimal fixture and returns it typed', () => {
    const result = validateRubric(read('good/minimal.json'));
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.rubric.id).toBe('penalty-minimal');
      expect(result.rubric.sections.map((s) => s.code)).toEqual(['S1', 'S2', 'S3']);
    }
  });
  it('accepts a UTF-8 byte order mark, effectiveTo on or after effectiveFrom, and optional fields left out', () => {
    expect(validateRubric(`\uFEFF${read('good/minimal.json')}`).ok).toBe(true);
    const r = good();
    delete r['$schema'];
    delete r['issuer'];
    delete r['effectiveTo'];
    expect(validateRubricValue(r).ok).toBe(true);
    expect(validateRubricValue({ ...r, effectiveTo: '2026-01-01' }).ok).toBe(true);
    expect(validateRubricValue({ ...r, effectiveTo: '2028-02-29' }).ok).toBe(true);
  });
  it('accepts tenths such as 0.1, 0.3 and 87.5 without floating-point false alarms', () => {
    const r = good() as { grades: { min: number }[]; sections: { points: number; items: { deduction: Record<string, unknown> }[] }[] };
    r.grades[0]!.min = 87.5;
    r.grades[1]!.min = 80.3;
    r.sections[0]!.points = 9.9;
    r.sections[1]!.points = 30.1;
    r.sections[0]!.items[1]!.deduction = { type: 'range', min: 0.1, max: 0.3 };
    const result = validateRubricValue(r);
    expect(result.ok ? [] : result.problems).toEqual([]);
  });
});

// [fixture, JSON path, a key part of the Chinese message]
const corpus: [string, string, string][] = [
  ['missing-title.json', '/title', '缺少必填的标准名称（title）'],
  ['missing-vetoes.json', '/vetoes', '缺少必填的否决项（vetoes）'],
  ['scale-is-string.json', '/scale', '应为数字，实际为字符串 "100"'],
  ['zero-scale.json', '/scale', '必须大于 0，实际为 0'],
  ['blank-title.json', '/title', '不能为空'],
  ['bad-id.json', '/id', '"Penalty_General" 格式不对：只能由小写字母、数字和短横线组成'],
  ['bad-section-code.json', '/sections/0/code', '"S 1" 格式不对'],
  ['root-array.json', '', '评查标准应为对象'],
  ['sections-do-not-sum.json', '/sections', '各评查部分分值之和为 95 分（S1 10 分 + S2 25 分 + S3 60 分），应等于总分（scale）100 分，少 5 分'],
  ['empty-sections.json', '/sections', '评查部分（sections）至少需要 1 项，实际为空'],
  ['section-without-items.json', '/sections/2/items', '第三部分「执法程序」（S3）的评查项目（items）至少需要 1 项'],
  ['duplicate-item-code.json', '/sections/2/items/1/code', '编码「S2-01」重复：第二部分「事实认定与证据」的第 1 个评查项目（/sections/1/items/0/code）已使用该编码'],
  ['item-code-equals-veto-code.json', '/sections/0/items/1/code', '「V02」重复：第 2 个否决项（/vetoes/1/code）已使用该编码'],
  ['duplicate-grade-code.json', '/grades/1/code', '等次编码「excellent」重复'],
  ['grades-unordered.json', '/grades/2/min', '等次「良好」的最低分 80 分不低于上一档「合格」的 60 分'],
  ['grades-not-reaching-zero.json', '/grades/3/min', '最后一档等次「不合格」的最低分应为 0，实际为 30 分'],
  ['top-band-above-scale.json', '/grades/0/min', '最高等次「优秀」的最低分 110 分超过总分（scale）100 分'],
  ['no-passing-band.json', '/grades', '没有合格等次'],
  ['passing-below-failing.json', '/grades/2/passing', '合格等次「合格」排在不合格等次「较差」之下'],
  ['fail-veto-without-failing-band.json', '/grades', '否决项 V01（计 0 分并评为不合格）、V02（评为不合格，保留得分）会使案卷不合格，但等次分档中没有不合格等次'],
  ['bar-top-with-one-band.json', '/grades', '否决项 V03 的效果为「不得评为最高等次」，但等次分档只有一档'],
  ['cap-above-section.json', '/sections/0/items/0/cap', '评查项目 S1-01 扣分上限 12 分，超过所在的第一部分「执法主体」（S1）的分值 10 分'],
  ['cap-below-one-occurrence.json', '/sections/1/items/1/cap', '评查项目 S2-02 扣分上限 0.3 分低于每次扣分 0.5 分'],
  ['range-min-above-max.json', '/sections/0/items/1/deduction/min', '评查项目 S1-02 区间扣分的最少扣分 6 分大于最多扣分 3 分'],
  ['range-max-above-section.json', '/sections/0/items/1/deduction/max', '最多扣分 12 分，超过所在的第一部分「执法主体」（S1）的分值 10 分'],
  ['per-occurrence-above-section.json', '/sections/0/items/0/deduction/points', '评查项目 S1-01 每次扣分 15 分，超过所在的第一部分「执法主体」（S1）的分值 10 分'],
  ['negative-points.json', '/sections/2/items/0/deduction/points', '必须大于 0，实际为 -1'],
  ['quarter-points.json', '/sections/1/items/1/deduction/points', '评查项目 S2-02 的扣分方式中的每次扣分（deduction.points）为 0.25，分值最多保留一位小数'],
  ['veto-unknown-effect.json', '/vetoes/1/effect', '否决项 V02 的否决效果（effect）的值 "warn" 不可用，只能是：fail'],
  ['unknown-case-type.json', '/caseTypes/1', '"traffic" 不可用，只能是：penalty（行政处罚）'],
  ['duplicate-case-type.json', '/caseTypes/2', '第 3 项 "penalty" 与第 1 项重复'],
  ['bad-date.json', '/effectiveFrom', '"2026-02-30" 不是真实存在的日期'],
  ['date-wrong-format.json', '/effectiveFrom', '"2026/1/1" 格式不对：应为 YYYY-MM-DD 格式的日期'],
  ['effective-to-before-from.json', '/effectiveTo', '失效日期（effectiveTo）2025-12-31 早于生效日期（effectiveFrom）2026-01-01'],
  ['additional-property.json', '/sections/0/items/0/weight', '评查项目 S1-01 中有格式不允许的字段 "weight"'],
  ['deduction-mixed-fields.json', '/sections/0/items/0/deduction/max', '不允许的字段 "max"（字段名区分大小写，不能自行添加）；这里只允许：type、points'],
  ['deduction-unknown-type.json', '/sections/2/items/0/deduction/type', '"fixed" 不可用，只能是：per_occurrence（按次扣分）、range（区间扣分）'],
  ['duplicate-json-key.json', '/sections/0/items/0/cap', '字段 "cap" 在同一对象中重复出现（第 27 行）'],
  ['empty.json', '', '文件为空'],
  ['not-json-trailing-comma.json', '', '不是有效的 JSON：第 15 行第 3 列：多余的逗号'],
  ['not-json-chinese-comma.json', '', '不是有效的 JSON：第 3 行第 22 列：使用了中文逗号「，」'],
  ['not-json-comment.json', '', '不是有效的 JSON：第 9 行第 3 列：JSON 不支持注释'],
];

describe('the corpus of broken rubric files', () => {
  it('has a case for every file in test/fixtures/rubrics/bad/ (and at least 22 of them)', () => {
    const files = readdirSync(new URL('bad/', fixtures)).filter((f) => f.endsWith('.json')).sort();
    const covered = new Set([...corpus.map(([f]) => f), 'many-problems.json']);
    expect(files.filter((f) => !covered.has(f))).toEqual([]);
    expect(files.length).toBeGreaterThanOrEqual(22);
  });

  it.each(corpus)('%s → %s', (file, path, message) => {
    const problems = problemsOf(read(`bad/${file}`));
    const atPath = problems.filter((p) => p.path === path);
    expect(atPath.map((p) => p.message).join('\n')).toContain(message);
    // One cause, one message: a broken fixture is not buried under follow-on errors.
    expect(problems).toHaveLength(file === 'cap-below-one-occurrence.json' ? 2 : 1);
  });

  it('reports every schema problem at once, not only the first', () => {
    const problems = problemsOf(read('bad/many-problems.json'));
    expect(problems.map((p) => p.path)).toEqual([
      '/version',
      '/scale',
      '/grades/0/passing',
      '/vetoes/0/colour',
      '/sections/0/items/0/deduction/points',
    ]);
    expect(problems[2]!.message).toBe('等次「优秀」的是否合格（passing）应为布尔值（true 或 false），实际为字符串 "yes"');
  });

  it('runs the rules beyond the schema only once the schema passes', () => {
    const r = good() as Record<string, unknown> & { sections: { points: number }[] };
    r.sections[0]!.points = 5; // sections no longer sum to 100 …
    delete r['title']; // … but the missing title is reported alone
    expect(validateRubricValue(r)).toEqual({ ok: false, problems: [{ path: '/title', message: '评查标准缺少必填的标准名称（title）' }] });
  });

  it('refuses a file over 1 MB before parsing it', () => {
    const huge = `{"id": "x", "description": "${'案'.repeat(400_000)}"}`; // 1.2 MB of UTF-8, valid JSON
    expect(huge.length).toBeLessThan(MAX_RUBRIC_BYTES);
    const problems = problemsOf(huge);
    expect(problems).toEqual([{ path: '', message: expect.stringContaining('文件过大：1.1 MB，评查标准文件不能超过 1 MB') }]);
    expect(problemsOf(' '.repeat(MAX_RUBRIC_BYTES + 1))[0]!.message).toContain('文件过大');
  });

  it('reads a file of exactly 1 MB', () => {
    const r = JSON.stringify(good());
    const padded = r + ' '.repeat(MAX_RUBRIC_BYTES - Buffer.byteLength(r));
    expect(Buffer.byteLength(padded)).toBe(MAX_RUBRIC_BYTES);
    expect(validateRubric(padded).ok).toBe(true);
  });

  it('flags codes that differ only by letter case', () => {
    const r = good() as { sections: { items: { code: string }[] }[] };
    r.sections[2]!.items[0]!.code = 's1-01';
    const result = validateRubricValue(r);
    expect(result.ok ? [] : result.problems).toEqual([
      { path: '/sections/2/items/0/code', message: expect.stringContaining('编码「s1-01」与「S1-01」仅大小写不同') },
    ]);
  });
});

describe('the JSON syntax scan', () => {
  it.each([
    ['{"a": 1,}', 1, 9, '多余的逗号'],
    ['{\n  "a": 1\n  "b": 2\n}', 3, 3, '缺少逗号'],
    ['{"a": 1', 1, 8, '文件意外结束'],
    ["{'a': 1}", 1, 2, '不能用单引号'],
    ['{a: 1}', 1, 2, '字段名必须用英文双引号括起来'],
    ['{"a": “x”}', 1, 7, '使用了中文引号'],
    ['{"a"： 1}', 1, 5, '使用了中文冒号'],
    ['{"a": "x\ny"}', 1, 9, '字符串中间换行了'],
    ['{"a": "\\q"}', 1, 8, '不合法的转义'],
    ['{"a": 01}', 1, 7, '数字「01」格式不对'],
    ['{"a": .5}', 1, 7, '数字「.5」格式不对'],
    ['{"a": tru}', 1, 7, '无法识别的值「tru」'],
    ['{"a": 1}}', 1, 9, '后面多出了「}」'],
    ['{"a": "abc', 1, 7, '字符串没有结束'],
  ])('%j → line %i column %i: %s', (text, line, column, message) => {
    const scan = scanJson(text);
    expect(scan.ok).toBe(false);
    if (!scan.ok) {
      expect([scan.error.line, scan.error.column]).toEqual([line, column]);
      expect(scan.error.message).toContain(message);
    }
  });

  it('agrees with JSON.parse on what is valid JSON', () => {
    const alphabet = fc.constantFrom('{', '}', '[', ']', ',', ':', '"', 'a', '1', '0', '-', '.', 'e', ' ', '\n', 't', 'r', 'u', '\\', 'n', 'l');
    const jsonish = fc.oneof(
      fc.json({ depthSize: 'small' }),
      fc.array(alphabet, { maxLength: 30 }).map((chars) => chars.join('')),
      fc.json({ depthSize: 'small' }).chain((t) => fc.nat(t.length).map((cut) => t.slice(0, cut) + t.slice(cut + 1))),
    );
    fc.assert(fc.property(jsonish, (text) => {
      let parses = true;
      try {
        JSON.parse(text);
      } catch {
        parses = false;
      }
      expect(scanJson(text).ok).toBe(parses);
    }), { numRuns: 3000 });
  });

  it('finds duplicate keys with their JSON path', () => {
    expect(scanJson('{"a": {"b": 1,\n "b": 2}, "c": [{"x~/": 1, "x~/": 2}]}')).toEqual({
      ok: true,
      duplicates: [
        { path: '/a/b', key: 'b', line: 2, firstLine: 1 },
        { path: '/c/0/x~0~1', key: 'x~/', line: 2, firstLine: 2 },
      ],
    });
  });
});

describe('the schema and the code agree', () => {
  const defs = (schema as unknown as { $defs: Record<string, any>; properties: Record<string, any> });
  it('lists the same case types, veto effects and deduction types as the code', () => {
    expect(defs.properties['caseTypes'].items.enum).toEqual([...CASE_TYPES]);
    expect(defs.$defs['veto'].properties.effect.enum).toEqual([...VETO_EFFECTS]);
    expect(defs.$defs['deduction'].properties.type.enum).toEqual([...DEDUCTION_TYPES]);
  });
  it('recognises real calendar dates', () => {
    expect(['2024-02-29', '2026-12-31', '2000-02-29'].map(isRealDate)).toEqual([true, true, true]);
    expect(['2026-02-29', '1900-02-29', '2026-04-31', '2026-13-01', '2026-00-10', '2026-1-1'].map(isRealDate)).toEqual([false, false, false, false, false, false]);
  });
});

describe('the bundled rubrics', () => {
  const dir = new URL('../../rubrics/', import.meta.url);
  const files = readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'schema.json');
  it.each(files.length > 0 ? files : ['(none yet)'])('%s is valid', (file) => {
    if (file === '(none yet)') return;
    const result = validateRubric(readFileSync(new URL(file, dir), 'utf8'));
    expect(result.ok ? [] : result.problems).toEqual([]);
  });
});
