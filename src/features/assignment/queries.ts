import type { DbOrTrx } from '../../db/connection.ts';
import type { CampaignRow } from '../../db/schema.ts';
import type { AssignableFile, DeclaredConflict, PoolReviewer } from '../../domain/assignment.ts';
import type { CaseType, ReviewerPool } from '../../domain/vocabulary.ts';
import { reviewedFileIds } from '../campaigns/queries.ts';
import { caseTypesOf } from '../users/queries.ts';

export async function poolOf(db: DbOrTrx, campaignId: number): Promise<(PoolReviewer & { unitName: string; active: boolean })[]> {
  const rows = await db.selectFrom('reviewer_pool')
    .innerJoin('users', 'users.id', 'reviewer_pool.user_id')
    .innerJoin('units', 'units.id', 'users.unit_id')
    .select(['users.id', 'users.unit_id', 'users.display_name', 'users.case_types', 'users.pool_type', 'users.active', 'units.name as unit_name'])
    // Someone whose role changed since joining is no reviewer any more: their assignments show as conflicts.
    .where('reviewer_pool.campaign_id', '=', campaignId).where('users.role', '=', 'reviewer').orderBy('units.code').orderBy('users.username').execute();
  return rows.map((r) => ({
    id: r.id, unitId: r.unit_id, name: r.display_name, caseTypes: caseTypesOf(r.case_types), poolType: r.pool_type as ReviewerPool | null,
    unitName: r.unit_name, active: r.active === 1,
  }));
}

export async function conflictsOf(db: DbOrTrx, campaignId: number) {
  return db.selectFrom('reviewer_conflicts')
    .innerJoin('users', 'users.id', 'reviewer_conflicts.reviewer_id')
    .leftJoin('units', 'units.id', 'reviewer_conflicts.unit_id')
    .leftJoin('case_files', 'case_files.id', 'reviewer_conflicts.case_file_id')
    .select(['reviewer_conflicts.id', 'reviewer_conflicts.reviewer_id', 'reviewer_conflicts.unit_id', 'reviewer_conflicts.case_file_id',
      'reviewer_conflicts.reason', 'reviewer_conflicts.declared_at', 'users.display_name as reviewer_name', 'units.name as unit_name',
      'case_files.file_number'])
    .where('reviewer_conflicts.campaign_id', '=', campaignId).orderBy('reviewer_conflicts.id').execute();
}

export const toDeclared = (rows: Awaited<ReturnType<typeof conflictsOf>>): DeclaredConflict[] =>
  rows.map((c) => ({ reviewerId: c.reviewer_id, unitId: c.unit_id, fileId: c.case_file_id, reason: c.reason }));

/** The files to be reviewed: every listed file in a self-check, otherwise the active sample. */
export async function filesToReview(db: DbOrTrx, campaign: CampaignRow): Promise<(AssignableFile & { unitName: string; cause: string })[]> {
  let q = db.selectFrom('case_files').innerJoin('units', 'units.id', 'case_files.unit_id')
    .select(['case_files.id', 'case_files.unit_id', 'case_files.case_type', 'case_files.file_number', 'case_files.handlers', 'case_files.cause', 'units.name as unit_name'])
    .where('case_files.campaign_id', '=', campaign.id);
  const sample = reviewedFileIds(db, campaign);
  if (sample) q = q.where('case_files.id', 'in', sample);
  const rows = await q.orderBy('units.code').orderBy('case_files.file_number').execute();
  return rows.map((r) => ({
    id: r.id, unitId: r.unit_id, caseType: r.case_type as CaseType, fileNumber: r.file_number, handlers: [r.handlers], // stored joined by 、; the assignment rules split it
    unitName: r.unit_name, cause: r.cause,
  }));
}

export function activeAssignments(db: DbOrTrx, campaignId: number) {
  return db.selectFrom('assignments').innerJoin('users', 'users.id', 'assignments.reviewer_id')
    .select(['assignments.id', 'assignments.case_file_id', 'assignments.reviewer_id', 'assignments.origin', 'assignments.assigned_at', 'users.display_name as reviewer_name'])
    .where('assignments.campaign_id', '=', campaignId).where('assignments.removed_at', 'is', null)
    .orderBy('assignments.case_file_id').orderBy('assignments.id').execute();
}

/**
 * A reviewer's own queue across open campaigns: only files assigned to them (scoped in the query), each with the
 * state of their own review sheet (none yet, draft or submitted, with its total once submitted).
 */
export function queueOf(db: DbOrTrx, reviewerId: number) {
  return db.selectFrom('assignments')
    .innerJoin('campaigns', 'campaigns.id', 'assignments.campaign_id')
    .innerJoin('case_files', 'case_files.id', 'assignments.case_file_id')
    .innerJoin('units', 'units.id', 'case_files.unit_id')
    .leftJoin('reviews', (j) => j.onRef('reviews.case_file_id', '=', 'assignments.case_file_id')
      .onRef('reviews.reviewer_id', '=', 'assignments.reviewer_id').on('reviews.kind', '=', 'review'))
    .select(['assignments.id', 'assignments.assigned_at', 'campaigns.id as campaign_id', 'campaigns.name as campaign_name', 'campaigns.status as campaign_status',
      'case_files.id as file_id', 'case_files.file_number', 'case_files.case_type', 'case_files.cause', 'case_files.party', 'case_files.pages',
      'case_files.is_major', 'units.name as unit_name',
      'reviews.status as sheet_status', 'reviews.total_tenths', 'reviews.grade_label', 'reviews.updated_at as sheet_updated_at', 'reviews.submitted_at'])
    .where('assignments.reviewer_id', '=', reviewerId).where('assignments.removed_at', 'is', null)
    .where('campaigns.status', '!=', 'closed')
    .orderBy('campaigns.id', 'desc').orderBy('units.code').orderBy('case_files.file_number').execute();
}
