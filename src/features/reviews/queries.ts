// Reading score sheets, re-checks, final results and objections. Scoping is the caller's job (service.ts).
import type { DbOrTrx } from '../../db/connection.ts';
import type { ReviewRow } from '../../db/schema.ts';
import type { Withdrawn } from '../../domain/objections.ts';
import type { SheetContent } from '../../domain/review-sheet.ts';
import type { Rubric } from '../../domain/rubric/types.ts';
import { parseStored } from '../rubrics/queries.ts';

export type SheetKind = 'review' | 'recheck';

/** A case file of the campaign with its unit. */
export function findFile(db: DbOrTrx, campaignId: number, fileId: number) {
  return db.selectFrom('case_files').innerJoin('units', 'units.id', 'case_files.unit_id')
    .select(['case_files.id', 'case_files.campaign_id', 'case_files.unit_id', 'case_files.file_number', 'case_files.case_type',
      'case_files.field', 'case_files.cause', 'case_files.party', 'case_files.handlers', 'case_files.is_major', 'case_files.closed_on',
      'case_files.pages', 'units.name as unit_name', 'units.code as unit_code'])
    .where('case_files.campaign_id', '=', campaignId).where('case_files.id', '=', fileId).executeTakeFirst();
}
export type FileRow = NonNullable<Awaited<ReturnType<typeof findFile>>>;

/** The rubric version the campaign pinned for a case type, parsed. */
export async function pinnedRubric(db: DbOrTrx, campaignId: number, caseType: string): Promise<{ versionId: number; rubric: Rubric } | null> {
  const row = await db.selectFrom('campaign_rubrics').innerJoin('rubric_versions', 'rubric_versions.id', 'campaign_rubrics.rubric_version_id')
    .select(['rubric_versions.id', 'rubric_versions.content'])
    .where('campaign_rubrics.campaign_id', '=', campaignId).where('campaign_rubrics.case_type', '=', caseType).executeTakeFirst();
  return row ? { versionId: row.id, rubric: parseStored(row.content) } : null;
}

/** The version a sheet was scored with (it may differ from today's pin only in data written before pins locked). */
export async function rubricOfVersion(db: DbOrTrx, versionId: number): Promise<Rubric> {
  const row = await db.selectFrom('rubric_versions').select('content').where('id', '=', versionId).executeTakeFirstOrThrow();
  return parseStored(row.content);
}

export function findSheet(db: DbOrTrx, fileId: number, reviewerId: number, kind: SheetKind) {
  return db.selectFrom('reviews').selectAll()
    .where('case_file_id', '=', fileId).where('reviewer_id', '=', reviewerId).where('kind', '=', kind).executeTakeFirst();
}

/** Every sheet of a file with its author, review sheets first, then by id. */
export function sheetsOfFile(db: DbOrTrx, fileId: number) {
  return db.selectFrom('reviews').innerJoin('users', 'users.id', 'reviews.reviewer_id').innerJoin('units', 'units.id', 'users.unit_id')
    .selectAll('reviews').select(['users.display_name as reviewer_name', 'units.name as reviewer_unit'])
    .where('reviews.case_file_id', '=', fileId).orderBy('reviews.kind', 'desc').orderBy('reviews.id').execute();
}
export type SheetRow = Awaited<ReturnType<typeof sheetsOfFile>>[number];

/** A sheet's recorded marks back as the content readSheet produced. */
export async function contentOf(db: DbOrTrx, review: Pick<ReviewRow, 'id' | 'opinion'>): Promise<SheetContent> {
  const marks = await db.selectFrom('review_marks').selectAll().where('review_id', '=', review.id).orderBy('position').execute();
  return {
    deductions: marks.filter((m) => m.kind === 'deduction').map((m) => ({
      itemCode: m.item_code, count: m.count, pointsTenths: m.points_tenths, note: m.note ?? '', document: m.document ?? '', page: m.page ?? '',
    })),
    vetoes: marks.filter((m) => m.kind === 'veto').map((m) => ({ code: m.item_code, note: m.note ?? '', document: m.document ?? '', page: m.page ?? '' })),
    others: marks.filter((m) => m.kind === 'other').map((m) => ({ note: m.note ?? '', document: m.document ?? '', page: m.page ?? '' })),
    opinion: review.opinion ?? '',
  };
}

