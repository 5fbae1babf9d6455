// File lists (案卷目录): the rules for one case file as a unit hands it in, and planning an import of many.
// Pure: no I/O. The service gathers the units, the campaign's period and the numbers already listed.
import { hasControlChars, type FieldProblem, type RowProblem } from './errors.ts';
import type { ImportPlan, ImportRow } from './units.ts';
import { CASE_TYPE_LABELS, codeFromLabel, type CaseType } from './vocabulary.ts';

export const CASE_FILE_IMPORT_HEADERS = [
  '单位编码', '案卷编号', '案卷类型', '执法门类', '案由', '当事人', '执法人员', '是否重大', '结案日期', '页数',
] as const;
/** Columns every file must have; 单位编码 joins them when one file covers several units. */
export const CASE_FILE_REQUIRED_HEADERS = ['案卷编号', '案卷类型', '案由', '执法人员'] as const;

export const FILE_NUMBER_MAX = 100;
export const CAUSE_MAX = 500;
export const FIELD_MAX = 100;
export const PARTY_MAX = 200;
export const HANDLERS_MAX = 500;
export const PAGES_MAX = 99_999;

/** A case file as typed in the form or in a spreadsheet row: every value as text. */
export interface CaseFileInput {
  fileNumber: string;
  caseType: string;
  field: string;
  cause: string;
  party: string;
  handlers: string;
  isMajor: string;
  closedOn: string;
  pages: string;
}

/** A case file that passed the rules, normalized as it is stored. */
export interface CaseFileValues {
  fileNumber: string;
  caseType: CaseType;
  field: string | null;
  cause: string;
  party: string | null;
  handlers: string; // names joined by 、
  isMajor: boolean;
  closedOn: string | null; // YYYY-MM-DD
  pages: number | null;
}

/** The campaign's range of closing dates (案卷范围); either end may be open. */
export interface CasePeriod {
  from: string | null;
  to: string | null;
}

/** Form field → the column header an import shows. */
export const CASE_FILE_FIELD_HEADERS: Record<keyof CaseFileInput, string> = {
  fileNumber: '案卷编号',
  caseType: '案卷类型',
  field: '执法门类',
  cause: '案由',
  party: '当事人',
  handlers: '执法人员',
  isMajor: '是否重大',
  closedOn: '结案日期',
  pages: '页数',
};

const CASE_TYPE_LIST = Object.values(CASE_TYPE_LABELS).join('、');

/** The key two file numbers are compared by: surrounding spaces and letter case do not make a new file. */
export const fileNumberKey = (fileNumber: string): string => fileNumber.trim().toLowerCase();

/** A case type from a label, a short form (处罚) or a code; "行政" alone names none. */
export function caseTypeFrom(text: string): CaseType | undefined {
  const t = text.trim();
  if (t === '' || t === '行政') return undefined;
  return codeFromLabel(CASE_TYPE_LABELS, t);
}

/** Names separated by 、，, ; ； or spaces, each once, in the order given. */
export function splitHandlers(text: string): string[] {
  const names = text.split(/[、，,；;\s\u3000]+/).map((n) => n.trim()).filter((n) => n !== '');
  return [...new Set(names)];
}

const MAJOR_YES = new Set(['是', 'y', 'yes', '1', '重大', 'true']);
const MAJOR_NO = new Set(['否', 'n', 'no', '0', '一般', '非重大', '不是', 'false']);

/** 是/否, Y/N, 1/0 or 重大; blank is 否. Undefined when the text says neither. */
export function parseMajor(text: string): boolean | undefined {
  const t = text.trim().toLowerCase();
  if (t === '') return false;
  if (MAJOR_YES.has(t)) return true;
  if (MAJOR_NO.has(t)) return false;
  return undefined;
}

const DATE_FORMS = [
  /^(\d{4})-(\d{1,2})-(\d{1,2})$/,
  /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/,
  /^(\d{4})\.(\d{1,2})\.(\d{1,2})$/,
  /^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$/,
];

/**
 * A calendar date as people type it (2024-03-05, 2024/3/5, 2024.3.5, 2024年3月5日; Excel date cells arrive
 * as 2024-03-05) → YYYY-MM-DD. Null for a blank; undefined when it is not a real date (2024-02-30).
 */
export function parseCaseDate(text: string): string | null | undefined {
  const t = text.trim();
  if (t === '') return null;
  for (const form of DATE_FORMS) {
    const m = form.exec(t);
    if (!m) continue;
    const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (year < 1900 || year > 2999 || month < 1 || month > 12 || day < 1) return undefined;
    const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
    if (day > daysInMonth) return undefined;
    return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  }
  return undefined;
}

