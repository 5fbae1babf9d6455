// A score sheet (一卷一表) as a reviewer fills it in: what each item and veto records, read from what the page or
// the API sends, checked against the rubric, and turned into the marks the scoring engine scores.
// Pure: the service stores what comes out of here; scoreReview stays the authority on points.
import type { FieldProblem } from './errors.ts';
import { formatTenths, parsePoints, tenthsOf } from './rubric/points.ts';
import { InvalidMarksError, MAX_OCCURRENCES, scoreReview, type ReviewMarks, type ReviewScore } from './rubric/scoring.ts';
import type { Rubric, RubricItem } from './rubric/types.ts';

export const NOTE_MAX = 500;
export const DOCUMENT_MAX = 100;
export const PAGE_MAX = 20;
export const OPINION_MAX = 2000;

/** One deduction recorded on the sheet. */
export interface SheetDeduction {
  itemCode: string;
  /** per_occurrence items: occurrences. */
  count: number | null;
  /** range items: the points chosen, in tenths. */
  pointsTenths: number | null;
  note: string;
  /** Where in the file: the document's name and the page(s). */
  document: string;
  page: string;
}

export interface SheetVeto {
  code: string;
  note: string;
  document: string;
  page: string;
}

/** A problem found outside the rubric's items (其他问题): no points, the reviewer's own wording. */
export interface SheetOther {
  note: string;
  document: string;
  page: string;
}

export interface SheetContent {
  deductions: SheetDeduction[];
  vetoes: SheetVeto[];
  others: SheetOther[];
  opinion: string;
}

/** What arrives for one item: text as typed in a form, or numbers from the API. Empty count and points = not marked. */
export interface DeductionInput {
  itemCode: string;
  count?: unknown;
  points?: unknown;
  note?: unknown;
  document?: unknown;
  page?: unknown;
}

export interface VetoInput {
  code: string;
  note?: unknown;
  document?: unknown;
  page?: unknown;
}

export interface OtherInput {
  note?: unknown;
  document?: unknown;
  page?: unknown;
}

export interface SheetInput {
  deductions: DeductionInput[];
  vetoes: VetoInput[];
  others?: OtherInput[];
  opinion?: unknown;
}

/** How many "其他问题" one sheet may record (and the page offers). */
export const OTHER_MAX = 5;
export const OTHER_NOTE_MAX = 200;

/** Form field names, shared by the page and the messages so an error lands beside its control. */
export const sheetField = {
  count: (code: string) => `count.${code}`,
  points: (code: string) => `points.${code}`,
  note: (code: string) => `note.${code}`,
  document: (code: string) => `doc.${code}`,
  page: (code: string) => `page.${code}`,
  veto: (code: string) => `veto.${code}`,
  vetoNote: (code: string) => `vetonote.${code}`,
  vetoDocument: (code: string) => `vetodoc.${code}`,
  vetoPage: (code: string) => `vetopage.${code}`,
  otherNote: (n: number) => `other.${n}.note`,
  otherDocument: (n: number) => `other.${n}.doc`,
  otherPage: (n: number) => `other.${n}.page`,
};

const asText = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const blank = (v: unknown): boolean => v === undefined || v === null || asText(v).trim() === '';
// Notes may run over several lines; every other control character is refused.
const badChars = (s: string): boolean => /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s);

function textField(value: unknown, max: number, field: string, label: string, problems: FieldProblem[]): string {
  if (value !== undefined && value !== null && typeof value !== 'string') {
    problems.push({ field, message: `${label}应为文字` });
    return '';
  }
  const t = (value ?? '').trim();
  if (t.length > max) problems.push({ field, message: `${label}不超过 ${max} 个字（现有 ${t.length} 个字）` });
  else if (badChars(t)) problems.push({ field, message: `${label}含有不可见的控制字符，请重新输入` });
  return t;
}

