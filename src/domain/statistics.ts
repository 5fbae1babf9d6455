// Campaign statistics: what the bureau publishes, computed from final results only. Pure and exact: scores in
// integer tenths, rates kept as numerator/denominator and shown rounded half up to one decimal of a percent.
//
// Definitions (shown on the page as well):
// - a grade's rate = files with that grade ÷ files with a final result; pass rate = files with a passing grade ÷
//   files; excellence rate = files with the top grade ÷ files;
// - average = mean of the final scores, rounded half up to a tenth;
// - veto count = files whose final result holds a veto;
// - a unit's grade is its average banded like a file's; units rank by average, ties by the total of their scores
//   (more files scored at the same average rank higher), equal ranks for equal both (1, 1, 3);
// - a reviewer's calibration on a file = their total − the mean of their co-reviewers' totals on that file;
//   reported as the mean (signed: lenient > 0, strict < 0) and the mean absolute gap over the files compared;
// - coverage (评查面, self-check campaigns) = files with a final result ÷ the unit's reported total of files.
import { averageTenths } from './reconciliation.ts';
import { formatTenths } from './rubric/points.ts';
import { bandIndex } from './rubric/scoring.ts';
import type { GradeBand } from './rubric/types.ts';
import { CASE_TYPE_LABELS, type CaseType } from './vocabulary.ts';

export interface FileResult {
  fileId: number;
  unitId: number;
  unitName: string;
  caseType: CaseType;
  totalTenths: number;
  gradeCode: string;
  passing: boolean;
  vetoed: boolean;
}

export interface Rate {
  numerator: number;
  denominator: number;
  /** "87.5%", or "—" when there is nothing to divide by. */
  percent: string;
}

/** n ÷ d as a percentage rounded half up to one decimal, in integers. */
export function rate(numerator: number, denominator: number): Rate {
  if (denominator === 0) return { numerator, denominator, percent: '—' };
  const permille = Math.floor((2000 * numerator + denominator) / (2 * denominator));
  return { numerator, denominator, percent: `${Math.floor(permille / 10)}.${permille % 10}%` };
}

export interface GradeCount {
  code: string;
  label: string;
  count: number;
  rate: Rate;
}

export interface Summary {
  files: number;
  grades: GradeCount[];
  passRate: Rate;
  excellenceRate: Rate;
  averageTenths: number | null;
  average: string;
  totalTenths: number;
  vetoes: number;
}

function summarize(files: readonly FileResult[], bands: readonly GradeBand[]): Summary {
  const n = files.length;
  const count = (code: string) => files.filter((f) => f.gradeCode === code).length;
  const totalTenths = files.reduce((s, f) => s + f.totalTenths, 0);
  const avg = n === 0 ? null : averageTenths(files.map((f) => f.totalTenths)).tenths;
  return {
    files: n,
    grades: bands.map((b) => ({ code: b.code, label: b.label, count: count(b.code), rate: rate(count(b.code), n) })),
    passRate: rate(files.filter((f) => f.passing).length, n),
    excellenceRate: rate(bands.length > 0 ? count(bands[0]!.code) : 0, n),
    averageTenths: avg,
    average: avg === null ? '—' : formatTenths(avg),
    totalTenths,
    vetoes: files.filter((f) => f.vetoed).length,
  };
}

export interface UnitRow extends Summary {
  unitId: number;
  unitName: string;
  rank: number | null;
  /** The unit's average banded like a file's; null without files. */
  gradeLabel: string | null;
}

export interface CaseTypeRow extends Summary {
  caseType: CaseType;
  label: string;
}

export interface SheetScore {
  fileId: number;
  reviewerId: number;
  reviewerName: string;
  kind: 'review' | 'recheck';
  totalTenths: number;
}

export interface ReviewerRow {
  reviewerId: number;
  reviewerName: string;
  sheets: number;
  rechecks: number;
  averageTenths: number | null;
  average: string;
  /** Files on which a co-reviewer's sheet could be compared. */
  compared: number;
  /** Mean signed gap to co-reviewers, in tenths (rounded half away from zero); null when nothing compared. */
  meanGapTenths: number | null;
  meanGap: string;
  meanAbsGapTenths: number | null;
  meanAbsGap: string;
}

export interface CampaignStatistics {
  summary: Summary;
  byCaseType: CaseTypeRow[];
  byUnit: UnitRow[];
  byReviewer: ReviewerRow[];
}

/** The band a score falls in (vetoes do not apply to a unit's average); the scoring engine's banding. */
export function bandOf(bands: readonly GradeBand[], tenths: number): GradeBand | null {
  return bands.length === 0 ? null : bands[bandIndex(bands, tenths)]!;
}

