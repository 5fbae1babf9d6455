import { describe, expect, it } from 'vitest';
import {
  caseTypeFrom, describePeriod, fileListOpen, parseCaseDate, parseCaseFile, parseMajor, parseReportedTotal,
  planCaseFileImport, splitHandlers, totalOpen, type CaseFileImportContext, type CaseFileInput,
} from '../../src/domain/case-files.ts';
import type { ImportRow } from '../../src/domain/units.ts';

const good: CaseFileInput = {
  fileNumber: ' 东市监罚〔2024〕12号 ', caseType: '行政处罚', field: '市场监管', cause: '销售过期食品', party: '某某超市',
  handlers: '张三、李四', isMajor: '', closedOn: '2024-03-05', pages: '56',
};
const year2024 = { from: '2024-01-01', to: '2024-12-31' };
const open = { from: null, to: null };

describe('case type', () => {
  it.each([
    ['行政处罚', 'penalty'], ['处罚', 'penalty'], ['许可', 'license'], ['行政检查', 'inspection'], ['强制', 'coercion'],
    ['征收', 'levy'], ['确认', 'confirmation'], ['给付', 'payment'], ['行政裁决', 'ruling'], ['其他', 'other'], ['penalty', 'penalty'],
    [' 行政许可 ', 'license'],
  ])('%s → %s', (text, code) => {
    expect(caseTypeFrom(text)).toBe(code);
  });
  it.each(['', '行政', '复议', '处'])('“%s” is no case type', (text) => {
    expect(caseTypeFrom(text)).toBeUndefined();
  });
});

describe('handlers', () => {
  it('splits on 、，, ; and spaces, keeps each name once', () => {
    expect(splitHandlers('张三、李四，王五,赵六 钱七　孙八；周九')).toEqual(['张三', '李四', '王五', '赵六', '钱七', '孙八', '周九']);
    expect(splitHandlers(' 张三 、 张三 ')).toEqual(['张三']);
    expect(splitHandlers(' 、 ,')).toEqual([]);
  });
});

describe('major case', () => {
  it.each([['是', true], ['Y', true], ['y', true], ['1', true], ['重大', true], ['否', false], ['N', false], ['0', false], ['', false], ['  ', false]] as const)(
    '“%s” → %s', (text, expected) => { expect(parseMajor(text)).toBe(expected); },
  );
  it('anything else is not understood', () => {
    expect(parseMajor('大概')).toBeUndefined();
  });
});

describe('closing dates', () => {
  it.each([
    ['2024-03-05', '2024-03-05'], ['2024-3-5', '2024-03-05'], ['2024/3/5', '2024-03-05'], ['2024/03/05', '2024-03-05'],
    ['2024.3.5', '2024-03-05'], ['2024年3月5日', '2024-03-05'], ['2024 年 3 月 5 日', '2024-03-05'], ['2024-02-29', '2024-02-29'],
  ])('%s → %s', (text, date) => {
    expect(parseCaseDate(text)).toBe(date);
  });
  it('a blank is no date', () => {
    expect(parseCaseDate('  ')).toBeNull();
  });
  it.each(['2023-02-29', '2024-13-01', '2024-04-31', '2024-00-10', '2024/3', '05/03/2024', '45356', '昨天', '2024-03-05T10:00'])('“%s” is refused', (text) => {
    expect(parseCaseDate(text)).toBeUndefined();
  });
  it('describes the period', () => {
    expect(describePeriod(year2024)).toBe('2024-01-01 至 2024-12-31');
    expect(describePeriod({ from: '2024-01-01', to: null })).toBe('2024-01-01 以后');
    expect(describePeriod({ from: null, to: '2024-12-31' })).toBe('2024-12-31 以前');
    expect(describePeriod(open)).toBe('不限');
  });
});