function itemsByCode(rubric: Rubric): Map<string, RubricItem> {
  const map = new Map<string, RubricItem>();
  for (const section of rubric.sections) for (const item of section.items) map.set(item.code, item);
  return map;
}

/** Occurrences typed as "2"; numbers from the API must be whole. */
function parseCount(value: unknown): number | null {
  if (typeof value === 'number') return Number.isInteger(value) ? value : null;
  const t = asText(value).trim();
  return /^\d{1,6}$/.test(t) ? Number(t) : null;
}

/** Points typed as "2", "2.5" or "２.５" → tenths (the one parser for typed points). */
const pointsOf = (value: unknown): number | null => parsePoints(asText(value));

/**
 * Reads and checks a sheet. Every problem is returned at once, each naming the item and the field;
 * a sheet with problems is not saved.
 */
export function readSheet(rubric: Rubric, input: SheetInput): { ok: true; content: SheetContent } | { ok: false; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const items = itemsByCode(rubric);
  const vetoCodes = new Set(rubric.vetoes.map((v) => v.code));
  const deductions: SheetDeduction[] = [];
  const seenItems = new Set<string>();

  for (const d of input.deductions) {
    const item = items.get(d.itemCode);
    const at = `评查项目 ${d.itemCode}`;
    if (!item) {
      problems.push({ field: sheetField.count(d.itemCode), message: `${at}不在本卷的评查标准中` });
      continue;
    }
    if (seenItems.has(d.itemCode)) {
      problems.push({ field: sheetField.count(d.itemCode), message: `${at}重复填写` });
      continue;
    }
    seenItems.add(d.itemCode);
    const note = textField(d.note, NOTE_MAX, sheetField.note(item.code), `${at}的问题说明`, problems);
    const document = textField(d.document, DOCUMENT_MAX, sheetField.document(item.code), `${at}的文书名称`, problems);
    const page = textField(d.page, PAGE_MAX, sheetField.page(item.code), `${at}的页码`, problems);
    const deduction = item.deduction;
    if (deduction.type === 'per_occurrence') {
      if (!blank(d.points)) problems.push({ field: sheetField.count(item.code), message: `${at}按次扣分（每次 ${formatTenths(tenthsOf(deduction.points))} 分），只填次数` });
      const raw = d.count;
      const count = blank(raw) ? 0 : parseCount(raw);
      if (count === null || count > MAX_OCCURRENCES) {
        problems.push({ field: sheetField.count(item.code), message: `${at}的次数应为 1 到 ${MAX_OCCURRENCES} 的整数，填写的是“${asText(raw).trim()}”` });
        continue;
      }
      if (count === 0) {
        if (note || document || page) problems.push({ field: sheetField.count(item.code), message: `${at}填写了问题说明或位置，但没有填写次数` });
        continue;
      }
      deductions.push({ itemCode: item.code, count, pointsTenths: null, note, document, page });
    } else {
      if (!blank(d.count) && parseCount(d.count) !== 1) {
        problems.push({ field: sheetField.points(item.code), message: `${at}为区间扣分，只填扣分分值，不填次数` });
      }
      const range = `${formatTenths(tenthsOf(deduction.min))}–${formatTenths(tenthsOf(deduction.max))} 分`;
      if (blank(d.points)) {
        if (note || document || page) problems.push({ field: sheetField.points(item.code), message: `${at}填写了问题说明或位置，但没有填写扣分分值（${range}）` });
        continue;
      }
      const tenths = pointsOf(d.points);
      if (tenths === null) {
        problems.push({ field: sheetField.points(item.code), message: `${at}的扣分分值“${asText(d.points).trim()}”不是有效分值，最多一位小数` });
        continue;
      }
      if (tenths < tenthsOf(deduction.min) || tenths > tenthsOf(deduction.max)) {
        problems.push({ field: sheetField.points(item.code), message: `${at}的扣分分值 ${formatTenths(tenths)} 分不在该项的扣分区间内（${range}）` });
        continue;
      }
      deductions.push({ itemCode: item.code, count: null, pointsTenths: tenths, note, document, page });
    }
  }

  const vetoes: SheetVeto[] = [];
  const seenVetoes = new Set<string>();
  for (const v of input.vetoes) {
    if (!vetoCodes.has(v.code)) {
      problems.push({ field: sheetField.veto(v.code), message: `否决项 ${v.code} 不在本卷的评查标准中` });
      continue;
    }
    if (seenVetoes.has(v.code)) {
      problems.push({ field: sheetField.veto(v.code), message: `否决项 ${v.code} 重复勾选` });
      continue;
    }
    seenVetoes.add(v.code);
    vetoes.push({
      code: v.code,
      note: textField(v.note, NOTE_MAX, sheetField.vetoNote(v.code), `否决项 ${v.code} 的说明`, problems),
      document: textField(v.document, DOCUMENT_MAX, sheetField.vetoDocument(v.code), `否决项 ${v.code} 的文书名称`, problems),
      page: textField(v.page, PAGE_MAX, sheetField.vetoPage(v.code), `否决项 ${v.code} 的页码`, problems),
    });
  }
  const others: SheetOther[] = [];
  const otherInputs = input.others ?? [];
  if (otherInputs.length > OTHER_MAX) problems.push({ field: sheetField.otherNote(OTHER_MAX), message: `“其他问题”最多记录 ${OTHER_MAX} 条` });
  otherInputs.slice(0, OTHER_MAX).forEach((o, n) => {
    const at = `第 ${n + 1} 条其他问题`;
    const note = textField(o.note, OTHER_NOTE_MAX, sheetField.otherNote(n), `${at}的问题表述`, problems);
    const document = textField(o.document, DOCUMENT_MAX, sheetField.otherDocument(n), `${at}的文书名称`, problems);
    const page = textField(o.page, PAGE_MAX, sheetField.otherPage(n), `${at}的页码`, problems);
    if (note === '' && (document || page)) problems.push({ field: sheetField.otherNote(n), message: `${at}填写了位置，但没有写明问题` });
    else if (note !== '') others.push({ note, document, page });
  });
  const opinion = textField(input.opinion, OPINION_MAX, 'opinion', '评查意见', problems);
  if (problems.length > 0) return { ok: false, problems };

  // Keep rubric order, whatever order the input came in.
  const order = new Map([...items.keys()].map((code, i) => [code, i]));
  deductions.sort((a, b) => order.get(a.itemCode)! - order.get(b.itemCode)!);
  const vetoOrder = new Map(rubric.vetoes.map((v, i) => [v.code, i]));
  vetoes.sort((a, b) => vetoOrder.get(a.code)! - vetoOrder.get(b.code)!);
  return { ok: true, content: { deductions, vetoes, others, opinion } };
}

