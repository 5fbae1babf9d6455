// Reading where a campaign's scoring stands: its files with their state (评查中 / 待复核 / 已有最后得分), the sheets
// each reviewer owes, the final results list, and a reviewer's own re-check tasks. Scoping (which unit, which
// reviewer) is applied here in SQL; the routes decide who may ask.
import type { ExpressionBuilder } from 'kysely';
import type { DbOrTrx } from '../../db/connection.ts';
import type { CampaignRow, Database } from '../../db/schema.ts';
import type { FileState, ProgressFile, ProgressSheet, SheetState } from '../../domain/progress.ts';
import type { CaseType } from '../../domain/vocabulary.ts';
import { reviewedFileIds } from '../campaigns/queries.ts';

export const PROGRESS_PAGE_SIZE = 50;
export const RESULTS_PAGE_SIZE = 100;

export const FILE_STATES: readonly FileState[] = ['reviewing', 'recheck', 'final'];
export const SHEET_STATES: readonly SheetState[] = ['none', 'draft', 'submitted'];

/** Narrowing of the progress board's file list; every filter is applied in the query. */
export interface ProgressFilter {
  state: FileState | null;
  unitId: number | null;
  caseType: CaseType | null;
  /** Files assigned to this reviewer (active assignment). */
  reviewerId: number | null;
  /** With reviewerId: that reviewer's sheet on the file is in this state. */
  sheet: SheetState | null;
  /** Files whose re-check is given to this reviewer. */
  recheckerId: number | null;
}

type Joined = Database & {
  fr: Database['final_results'];
  rechecker: Database['users'];
};
type Eb = ExpressionBuilder<Joined, 'case_files' | 'units' | 'fr' | 'rechecks' | 'rechecker'>;

/** The file's state as the board counts it: a current final result, else an open re-check, else still in review. */
export function stateOf(row: { final_id: number | null; recheck_id: number | null; recheck_resolved_at: string | null }): FileState {
  if (row.final_id !== null) return 'final';
  if (row.recheck_id !== null && row.recheck_resolved_at === null) return 'recheck';
  return 'reviewing';
}

function stateCondition(eb: Eb, state: FileState) {
  if (state === 'final') return eb('fr.id', 'is not', null);
  const openRecheck = eb.and([eb('rechecks.id', 'is not', null), eb('rechecks.resolved_at', 'is', null)]);
  if (state === 'recheck') return eb.and([eb('fr.id', 'is', null), openRecheck]);
  return eb.and([eb('fr.id', 'is', null), eb.not(openRecheck)]);
}

/**
 * The files being reviewed in the campaign (the active sample; every listed file in a self-check), with their
 * unit, current final result and re-check, narrowed by the filter.
 */
function reviewedFiles(db: DbOrTrx, campaign: CampaignRow, filter: Partial<ProgressFilter> = {}) {
  let q = db.selectFrom('case_files')
    .innerJoin('units', 'units.id', 'case_files.unit_id')
    .leftJoin('final_results as fr', (j) => j.onRef('fr.case_file_id', '=', 'case_files.id').on('fr.superseded_at', 'is', null))
    .leftJoin('rechecks', 'rechecks.case_file_id', 'case_files.id')
    .leftJoin('users as rechecker', 'rechecker.id', 'rechecks.rechecker_id')
    .where('case_files.campaign_id', '=', campaign.id);
  const sample = reviewedFileIds(db, campaign);
  if (sample) q = q.where('case_files.id', 'in', sample);
  if (filter.state) {
    const state = filter.state;
    q = q.where((eb) => stateCondition(eb, state));
  }
  if (filter.unitId) q = q.where('case_files.unit_id', '=', filter.unitId);
  if (filter.caseType) q = q.where('case_files.case_type', '=', filter.caseType);
  if (filter.reviewerId) {
    const reviewerId = filter.reviewerId;
    q = q.where('case_files.id', 'in', db.selectFrom('assignments').select('case_file_id')
      .where('campaign_id', '=', campaign.id).where('reviewer_id', '=', reviewerId).where('removed_at', 'is', null));
    if (filter.sheet) {
      const sheets = db.selectFrom('reviews').select('case_file_id')
        .where('campaign_id', '=', campaign.id).where('reviewer_id', '=', reviewerId).where('kind', '=', 'review');
      q = filter.sheet === 'none'
        ? q.where('case_files.id', 'not in', sheets)
        : q.where('case_files.id', 'in', sheets.where('status', '=', filter.sheet === 'draft' ? 'draft' : 'submitted'));
    }
  }
  if (filter.recheckerId) q = q.where('rechecks.rechecker_id', '=', filter.recheckerId);
  return q;
}

/** Every reviewed file of the campaign with its state, for the board's counts. */
export async function progressFiles(db: DbOrTrx, campaign: CampaignRow): Promise<ProgressFile[]> {
  const rows = await reviewedFiles(db, campaign)
    .select(['case_files.id', 'case_files.unit_id', 'case_files.case_type', 'units.name as unit_name',
      'fr.id as final_id', 'rechecks.id as recheck_id', 'rechecks.resolved_at as recheck_resolved_at'])
    .orderBy('units.code').orderBy('case_files.file_number').execute();
  return rows.map((r) => ({ fileId: r.id, unitId: r.unit_id, unitName: r.unit_name, caseType: r.case_type as CaseType, state: stateOf(r) }));
}

