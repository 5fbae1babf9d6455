// Evidence attachments: allowed by name AND content, within the size limit; everything else refused in Chinese.
import { describe, expect, it } from 'vitest';
import { ATTACHMENT_MAX_BYTES, checkAttachment, cleanFilename } from '../../src/domain/attachments.ts';

const pdf = Buffer.from('%PDF-1.7\n...');
const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]);

describe('checkAttachment', () => {
  it('accepts documents and images whose content matches their name', () => {
    expect(checkAttachment('整改报告.pdf', pdf)).toEqual({ ok: true, filename: '整改报告.pdf', mime: 'application/pdf' });
    expect(checkAttachment('照片.PNG', png)).toMatchObject({ ok: true, mime: 'image/png' });
    expect(checkAttachment('签到表.docx', Buffer.from('PK\u0003\u0004rest'))).toMatchObject({ ok: true });
  });

  it.each<[string, Buffer, RegExp]>([
    ['run.exe', Buffer.from('MZ...'), /类型不允许上传/],
    ['page.html', Buffer.from('<script>alert(1)</script>'), /类型不允许上传/],
    ['image.svg', Buffer.from('<svg onload=alert(1)>'), /类型不允许上传/],
    ['script.js', Buffer.from('alert(1)'), /类型不允许上传/],
    ['noext', pdf, /类型不允许上传/],
    ['fake.pdf', Buffer.from('<html>not a pdf</html>'), /不是有效的PDF/],
    ['fake.jpg', png, /不是有效的JPG 图片/],
    ['empty.pdf', Buffer.alloc(0), /是空文件/],
    ['.pdf', pdf, /没有有效的文件名/],
  ])('refuses %s', (name, content, message) => {
    const r = checkAttachment(name, content);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(message);
  });

  it('refuses a file over the limit, saying the size', () => {
    const big = Buffer.concat([pdf, Buffer.alloc(ATTACHMENT_MAX_BYTES)]);
    const r = checkAttachment('大文件.pdf', big);
    expect(r.ok ? '' : r.message).toMatch(/10\.0 MB，超过 10 MB 的上限/);
  });
});

describe('cleanFilename', () => {
  it('drops folders and characters that break headers, keeps the extension when shortening', () => {
    expect(cleanFilename('C:\\Users\\x\\报告.pdf')).toBe('报告.pdf');
    expect(cleanFilename('../../etc/passwd')).toBe('passwd');
    expect(cleanFilename('a"b<c>\r\n.pdf')).toBe('abc.pdf');
    const long = cleanFilename(`${'字'.repeat(150)}.pdf`);
    expect(long.length).toBe(100);
    expect(long.endsWith('.pdf')).toBe(true);
  });
});