/** What the scoring engine scores. */
export function marksOf(content: SheetContent): ReviewMarks {
  return {
    deductions: content.deductions.map((d) => (d.count !== null ? { itemCode: d.itemCode, count: d.count } : { itemCode: d.itemCode, points: d.pointsTenths! / 10 })),
    vetoes: content.vetoes.map((v) => v.code),
  };
}

/** Scores a checked sheet; the engine's own checks run again and would name any mark readSheet let through. */
export function scoreSheet(rubric: Rubric, content: SheetContent): ReviewScore {
  try {
    return scoreReview(rubric, marksOf(content));
  } catch (e) {
    if (e instanceof InvalidMarksError) throw new Error(`internal: readSheet accepted marks the engine refuses: ${e.message}`);
    throw e;
  }
}

/**
 * What must hold before a sheet is submitted (a draft may be incomplete): every veto explains itself, and a
 * sheet without any deduction or veto is submitted only when the reviewer confirms the file has no problem,
 * so an untouched form is never taken as a clean file.
 */
export function submitProblems(content: SheetContent, confirmedClean: boolean): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const v of content.vetoes) {
    if (v.note === '') problems.push({ field: sheetField.vetoNote(v.code), message: `勾选否决项 ${v.code} 须写明具体问题` });
  }
  // "其他问题" carry no points: a sheet with only those still needs the confirmation that no item is deducted.
  if (content.deductions.length === 0 && content.vetoes.length === 0 && !confirmedClean) {
    problems.push({ field: 'confirmClean', message: '本表没有任何扣分或否决项；如确认本卷没有问题，请勾选“确认本卷未发现扣分问题”后再提交' });
  }
  return problems;
}

