// Reads an uploaded CSV or XLSX with Chinese headers into rows keyed by header, checking the headers
// against the template. Row numbers are as the spreadsheet shows them (the header is row 1).
import path from 'node:path';
import type { RowProblem } from '../domain/errors.ts';
import type { ImportRow } from '../domain/units.ts';
import { ValidationError } from '../web/app-error.ts';
import { decodeCsv, parseCsv } from './csv.ts';
import { readFirstSheet } from './xlsx.ts';

export interface TableSpec {
  required: readonly string[];
  optional: readonly string[];
  maxRows: number;
}

export interface UploadedFile {
  originalname: string;
  buffer: Buffer;
}

const fail = (message: string, problems: RowProblem[] = [{ row: 1, message }]): never => {
  throw new ValidationError(problems, message);
};

async function readGrid(file: UploadedFile): Promise<string[][]> {
  const ext = path.extname(file.originalname).toLowerCase();
  if (ext === '.csv' || ext === '.txt') {
    const decoded = decodeCsv(file.buffer);
    if (!decoded.ok) return fail(decoded.message);
    try {
      return parseCsv(decoded.text);
    } catch (e) {
      // csv-parse explains in English; say where in Chinese instead.
      const line = (e as { lines?: number }).lines;
      return fail(`CSV 格式有误${line ? `（第 ${line} 行附近）` : ''}：引号不配对或分隔符有误，请用 Excel 打开后另存为 CSV 或 .xlsx 再上传`);
    }
  }
  if (ext === '.xlsx') {
    try {
      return await readFirstSheet(file.buffer);
    } catch {
      return fail('无法读取该 .xlsx 文件：文件可能已损坏或并非 Excel 文件');
    }
  }
  if (ext === '.xls') return fail('不支持旧版 Excel（.xls）格式：请在 Excel 中另存为 .xlsx 或 CSV 后重新上传');
  return fail(`不支持的文件类型“${ext || '无扩展名'}”：请上传 .xlsx 或 .csv 文件`);
}

export async function readTable(file: UploadedFile, spec: TableSpec): Promise<ImportRow[]> {
  const grid = await readGrid(file);
  const header = (grid[0] ?? []).map((h) => h.replace(/^\uFEFF/, '').trim());
  const known = [...spec.required, ...spec.optional];
  const problems: RowProblem[] = [];
  const missing = spec.required.filter((h) => !header.includes(h));
  if (missing.length > 0) problems.push({ row: 1, message: `缺少必需的列：${missing.join('、')}` });
  const unknown = header.filter((h) => h !== '' && !known.includes(h));
  if (unknown.length > 0) problems.push({ row: 1, message: `无法识别的列：${unknown.join('、')}（模板的列为：${known.join('、')}）` });
  const duplicated = header.filter((h, i) => h !== '' && header.indexOf(h) !== i);
  if (duplicated.length > 0) problems.push({ row: 1, message: `列名重复：${[...new Set(duplicated)].join('、')}` });
  if (problems.length > 0) fail('表头与模板不一致，请下载模板对照修改', problems);

  const rows: ImportRow[] = [];
  for (let i = 1; i < grid.length; i++) {
    const cells = grid[i] ?? [];
    if (cells.every((c) => c.trim() === '')) continue;
    const values: Record<string, string> = {};
    header.forEach((h, col) => {
      if (h !== '') values[h] = (cells[col] ?? '').trim();
    });
    rows.push({ row: i + 1, values });
  }
  if (rows.length === 0) fail('文件中没有数据行（第 1 行为表头，数据从第 2 行开始）');
  if (rows.length > spec.maxRows) fail(`一次最多导入 ${spec.maxRows} 行，本文件有 ${rows.length} 行，请拆分后导入`);
  return rows;
}
