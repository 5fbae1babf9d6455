// Checks a rubric file: size, JSON syntax, duplicate keys, rubrics/schema.json (through ajv), then the
// rules a schema cannot express (sums, unique codes, caps, grade bands, dates). Every problem is a
// JSON path and a Chinese message that says where, what was found and what is expected.
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import schema from '../../../rubrics/schema.json' with { type: 'json' };
import { sectionName } from './describe.ts';
import { scanJson } from './json-text.ts';
import { formatTenths, toTenths } from './points.ts';
import { schemaProblems, spaced, type RubricProblem } from './schema-messages.ts';
import { VETO_EFFECT_LABELS, type Rubric } from './types.ts';

export type { RubricProblem } from './schema-messages.ts';

export type RubricValidation = { ok: true; rubric: Rubric } | { ok: false; problems: RubricProblem[] };

/** Rubric files are small (the largest published standards are a few hundred items, ~100 KB). */
export const MAX_RUBRIC_BYTES = 1024 * 1024;

export const tooLargeMessage = (bytes: number): string =>
  `文件过大：${(bytes / 1024 / 1024).toFixed(1)} MB，评查标准文件不能超过 ${MAX_RUBRIC_BYTES / 1024 / 1024} MB（请检查是否选错了文件）`;

let compiled: ReturnType<Ajv2020.default['compile']> | undefined;

function schemaValidator(): ReturnType<Ajv2020.default['compile']> {
  if (!compiled) {
    // multipleOfPrecision: 0.3 / 0.1 is 2.9999999999999996 in binary floating point; without a
    // tolerance ajv would reject 0.3 as "not a multiple of 0.1".
    const ajv = new Ajv2020.default({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true, multipleOfPrecision: 9 });
    addFormats.default(ajv, ['date']);
    compiled = ajv.compile(schema);
  }
  return compiled;
}

/** UTF-8 size of a string without allocating a copy of it. */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** Validates the text of a rubric file. */
export function validateRubric(text: string): RubricValidation {
  if (text.length > MAX_RUBRIC_BYTES || utf8ByteLength(text) > MAX_RUBRIC_BYTES) {
    return { ok: false, problems: [{ path: '', message: tooLargeMessage(utf8ByteLength(text)) }] };
  }
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text; // Windows editors add a BOM
  if (body.trim() === '') {
    return { ok: false, problems: [{ path: '', message: '文件为空：评查标准文件应为一个 JSON 对象（{ … }）' }] };
  }
  const scan = scanJson(body);
  if (!scan.ok) {
    const { line, column, message } = scan.error;
    return { ok: false, problems: [{ path: '', message: `不是有效的 JSON：第 ${line} 行第 ${column} 列：${message}` }] };
  }
  const value: unknown = JSON.parse(body);
  const duplicates: RubricProblem[] = scan.duplicates.map((d) => ({
    path: d.path,
    message: `字段 "${d.key}" 在同一对象中重复出现（${d.firstLine === d.line ? `第 ${d.line} 行` : `第 ${d.firstLine} 行和第 ${d.line} 行`}），读取时只会保留最后一个，请删除多余的一个`,
  }));
  const result = validateRubricValue(value);
  if (duplicates.length === 0) return result;
  return { ok: false, problems: [...duplicates, ...(result.ok ? [] : result.problems)] };
}

/** Validates a rubric that has already been parsed from JSON. */
export function validateRubricValue(value: unknown): RubricValidation {
  const validate = schemaValidator();
  if (!validate(value)) {
    const problems = schemaProblems(validate.errors ?? [], value);
    // ajv always explains a failure, but never report "invalid" without saying why
    return { ok: false, problems: problems.length > 0 ? problems : [{ path: '', message: '不符合评查标准格式' }] };
  }
  const rubric = value as Rubric;
  const problems = semanticProblems(rubric);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, rubric };
}

// ---------------------------------------------------------------------------------------------
// Rules beyond the schema. They run only on data that has the schema's shape.

const fmt = formatTenths;

export function isRealDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  return day <= days;
}

interface CodeOwner {
  path: string;
  name: string;
}