export async function writeMarks(db: DbOrTrx, reviewId: number, content: SheetContent): Promise<void> {
  await db.deleteFrom('review_marks').where('review_id', '=', reviewId).execute();
  let position = 0;
  for (const d of content.deductions) {
    await db.insertInto('review_marks').values({
      review_id: reviewId, position: position++, kind: 'deduction', item_code: d.itemCode, count: d.count, points_tenths: d.pointsTenths,
      note: d.note || null, document: d.document || null, page: d.page || null,
    }).execute();
  }
  for (const v of content.vetoes) {
    await db.insertInto('review_marks').values({
      review_id: reviewId, position: position++, kind: 'veto', item_code: v.code, count: null, points_tenths: null,
      note: v.note || null, document: v.document || null, page: v.page || null,
    }).execute();
  }
  for (const o of content.others) {
    await db.insertInto('review_marks').values({
      review_id: reviewId, position: position++, kind: 'other', item_code: '', count: null, points_tenths: null,
      note: o.note, document: o.document || null, page: o.page || null,
    }).execute();
  }
}

export function activeAssignmentOf(db: DbOrTrx, fileId: number, reviewerId: number) {
  return db.selectFrom('assignments').select(['id', 'assigned_at'])
    .where('case_file_id', '=', fileId).where('reviewer_id', '=', reviewerId).where('removed_at', 'is', null).executeTakeFirst();
}

export function recheckOf(db: DbOrTrx, fileId: number) {
  return db.selectFrom('rechecks').leftJoin('users', 'users.id', 'rechecks.rechecker_id')
    .selectAll('rechecks').select('users.display_name as rechecker_name')
    .where('rechecks.case_file_id', '=', fileId).executeTakeFirst();
}

export function currentFinal(db: DbOrTrx, fileId: number) {
  return db.selectFrom('final_results').selectAll().where('case_file_id', '=', fileId).where('superseded_at', 'is', null).executeTakeFirst();
}

/** Every revision of a file's final result, newest first. */
export function finalHistory(db: DbOrTrx, fileId: number) {
  return db.selectFrom('final_results').leftJoin('users', 'users.id', 'final_results.created_by')
    .selectAll('final_results').select('users.display_name as created_by_name')
    .where('final_results.case_file_id', '=', fileId).orderBy('final_results.revision', 'desc').execute();
}

export const withdrawnOf = (json: string): Withdrawn => JSON.parse(json) as Withdrawn;
export const idsOf = (json: string): number[] => JSON.parse(json) as number[];

export function objectionsOfFile(db: DbOrTrx, fileId: number) {
  return db.selectFrom('objections')
    .innerJoin('users as raiser', 'raiser.id', 'objections.raised_by')
    .leftJoin('users as decider', 'decider.id', 'objections.decided_by')
    .selectAll('objections').select(['raiser.display_name as raised_by_name', 'decider.display_name as decided_by_name'])
    .where('objections.case_file_id', '=', fileId).orderBy('objections.id').execute();
}

export function findObjection(db: DbOrTrx, id: number) {
  return db.selectFrom('objections').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A campaign's objections with file and unit, for the bureau's list (or one unit's). */
export function objectionsOfCampaign(db: DbOrTrx, campaignId: number, unitId: number | null) {
  let q = db.selectFrom('objections')
    .innerJoin('case_files', 'case_files.id', 'objections.case_file_id')
    .innerJoin('units', 'units.id', 'objections.unit_id')
    .innerJoin('users as raiser', 'raiser.id', 'objections.raised_by')
    .leftJoin('users as decider', 'decider.id', 'objections.decided_by')
    .selectAll('objections')
    .select(['case_files.file_number', 'units.name as unit_name', 'raiser.display_name as raised_by_name', 'decider.display_name as decided_by_name'])
    .where('objections.campaign_id', '=', campaignId);
  if (unitId !== null) q = q.where('objections.unit_id', '=', unitId);
  return q.orderBy('objections.status').orderBy('objections.id').execute();
}
