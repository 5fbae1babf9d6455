// Sending files: a Chinese file name that every browser keeps, and import templates in both formats.
import type { Response } from 'express';
import { AppError } from './app-error.ts';
import { toCsv } from '../exports/csv.ts';
import { writeWorkbook } from '../exports/xlsx.ts';

export const DOWNLOAD_TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  json: 'application/json; charset=utf-8',
  pdf: 'application/pdf',
  // Word opens an HTML document saved as .doc: the bureau edits the notice before printing.
  doc: 'application/msword',
} as const;

/** RFC 6266: an ASCII fallback and the real (Chinese) name, encoded as RFC 5987 asks. */
function attachmentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** Any stored file with its own type; never sniffed into something the browser would run. */
export function sendDownload(res: Response, fileName: string, mime: string, body: Buffer | string): void {
  downloadHeaders(res, fileName, mime);
  res.send(body);
}

/** The headers of a download whose body is written (streamed) by the caller. */
export function downloadHeaders(res: Response, fileName: string, mime: string): void {
  res.setHeader('Content-Type', mime);
  res.setHeader('Content-Disposition', attachmentDisposition(fileName));
  res.setHeader('X-Content-Type-Options', 'nosniff');
}

export function sendFile(res: Response, fileName: string, format: keyof typeof DOWNLOAD_TYPES, body: Buffer | string): void {
  sendDownload(res, fileName, DOWNLOAD_TYPES[format], body);
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
