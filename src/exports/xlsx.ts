// XLSX in and out, behind one module so exceljs could be swapped.
import ExcelJS from 'exceljs';

/** How a column's numbers are shown: whole numbers, one decimal (scores), a percentage with one decimal (rates). */
export type ColumnFormat = 'text' | 'integer' | 'decimal1' | 'percent1';

const NUM_FMT: Record<ColumnFormat, string | undefined> = { text: undefined, integer: '0', decimal1: '0.0', percent1: '0.0%' };

export interface SheetSpec {
  name: string;
  headers: readonly string[];
  /** Rows in order; an async iterable lets a large export produce rows while the workbook streams out. */
  rows: Iterable<readonly unknown[]> | AsyncIterable<readonly unknown[]>;
  /** Column widths in characters; by default from the header and (for arrays) the longest value, within bounds. */
  columnWidths?: readonly (number | undefined)[];
  /** Number format per column (default: as the value comes). */
  formats?: readonly (ColumnFormat | undefined)[];
  /** A totals row (合计) after the rows, in bold. */
  totals?: readonly unknown[];
}

const MIN_WIDTH = 8;
const MAX_WIDTH = 60;

/** Display width of a text in Excel's character units: CJK and full-width characters count two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\u{20000}-\u{3fffd}]/u.test(ch) ? 2 : 1;
  return width;
}

function columnWidths(spec: SheetSpec): number[] {
  const sample = Array.isArray(spec.rows) ? (spec.rows as readonly (readonly unknown[])[]).slice(0, 500) : [];
  return spec.headers.map((h, i) => {
    const given = spec.columnWidths?.[i];
    if (given !== undefined) return given;
    const longest = Math.max(displayWidth(h), ...sample.map((r) => displayWidth(plainValue(r[i])?.toString() ?? '')));
    return Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, longest + 2));
  });
}

/**
 * A value as it goes into a cell: numbers (finite) stay numbers, dates dates, everything else becomes plain text.
 * Text is always stored as a string cell, never as a formula, so "=HYPERLINK(…)" typed by a user stays inert text;
 * objects (which exceljs would read as formulas, hyperlinks or rich text) never reach a cell.
 */
function plainValue(value: unknown): string | number | Date | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (value instanceof Date) return value;
  if (typeof value === 'boolean') return value ? '是' : '否';
  return String(value);
}

type AnyRow = { getCell(i: number): ExcelJS.Cell; font: Partial<ExcelJS.Font> };

function fillRow(row: AnyRow, values: readonly unknown[], formats: SheetSpec['formats'], wrap: readonly boolean[]): void {
  values.forEach((v, i) => {
    const cell = row.getCell(i + 1);
    const numFmt = NUM_FMT[formats?.[i] ?? 'text'];
    if (numFmt && typeof cell.value === 'number') cell.numFmt = numFmt;
    if (wrap[i]) cell.alignment = { vertical: 'top', wrapText: true };
  });
}

const toCells = (values: readonly unknown[]) => values.map(plainValue);

async function* rowsOf(rows: SheetSpec['rows']): AsyncIterable<readonly unknown[]> {
  for await (const row of rows) yield row;
}

type AnySheet = Pick<ExcelJS.Worksheet, 'addRow' | 'getColumn'>;

/** Adds one sheet's header, rows and totals; `commit` writes a finished row out (streaming) and may be a no-op. */
async function addSheet(sheet: AnySheet, spec: SheetSpec, commit: (row: ExcelJS.Row) => void): Promise<void> {
  const widths = columnWidths(spec);
  widths.forEach((w, i) => { sheet.getColumn(i + 1).width = w; });
  const wrap = widths.map((w) => w >= MAX_WIDTH);
  const header = sheet.addRow([...spec.headers]);
  header.font = { bold: true };
  commit(header);
  for await (const values of rowsOf(spec.rows)) {
    const row = sheet.addRow(toCells(values));
    fillRow(row, values, spec.formats, wrap);
    commit(row);
  }
  if (spec.totals) {
    const row = sheet.addRow(toCells(spec.totals));
    fillRow(row, spec.totals, spec.formats, wrap);
    row.font = { bold: true };
    commit(row);
  }
}

const sheetOptions = { views: [{ state: 'frozen' as const, ySplit: 1 }] };
const CREATOR = '行政执法案卷评查系统';

/** The whole workbook in memory (small files: import templates and the like). */
export async function writeWorkbook(sheets: readonly SheetSpec[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = CREATOR;
  for (const spec of sheets) await addSheet(workbook.addWorksheet(spec.name, sheetOptions), spec, () => {});
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/**
 * Streams the workbook into `out` (an HTTP response, a file): each row is written out as soon as it is added, so a
 * large export never holds the whole workbook in memory. Resolves when the last byte has been handed to `out`.
 */
export async function streamWorkbook(out: NodeJS.WritableStream, sheets: Iterable<SheetSpec> | AsyncIterable<SheetSpec>): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out as never, useStyles: true, useSharedStrings: false });
  workbook.creator = CREATOR;
  for await (const spec of sheets) {
    const sheet = workbook.addWorksheet(spec.name, sheetOptions);
    await addSheet(sheet, spec, (row) => row.commit());
    sheet.commit();
  }
  await workbook.commit();
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('text' in value && typeof value.text === 'string') return value.text;
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('error' in value) return '';
  }
  return String(value);
}

/** The first worksheet's rows as arrays of trimmed strings (row 1 first, empty rows kept as []). */
export async function readFirstSheet(buffer: Buffer): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0];
  if (!sheet) return [];
  const rows: string[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row, rowNumber) => {
    const values: string[] = [];
    for (let c = 1; c <= row.cellCount; c++) values.push(cellText(row.getCell(c).value).trim());
    rows[rowNumber - 1] = values;
  });
  for (let i = 0; i < rows.length; i++) rows[i] ??= [];
  return rows;
}
