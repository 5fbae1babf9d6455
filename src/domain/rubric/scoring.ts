// THE scoring engine: one review's marks (deductions and vetoes) against one rubric version → score,
// grade and the reasons behind every adjustment. Every page, export and statistic uses this module;
// nothing else computes a score. All arithmetic is in integer tenths.
import { sectionName } from './describe.ts';
import { formatTenths, tenthsOf, toTenths } from './points.ts';
import { VETO_EFFECT_RANK, rubricKey, type GradeBand, type Rubric, type RubricItem, type RubricSection, type Veto, type VetoEffect } from './types.ts';

/** One deduction a reviewer recorded. Callers may carry more fields (note, document, page); they are ignored here. */
export interface DeductionMark {
  itemCode: string;
  /** per_occurrence items: how many times the problem occurs (a positive integer, default 1). */
  count?: number;
  /** range items: the points chosen within [min, max], whole tenths. Not allowed for per_occurrence items. */
  points?: number;
}

export interface ReviewMarks {
  deductions: readonly DeductionMark[];
  /** Codes of the vetoes (否决项) found in the file. */
  vetoes: readonly string[];
}

/** More occurrences than this in one file is a typing error, not a finding. */
export const MAX_OCCURRENCES = 999;

export interface MarkProblem {
  list: 'deductions' | 'vetoes';
  /** Index of the bad mark in its list (0-based); -1 when the list itself is malformed. */
  index: number;
  message: string;
}

/** Marks that do not fit the rubric. Lists every problem, not only the first. */
export class InvalidMarksError extends Error {
  readonly problems: readonly MarkProblem[];
  constructor(problems: readonly MarkProblem[]) {
    super(`评分记录有 ${problems.length} 处错误：${problems.map((p) => p.message).join('；')}`);
    this.name = 'InvalidMarksError';
    this.problems = problems;
  }
}

export interface GradeResult {
  code: string;
  label: string;
  passing: boolean;
}

export interface ScoredSection {
  code: string;
  title: string;
  pointsTenths: number;
  /** Sum of the section's item deductions (after item caps), before the section floor. */
  rawTenths: number;
  /** What the section actually loses: never more than its points (扣完为止). */
  deductedTenths: number;
  subtotalTenths: number;
  /** True when the section floor cut the deduction. */
  capped: boolean;
  points: string;
  deducted: string;
  subtotal: string;
}

export interface ScoredItem {
  code: string;
  sectionCode: string;
  /** per_occurrence: total occurrences; range: number of entries. */
  count: number;
  /** Sum of the marks before the item cap. */
  rawTenths: number;
  /** After the item cap (the section floor is applied to the section, not spread over its items). */
  deductedTenths: number;
  capTenths: number | null;
  capped: boolean;
  raw: string;
  deducted: string;
}

export interface ScoredVeto {
  code: string;
  text: string;
  effect: VetoEffect;
}

export interface ReviewScore {
  rubric: { id: string; version: string };
  scaleTenths: number;
  scale: string;
  /** Sum of the section deductions. */
  deductedTenths: number;
  deducted: string;
  /** Score of the points layer, before any veto. */
  pointsScoreTenths: number;
  /** Final score: 0 when a 'zero' veto is marked. */
  totalTenths: number;
  total: string;
  /** Every section of the rubric, in rubric order. */
  sections: ScoredSection[];
  /** Only the items that have marks, in rubric order. */
  items: ScoredItem[];
  grade: GradeResult;
  /** The grade the score alone would give. */
  gradeBeforeVeto: GradeResult;
  /** Marked vetoes, in rubric order. */
  vetoes: ScoredVeto[];
  /** The veto that set the grade, or null when the score set it. */
  decidingVeto: string | null;
  /** Chinese explanations of every cap, floor and veto applied. */
  reasons: string[];
}

const fmt = formatTenths;
const gradeResult = (band: GradeBand): GradeResult => ({ code: band.code, label: band.label, passing: band.passing });

/** Index of the band a score (in tenths) falls into: the first whose minimum it reaches, else the lowest. */
export function bandIndex(bands: readonly GradeBand[], tenths: number): number {
  const index = bands.findIndex((band) => tenths >= tenthsOf(band.min));
  return index >= 0 ? index : bands.length - 1;
}

