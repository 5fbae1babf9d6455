// CSV in and out. Out: UTF-8 with BOM (Chinese Excel needs it) and formulas escaped (CSV injection).
// In: UTF-8 (with or without BOM), or GB18030/GBK as saved by older Chinese Excel.
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import iconv from 'iconv-lite';

export function toCsv(headers: readonly string[], rows: readonly (readonly unknown[])[]): Buffer {
  const text = stringify([headers as unknown[], ...(rows as unknown[][])], { bom: true, escape_formulas: true });
  return Buffer.from(text, 'utf8');
}

export type DecodeResult = { ok: true; text: string; encoding: 'utf-8' | 'gb18030' } | { ok: false; message: string };

export function decodeCsv(buffer: Buffer): DecodeResult {
  if (buffer.length >= 2 && ((buffer[0] === 0xff && buffer[1] === 0xfe) || (buffer[0] === 0xfe && buffer[1] === 0xff))) {
    return { ok: false, message: '文件为 UTF-16 编码，无法读取：请在 Excel 中“另存为”“CSV UTF-8（逗号分隔）”或 .xlsx 后重新上传' };
  }
  // Text never holds NUL bytes; a workbook, image or archive renamed to .csv does (GB18030 would decode it into gibberish).
  if (buffer.includes(0)) {
    return { ok: false, message: '文件不是文本格式的 CSV（可能是 Excel 工作簿或其他文件改了扩展名）：请上传 .xlsx 文件，或在 Excel 中另存为“CSV UTF-8”后重新上传' };
  }
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(buffer);
    return { ok: true, text, encoding: 'utf-8' };
  } catch {
    // Not UTF-8: Chinese Excel saves "CSV (逗号分隔)" as GBK, which GB18030 decodes.
  }
  const text = iconv.decode(buffer, 'gb18030');
  if (text.includes('\uFFFD')) {
    return { ok: false, message: '无法识别文件编码（既不是 UTF-8 也不是 GBK）：请另存为“CSV UTF-8”或 .xlsx 后重新上传' };
  }
  return { ok: true, text, encoding: 'gb18030' };
}

/** Rows as arrays of trimmed strings; throws with csv-parse's message (line number included) on malformed quoting. */
export function parseCsv(text: string): string[][] {
  return parse(text, { relax_column_count: true, skip_empty_lines: false, trim: true, bom: true }) as string[][];
}