export function semanticProblems(rubric: Rubric): RubricProblem[] {
  const problems: RubricProblem[] = [];
  const add = (path: string, message: string): void => {
    problems.push({ path, message });
  };

  // Every point value must be a whole number of tenths (the schema says so too; scoring relies on it).
  const tenths = (path: string, value: number, label: string): number => {
    const t = toTenths(value);
    if (t === null) {
      add(path, `${label}为 ${String(value)}，分值最多保留一位小数（须为 0.1 的整数倍）`);
      return 0;
    }
    return t;
  };

  // Dates
  if (!isRealDate(rubric.effectiveFrom)) add('/effectiveFrom', `生效日期（effectiveFrom）"${rubric.effectiveFrom}" 不是真实存在的日期`);
  if (typeof rubric.effectiveTo === 'string') {
    if (!isRealDate(rubric.effectiveTo)) add('/effectiveTo', `失效日期（effectiveTo）"${rubric.effectiveTo}" 不是真实存在的日期`);
    else if (rubric.effectiveTo < rubric.effectiveFrom) {
      add('/effectiveTo', `失效日期（effectiveTo）${rubric.effectiveTo} 早于生效日期（effectiveFrom）${rubric.effectiveFrom}；失效日期不得早于生效日期`);
    }
  }

  // Sections add up to the scale
  const scale = tenths('/scale', rubric.scale, '总分（scale）');
  const sectionPoints = rubric.sections.map((s, i) => tenths(`/sections/${i}/points`, s.points, `${sectionName(i, s.title)}的分值`));
  const sum = sectionPoints.reduce((a, b) => a + b, 0);
  if (sum !== scale) {
    const parts = rubric.sections.length <= 12
      ? `（${rubric.sections.map((s, i) => `${s.code} ${fmt(sectionPoints[i]!)} 分`).join(' + ')}）`
      : '';
    const diff = sum > scale ? `多 ${fmt(sum - scale)} 分` : `少 ${fmt(scale - sum)} 分`;
    add('/sections', `各评查部分分值之和为 ${fmt(sum)} 分${parts}，应等于总分（scale）${fmt(scale)} 分，${diff}`);
  }

  // Codes: sections, items and vetoes share one namespace; items are permanent identifiers.
  const owners = new Map<string, CodeOwner & { code: string }>();
  const claim = (code: string, owner: CodeOwner): void => {
    const key = code.toLowerCase();
    const first = owners.get(key);
    if (!first) {
      owners.set(key, { ...owner, code });
      return;
    }
    const sameCase = first.code === code;
    add(owner.path, `${owner.name}的编码「${code}」${sameCase ? '重复' : `与「${first.code}」仅大小写不同`}：${first.name}（${first.path}）已使用该编码；评查项目、否决项和评查部分的编码在整个标准中必须唯一`);
  };
  rubric.vetoes.forEach((veto, i) => claim(veto.code, { path: `/vetoes/${i}/code`, name: `第 ${i + 1} 个否决项` }));
  rubric.sections.forEach((section, i) => {
    claim(section.code, { path: `/sections/${i}/code`, name: sectionName(i, section.title) });
    section.items.forEach((item, j) => {
      claim(item.code, { path: `/sections/${i}/items/${j}/code`, name: `${sectionName(i, section.title)}的第 ${j + 1} 个评查项目` });
    });
  });

  // Items: deductions and caps measured against the section
  rubric.sections.forEach((section, i) => {
    const points = sectionPoints[i]!;
    const sectionRef = `所在的${sectionName(i, section.title)}（${section.code}）的分值 ${fmt(points)} 分`;
    section.items.forEach((item, j) => {
      const base = `/sections/${i}/items/${j}`;
      const who = spaced(`评查项目 ${item.code}`);
      const d = item.deduction;
      let oneOccurrence: number;
      if (d.type === 'per_occurrence') {
        const per = tenths(`${base}/deduction/points`, d.points, `${who}的每次扣分`);
        oneOccurrence = per;
        if (per > points) add(`${base}/deduction/points`, `${who}每次扣分 ${fmt(per)} 分，超过${sectionRef}`);
      } else {
        const min = tenths(`${base}/deduction/min`, d.min, `${who}的最少扣分`);
        const max = tenths(`${base}/deduction/max`, d.max, `${who}的最多扣分`);
        oneOccurrence = min;
        if (min > max) add(`${base}/deduction/min`, `${who}区间扣分的最少扣分 ${fmt(min)} 分大于最多扣分 ${fmt(max)} 分；应满足 min ≤ max`);
        if (max > points) add(`${base}/deduction/max`, `${who}区间扣分的最多扣分 ${fmt(max)} 分，超过${sectionRef}`);
      }
      if (item.cap !== undefined) {
        const cap = tenths(`${base}/cap`, item.cap, `${who}的扣分上限`);
        if (cap > points) add(`${base}/cap`, `${who}扣分上限 ${fmt(cap)} 分，超过${sectionRef}`);
        if (cap < oneOccurrence) {
          const what = d.type === 'per_occurrence' ? `每次扣分 ${fmt(oneOccurrence)} 分` : `区间扣分的最少扣分 ${fmt(oneOccurrence)} 分`;
          add(`${base}/cap`, `${who}扣分上限 ${fmt(cap)} 分低于${what}，扣一次就会超过上限，上限没有意义；上限应不低于 ${fmt(oneOccurrence)} 分`);
        }
      }
    });
  });

  // Grade bands
  const grades = rubric.grades;
  const mins = grades.map((g, i) => tenths(`/grades/${i}/min`, g.min, `等次「${g.label}」的最低分`));
  const top = grades[0]!;
  if (mins[0]! > scale) {
    add('/grades/0/min', `最高等次「${top.label}」的最低分 ${fmt(mins[0]!)} 分超过总分（scale）${fmt(scale)} 分，任何案卷都达不到该等次`);
  }
  for (let i = 1; i < grades.length; i++) {
    if (mins[i]! >= mins[i - 1]!) {
      add(`/grades/${i}/min`, `等次「${grades[i]!.label}」的最低分 ${fmt(mins[i]!)} 分不低于上一档「${grades[i - 1]!.label}」的 ${fmt(mins[i - 1]!)} 分；等次须从高到低排列，最低分严格递减`);
    }
  }
  const last = grades.length - 1;
  if (mins[last] !== 0) {
    add(`/grades/${last}/min`, `最后一档等次「${grades[last]!.label}」的最低分应为 0，实际为 ${fmt(mins[last]!)} 分；否则低于该分数的案卷没有等次`);
  }
  const gradeCodes = new Map<string, number>();
  const gradeLabels = new Map<string, number>();
  grades.forEach((g, i) => {
    const codeFirst = gradeCodes.get(g.code);
    if (codeFirst !== undefined) add(`/grades/${i}/code`, `等次编码「${g.code}」重复：第 ${codeFirst + 1} 个等次（/grades/${codeFirst}/code）已使用`);
    else gradeCodes.set(g.code, i);
    const label = g.label.trim();
    const labelFirst = gradeLabels.get(label);
    if (labelFirst !== undefined) add(`/grades/${i}/label`, `等次名称「${label}」重复：第 ${labelFirst + 1} 个等次（/grades/${labelFirst}/label）已使用`);
    else gradeLabels.set(label, i);
  });
  const firstFailing = grades.findIndex((g) => !g.passing);
  if (!grades.some((g) => g.passing)) {
    add('/grades', '等次分档中没有合格等次：至少需要一档 "passing": true（通常为优秀、良好、合格）');
  }
  if (firstFailing >= 0) {
    grades.forEach((g, i) => {
      if (i > firstFailing && g.passing) {
        add(`/grades/${i}/passing`, `合格等次「${g.label}」排在不合格等次「${grades[firstFailing]!.label}」之下：合格等次的分数线必须高于所有不合格等次`);
      }
    });
  }
  const failingVetoes = rubric.vetoes.filter((v) => v.effect === 'fail' || v.effect === 'zero');
  if (failingVetoes.length > 0 && firstFailing < 0) {
    const list = failingVetoes.map((v) => `${v.code}（${VETO_EFFECT_LABELS[v.effect]}）`).join('、');
    add('/grades', `否决项 ${list}会使案卷不合格，但等次分档中没有不合格等次：请增加一档 "passing": false（如「不合格」，最低分 0）`);
  }
  const barTop = rubric.vetoes.filter((v) => v.effect === 'bar_top');
  if (barTop.length > 0 && grades.length < 2) {
    add('/grades', `否决项 ${barTop.map((v) => v.code).join('、')} 的效果为「不得评为最高等次」，但等次分档只有一档，无法降档：至少需要两档`);
  }

  return problems;
}
