// Sending files: a Chinese file name that every browser keeps, and import templates in both formats.
import type { Response } from 'express';
import { AppError } from './app-error.ts';
import { toCsv } from '../exports/csv.ts';
import { writeWorkbook } from '../exports/xlsx.ts';

const TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  json: 'application/json; charset=utf-8',
  pdf: 'application/pdf',
} as const;

export function sendFile(res: Response, fileName: string, format: keyof typeof TYPES, body: Buffer | string): void {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  res.setHeader('Content-Type', TYPES[format]);
  res.setHeader('Content-Disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`);
  res.send(body);
}

/** An empty import template: headers only (an example row would be imported by mistake); notes on a second sheet. */
export async function sendTemplate(res: Response, format: string, name: string, headers: readonly string[], notes: readonly (readonly string[])[]): Promise<void> {
  if (format === 'csv') return sendFile(res, `${name}.csv`, 'csv', toCsv(headers, []));
  if (format === 'xlsx') {
    const buffer = await writeWorkbook([
      { name: '数据', headers, rows: [] },
      { name: '填写说明', headers: ['列', '说明'], rows: notes.slice(1), columnWidths: [18, 90] },
    ]);
    return sendFile(res, `${name}.xlsx`, 'xlsx', buffer);
  }
  throw new AppError(404, '模板格式只有 xlsx 和 csv 两种');
}
