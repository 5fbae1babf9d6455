// Codes used in the database and their Chinese labels. One place, so pages, imports and exports agree.

export const ROLES = ['admin', 'reviewer', 'department', 'leader'] as const;
export type Role = (typeof ROLES)[number];
export const ROLE_LABELS: Record<Role, string> = {
  admin: '管理员',
  reviewer: '评查员',
  department: '部门用户',
  leader: '领导',
};

export const UNIT_KINDS = ['bureau', 'department', 'town'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];
export const UNIT_KIND_LABELS: Record<UnitKind, string> = {
  bureau: '司法局',
  department: '执法部门',
  town: '乡镇（街道）',
};

export const REVIEWER_POOLS = ['enforcement', 'judicial', 'lawyer', 'other'] as const;
export type ReviewerPool = (typeof REVIEWER_POOLS)[number];
export const REVIEWER_POOL_LABELS: Record<ReviewerPool, string> = {
  enforcement: '执法人员',
  judicial: '司法行政人员',
  lawyer: '律师',
  other: '其他',
};

export const CASE_TYPES = ['penalty', 'license', 'inspection', 'coercion', 'levy', 'confirmation', 'payment', 'ruling', 'other'] as const;
export type CaseType = (typeof CASE_TYPES)[number];
export const CASE_TYPE_LABELS: Record<CaseType, string> = {
  penalty: '行政处罚',
  license: '行政许可',
  inspection: '行政检查',
  coercion: '行政强制',
  levy: '行政征收',
  confirmation: '行政确认',
  payment: '行政给付',
  ruling: '行政裁决',
  other: '其他',
};

/** Finds the code whose label (or code) matches, as typed in an import file. */
export function codeFromLabel<T extends string>(labels: Record<T, string>, input: string): T | undefined {
  const text = input.trim();
  for (const [code, label] of Object.entries(labels) as [T, string][]) {
    if (label === text || code === text) return code;
  }
  // Tolerate the short forms people type in spreadsheets: "处罚" for 行政处罚, "乡镇" for 乡镇（街道）.
  for (const [code, label] of Object.entries(labels) as [T, string][]) {
    if (text.length >= 2 && (label.replace(/^行政/, '') === text || label.startsWith(text))) return code;
  }
  return undefined;
}

export const isRole = (v: unknown): v is Role => typeof v === 'string' && (ROLES as readonly string[]).includes(v);
export const isUnitKind = (v: unknown): v is UnitKind => typeof v === 'string' && (UNIT_KINDS as readonly string[]).includes(v);
export const isReviewerPool = (v: unknown): v is ReviewerPool => typeof v === 'string' && (REVIEWER_POOLS as readonly string[]).includes(v);
export const isCaseType = (v: unknown): v is CaseType => typeof v === 'string' && (CASE_TYPES as readonly string[]).includes(v);
