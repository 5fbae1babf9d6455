// A rubric (评查标准) as written in rubrics/<id>-<version>.json. rubrics/schema.json describes the same
// shape for editors; validate.ts checks both the shape and the rules a schema cannot express.
// Point values are JSON numbers with at most one decimal place; scoring converts them to tenths.
import type { CaseType } from '../vocabulary.ts';

export const VETO_EFFECTS = ['fail', 'zero', 'bar_top'] as const;
export type VetoEffect = (typeof VETO_EFFECTS)[number];
export const VETO_EFFECT_LABELS: Record<VetoEffect, string> = {
  zero: '计 0 分并评为不合格',
  fail: '评为不合格，保留得分',
  bar_top: '不得评为最高等次',
};
/** Which effect wins when several vetoes are marked: zero > fail > bar_top. */
export const VETO_EFFECT_RANK: Record<VetoEffect, number> = { zero: 3, fail: 2, bar_top: 1 };

export const DEDUCTION_TYPES = ['per_occurrence', 'range'] as const;
export type DeductionType = (typeof DEDUCTION_TYPES)[number];
export const DEDUCTION_TYPE_LABELS: Record<DeductionType, string> = {
  per_occurrence: '按次扣分',
  range: '区间扣分',
};

/** One band of the grade scale, e.g. 优秀 from 90. Bands are listed from the highest min down to 0. */
export interface GradeBand {
  code: string;
  label: string;
  min: number;
  passing: boolean;
}

/** Legality layer (否决项): marking one changes the grade (and, for 'zero', the score). */
export interface Veto {
  code: string;
  text: string;
  effect: VetoEffect;
  category: string;
  issue: string;
  basis?: string;
}

export interface PerOccurrenceDeduction {
  type: 'per_occurrence';
  /** Points deducted each time the problem occurs. */
  points: number;
}

export interface RangeDeduction {
  type: 'range';
  /** The reviewer chooses a value in [min, max]. */
  min: number;
  max: number;
}

export type Deduction = PerOccurrenceDeduction | RangeDeduction;

/** Points layer: one thing a reviewer checks, with how much is deducted when it is not met. */
export interface RubricItem {
  /** Permanent identifier: findings, statistics and comparisons across versions rely on it. */
  code: string;
  text: string;
  deduction: Deduction;
  /** Most that may be deducted for this item in one review. */
  cap?: number;
  category: string;
  issue: string;
  basis?: string;
  guidance?: string;
}

export interface RubricSection {
  code: string;
  title: string;
  points: number;
  note?: string;
  items: RubricItem[];
}

export interface Rubric {
  $schema?: string;
  id: string;
  version: string;
  title: string;
  issuer?: string;
  description?: string;
  caseTypes: CaseType[];
  /** YYYY-MM-DD */
  effectiveFrom: string;
  /** YYYY-MM-DD, or null / absent when open-ended. */
  effectiveTo?: string | null;
  scale: number;
  grades: GradeBand[];
  vetoes: Veto[];
  sections: RubricSection[];
}

/** "penalty-general@2026.1": how a rubric version is named in logs and messages. */
export const rubricKey = (rubric: Pick<Rubric, 'id' | 'version'>): string => `${rubric.id}@${rubric.version}`;