describe('one case file', () => {
  it('normalizes a good file', () => {
    const parsed = parseCaseFile({ ...good, handlers: '张三，李四 王五', isMajor: '是', closedOn: '2024年3月5日' }, year2024);
    expect(parsed).toEqual({
      ok: true,
      value: {
        fileNumber: '东市监罚〔2024〕12号', caseType: 'penalty', field: '市场监管', cause: '销售过期食品', party: '某某超市',
        handlers: '张三、李四、王五', isMajor: true, closedOn: '2024-03-05', pages: 56,
      },
    });
  });

  it('keeps optional fields empty as null', () => {
    const parsed = parseCaseFile({ ...good, field: ' ', party: '', closedOn: '', pages: '', isMajor: '' }, year2024);
    expect(parsed.ok && parsed.value).toMatchObject({ field: null, party: null, closedOn: null, pages: null, isMajor: false });
  });

  it('names every bad field', () => {
    const parsed = parseCaseFile({
      fileNumber: '', caseType: '复议', field: '门'.repeat(101), cause: ' ', party: '人'.repeat(201), handlers: '、',
      isMajor: '也许', closedOn: '2024-02-30', pages: '0',
    }, year2024);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems.map((p) => p.field)).toEqual(['fileNumber', 'caseType', 'field', 'cause', 'party', 'handlers', 'isMajor', 'closedOn', 'pages']);
    expect(parsed.problems[0]!.message).toBe('案卷编号不能为空');
    expect(parsed.problems[1]!.message).toContain('未知的案卷类型“复议”');
    expect(parsed.problems[1]!.message).toContain('行政处罚、行政许可');
    expect(parsed.problems[5]!.message).toContain('至少填写一名');
    expect(parsed.problems[7]!.message).toContain('“2024-02-30”不是有效日期');
  });

  it('limits lengths: number 100, cause 500, handlers 500', () => {
    const parsed = parseCaseFile({ ...good, fileNumber: '号'.repeat(101), cause: '由'.repeat(501), handlers: Array(200).fill('张三丰').map((n, i) => n + i).join('、') }, open);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems.map((p) => [p.field, p.message])).toEqual([
      ['fileNumber', '案卷编号不能超过 100 个字（现有 101 个字）'],
      ['cause', '案由不能超过 500 个字（现有 501 个字）'],
      ['handlers', expect.stringContaining('执法人员不能超过 500 个字')],
    ]);
    expect(parseCaseFile({ ...good, fileNumber: '号'.repeat(100), cause: '由'.repeat(500) }, open).ok).toBe(true);
  });

  it('refuses control characters', () => {
    const parsed = parseCaseFile({ ...good, cause: '销售\u0007过期食品' }, open);
    expect(!parsed.ok && parsed.problems[0]!.message).toBe('案由含有不可见的控制字符');
  });

  it('refuses a closing date outside the campaign period, naming the period', () => {
    for (const date of ['2023-12-31', '2025-01-01']) {
      const parsed = parseCaseFile({ ...good, closedOn: date }, year2024);
      expect(!parsed.ok && parsed.problems).toEqual([
        { field: 'closedOn', message: `结案日期 ${date} 不在本次评查的案卷范围（结案日期 2024-01-01 至 2024-12-31）内` },
      ]);
    }
    expect(parseCaseFile({ ...good, closedOn: '2024-01-01' }, year2024).ok).toBe(true);
    expect(parseCaseFile({ ...good, closedOn: '2024-12-31' }, year2024).ok).toBe(true);
    expect(parseCaseFile({ ...good, closedOn: '2019-06-01' }, open).ok).toBe(true);
    const openEnded = parseCaseFile({ ...good, closedOn: '2023-06-01' }, { from: '2024-01-01', to: null });
    expect(!openEnded.ok && openEnded.problems[0]!.message).toContain('结案日期 2024-01-01 以后');
  });

  it.each([['1', 1], ['99999', 99999]] as const)('pages %s is fine', (text, pages) => {
    const parsed = parseCaseFile({ ...good, pages: text }, open);
    expect(parsed.ok && parsed.value.pages).toBe(pages);
  });
  it.each(['0', '-3', '2.5', '十', '100000'])('pages “%s” is refused', (text) => {
    const parsed = parseCaseFile({ ...good, pages: text }, open);
    expect(!parsed.ok && parsed.problems.map((p) => p.field)).toEqual(['pages']);
  });
});

// ---------------------------------------------------------------------------------------------------------

const units = [
  { id: 1, code: 'ROOT', name: '市司法局' },
  { id: 2, code: 'SJ', name: '市场监督管理局' },
  { id: 3, code: 'HB', name: '生态环境局' },
  { id: 4, code: 'JT', name: '交通运输局' }, // not taking part
];
const context = (over: Partial<CaseFileImportContext> = {}): CaseFileImportContext => ({
  units, participantIds: new Set([2, 3]), onlyUnit: null, period: year2024, listed: [], ...over,
});
const HEADERS = ['单位编码', '案卷编号', '案卷类型', '执法门类', '案由', '当事人', '执法人员', '是否重大', '结案日期', '页数'];
const rows = (...data: string[][]): ImportRow[] =>
  data.map((cells, i) => ({ row: i + 2, values: Object.fromEntries(HEADERS.map((h, c) => [h, cells[c] ?? ''])) }));
const line = (unit: string, number: string, over: Partial<Record<string, string>> = {}) => {
  const v: Record<string, string> = {
    单位编码: unit, 案卷编号: number, 案卷类型: '处罚', 执法门类: '', 案由: '案由', 当事人: '', 执法人员: '张三、李四',
    是否重大: '', 结案日期: '2024-05-01', 页数: '', ...over,
  };
  return HEADERS.map((h) => v[h]!);
};

