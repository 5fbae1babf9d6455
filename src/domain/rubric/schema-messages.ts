// Turns ajv's English schema errors into Chinese problems with a JSON path: one problem per error,
// naming the place (describe.ts), the value found and what is expected.
import type { ErrorObject } from 'ajv/dist/2020.js';
import { CASE_TYPE_LABELS, isCaseType } from '../vocabulary.ts';
import { describeLocation, describeValue, fieldName, parsePointer } from './describe.ts';
import { pointerSegment } from './json-text.ts';
import { DEDUCTION_TYPE_LABELS, VETO_EFFECT_LABELS, type DeductionType, type VetoEffect } from './types.ts';

export interface RubricProblem {
  /** JSON pointer into the rubric file ('' for the whole file), e.g. /sections/2/items/0/deduction/points */
  path: string;
  /** Simplified Chinese: where, what was found, what is expected. */
  message: string;
}

const TYPE_NAMES: Record<string, string> = {
  string: '字符串',
  number: '数字',
  integer: '整数',
  boolean: '布尔值（true 或 false）',
  object: '对象（{ … }）',
  array: '数组（[ … ]）',
  null: 'null',
};

/** What each pattern in rubrics/schema.json means, in words. */
const PATTERN_MEANINGS: Record<string, string> = {
  '\\S': '不能为空，也不能只有空白',
  '^[a-z0-9][a-z0-9-]{1,63}$': '只能由小写字母、数字和短横线组成，以小写字母或数字开头，长 2–64 位',
  '^[0-9A-Za-z][0-9A-Za-z._-]{0,31}$': '只能由字母、数字、点、下划线和短横线组成，以字母或数字开头，最长 32 位',
  '^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$': '只能由字母、数字、点、下划线和短横线组成，以字母或数字开头，最长 32 位',
  '^[0-9]{4}-[0-9]{2}-[0-9]{2}$': '应为 YYYY-MM-DD 格式的日期，例如 2026-01-01',
};

/** Puts a space between a trailing code (S1-01) and the Chinese that follows. */
export const spaced = (text: string): string => (/[A-Za-z0-9._-]$/.test(text) ? `${text} ` : text);