/** Ranks by average, then total; equal rows share a rank (competition ranking). Rows without files get no rank. */
export function rankUnits<T extends { averageTenths: number | null; totalTenths: number }>(rows: readonly T[]): (T & { rank: number | null })[] {
  const ranked = rows.filter((r) => r.averageTenths !== null)
    .sort((a, b) => b.averageTenths! - a.averageTenths! || b.totalTenths - a.totalTenths);
  const rankOf = new Map<T, number>();
  ranked.forEach((r, i) => {
    const prev = ranked[i - 1];
    rankOf.set(r, prev && prev.averageTenths === r.averageTenths && prev.totalTenths === r.totalTenths ? rankOf.get(prev)! : i + 1);
  });
  return [...ranked, ...rows.filter((r) => r.averageTenths === null)].map((r) => ({ ...r, rank: rankOf.get(r) ?? null }));
}

/** Σ numerators ÷ denominator, rounded half away from zero, in integers. */
function divideRounded(sum: number, denominator: number): number {
  return Math.sign(sum) * Math.floor((2 * Math.abs(sum) + denominator) / (2 * denominator));
}

// Gaps are kept exact as sixths of a tenth: a co-reviewers' mean over 1, 2 or 3 sheets is then a whole number.
const SIXTHS = 6;

const signed = (tenths: number): string => (tenths > 0 ? `+${formatTenths(tenths)}` : tenths < 0 ? `−${formatTenths(-tenths)}` : '0');

export function reviewerCalibration(sheets: readonly SheetScore[]): ReviewerRow[] {
  const reviewsByFile = new Map<number, SheetScore[]>();
  for (const s of sheets) if (s.kind === 'review') reviewsByFile.set(s.fileId, [...(reviewsByFile.get(s.fileId) ?? []), s]);
  const rows = new Map<number, { name: string; totals: number[]; rechecks: number; gaps: number[] }>();
  for (const s of sheets) {
    const row = rows.get(s.reviewerId) ?? { name: s.reviewerName, totals: [], rechecks: 0, gaps: [] };
    rows.set(s.reviewerId, row);
    if (s.kind === 'recheck') {
      row.rechecks += 1;
      continue;
    }
    row.totals.push(s.totalTenths);
    const others = (reviewsByFile.get(s.fileId) ?? []).filter((o) => o.reviewerId !== s.reviewerId);
    if (others.length === 0) continue;
    const n = others.length;
    const sumOthers = others.reduce((a, o) => a + o.totalTenths, 0);
    row.gaps.push(Math.round((SIXTHS * (n * s.totalTenths - sumOthers)) / n)); // exact for n ≤ 3 (≤ 3 reviewers per file)
  }
  return [...rows.entries()].map(([reviewerId, r]) => {
    const avg = r.totals.length ? averageTenths(r.totals).tenths : null;
    const k = r.gaps.length;
    const gapMean = k ? divideRounded(r.gaps.reduce((a, g) => a + g, 0), SIXTHS * k) : null;
    const absMean = k ? divideRounded(r.gaps.reduce((a, g) => a + Math.abs(g), 0), SIXTHS * k) : null;
    return {
      reviewerId, reviewerName: r.name, sheets: r.totals.length, rechecks: r.rechecks,
      averageTenths: avg, average: avg === null ? '—' : formatTenths(avg),
      compared: r.gaps.length, meanGapTenths: gapMean, meanGap: gapMean === null ? '—' : signed(gapMean),
      meanAbsGapTenths: absMean, meanAbsGap: absMean === null ? '—' : formatTenths(absMean),
    };
  }).sort((a, b) => b.sheets - a.sheets || a.reviewerName.localeCompare(b.reviewerName, 'zh-CN'));
}

/**
 * Everything the statistics page shows, from the campaign's final results. `units` lists every participating
 * unit, so a unit without results still appears (with no rank).
 */
export function campaignStatistics(
  files: readonly FileResult[], bands: readonly GradeBand[], units: readonly { unitId: number; unitName: string }[], sheets: readonly SheetScore[],
): CampaignStatistics {
  const byUnit = rankUnits(units.map((u) => {
    const mine = files.filter((f) => f.unitId === u.unitId);
    const s = summarize(mine, bands);
    return { ...s, unitId: u.unitId, unitName: u.unitName, gradeLabel: s.averageTenths === null ? null : bandOf(bands, s.averageTenths)?.label ?? null };
  }));
  const types = [...new Set(files.map((f) => f.caseType))];
  return {
    summary: summarize(files, bands),
    byCaseType: types.map((caseType) => ({ ...summarize(files.filter((f) => f.caseType === caseType), bands), caseType, label: CASE_TYPE_LABELS[caseType] ?? caseType })),
    byUnit,
    byReviewer: reviewerCalibration(sheets),
  };
}