const gradeIndex = (rubric: Rubric, tenths: number): number => bandIndex(rubric.grades, tenths);

/** The grade band a score (in tenths) falls into, ignoring vetoes. */
export function gradeFor(rubric: Rubric, tenths: number): GradeResult {
  return gradeResult(rubric.grades[gradeIndex(rubric, tenths)]!);
}

interface ItemRef {
  item: RubricItem;
  section: RubricSection;
  sectionIndex: number;
}

const describeNumber = (value: unknown): string => (typeof value === 'number' || typeof value === 'string' ? String(value) : JSON.stringify(value) ?? String(value));

/** Checks every mark against the rubric; returns the tenths each deduction mark stands for. */
function checkMarks(rubric: Rubric, marks: ReviewMarks, items: Map<string, ItemRef>): { tenths: number[]; vetoes: Set<string> } {
  const problems: MarkProblem[] = [];
  const tenths: number[] = [];
  const deductions: unknown = marks?.deductions;
  const vetoes: unknown = marks?.vetoes;

  if (!Array.isArray(deductions)) problems.push({ list: 'deductions', index: -1, message: '扣分记录（deductions）应为数组' });
  else {
    deductions.forEach((mark: unknown, index) => {
      const at = `第 ${index + 1} 条扣分`;
      const bad = (message: string): void => {
        problems.push({ list: 'deductions', index, message });
      };
      tenths.push(0);
      if (mark === null || typeof mark !== 'object') return bad(`${at}：格式不对，应包含评查项目编码 itemCode`);
      const { itemCode, count, points } = mark as Record<string, unknown>;
      if (typeof itemCode !== 'string' || itemCode === '') return bad(`${at}：缺少评查项目编码 itemCode`);
      const ref = items.get(itemCode);
      if (!ref) return bad(`${at}：评查标准 ${rubricKey(rubric)} 中没有评查项目「${itemCode}」`);
      const d = ref.item.deduction;
      const here = `${at}（${itemCode}）`;
      if (d.type === 'per_occurrence') {
        if (points !== undefined) {
          return bad(`${here}：该项按次扣分（每次 ${fmt(tenthsOf(d.points))} 分），只填次数，不能指定扣分分值（实际填了 ${describeNumber(points)}）`);
        }
        const n = count === undefined ? 1 : count;
        if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_OCCURRENCES) {
          return bad(`${here}：次数应为 1 到 ${MAX_OCCURRENCES} 的整数，实际为 ${describeNumber(count)}`);
        }
        tenths[index] = tenthsOf(d.points) * n;
        return;
      }
      const min = tenthsOf(d.min);
      const max = tenthsOf(d.max);
      const range = `${fmt(min)}–${fmt(max)} 分`;
      if (count !== undefined && count !== 1) {
        bad(`${here}：该项为区间扣分，每条记录计一次，不能填写次数（实际为 ${describeNumber(count)}）；多处问题请分条记录`);
      }
      if (points === undefined) return bad(`${here}：该项为区间扣分（${range}），须填写扣分分值`);
      const t = typeof points === 'number' ? toTenths(points) : null;
      if (t === null) return bad(`${here}：扣分分值 ${describeNumber(points)} 不是有效分值，最多保留一位小数（如 0.5、2、2.5）`);
      if (t < min || t > max) return bad(`${here}：扣分分值 ${fmt(t)} 分不在该项的扣分区间内（${range}）`);
      tenths[index] = t;
    });
  }

  const vetoCodes = new Set(rubric.vetoes.map((v) => v.code));
  const marked = new Set<string>();
  if (!Array.isArray(vetoes)) problems.push({ list: 'vetoes', index: -1, message: '否决项记录（vetoes）应为数组' });
  else {
    vetoes.forEach((code: unknown, index) => {
      const at = `第 ${index + 1} 个否决项`;
      if (typeof code !== 'string' || !vetoCodes.has(code)) {
        problems.push({ list: 'vetoes', index, message: `${at}：评查标准 ${rubricKey(rubric)} 中没有否决项「${describeNumber(code)}」` });
      } else if (marked.has(code)) {
        problems.push({ list: 'vetoes', index, message: `${at}：否决项 ${code} 重复勾选` });
      } else marked.add(code);
    });
  }

  if (problems.length > 0) throw new InvalidMarksError(problems);
  return { tenths, vetoes: marked };
}

