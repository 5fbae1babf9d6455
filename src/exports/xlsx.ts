// XLSX in and out, behind one module so exceljs could be swapped.
import ExcelJS from 'exceljs';

export interface SheetSpec {
  name: string;
  headers: readonly string[];
  rows: readonly (readonly unknown[])[];
  columnWidths?: number[];
}

export async function writeWorkbook(sheets: readonly SheetSpec[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '行政执法案卷评查系统';
  for (const spec of sheets) {
    const sheet = workbook.addWorksheet(spec.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.addRow([...spec.headers]);
    sheet.getRow(1).font = { bold: true };
    for (const row of spec.rows) sheet.addRow([...row]);
    spec.headers.forEach((h, i) => {
      sheet.getColumn(i + 1).width = spec.columnWidths?.[i] ?? Math.max(12, h.length * 2 + 4);
    });
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
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
