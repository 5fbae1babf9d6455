import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeCsv, parseCsv, toCsv } from '../../src/exports/csv.ts';

describe('CSV', () => {
  it('writes UTF-8 with a BOM and escapes formulas', () => {
    const text = toCsv(['单位', '备注'], [['东安区司法局', '=HYPERLINK("http://x")'], ['阳明区', '+1']]).toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text).toContain('单位,备注');
    expect(text).not.toMatch(/(^|,)"?=HYPERLINK/m);
    expect(text).toContain("'+1");
  });
  it('reads UTF-8 with and without BOM, and GBK from older Excel', () => {
    const source = '单位编码,单位名称\nDA,东安区司法局\n';
    for (const buffer of [Buffer.from(`\uFEFF${source}`), Buffer.from(source), iconv.encode(source, 'gbk')]) {
      const decoded = decodeCsv(buffer);
      expect(decoded.ok).toBe(true);
      if (decoded.ok) expect(parseCsv(decoded.text)).toEqual([['单位编码', '单位名称'], ['DA', '东安区司法局']]);
    }
    const gbk = decodeCsv(iconv.encode(source, 'gbk'));
    expect(gbk.ok && gbk.encoding).toBe('gb18030');
  });
  it('refuses UTF-16 and undecodable bytes with a Chinese explanation', () => {
    const utf16 = decodeCsv(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('单位', 'utf16le')]));
    expect(utf16.ok).toBe(false);
    if (!utf16.ok) expect(utf16.message).toContain('UTF-16');
    const garbage = decodeCsv(Buffer.from([0x81, 0x20, 0xff, 0xff, 0x80, 0x30]));
    expect(garbage.ok).toBe(false);
    if (!garbage.ok) expect(garbage.message).toContain('无法识别文件编码');
  });
});