describe('planning an import', () => {
  it('plans every row of several units', () => {
    const plan = planCaseFileImport(rows(line('SJ', 'A-1'), line('hb', 'A-1', { 是否重大: '是', 结案日期: '2024/6/1' }), line('SJ', 'A-2')), context());
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    expect(plan.items.map((f) => [f.row, f.unitId, f.fileNumber, f.isMajor, f.closedOn])).toEqual([
      [2, 2, 'A-1', false, '2024-05-01'], [3, 3, 'A-1', true, '2024-06-01'], [4, 2, 'A-2', false, '2024-05-01'],
    ]);
  });

  it('needs 单位编码 on every row when the file is not limited to one unit', () => {
    const plan = planCaseFileImport(rows(line('', 'A-1')), context());
    expect(!plan.ok && plan.problems).toEqual([{ row: 2, field: '单位编码', message: expect.stringContaining('单位编码不能为空') }]);
  });

  it('takes the one unit when the file is limited to it, with or without the column', () => {
    const plan = planCaseFileImport(rows(line('', 'A-1'), line('SJ', 'A-2')), context({ onlyUnit: { unitId: 2, reason: 'own' } }));
    expect(plan.ok && plan.items.map((f) => f.unitId)).toEqual([2, 2]);
  });

  it('refuses a department user\'s row for another unit, and a row outside the chosen unit', () => {
    const own = planCaseFileImport(rows(line('HB', 'A-1')), context({ onlyUnit: { unitId: 2, reason: 'own' } }));
    expect(!own.ok && own.problems).toEqual([{ row: 2, field: '单位编码', message: '只能导入本单位“市场监督管理局”（SJ）的案卷，该行的单位编码“HB”是“生态环境局”' }]);
    const chosen = planCaseFileImport(rows(line('HB', 'A-1')), context({ onlyUnit: { unitId: 2, reason: 'chosen' } }));
    expect(!chosen.ok && chosen.problems[0]!.message).toContain('本次导入限定为“市场监督管理局”（SJ）的案卷');
  });

  it('lists every kind of bad row, each with its row and column, sorted by row', () => {
    const plan = planCaseFileImport(rows(
      line('NOPE', 'B-1'), // 2: unknown unit
      line('JT', 'B-2'), // 3: not taking part
      line('SJ', 'B-3', { 案卷类型: '复议' }), // 4: unknown case type
      line('SJ', 'B-4', { 结案日期: '2024-02-30' }), // 5: not a date
      line('SJ', 'B-5', { 结案日期: '2023-12-31' }), // 6: outside the period
      line('SJ', 'OLD-1'), // 7: already listed
      line('SJ', 'B-7'), // 8: fine
      line('sj', 'b-7 '), // 9: same number, same unit, as row 8
      line('HB', 'B-7'), // 10: same number, another unit: fine
      line('SJ', '', { 执法人员: '', 案由: '' }), // 11: three missing values
      line('SJ', 'B-11', { 是否重大: '大概', 页数: '0' }), // 12: two bad values
    ), context({ listed: [{ unitId: 2, fileNumber: 'old-1' }, { unitId: 3, fileNumber: 'B-1' }] }));
    expect(plan.ok).toBe(false);
    if (plan.ok) return;
    expect(plan.problems.map((p) => [p.row, p.field])).toEqual([
      [2, '单位编码'], [3, '单位编码'], [4, '案卷类型'], [5, '结案日期'], [6, '结案日期'], [7, '案卷编号'], [9, '案卷编号'],
      [11, '案卷编号'], [11, '案由'], [11, '执法人员'], [12, '是否重大'], [12, '页数'],
    ]);
    const message = (row: number) => plan.problems.find((p) => p.row === row)!.message;
    expect(message(2)).toBe('单位编码“NOPE”不存在');
    expect(message(3)).toBe('单位“交通运输局”（JT）不是本次评查活动的参评单位');
    expect(message(6)).toContain('不在本次评查的案卷范围（结案日期 2024-01-01 至 2024-12-31）内');
    expect(message(7)).toBe('“市场监督管理局”的案卷目录中已有案卷编号“OLD-1”，同一单位的案卷编号不能重复');
    expect(message(9)).toBe('案卷编号“b-7”与第 8 行重复（同一单位）');
  });

  it('an empty file is a problem of its own', () => {
    expect(planCaseFileImport([], context())).toEqual({ ok: false, problems: [{ row: 1, message: '文件中没有数据行' }] });
  });
});

describe('reported total', () => {
  it('is a whole number at least the files listed', () => {
    expect(parseReportedTotal(' 120 ', 100)).toEqual({ ok: true, total: 120 });
    expect(parseReportedTotal('100', 100)).toEqual({ ok: true, total: 100 });
    expect(parseReportedTotal('0', 0)).toEqual({ ok: true, total: 0 });
    expect(parseReportedTotal('99', 100)).toEqual({ ok: false, message: '本期案卷总数（99）不能少于已报送案卷目录中的案卷数（100 卷）' });
    expect(parseReportedTotal('', 0)).toEqual({ ok: false, message: '请填写本期案卷总数' });
    for (const bad of ['-1', '1.5', '一百', '2000000']) expect(parseReportedTotal(bad, 0).ok).toBe(false);
  });
});

describe('stages', () => {
  it('the list is open in preparation and sampling only; the total until results are published', () => {
    expect(['draft', 'sampling', 'reviewing', 'rechecking', 'released', 'closed'].map(fileListOpen)).toEqual([true, true, false, false, false, false]);
    expect(['draft', 'sampling', 'reviewing', 'rechecking', 'released', 'closed'].map(totalOpen)).toEqual([true, true, true, true, false, false]);
  });
});