/** The period as a person reads it: 2024-01-01 至 2024-12-31, 2024-01-01 以后, 2024-12-31 以前. */
export function describePeriod(period: CasePeriod): string {
  if (period.from && period.to) return `${period.from} 至 ${period.to}`;
  if (period.from) return `${period.from} 以后`;
  if (period.to) return `${period.to} 以前`;
  return '不限';
}

export function outsidePeriod(date: string, period: CasePeriod): boolean {
  return (period.from !== null && date < period.from) || (period.to !== null && date > period.to);
}

function textProblem(label: string, value: string, max: number, required: boolean): string | null {
  if (value === '') return required ? `${label}不能为空` : null;
  if (value.length > max) return `${label}不能超过 ${max} 个字（现有 ${value.length} 个字）`;
  if (hasControlChars(value)) return `${label}含有不可见的控制字符`;
  return null;
}

/** Checks one case file; every problem is keyed by its form field. */
export function parseCaseFile(input: CaseFileInput, period: CasePeriod): { ok: true; value: CaseFileValues } | { ok: false; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const add = (field: keyof CaseFileInput, message: string | null) => {
    if (message) problems.push({ field, message });
  };

  const fileNumber = input.fileNumber.trim();
  add('fileNumber', textProblem('案卷编号', fileNumber, FILE_NUMBER_MAX, true));

  const caseTypeText = input.caseType.trim();
  const caseType = caseTypeFrom(caseTypeText);
  if (caseTypeText === '') add('caseType', `案卷类型不能为空，应为：${CASE_TYPE_LIST}`);
  else if (!caseType) add('caseType', `未知的案卷类型“${caseTypeText}”，应为：${CASE_TYPE_LIST}`);

  const field = input.field.trim();
  add('field', textProblem('执法门类', field, FIELD_MAX, false));
  const cause = input.cause.trim();
  add('cause', textProblem('案由', cause, CAUSE_MAX, true));
  const party = input.party.trim();
  add('party', textProblem('当事人', party, PARTY_MAX, false));

  const names = splitHandlers(input.handlers);
  const handlers = names.join('、');
  if (names.length === 0) add('handlers', '执法人员不能为空，至少填写一名，多名之间用顿号、逗号或空格分隔');
  else add('handlers', textProblem('执法人员', handlers, HANDLERS_MAX, true));

  const isMajor = parseMajor(input.isMajor);
  if (isMajor === undefined) add('isMajor', `无法识别“${input.isMajor.trim()}”，是否重大应填：是 或 否（也可填 Y/N、1/0、重大；不填视为否）`);

  const closedText = input.closedOn.trim();
  const closedOn = parseCaseDate(closedText);
  if (closedOn === undefined) {
    add('closedOn', `“${closedText}”不是有效日期，结案日期应写作 2024-03-05、2024/3/5、2024.3.5 或 2024年3月5日`);
  } else if (closedOn !== null && outsidePeriod(closedOn, period)) {
    add('closedOn', `结案日期 ${closedOn} 不在本次评查的案卷范围（结案日期 ${describePeriod(period)}）内`);
  }

  const pagesText = input.pages.trim();
  let pages: number | null = null;
  if (pagesText !== '') {
    if (/^\d{1,6}$/.test(pagesText) && Number(pagesText) >= 1 && Number(pagesText) <= PAGES_MAX) pages = Number(pagesText);
    else add('pages', `页数应为 1 到 ${PAGES_MAX} 之间的整数，“${pagesText}”不符合`);
  }

  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    value: {
      fileNumber, caseType: caseType!, field: field || null, cause, party: party || null, handlers,
      isMajor: isMajor!, closedOn: closedOn ?? null, pages,
    },
  };
}

/** A unit as the import planner needs it. */
export interface CaseFileUnit {
  id: number;
  code: string;
  name: string;
}

export interface CaseFileImportContext {
  /** Every unit in the system, so an unknown code and a non-participating unit get different messages. */
  units: readonly CaseFileUnit[];
  /** Units taking part in the campaign. */
  participantIds: ReadonlySet<number>;
  /**
   * When the whole file belongs to one unit: a department user's own unit ('own'), or the unit the
   * administrator chose ('chosen'). Then 单位编码 may be absent; where a row gives one, it must be this unit.
   */
  onlyUnit: { unitId: number; reason: 'own' | 'chosen' } | null;
  period: CasePeriod;
  /** File numbers already in the campaign's list, per unit. */
  listed: readonly { unitId: number; fileNumber: string }[];
}

export interface PlannedCaseFile extends CaseFileValues {
  row: number;
  unitId: number;
}

/**
 * Checks every row: the unit (known, taking part, and the one the importer may list for), the case file's
 * own rules, and duplicates within the file and against the list already handed in. All or nothing: the
 * plan holds every row, or every problem with its row and column.
 */