const sheetState = (status: string | null): SheetState => (status === null ? 'none' : status === 'submitted' ? 'submitted' : 'draft');

/**
 * The sheets owed on the reviewed files: one review sheet per active assignment, and one re-check sheet per
 * re-check given to someone (its current rechecker), each with its state.
 */
export async function progressSheets(db: DbOrTrx, campaign: CampaignRow): Promise<ProgressSheet[]> {
  const fileIds = reviewedFiles(db, campaign).select('case_files.id');
  const reviews = await db.selectFrom('assignments')
    .innerJoin('users', 'users.id', 'assignments.reviewer_id')
    .leftJoin('reviews', (j) => j.onRef('reviews.case_file_id', '=', 'assignments.case_file_id')
      .onRef('reviews.reviewer_id', '=', 'assignments.reviewer_id').on('reviews.kind', '=', 'review'))
    .select(['assignments.case_file_id', 'assignments.reviewer_id', 'users.display_name', 'reviews.status'])
    .where('assignments.campaign_id', '=', campaign.id).where('assignments.removed_at', 'is', null)
    .where('assignments.case_file_id', 'in', fileIds)
    .orderBy('assignments.case_file_id').orderBy('assignments.id').execute();
  const rechecks = await db.selectFrom('rechecks')
    .innerJoin('users', 'users.id', 'rechecks.rechecker_id')
    .leftJoin('reviews', (j) => j.onRef('reviews.case_file_id', '=', 'rechecks.case_file_id')
      .onRef('reviews.reviewer_id', '=', 'rechecks.rechecker_id').on('reviews.kind', '=', 'recheck'))
    .select(['rechecks.case_file_id', 'rechecks.rechecker_id', 'users.display_name', 'reviews.status'])
    .where('rechecks.campaign_id', '=', campaign.id).where('rechecks.case_file_id', 'in', fileIds)
    .orderBy('rechecks.case_file_id').execute();
  return [
    ...reviews.map((r): ProgressSheet => ({ fileId: r.case_file_id, reviewerId: r.reviewer_id, reviewerName: r.display_name, kind: 'review', state: sheetState(r.status) })),
    ...rechecks.map((r): ProgressSheet => ({ fileId: r.case_file_id, reviewerId: r.rechecker_id!, reviewerName: r.display_name, kind: 'recheck', state: sheetState(r.status) })),
  ];
}

/** One page of the board's file list, narrowed in the query. */
export async function progressFileList(db: DbOrTrx, campaign: CampaignRow, filter: ProgressFilter, page: number) {
  const { n } = await reviewedFiles(db, campaign, filter)
    .select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const total = Number(n);
  const rows = await reviewedFiles(db, campaign, filter).select([
    'case_files.id', 'case_files.unit_id', 'case_files.file_number', 'case_files.case_type', 'case_files.cause', 'units.name as unit_name',
    'fr.id as final_id', 'fr.total_tenths as final_tenths', 'fr.grade_label as final_grade', 'fr.revision as final_revision',
    'rechecks.id as recheck_id', 'rechecks.resolved_at as recheck_resolved_at', 'rechecks.rechecker_id', 'rechecker.display_name as rechecker_name',
  ]).orderBy('units.code').orderBy('case_files.file_number').orderBy('case_files.id')
    .limit(PROGRESS_PAGE_SIZE).offset((page - 1) * PROGRESS_PAGE_SIZE).execute();
  const ids = rows.map((r) => r.id);
  const sheets = ids.length === 0 ? [] : await db.selectFrom('assignments')
    .innerJoin('users', 'users.id', 'assignments.reviewer_id')
    .leftJoin('reviews', (j) => j.onRef('reviews.case_file_id', '=', 'assignments.case_file_id')
      .onRef('reviews.reviewer_id', '=', 'assignments.reviewer_id').on('reviews.kind', '=', 'review'))
    .select(['assignments.case_file_id', 'assignments.reviewer_id', 'users.display_name', 'reviews.status', 'reviews.total_tenths', 'reviews.grade_label'])
    .where('assignments.case_file_id', 'in', ids).where('assignments.removed_at', 'is', null)
    .orderBy('assignments.id').execute();
  const recheckSheets = ids.length === 0 ? [] : await db.selectFrom('reviews')
    .innerJoin('rechecks', (j) => j.onRef('rechecks.case_file_id', '=', 'reviews.case_file_id').onRef('rechecks.rechecker_id', '=', 'reviews.reviewer_id'))
    .select(['reviews.case_file_id', 'reviews.status'])
    .where('reviews.case_file_id', 'in', ids).where('reviews.kind', '=', 'recheck').execute();
  return {
    total,
    rows: rows.map((r) => ({
      ...r,
      state: stateOf(r),
      sheets: sheets.filter((s) => s.case_file_id === r.id).map((s) => ({
        reviewerId: s.reviewer_id, reviewerName: s.display_name, state: sheetState(s.status),
        totalTenths: s.status === 'submitted' ? s.total_tenths : null, gradeLabel: s.status === 'submitted' ? s.grade_label : null,
      })),
      recheckSheet: r.rechecker_id === null ? null : sheetState(recheckSheets.find((s) => s.case_file_id === r.id)?.status ?? null),
    })),
  };
}