interface VetoOutcome {
  totalTenths: number;
  /** Index of the final grade band; beforeIndex: the band of the score alone. */
  index: number;
  beforeIndex: number;
  deciding: Veto | null;
  decidingChanged: boolean;
  failingIndex: number;
}

/** Vetoes: the strongest effect decides (zero > fail > bar_top); among equals, the first in the rubric. */
function vetoOutcome(rubric: Rubric, pointsScore: number, markedVetoes: readonly Veto[]): VetoOutcome {
  const beforeIndex = gradeIndex(rubric, pointsScore);
  let total = pointsScore;
  let index = beforeIndex;
  let deciding: Veto | null = null;
  for (const veto of markedVetoes) {
    if (!deciding || VETO_EFFECT_RANK[veto.effect] > VETO_EFFECT_RANK[deciding.effect]) deciding = veto;
  }
  const grades = rubric.grades;
  const firstFailing = grades.findIndex((g) => !g.passing);
  const failingIndex = firstFailing >= 0 ? firstFailing : grades.length - 1;
  let decidingChanged = false;
  if (deciding?.effect === 'zero') {
    total = 0;
    // The highest non-passing band, unless the score of 0 itself falls into a lower band.
    index = Math.max(gradeIndex(rubric, 0), failingIndex);
    decidingChanged = true;
  } else if (deciding?.effect === 'fail') {
    index = Math.max(beforeIndex, failingIndex);
    decidingChanged = true;
  } else if (deciding?.effect === 'bar_top' && beforeIndex === 0 && grades.length > 1) {
    index = 1;
    decidingChanged = true;
  }
  return { totalTenths: total, index, beforeIndex, deciding, decidingChanged, failingIndex };
}

/**
 * The score and grade a points score gets once the given vetoes apply: the same rule scoreReview uses.
 * For results that are not one sheet (the average of agreeing sheets, revised after an upheld objection).
 */
export function gradeWithVetoes(rubric: Rubric, pointsScoreTenths: number, vetoCodes: readonly string[]): { totalTenths: number; grade: GradeResult; decidingVeto: string | null } {
  const marked = rubric.vetoes.filter((v) => vetoCodes.includes(v.code));
  const o = vetoOutcome(rubric, pointsScoreTenths, marked);
  return { totalTenths: o.totalTenths, grade: gradeResult(rubric.grades[o.index]!), decidingVeto: o.deciding && o.decidingChanged ? o.deciding.code : null };
}

