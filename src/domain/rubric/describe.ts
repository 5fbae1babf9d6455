// Chinese names for the places in a rubric file, so that every message says where, in words a
// reviewer understands ("第三部分「法律适用与裁量」（S3）", "评查项目 S3-01 的扣分上限（cap）").

const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 1 → 一, 10 → 十, 12 → 十二, 21 → 二十一, 105 → 105 (beyond 99 Arabic digits read better). */
export function chineseNumeral(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 99) return String(n);
  if (n < 10) return DIGITS[n]!;
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : DIGITS[tens]}十${ones === 0 ? '' : DIGITS[ones]}`;
}

/** "第二部分「事实认定与证据」": how a section is named in messages and reasons. */
export function sectionName(index: number, title?: unknown): string {
  const base = `第${chineseNumeral(index + 1)}部分`;
  return typeof title === 'string' && title.trim() !== '' ? `${base}「${title.trim()}」` : base;
}

type Kind = 'root' | 'grade' | 'veto' | 'section' | 'item' | 'deduction' | 'other';

const FIELD_LABELS: Record<Exclude<Kind, 'other'>, Record<string, string>> = {
  root: {
    $schema: '模式声明',
    id: '标准编号',
    version: '版本号',
    title: '标准名称',
    issuer: '发布机关',
    description: '标准说明',
    caseTypes: '适用案卷类型',
    effectiveFrom: '生效日期',
    effectiveTo: '失效日期',
    scale: '总分',
    grades: '等次分档',
    vetoes: '否决项',
    sections: '评查部分',
  },
  grade: { code: '等次编码', label: '等次名称', min: '最低分', passing: '是否合格' },
  veto: { code: '编码', text: '否决内容', effect: '否决效果', category: '问题类别', issue: '问题表述', basis: '依据' },
  section: { code: '编码', title: '名称', points: '分值', note: '说明', items: '评查项目' },
  item: {
    code: '编码',
    text: '评查内容',
    deduction: '扣分方式',
    cap: '扣分上限',
    category: '问题类别',
    issue: '问题表述',
    basis: '依据',
    guidance: '评查指引',
  },
  deduction: { type: '扣分类型', points: '每次扣分', min: '最少扣分', max: '最多扣分' },
};

/** The Chinese label of a field inside an object of the given pointer, e.g. ('/sections/0', 'points') → 分值. */
export function fieldLabel(objectPointer: string, key: string): string | undefined {
  const kind = kindOf(objectPointer);
  return kind === 'other' ? undefined : FIELD_LABELS[kind][key];
}

/** "标准名称（title）" or "字段 "weight"" when the key is not part of the format. */
export function fieldName(objectPointer: string, key: string): string {
  const label = fieldLabel(objectPointer, key);
  return label ? `${label}（${key}）` : `字段 "${key}"`;
}

export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function kindOf(pointer: string): Kind {
  const parts = parsePointer(pointer);
  if (parts.length === 0) return 'root';
  const isIndex = (s: string | undefined): boolean => s !== undefined && /^\d+$/.test(s);
  const [a, b, c, d, e, f] = parts;
  if (parts.length === 2 && a === 'grades' && isIndex(b)) return 'grade';
  if (parts.length === 2 && a === 'vetoes' && isIndex(b)) return 'veto';
  if (parts.length === 2 && a === 'sections' && isIndex(b)) return 'section';
  if (parts.length === 4 && a === 'sections' && isIndex(b) && c === 'items' && isIndex(d)) return 'item';
  if (parts.length === 5 && a === 'sections' && c === 'items' && e === 'deduction' && f === undefined) return 'deduction';
  return 'other';
}

const get = (value: unknown, key: string): unknown =>
  value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
const codeOf = (value: unknown): string | undefined => {
  const code = get(value, 'code');
  return typeof code === 'string' && code.trim() !== '' && code.length <= 40 ? code : undefined;
};

/**
 * Names the place a JSON pointer points to, using the codes and titles found in the data:
 * /sections/2/items/0/deduction/points → 评查项目 S3-01 的扣分方式中的每次扣分（deduction.points）.
 */
export function describeLocation(root: unknown, pointer: string): string {
  const parts = parsePointer(pointer);
  if (parts.length === 0) return '评查标准';
  let entity = '';
  let consumed = 0;
  const [a, b, c, d] = parts;
  const index = (s: string | undefined): number => Number(s);

  if (a === 'sections' && b !== undefined && /^\d+$/.test(b)) {
    const section = get(root, 'sections') instanceof Array ? (get(root, 'sections') as unknown[])[index(b)] : undefined;
    const code = codeOf(section);
    entity = `${sectionName(index(b), get(section, 'title'))}${code ? `（${code}）` : ''}`;
    consumed = 2;
    if (c === 'items' && d !== undefined && /^\d+$/.test(d)) {
      const items = get(section, 'items');
      const item = items instanceof Array ? items[index(d)] : undefined;
      const itemCode = codeOf(item);
      entity = itemCode ? `评查项目 ${itemCode}` : `${entity}第 ${index(d) + 1} 个评查项目`;
      consumed = 4;
    }
  } else if (a === 'vetoes' && b !== undefined && /^\d+$/.test(b)) {
    const veto = get(root, 'vetoes') instanceof Array ? (get(root, 'vetoes') as unknown[])[index(b)] : undefined;
    const code = codeOf(veto);
    entity = code ? `否决项 ${code}` : `第 ${index(b) + 1} 个否决项`;
    consumed = 2;
  } else if (a === 'grades' && b !== undefined && /^\d+$/.test(b)) {
    const grade = get(root, 'grades') instanceof Array ? (get(root, 'grades') as unknown[])[index(b)] : undefined;
    const label = get(grade, 'label');
    entity = typeof label === 'string' && label.trim() !== '' ? `等次「${label.trim()}」` : `第 ${index(b) + 1} 个等次`;
    consumed = 2;
  } else if (a === 'caseTypes' && b !== undefined && /^\d+$/.test(b)) {
    return `适用案卷类型（caseTypes）第 ${index(b) + 1} 项`;
  }

  const rest = parts.slice(consumed);
  if (rest.length === 0) return entity;
  const labels: string[] = [];
  let objectPointer = consumed === 0 ? '' : `/${parts.slice(0, consumed).join('/')}`;
  for (const key of rest) {
    const label = fieldLabel(objectPointer, key);
    if (label) labels.push(label);
    else if (/^\d+$/.test(key)) labels.push(`第 ${Number(key) + 1} 项`);
    else labels.push(`"${key}"`);
    objectPointer = `${objectPointer}/${key}`;
  }
  const field = `${labels.join('中的')}（${rest.join('.')}）`;
  if (!entity) return field;
  return /[A-Za-z0-9._-]$/.test(entity) ? `${entity} 的${field}` : `${entity}的${field}`;
}

/** A value as a message shows it: 字符串 "abc", 数字 5, 数组, 对象. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `字符串 ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'number') return `数字 ${String(value)}`;
  if (typeof value === 'boolean') return `布尔值 ${String(value)}`;
  if (Array.isArray(value)) return '数组';
  if (typeof value === 'object') return '对象';
  return typeof value;
}
