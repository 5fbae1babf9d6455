// What the issue pages read besides the classification itself: how many files have a final result, and the
// campaign's "其他问题" marks (in the sheets the current final results rest on) with their file, unit and group.
import type { DbOrTrx } from '../../db/connection.ts';
import { idsOf } from '../reviews/queries.ts';

/** Current final results of the campaign, optionally of one unit only. */
export async function finalResultCount(db: DbOrTrx, campaignId: number, unitId: number | null = null): Promise<number> {
  let q = db.selectFrom('final_results').innerJoin('case_files', 'case_files.id', 'final_results.case_file_id')
    .select(({ fn }) => fn.countAll<number>().as('n'))
    .where('final_results.campaign_id', '=', campaignId).where('final_results.superseded_at', 'is', null);
  if (unitId !== null) q = q.where('case_files.unit_id', '=', unitId);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

export interface OtherMarkRow {
  markId: number;
  note: string;
  document: string;
  page: string;
  reviewerName: string;
  fileId: number;
  fileNumber: string;
  unitId: number;
  unitCode: string;
  unitName: string;
  groupId: number | null;
  groupTitle: string | null;
}

/** Every "其他问题" in the sheets of the campaign's current final results, whatever unit (the bureau's list). */
export async function otherMarksOfCampaign(db: DbOrTrx, campaignId: number): Promise<OtherMarkRow[]> {
  const finals = await db.selectFrom('final_results').select('sheets')
    .where('campaign_id', '=', campaignId).where('superseded_at', 'is', null).execute();
  const sheetIds = [...new Set(finals.flatMap((f) => idsOf(f.sheets)))];
  if (sheetIds.length === 0) return [];
  const rows = await db.selectFrom('review_marks')
    .innerJoin('reviews', 'reviews.id', 'review_marks.review_id')
    .innerJoin('users', 'users.id', 'reviews.reviewer_id')
    .innerJoin('case_files', 'case_files.id', 'reviews.case_file_id')
    .innerJoin('units', 'units.id', 'case_files.unit_id')
    .leftJoin('issue_group_members', 'issue_group_members.review_mark_id', 'review_marks.id')
    .leftJoin('issue_groups', (j) => j.onRef('issue_groups.id', '=', 'issue_group_members.group_id').on('issue_groups.campaign_id', '=', campaignId))
    .select([
      'review_marks.id', 'review_marks.note', 'review_marks.document', 'review_marks.page', 'users.display_name',
      'case_files.id as file_id', 'case_files.file_number', 'units.id as unit_id', 'units.code as unit_code', 'units.name as unit_name',
      'issue_groups.id as group_id', 'issue_groups.title as group_title',
    ])
    .where('review_marks.kind', '=', 'other').where('review_marks.review_id', 'in', sheetIds)
    .where('reviews.campaign_id', '=', campaignId)
    .orderBy('units.code').orderBy('case_files.file_number').orderBy('review_marks.review_id').orderBy('review_marks.position')
    .execute();
  return rows.map((r) => ({
    markId: r.id, note: r.note ?? '', document: r.document ?? '', page: r.page ?? '', reviewerName: r.display_name,
    fileId: r.file_id, fileNumber: r.file_number, unitId: r.unit_id, unitCode: r.unit_code, unitName: r.unit_name,
    groupId: r.group_id, groupTitle: r.group_title,
  }));
}