function valueAt(root: unknown, pointer: string): unknown {
  let node = root;
  for (const key of parsePointer(pointer)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function enumChoices(values: readonly unknown[], pointer: string): string {
  const parts = parsePointer(pointer);
  const last = parts[parts.length - 1];
  const label = (v: unknown): string => {
    if (typeof v !== 'string') return JSON.stringify(v);
    if (parts[0] === 'caseTypes' && isCaseType(v)) return `${v}（${CASE_TYPE_LABELS[v]}）`;
    if (last === 'effect' && v in VETO_EFFECT_LABELS) return `${v}（${VETO_EFFECT_LABELS[v as VetoEffect]}）`;
    if (last === 'type' && v in DEDUCTION_TYPE_LABELS) return `${v}（${DEDUCTION_TYPE_LABELS[v as DeductionType]}）`;
    return v;
  };
  return values.map(label).join('、');
}

function typeNames(type: unknown): string {
  const list = Array.isArray(type) ? type : [type];
  return list.map((t) => TYPE_NAMES[String(t)] ?? String(t)).join('或').replace(/或null/g, '或 null');
}

/** One ajv error → one problem; null for errors that only repeat another one (if/then wrappers). */
export function schemaErrorToProblem(error: ErrorObject, root: unknown): RubricProblem | null {
  const path = error.instancePath;
  const where = spaced(describeLocation(root, path));
  const value = valueAt(root, path);
  const params = error.params as Record<string, unknown>;

  switch (error.keyword) {
    case 'if':
      return null; // the failing "then" branch has reported the real problem
    case 'required': {
      const key = String(params['missingProperty']);
      const owner = path === '' ? '评查标准' : where;
      return { path: `${path}/${pointerSegment(key)}`, message: `${owner}缺少必填的${fieldName(path, key)}` };
    }
    case 'additionalProperties': {
      const key = String(params['additionalProperty']);
      const allowed = Object.keys((error.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties ?? {});
      const owner = path === '' ? '评查标准' : where;
      const hint = allowed.length > 0 ? `；这里只允许：${allowed.join('、')}` : '';
      return { path: `${path}/${pointerSegment(key)}`, message: `${owner}中有格式不允许的字段 "${key}"（字段名区分大小写，不能自行添加）${hint}` };
    }
    case 'type':
      return { path, message: `${where}应为${typeNames(params['type'])}，实际为${describeValue(value)}` };
    case 'enum':
      return {
        path,
        message: `${where}的值 ${JSON.stringify(value)} 不可用，只能是：${enumChoices((params['allowedValues'] as unknown[]) ?? [], path)}`,
      };
    case 'const':
      return { path, message: `${where}应为 ${JSON.stringify(params['allowedValue'])}，实际为 ${JSON.stringify(value)}` };
    case 'pattern': {
      const pattern = String(params['pattern']);
      const meaning = PATTERN_MEANINGS[pattern] ?? `应符合格式 ${pattern}`;
      if (pattern === '\\S') return { path, message: `${where}${meaning}` };
      return { path, message: `${where.trimEnd()}的值 ${JSON.stringify(value)} 格式不对：${meaning}` };
    }
    case 'format':
      if (params['format'] === 'date') {
        return { path, message: `${where.trimEnd()}的值 ${JSON.stringify(value)} 不是真实存在的日期（格式 YYYY-MM-DD，月份 01–12，日期不超过当月天数）` };
      }
      return { path, message: `${where.trimEnd()}的值 ${JSON.stringify(value)} 不符合 ${String(params['format'])} 格式` };
    case 'minimum':
      return { path, message: `${where}不能小于 ${String(params['limit'])}，实际为 ${JSON.stringify(value)}` };
    case 'exclusiveMinimum':
      return { path, message: `${where}必须大于 ${String(params['limit'])}，实际为 ${JSON.stringify(value)}` };
    case 'maximum':
      return { path, message: `${where}不能大于 ${String(params['limit'])}，实际为 ${JSON.stringify(value)}` };
    case 'exclusiveMaximum':
      return { path, message: `${where}必须小于 ${String(params['limit'])}，实际为 ${JSON.stringify(value)}` };
    case 'multipleOf':
      return { path, message: `${where}为 ${JSON.stringify(value)}，分值最多保留一位小数（须为 0.1 的整数倍，如 0.5、2、2.5）` };
    case 'minItems': {
      const count = Array.isArray(value) ? value.length : 0;
      return { path, message: `${where}至少需要 ${String(params['limit'])} 项，实际${count === 0 ? '为空' : `只有 ${count} 项`}` };
    }
    case 'maxItems':
      return { path, message: `${where}最多 ${String(params['limit'])} 项` };
    case 'uniqueItems': {
      const i = Number(params['i']);
      const j = Number(params['j']);
      const later = Math.max(i, j);
      const earlier = Math.min(i, j);
      const item = Array.isArray(value) ? value[later] : undefined;
      return { path: `${path}/${later}`, message: `${where}第 ${later + 1} 项 ${JSON.stringify(item)} 与第 ${earlier + 1} 项重复` };
    }
    case 'minLength':
      return { path, message: `${where}至少 ${String(params['limit'])} 个字符` };
    case 'maxLength':
      return { path, message: `${where}最多 ${String(params['limit'])} 个字符` };
    default:
      return { path, message: `${where}不符合评查标准格式（${error.keyword}）` };
  }
}

/** All ajv errors → problems, dropping repeats (a date that fails its pattern also fails "format"). */
export function schemaProblems(errors: readonly ErrorObject[], root: unknown): RubricProblem[] {
  const patternFailed = new Set(errors.filter((e) => e.keyword === 'pattern').map((e) => e.instancePath));
  const seen = new Set<string>();
  const problems: RubricProblem[] = [];
  for (const error of errors) {
    if (error.keyword === 'format' && patternFailed.has(error.instancePath)) continue;
    const problem = schemaErrorToProblem(error, root);
    if (!problem) continue;
    const key = `${problem.path}\n${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(problem);
  }
  return problems;
}