/** Scores one review. Throws InvalidMarksError when a mark does not fit the rubric. */
export function scoreReview(rubric: Rubric, marks: ReviewMarks): ReviewScore {
  const items = new Map<string, ItemRef>();
  rubric.sections.forEach((section, sectionIndex) => {
    for (const item of section.items) items.set(item.code, { item, section, sectionIndex });
  });
  const checked = checkMarks(rubric, marks, items);

  // Sum the marks per item (entries for the same item add up; order is irrelevant).
  const rawByItem = new Map<string, { tenths: number; count: number }>();
  marks.deductions.forEach((mark, index) => {
    const ref = items.get(mark.itemCode)!;
    const entry = rawByItem.get(mark.itemCode) ?? { tenths: 0, count: 0 };
    entry.tenths += checked.tenths[index]!;
    entry.count += ref.item.deduction.type === 'per_occurrence' ? (mark.count ?? 1) : 1;
    rawByItem.set(mark.itemCode, entry);
  });

  const reasons: string[] = [];
  const scoredItems: ScoredItem[] = [];
  const scoredSections: ScoredSection[] = rubric.sections.map((section, sectionIndex) => {
    let sectionRaw = 0;
    for (const item of section.items) {
      const entry = rawByItem.get(item.code);
      if (!entry) continue;
      const capTenths = item.cap === undefined ? null : tenthsOf(item.cap);
      const capped = capTenths !== null && entry.tenths > capTenths;
      const deducted = capped ? capTenths : entry.tenths;
      if (capped) reasons.push(`${item.code} 扣分 ${fmt(entry.tenths)} 分超过该项上限 ${fmt(capTenths)} 分，按 ${fmt(capTenths)} 分计`);
      scoredItems.push({
        code: item.code,
        sectionCode: section.code,
        count: entry.count,
        rawTenths: entry.tenths,
        deductedTenths: deducted,
        capTenths,
        capped,
        raw: fmt(entry.tenths),
        deducted: fmt(deducted),
      });
      sectionRaw += deducted;
    }
    const pointsTenths = tenthsOf(section.points);
    const capped = sectionRaw > pointsTenths;
    const deducted = capped ? pointsTenths : sectionRaw;
    if (capped) {
      reasons.push(`${sectionName(sectionIndex, section.title)}扣分 ${fmt(sectionRaw)} 分超过本部分分值 ${fmt(pointsTenths)} 分，按 ${fmt(pointsTenths)} 分计（扣完为止）`);
    }
    return {
      code: section.code,
      title: section.title,
      pointsTenths,
      rawTenths: sectionRaw,
      deductedTenths: deducted,
      subtotalTenths: pointsTenths - deducted,
      capped,
      points: fmt(pointsTenths),
      deducted: fmt(deducted),
      subtotal: fmt(pointsTenths - deducted),
    };
  });

  const scaleTenths = tenthsOf(rubric.scale);
  const deductedTenths = scoredSections.reduce((sum, s) => sum + s.deductedTenths, 0);
  let pointsScore = scaleTenths - deductedTenths;
  if (pointsScore < 0) {
    // Cannot happen with a validated rubric (sections sum to the scale); kept as the last guard.
    reasons.push(`扣分合计 ${fmt(deductedTenths)} 分超过总分 ${fmt(scaleTenths)} 分，按 0 分计（不计负分）`);
    pointsScore = 0;
  }

  const markedVetoes: Veto[] = rubric.vetoes.filter((v) => checked.vetoes.has(v.code));
  const { totalTenths: total, index, beforeIndex, deciding, decidingChanged, failingIndex } = vetoOutcome(rubric, pointsScore, markedVetoes);
  const grades = rubric.grades;

  const top = grades[0]!;
  const finalLabel = grades[index]!.label;
  for (const veto of markedVetoes) {
    const head = `否决项 ${veto.code}「${veto.text}」：`;
    if (veto === deciding && veto.effect === 'zero') reasons.push(`${head}计 0 分，${finalLabel}`);
    else if (veto === deciding && veto.effect === 'fail') reasons.push(`${head}${finalLabel}`);
    else if (veto === deciding && decidingChanged) reasons.push(`${head}不得评为${top.label}，由${top.label}降为${finalLabel}`);
    else if (veto === deciding) reasons.push(`${head}不得评为${top.label}（本卷得分未达到${top.label}，等次不变）`);
    else {
      const failing = grades[failingIndex]!.label;
      const effect = veto.effect === 'zero' ? `计 0 分，${failing}` : veto.effect === 'fail' ? failing : `不得评为${top.label}`;
      reasons.push(`${head}${effect}（等次已由否决项 ${deciding!.code} 确定）`);
    }
  }

  return {
    rubric: { id: rubric.id, version: rubric.version },
    scaleTenths,
    scale: fmt(scaleTenths),
    deductedTenths,
    deducted: fmt(deductedTenths),
    pointsScoreTenths: pointsScore,
    totalTenths: total,
    total: fmt(total),
    sections: scoredSections,
    items: scoredItems,
    grade: gradeResult(grades[index]!),
    gradeBeforeVeto: gradeResult(grades[beforeIndex]!),
    vetoes: markedVetoes.map((v) => ({ code: v.code, text: v.text, effect: v.effect })),
    decidingVeto: deciding && decidingChanged ? deciding.code : null,
    reasons,
  };
}