/** Final results filter: a department is pinned to its own unit by the caller (unitId), whatever it asked for. */
export interface ResultFilter {
  unitId: number | null;
  gradeCode: string | null;
  /** Files of this case type only (the statistics page's per-type figures link here). */
  caseType?: CaseType | null;
  /** Files whose final grade counts as passing (true) or not (false), as the pass rate counts them. */
  passing?: boolean | null;
  /** Only these files (e.g. those whose final result holds a veto, which the caller reads from the findings). */
  fileIds?: readonly number[] | null;
}

function currentResults(db: DbOrTrx, campaignId: number, filter: ResultFilter) {
  let q = db.selectFrom('final_results')
    .innerJoin('case_files', 'case_files.id', 'final_results.case_file_id')
    .innerJoin('units', 'units.id', 'case_files.unit_id')
    .where('final_results.campaign_id', '=', campaignId).where('final_results.superseded_at', 'is', null);
  if (filter.unitId !== null) q = q.where('case_files.unit_id', '=', filter.unitId);
  if (filter.caseType) q = q.where('case_files.case_type', '=', filter.caseType);
  if (filter.passing !== undefined && filter.passing !== null) q = q.where('final_results.passing', '=', filter.passing ? 1 : 0);
  if (filter.fileIds) q = filter.fileIds.length === 0 ? q.where((eb) => eb.lit(false)) : q.where('case_files.id', 'in', [...filter.fileIds]);
  return q;
}

/** One page of the campaign's current final results, and the count per grade over the whole list (narrowed by every filter but the grade). */
export async function finalResultList(db: DbOrTrx, campaignId: number, scope: ResultFilter, page: number) {
  const byGrade = await currentResults(db, campaignId, { ...scope, gradeCode: null })
    .select(({ fn }) => ['final_results.grade_code', 'final_results.grade_label', fn.countAll<number>().as('n')])
    .groupBy(['final_results.grade_code', 'final_results.grade_label']).execute();
  let q = currentResults(db, campaignId, scope);
  if (scope.gradeCode) q = q.where('final_results.grade_code', '=', scope.gradeCode);
  const { n } = await q.select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await q.select([
    'final_results.id', 'final_results.case_file_id', 'final_results.revision', 'final_results.method', 'final_results.total_tenths',
    'final_results.grade_code', 'final_results.grade_label', 'final_results.created_at',
    'case_files.file_number', 'case_files.case_type', 'case_files.cause', 'case_files.unit_id', 'units.name as unit_name',
  ]).orderBy('units.code').orderBy('case_files.file_number').orderBy('case_files.id')
    .limit(RESULTS_PAGE_SIZE).offset((page - 1) * RESULTS_PAGE_SIZE).execute();
  return { total: Number(n), rows, byGrade: byGrade.map((g) => ({ code: g.grade_code, label: g.grade_label, count: Number(g.n) })) };
}

/**
 * A reviewer's re-check tasks across open campaigns: files whose re-check is given to them, still open or settled
 * by their own re-check sheet. Scoped to the reviewer in the query.
 */
export function recheckQueueOf(db: DbOrTrx, reviewerId: number) {
  return db.selectFrom('rechecks')
    .innerJoin('campaigns', 'campaigns.id', 'rechecks.campaign_id')
    .innerJoin('case_files', 'case_files.id', 'rechecks.case_file_id')
    .innerJoin('units', 'units.id', 'case_files.unit_id')
    .leftJoin('reviews', (j) => j.onRef('reviews.case_file_id', '=', 'rechecks.case_file_id')
      .on('reviews.reviewer_id', '=', reviewerId).on('reviews.kind', '=', 'recheck'))
    .select(['rechecks.id', 'rechecks.reasons', 'rechecks.assigned_at', 'rechecks.resolved_at', 'campaigns.id as campaign_id',
      'campaigns.name as campaign_name', 'campaigns.status as campaign_status', 'case_files.id as file_id', 'case_files.file_number',
      'case_files.case_type', 'case_files.cause', 'units.name as unit_name', 'reviews.status as sheet_status', 'reviews.total_tenths', 'reviews.grade_label'])
    .where('rechecks.rechecker_id', '=', reviewerId)
    .where((eb) => eb.or([eb('rechecks.resolved_at', 'is', null), eb('reviews.status', '=', 'submitted')]))
    .where('campaigns.status', '!=', 'closed')
    .orderBy('campaigns.id', 'desc').orderBy('units.code').orderBy('case_files.file_number').execute();
}
