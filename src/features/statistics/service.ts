// Reading a campaign's final results into the statistics domain, and the yearly averages behind trend charts.
import type { DbOrTrx } from '../../db/connection.ts';
import type { CampaignRow } from '../../db/schema.ts';
import { averageTenths } from '../../domain/reconciliation.ts';
import type { GradeBand } from '../../domain/rubric/types.ts';
import { campaignStatistics, type CampaignStatistics, type FileResult, type SheetScore } from '../../domain/statistics.ts';
import type { CaseType } from '../../domain/vocabulary.ts';
import { campaignUnits } from '../campaigns/queries.ts';
import type { Finding } from '../../domain/issues.ts';
import { campaignFindings } from '../issues/service.ts';
import { parseStored } from '../rubrics/queries.ts';

/**
 * The grade bands the campaign's standards use: those of its 行政处罚 standard when pinned, otherwise of the first
 * pinned one. (The bundled standards share one scale; a campaign mixing scales would need per-type bands.)
 */
export async function campaignBands(db: DbOrTrx, campaignId: number): Promise<GradeBand[]> {
  const pins = await db.selectFrom('campaign_rubrics').innerJoin('rubric_versions', 'rubric_versions.id', 'campaign_rubrics.rubric_version_id')
    .select(['campaign_rubrics.case_type', 'rubric_versions.content']).where('campaign_rubrics.campaign_id', '=', campaignId).orderBy('rubric_versions.id').execute();
  const pin = pins.find((p) => p.case_type === 'penalty') ?? pins[0];
  return pin ? parseStored(pin.content).grades : [];
}

/**
 * The current final result of every file of the campaign, optionally of one unit (filtered in the query).
 * `findings`: the campaign's findings when the caller has already read them (they tell which files hold a veto).
 */
export async function finalResults(
  db: DbOrTrx, campaignId: number, unitId: number | null = null, findings?: readonly Finding[],
): Promise<(FileResult & { fileNumber: string; gradeLabel: string; method: string })[]> {
  let q = db.selectFrom('final_results').innerJoin('case_files', 'case_files.id', 'final_results.case_file_id')
    .innerJoin('units', 'units.id', 'case_files.unit_id')
    .select(['final_results.case_file_id', 'final_results.total_tenths', 'final_results.grade_code', 'final_results.grade_label', 'final_results.passing',
      'final_results.method', 'case_files.file_number', 'case_files.case_type', 'case_files.unit_id', 'units.name as unit_name'])
    .where('final_results.campaign_id', '=', campaignId).where('final_results.superseded_at', 'is', null);
  if (unitId !== null) q = q.where('case_files.unit_id', '=', unitId);
  const rows = await q.orderBy('units.code').orderBy('case_files.file_number').execute();
  const vetoed = new Set((findings ?? await campaignFindings(db, campaignId, unitId)).filter((f) => f.kind === 'veto').map((f) => f.fileId));
  return rows.map((r) => ({
    fileId: r.case_file_id, fileNumber: r.file_number, unitId: r.unit_id, unitName: r.unit_name, caseType: r.case_type as CaseType,
    totalTenths: r.total_tenths, gradeCode: r.grade_code, gradeLabel: r.grade_label, passing: r.passing === 1, vetoed: vetoed.has(r.case_file_id), method: r.method,
  }));
}

/** Every submitted sheet of the campaign with its author. */
export async function submittedSheets(db: DbOrTrx, campaignId: number): Promise<SheetScore[]> {
  const rows = await db.selectFrom('reviews').innerJoin('users', 'users.id', 'reviews.reviewer_id')
    .select(['reviews.case_file_id', 'reviews.reviewer_id', 'users.display_name', 'reviews.kind', 'reviews.total_tenths'])
    .where('reviews.campaign_id', '=', campaignId).where('reviews.status', '=', 'submitted').execute();
  return rows.map((r) => ({ fileId: r.case_file_id, reviewerId: r.reviewer_id, reviewerName: r.display_name, kind: r.kind as SheetScore['kind'], totalTenths: r.total_tenths }));
}

export async function statisticsOf(db: DbOrTrx, campaign: CampaignRow, findings?: readonly Finding[]): Promise<CampaignStatistics> {
  const units = (await campaignUnits(db, campaign.id)).sort((a, b) => a.code.localeCompare(b.code)).map((u) => ({ unitId: u.id, unitName: u.name }));
  return campaignStatistics(await finalResults(db, campaign.id, null, findings), await campaignBands(db, campaign.id), units, await submittedSheets(db, campaign.id));
}

export interface YearPoint {
  year: number;
  files: number;
  averageTenths: number;
}

/**
 * The average final score per year over released (or closed) campaigns: for the region, or for one unit.
 * Trend charts draw these; a year without results is simply absent.
 */
export async function yearlyAverages(db: DbOrTrx, unitId: number | null = null): Promise<YearPoint[]> {
  let q = db.selectFrom('final_results').innerJoin('campaigns', 'campaigns.id', 'final_results.campaign_id')
    .innerJoin('case_files', 'case_files.id', 'final_results.case_file_id')
    .select(['campaigns.year', 'final_results.total_tenths'])
    .where('final_results.superseded_at', 'is', null).where('campaigns.status', 'in', ['released', 'closed']);
  if (unitId !== null) q = q.where('case_files.unit_id', '=', unitId);
  const rows = await q.execute();
  const byYear = new Map<number, number[]>();
  for (const r of rows) byYear.set(r.year, [...(byYear.get(r.year) ?? []), r.total_tenths]);
  return [...byYear.entries()].sort((a, b) => a[0] - b[0]).map(([year, totals]) => ({ year, files: totals.length, averageTenths: averageTenths(totals).tenths }));
}
