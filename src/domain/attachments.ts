// Evidence files attached to rectification measures: only document and image types a bureau reads, recognised
// by their content as well as their name, within a size limit. Anything else (scripts, executables, HTML, SVG,
// archives) is refused, so a stored file can never run in a reader's browser.
export const ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;
export const ATTACHMENTS_PER_MEASURE = 10;

interface Kind {
  mime: string;
  label: string;
  magic: (b: Buffer) => boolean;
}

const startsWith = (b: Buffer, bytes: number[]): boolean => bytes.every((x, i) => b[i] === x);
const zip = (b: Buffer) => startsWith(b, [0x50, 0x4b, 0x03, 0x04]);
const ole = (b: Buffer) => startsWith(b, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

const KINDS: Record<string, Kind> = {
  pdf: { mime: 'application/pdf', label: 'PDF', magic: (b) => startsWith(b, [0x25, 0x50, 0x44, 0x46, 0x2d]) },
  png: { mime: 'image/png', label: 'PNG 图片', magic: (b) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  jpg: { mime: 'image/jpeg', label: 'JPG 图片', magic: (b) => startsWith(b, [0xff, 0xd8, 0xff]) },
  jpeg: { mime: 'image/jpeg', label: 'JPG 图片', magic: (b) => startsWith(b, [0xff, 0xd8, 0xff]) },
  docx: { mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', label: 'Word 文档', magic: zip },
  xlsx: { mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', label: 'Excel 表格', magic: zip },
  doc: { mime: 'application/msword', label: 'Word 文档', magic: ole },
  xls: { mime: 'application/vnd.ms-excel', label: 'Excel 表格', magic: ole },
  ofd: { mime: 'application/ofd', label: 'OFD 版式文件', magic: zip },
};

export const ALLOWED_EXTENSIONS = Object.keys(KINDS);
export const ALLOWED_TYPES_TEXT = 'PDF、OFD、Word（doc/docx）、Excel（xls/xlsx）、JPG、PNG';

/** The name as stored and offered for download: no folders, no control characters, at most 100 characters. */
export function cleanFilename(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base.replace(/[\u0000-\u001f\u007f"<>|:*?]/g, '').trim();
  if (cleaned.length <= 100) return cleaned;
  const dot = cleaned.lastIndexOf('.');
  const ext = dot > 0 ? cleaned.slice(dot) : '';
  return cleaned.slice(0, 100 - ext.length) + ext;
}

export type AttachmentCheck = { ok: true; filename: string; mime: string } | { ok: false; message: string };

export function checkAttachment(originalName: string, content: Buffer): AttachmentCheck {
  const filename = cleanFilename(originalName);
  if (filename === '' || filename.startsWith('.')) return { ok: false, message: '附件没有有效的文件名' };
  if (content.length === 0) return { ok: false, message: `附件“${filename}”是空文件` };
  if (content.length > ATTACHMENT_MAX_BYTES) {
    return { ok: false, message: `附件“${filename}”大小 ${(content.length / 1048576).toFixed(1)} MB，超过 ${ATTACHMENT_MAX_BYTES / 1048576} MB 的上限` };
  }
  const ext = filename.includes('.') ? filename.slice(filename.lastIndexOf('.') + 1).toLowerCase() : '';
  const kind = KINDS[ext];
  if (!kind) return { ok: false, message: `附件“${filename}”的类型不允许上传，只能上传 ${ALLOWED_TYPES_TEXT}` };
  if (!kind.magic(content)) return { ok: false, message: `附件“${filename}”的内容不是有效的${kind.label}，请检查文件是否损坏或扩展名是否被改过` };
  return { ok: true, filename, mime: kind.mime };
}