/** Reads the page's form: one row per item and per veto of the rubric, named by sheetField. */
export function sheetInputFromForm(rubric: Rubric, body: Record<string, unknown>): SheetInput {
  const get = (key: string): unknown => {
    const v = body[key];
    return Array.isArray(v) ? v[0] : v;
  };
  const deductions: DeductionInput[] = [];
  for (const section of rubric.sections) {
    for (const item of section.items) {
      const input: DeductionInput = {
        itemCode: item.code,
        count: get(sheetField.count(item.code)),
        points: get(sheetField.points(item.code)),
        note: get(sheetField.note(item.code)),
        document: get(sheetField.document(item.code)),
        page: get(sheetField.page(item.code)),
      };
      if (!blank(input.count) || !blank(input.points) || !blank(input.note) || !blank(input.document) || !blank(input.page)) deductions.push(input);
    }
  }
  const vetoes: VetoInput[] = rubric.vetoes.filter((v) => asText(get(sheetField.veto(v.code))) === '1').map((v) => ({
    code: v.code,
    note: get(sheetField.vetoNote(v.code)),
    document: get(sheetField.vetoDocument(v.code)),
    page: get(sheetField.vetoPage(v.code)),
  }));
  // A deduction for an item the rubric does not have can only come from a forged form: name it.
  for (const key of Object.keys(body)) {
    const m = /^(count|points)\.(.+)$/.exec(key);
    if (m && !deductions.some((d) => d.itemCode === m[2]) && !rubric.sections.some((s) => s.items.some((i) => i.code === m[2])) && !blank(get(key))) {
      deductions.push({ itemCode: m[2]!, count: get(key) });
    }
    const v = /^veto\.(.+)$/.exec(key);
    if (v && !rubric.vetoes.some((x) => x.code === v[1]) && asText(get(key)) === '1') vetoes.push({ code: v[1]! });
  }
  const others: OtherInput[] = [];
  for (let n = 0; n < OTHER_MAX; n++) {
    const o = { note: get(sheetField.otherNote(n)), document: get(sheetField.otherDocument(n)), page: get(sheetField.otherPage(n)) };
    if (!blank(o.note) || !blank(o.document) || !blank(o.page)) others.push(o);
  }
  return { deductions, vetoes, others, opinion: get('opinion') };
}

/** A stored sheet back as the form's values, to fill the page. */
export function formValues(content: SheetContent): Record<string, string> {
  const values: Record<string, string> = { opinion: content.opinion };
  for (const d of content.deductions) {
    if (d.count !== null) values[sheetField.count(d.itemCode)] = String(d.count);
    if (d.pointsTenths !== null) values[sheetField.points(d.itemCode)] = formatTenths(d.pointsTenths);
    values[sheetField.note(d.itemCode)] = d.note;
    values[sheetField.document(d.itemCode)] = d.document;
    values[sheetField.page(d.itemCode)] = d.page;
  }
  content.others.forEach((o, n) => {
    values[sheetField.otherNote(n)] = o.note;
    values[sheetField.otherDocument(n)] = o.document;
    values[sheetField.otherPage(n)] = o.page;
  });
  for (const v of content.vetoes) {
    values[sheetField.veto(v.code)] = '1';
    values[sheetField.vetoNote(v.code)] = v.note;
    values[sheetField.vetoDocument(v.code)] = v.document;
    values[sheetField.vetoPage(v.code)] = v.page;
  }
  return values;
}
