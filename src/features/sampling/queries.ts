import type { DbOrTrx } from '../../db/connection.ts';
import type { SamplingCandidate, SamplingRule } from '../../domain/sampling.ts';
import type { CaseType } from '../../domain/vocabulary.ts';

export async function rulesOf(db: DbOrTrx, campaignId: number) {
  return db.selectFrom('sampling_rules').selectAll().where('campaign_id', '=', campaignId).orderBy('id').execute();
}

export function toRule(row: { unit_id: number | null; case_type: string | null; mode: string; value: number; minimum: number | null; major_weight: number }): SamplingRule {
  return {
    unitId: row.unit_id, caseType: row.case_type as CaseType | null, mode: row.mode as SamplingRule['mode'], value: row.value,
    ...(row.minimum === null ? {} : { minimum: row.minimum }), majorWeight: row.major_weight,
  };
}

/** Every listed file of the campaign's participating units, as the draw sees it. */
export async function candidatesOf(db: DbOrTrx, campaignId: number): Promise<SamplingCandidate[]> {
  const rows = await db.selectFrom('case_files')
    .innerJoin('campaign_units', (j) => j.onRef('campaign_units.campaign_id', '=', 'case_files.campaign_id').onRef('campaign_units.unit_id', '=', 'case_files.unit_id'))
    .select(['case_files.id', 'case_files.unit_id', 'case_files.case_type', 'case_files.file_number', 'case_files.is_major'])
    .where('case_files.campaign_id', '=', campaignId).execute();
  return rows.map((r) => ({ id: r.id, unitId: r.unit_id, caseType: r.case_type as CaseType, fileNumber: r.file_number, isMajor: r.is_major === 1 }));
}

export function activeDraw(db: DbOrTrx, campaignId: number) {
  return db.selectFrom('sample_draws').selectAll().where('campaign_id', '=', campaignId).where('superseded_at', 'is', null)
    .orderBy('id', 'desc').limit(1).executeTakeFirst();
}

/** Sampled files (active and removed), with their particulars; `unitId` narrows to one unit. */
export function sampledFiles(db: DbOrTrx, campaignId: number, unitId?: number) {
  let q = db.selectFrom('sampled_files')
    .innerJoin('case_files', 'case_files.id', 'sampled_files.case_file_id')
    .innerJoin('units', 'units.id', 'case_files.unit_id')
    .leftJoin('users as adder', 'adder.id', 'sampled_files.added_by')
    .leftJoin('users as remover', 'remover.id', 'sampled_files.removed_by')
    .select([
      'sampled_files.id', 'sampled_files.case_file_id', 'sampled_files.origin', 'sampled_files.added_at', 'sampled_files.added_reason',
      'sampled_files.removed_at', 'sampled_files.removed_reason', 'adder.display_name as added_by_name', 'remover.display_name as removed_by_name',
      'case_files.file_number', 'case_files.case_type', 'case_files.cause', 'case_files.is_major', 'case_files.unit_id',
      'units.name as unit_name', 'units.code as unit_code',
    ])
    .where('sampled_files.campaign_id', '=', campaignId);
  if (unitId !== undefined) q = q.where('case_files.unit_id', '=', unitId);
  return q.orderBy('units.code').orderBy('case_files.case_type').orderBy('case_files.file_number').execute();
}

export async function activeAssignmentCount(db: DbOrTrx, campaignId: number, caseFileId?: number): Promise<number> {
  let q = db.selectFrom('assignments').select(({ fn }) => fn.countAll<number>().as('n'))
    .where('campaign_id', '=', campaignId).where('removed_at', 'is', null);
  if (caseFileId !== undefined) q = q.where('case_file_id', '=', caseFileId);
  return Number((await q.executeTakeFirstOrThrow()).n);
}
