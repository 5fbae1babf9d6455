// Annual rating publications (年度考评发布): the row a publication freezes per unit, the rule in words, and what
// changed between two publications (or between a publication and today's figures). Pure.
import type { RatingLevel, RatingRule, UnitYear } from './annual-rating.ts';
import { formatTenths } from './rubric/points.ts';

/** A unit's year as published: the figures, the level the rule gave and the rank. */
export interface RatedUnit extends UnitYear {
  level: string | null;
  rank: number | null;
}

export interface FieldChange {
  field: 'presence' | 'level' | 'rank' | 'average' | 'files';
  label: string;
  before: string;
  after: string;
}

export interface UnitChange {
  unitId: number;
  unitName: string;
  changes: FieldChange[];
}

const NONE = '—';
export const levelText = (level: string | null): string => level ?? NONE;
export const rankText = (rank: number | null): string => (rank === null ? NONE : `第 ${rank} 名`);
export const averageText = (tenths: number | null): string => (tenths === null ? NONE : formatTenths(tenths));

/**
 * Which units changed level, rank, average or number of files from `before` to `after`, in the order of `after`
 * (units only in `before` last). A unit that appears or disappears is one change of its own.
 */
export function diffRatings(before: readonly RatedUnit[], after: readonly RatedUnit[]): UnitChange[] {
  const old = new Map(before.map((r) => [r.unitId, r]));
  const out: UnitChange[] = [];
  for (const now of after) {
    const was = old.get(now.unitId);
    if (!was) {
      out.push({ unitId: now.unitId, unitName: now.unitName, changes: [{ field: 'presence', label: '参评', before: '未参评', after: '参评' }] });
      continue;
    }
    const changes: FieldChange[] = [];
    const compare = (field: FieldChange['field'], label: string, a: string, b: string) => { if (a !== b) changes.push({ field, label, before: a, after: b }); };
    compare('level', '考评等次', levelText(was.level), levelText(now.level));
    compare('rank', '排名', rankText(was.rank), rankText(now.rank));
    compare('average', '平均分', averageText(was.averageTenths), averageText(now.averageTenths));
    compare('files', '参评案卷数', String(was.files), String(now.files));
    if (changes.length > 0) out.push({ unitId: now.unitId, unitName: now.unitName, changes });
  }
  const present = new Set(after.map((r) => r.unitId));
  for (const was of before) {
    if (!present.has(was.unitId)) out.push({ unitId: was.unitId, unitName: was.unitName, changes: [{ field: 'presence', label: '参评', before: '参评', after: '未参评' }] });
  }
  return out;
}

/** True when every figure shown for every unit is the same (not only those the diff names). */
export function sameRatings(a: readonly RatedUnit[], b: readonly RatedUnit[]): boolean {
  const key = (rows: readonly RatedUnit[]) => JSON.stringify([...rows].sort((x, y) => x.unitId - y.unitId).map((r) => [
    r.unitId, r.files, r.averageTenths, r.totalTenths, r.passRate.numerator, r.passRate.denominator, r.excellenceRate.numerator,
    r.excellenceRate.denominator, r.vetoes, r.commonIssues, r.individualIssues, r.rectificationRate.numerator, r.rectificationRate.denominator,
    r.excellentSelected, r.level, r.rank,
  ]));
  return key(a) === key(b);
}

const CONDITION_WORDS: [keyof Omit<RatingLevel, 'label'>, (v: number) => string][] = [
  ['minAverage', (v) => `平均分不低于 ${v}`],
  ['minExcellenceRate', (v) => `优秀率不低于 ${v}%`],
  ['minPassRate', (v) => `合格率不低于 ${v}%`],
  ['maxVetoes', (v) => `否决项案卷数不超过 ${v}`],
  ['minRectificationRate', (v) => `整改完成率不低于 ${v}%`],
];

/** The rule in words, one line per level: "优秀：平均分不低于 90，优秀率不低于 85%，…". */
export function describeRule(rule: RatingRule): string[] {
  return rule.map((level, i) => {
    const words = CONDITION_WORDS.filter(([key]) => level[key] !== undefined).map(([key, say]) => say(level[key]!));
    if (words.length > 0) return `${level.label}：${words.join('，')}`;
    return i === rule.length - 1 ? `${level.label}：其余有参评案卷的单位` : `${level.label}：不设条件`;
  });
}

/** One line per changed unit: "阳明区生态环境局：考评等次 优秀 → 合格；排名 第 2 名 → 第 3 名". */
export const changeLines = (changes: readonly UnitChange[]): string[] =>
  changes.map((c) => `${c.unitName}：${c.changes.map((f) => `${f.label} ${f.before} → ${f.after}`).join('；')}`);
