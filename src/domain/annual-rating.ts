// Annual rating (年度考评): each unit's year from all its campaigns, rated by a configurable rule and ranked.
// Pure. The rule is data a bureau writes (JSON), checked here with Chinese messages:
//
//   [ { "label": "优秀", "minAverage": 90, "minExcellenceRate": 85, "minPassRate": 100, "maxVetoes": 0 },
//     { "label": "良好", "minAverage": 80 },
//     { "label": "合格", "minAverage": 60 },
//     { "label": "不合格" } ]
//
// Levels are tried top-down; a unit gets the first level whose every condition holds; the last level has no
// condition and catches the rest. Rates are percentages (0–100), compared exactly (numerator × 100 ≥ min × denominator).
// Without a rule, a unit's average is banded like a file's (the default the issue asks for).
import type { GradeBand } from './rubric/types.ts';
import type { Rate } from './statistics.ts';

export interface RatingLevel {
  label: string;
  minAverage?: number;
  minPassRate?: number;
  minExcellenceRate?: number;
  maxVetoes?: number;
  minRectificationRate?: number;
}

export type RatingRule = RatingLevel[];

const CONDITIONS: Record<Exclude<keyof RatingLevel, 'label'>, { label: string; max: number }> = {
  minAverage: { label: '平均分不低于', max: 100 },
  minPassRate: { label: '合格率（%）不低于', max: 100 },
  minExcellenceRate: { label: '优秀率（%）不低于', max: 100 },
  maxVetoes: { label: '否决项案卷数不超过', max: 100000 },
  minRectificationRate: { label: '整改完成率（%）不低于', max: 100 },
};

/** Reads a rule from its JSON text; every problem listed with the level it is in. */
export function parseRatingRule(text: string): { ok: true; rule: RatingRule } | { ok: false; problems: string[] } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, problems: ['考评规则不是有效的 JSON'] };
  }
  if (!Array.isArray(value) || value.length < 2) return { ok: false, problems: ['考评规则应为至少两个等次的数组，从高到低排列'] };
  const problems: string[] = [];
  const labels = new Set<string>();
  value.forEach((level: unknown, i) => {
    const at = `第 ${i + 1} 个等次`;
    if (level === null || typeof level !== 'object' || Array.isArray(level)) {
      problems.push(`${at}应为对象`);
      return;
    }
    const l = level as Record<string, unknown>;
    if (typeof l.label !== 'string' || l.label.trim() === '' || l.label.length > 10) problems.push(`${at}缺少等次名称（label，不超过 10 个字）`);
    else if (labels.has(l.label)) problems.push(`${at}的名称“${l.label}”重复`);
    else labels.add(l.label);
    for (const key of Object.keys(l)) {
      if (key === 'label') continue;
      const cond = CONDITIONS[key as keyof typeof CONDITIONS];
      if (!cond) {
        problems.push(`${at}有未知条件“${key}”（可用：${Object.keys(CONDITIONS).join('、')}）`);
        continue;
      }
      const v = l[key];
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > cond.max || Math.round(v * 10) !== v * 10) {
        problems.push(`${at}的条件“${cond.label}”应为 0 到 ${cond.max} 之间、最多一位小数的数`);
      }
    }
    if (i === value.length - 1 && Object.keys(l).some((k) => k !== 'label')) problems.push('最后一个等次不能设条件，它容纳其余所有单位');
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, rule: value as RatingRule };
}

/** The default rule: the unit's average banded like a file's. */
export const bandRule = (bands: readonly GradeBand[]): RatingRule =>
  bands.map((b, i) => (i === bands.length - 1 ? { label: b.label } : { label: b.label, minAverage: b.min }));

export interface UnitYear {
  unitId: number;
  unitName: string;
  files: number;
  averageTenths: number | null;
  totalTenths: number;
  passRate: Rate;
  excellenceRate: Rate;
  vetoes: number;
  commonIssues: number;
  individualIssues: number;
  rectificationRate: Rate;
  excellentSelected: number;
}

const atLeast = (r: Rate, minPercent: number): boolean => r.denominator > 0 && r.numerator * 1000 >= Math.round(minPercent * 10) * r.denominator;

/** The first level whose every condition holds (the last level always does); null for a unit without files. */
export function rateUnit(unit: UnitYear, rule: RatingRule): string | null {
  if (unit.files === 0 || unit.averageTenths === null) return null;
  for (const level of rule) {
    if (level.minAverage !== undefined && unit.averageTenths < Math.round(level.minAverage * 10)) continue;
    if (level.minPassRate !== undefined && !atLeast(unit.passRate, level.minPassRate)) continue;
    if (level.minExcellenceRate !== undefined && !atLeast(unit.excellenceRate, level.minExcellenceRate)) continue;
    if (level.maxVetoes !== undefined && unit.vetoes > level.maxVetoes) continue;
    // No notice, no issue to rectify: the condition holds.
    if (level.minRectificationRate !== undefined && unit.rectificationRate.denominator > 0 && !atLeast(unit.rectificationRate, level.minRectificationRate)) continue;
    return level.label;
  }
  return rule[rule.length - 1]!.label;
}