export function planCaseFileImport(rows: readonly ImportRow[], context: CaseFileImportContext): ImportPlan<PlannedCaseFile> {
  const problems: RowProblem[] = [];
  const byCode = new Map(context.units.map((u) => [u.code.toLowerCase(), u]));
  const byId = new Map(context.units.map((u) => [u.id, u]));
  const listed = new Set(context.listed.map((f) => `${f.unitId}|${fileNumberKey(f.fileNumber)}`));
  const seen = new Map<string, number>();
  const planned: PlannedCaseFile[] = [];
  const only = context.onlyUnit;
  const onlyUnit = only ? byId.get(only.unitId) : undefined;

  for (const { row, values } of rows) {
    const rowProblems: RowProblem[] = [];
    let unit: CaseFileUnit | undefined;

    const code = (values['单位编码'] ?? '').trim();
    if (code === '') {
      if (only) unit = onlyUnit;
      else rowProblems.push({ row, field: '单位编码', message: '单位编码不能为空：未选定导入单位时，每一行都须填写案卷所属单位的编码' });
    } else {
      unit = byCode.get(code.toLowerCase());
      if (!unit) {
        rowProblems.push({ row, field: '单位编码', message: `单位编码“${code}”不存在` });
      } else if (only && unit.id !== only.unitId) {
        const mine = onlyUnit ? `“${onlyUnit.name}”（${onlyUnit.code}）` : '所选单位';
        rowProblems.push({
          row, field: '单位编码',
          message: only.reason === 'own'
            ? `只能导入本单位${mine}的案卷，该行的单位编码“${code}”是“${unit.name}”`
            : `本次导入限定为${mine}的案卷，该行的单位编码“${code}”是“${unit.name}”；如需一次导入多个单位，请不要选定单位`,
        });
        unit = undefined;
      } else if (!context.participantIds.has(unit.id)) {
        rowProblems.push({ row, field: '单位编码', message: `单位“${unit.name}”（${unit.code}）不是本次评查活动的参评单位` });
        unit = undefined;
      }
    }

    const input: CaseFileInput = {
      fileNumber: values['案卷编号'] ?? '', caseType: values['案卷类型'] ?? '', field: values['执法门类'] ?? '',
      cause: values['案由'] ?? '', party: values['当事人'] ?? '', handlers: values['执法人员'] ?? '',
      isMajor: values['是否重大'] ?? '', closedOn: values['结案日期'] ?? '', pages: values['页数'] ?? '',
    };
    const parsed = parseCaseFile(input, context.period);
    if (!parsed.ok) {
      for (const p of parsed.problems) rowProblems.push({ row, field: CASE_FILE_FIELD_HEADERS[p.field as keyof CaseFileInput], message: p.message });
    }

    const number = input.fileNumber.trim();
    if (unit && number !== '') {
      const key = `${unit.id}|${fileNumberKey(number)}`;
      if (listed.has(key)) {
        rowProblems.push({ row, field: '案卷编号', message: `“${unit.name}”的案卷目录中已有案卷编号“${number}”，同一单位的案卷编号不能重复` });
      }
      const earlier = seen.get(key);
      if (earlier !== undefined) rowProblems.push({ row, field: '案卷编号', message: `案卷编号“${number}”与第 ${earlier} 行重复（同一单位）` });
      else seen.set(key, row);
    }

    problems.push(...rowProblems);
    if (rowProblems.length === 0 && unit && parsed.ok) planned.push({ ...parsed.value, row, unitId: unit.id });
  }

  if (rows.length === 0) problems.push({ row: 1, message: '文件中没有数据行' });
  if (problems.length > 0) {
    problems.sort((a, b) => a.row - b.row);
    return { ok: false, problems };
  }
  return { ok: true, items: planned };
}

/** A unit's reported total of files for the period (本期案卷总数): a whole number, at least what it listed. */
export function parseReportedTotal(text: string, listedCount: number): { ok: true; total: number } | { ok: false; message: string } {
  const t = text.trim();
  if (t === '') return { ok: false, message: '请填写本期案卷总数' };
  if (!/^\d{1,7}$/.test(t) || Number(t) > 1_000_000) return { ok: false, message: `本期案卷总数应为 0 到 1000000 之间的整数，“${t}”不符合` };
  const total = Number(t);
  if (total < listedCount) {
    return { ok: false, message: `本期案卷总数（${total}）不能少于已报送案卷目录中的案卷数（${listedCount} 卷）` };
  }
  return { ok: true, total };
}

/** Whether a stage still lets a unit change its file list. */
export function fileListOpen(status: string): boolean {
  return status === 'draft' || status === 'sampling';
}

/** Whether a stage still lets a unit report its total (results not yet published). */
export function totalOpen(status: string): boolean {
  return status !== 'released' && status !== 'closed';
}
