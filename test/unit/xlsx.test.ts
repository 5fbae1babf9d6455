// The XLSX writer: frozen header, widths, number formats, a bold totals row, text that looks like a formula kept as
// text, and the streaming writer sending bytes out while rows are still being produced.
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { displayWidth, readFirstSheet, streamWorkbook, writeWorkbook, type SheetSpec } from '../../src/exports/xlsx.ts';

const spec: SheetSpec = {
  name: '单位汇总',
  headers: ['序号', '单位', '平均分', '合格率', '备注'],
  formats: ['integer', undefined, 'decimal1', 'percent1', 'text'],
  rows: [
    [1, '东安区市场监督管理局', 99.2, 1, '=HYPERLINK("http://x")'],
    [2, '阳明区生态环境局', 98, 0, '+1+1'],
    [3, '爱民区交通运输局', null, null, '@SUM(1)'],
  ],
  totals: ['合计', '3 个单位', 98.6, 2 / 3, ''],
};

async function load(buffer: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  return workbook;
}

async function streamed(sheets: SheetSpec[]): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await streamWorkbook(out, sheets);
  return Buffer.concat(chunks);
}

function checkSheet(sheet: ExcelJS.Worksheet): void {
  expect(sheet.name).toBe('单位汇总');
  expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
  expect(sheet.getRow(1).font?.bold).toBe(true);
  expect(sheet.getRow(1).values).toEqual([undefined, '序号', '单位', '平均分', '合格率', '备注']);
  const second = sheet.getRow(2);
  expect([second.getCell(1).value, second.getCell(3).value, second.getCell(4).value]).toEqual([1, 99.2, 1]);
  expect([second.getCell(1).numFmt, second.getCell(3).numFmt, second.getCell(4).numFmt]).toEqual(['0', '0.0', '0.0%']);
  // Text that looks like a formula is a string cell, never a formula.
  for (const [row, text] of [[2, '=HYPERLINK("http://x")'], [3, '+1+1'], [4, '@SUM(1)']] as const) {
    const cell = sheet.getRow(row).getCell(5);
    expect(cell.type).toBe(ExcelJS.ValueType.String);
    expect(cell.value).toBe(text);
    expect(cell.formula).toBeUndefined();
  }
  // Nothing to show is an empty cell, not "null" or 0.
  expect(sheet.getRow(4).getCell(3).value).toBeNull();
  const totals = sheet.getRow(5);
  expect(totals.font?.bold).toBe(true);
  expect([totals.getCell(1).value, totals.getCell(4).value, totals.getCell(4).numFmt]).toEqual(['合计', 2 / 3, '0.0%']);
  // Widths follow the longest value (CJK characters count two), within bounds.
  expect(sheet.getColumn(1).width).toBe(8);
  expect(sheet.getColumn(2).width).toBe(22);
}

describe('XLSX writer', () => {
  it('writes a workbook in memory with formats, totals and widths', async () => {
    checkSheet((await load(await writeWorkbook([spec]))).getWorksheet('单位汇总')!);
  });

  it('streams the same workbook', async () => {
    checkSheet((await load(await streamed([spec]))).getWorksheet('单位汇总')!);
  });

  it('takes explicit widths, and objects never reach a cell as formulas', async () => {
    const workbook = await load(await streamed([{
      name: '表', headers: ['甲', '乙'], columnWidths: [30, undefined],
      rows: [[{ formula: 'SUM(1,2)' }, true], [Number.NaN, new Date('2026-03-01T00:00:00Z')]],
    }]));
    const sheet = workbook.getWorksheet('表')!;
    expect(sheet.getColumn(1).width).toBe(30);
    expect(sheet.getRow(2).getCell(1).type).toBe(ExcelJS.ValueType.String);
    expect(sheet.getRow(2).getCell(1).value).toBe('[object Object]');
    expect(sheet.getRow(2).getCell(2).value).toBe('是');
    expect(sheet.getRow(3).getCell(1).value).toBeNull();
    expect(sheet.getRow(3).getCell(2).value).toEqual(new Date('2026-03-01T00:00:00Z'));
  });

  it('sends bytes out while a large sheet is still being produced', async () => {
    const out = new PassThrough();
    let received = 0;
    out.on('data', (c: Buffer) => { received += c.length; });
    let sentBeforeLastRow = 0;
    const ROWS = 30_000;
    async function* rows() {
      for (let i = 1; i <= ROWS; i++) {
        if (i === ROWS) sentBeforeLastRow = received;
        yield [i, `第 ${i} 号案卷`, (900 + (i % 100)) / 10];
        if (i % 1000 === 0) await new Promise((r) => setImmediate(r));
      }
    }
    await streamWorkbook(out, [{ name: '案卷结果', headers: ['序号', '案卷', '最后得分'], formats: ['integer', 'text', 'decimal1'], rows: rows() }]);
    expect(sentBeforeLastRow).toBeGreaterThan(0);
    expect(received).toBeGreaterThan(sentBeforeLastRow);
  }, 30_000);

  it('still reads a written sheet back as text (imports use this)', async () => {
    const rows = await readFirstSheet(await writeWorkbook([{ name: '数据', headers: ['单位编码', '单位名称'], rows: [['DA', '东安区司法局']] }]));
    expect(rows).toEqual([['单位编码', '单位名称'], ['DA', '东安区司法局']]);
  });

  it('measures text width with CJK characters as two', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('东安区')).toBe(6);
    expect(displayWidth('合格率（%）')).toBe(11);
  });
});
