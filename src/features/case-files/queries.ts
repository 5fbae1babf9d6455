// File lists (案卷目录) in the database. Lists are narrowed by the actor's unit scope in the query itself.
import type { DbOrTrx } from '../../db/connection.ts';
import { containsText } from '../../db/contains.ts';
import type { UnitScope } from '../../domain/policy.ts';

export const CASE_FILE_PAGE_SIZE = 50;

export interface CaseFileFilter {
  unitId: number | null;
  caseType: string;
  q: string;
}

/** One page of a campaign's file list, with each file's unit and whether it was drawn for review. */
export async function caseFilesInScope(db: DbOrTrx, campaignId: number, scope: UnitScope, filter: CaseFileFilter, page: number) {
  let q = db.selectFrom('case_files').innerJoin('units', 'units.id', 'case_files.unit_id')
    .where('case_files.campaign_id', '=', campaignId);
  if (scope.kind === 'units') q = q.where('case_files.unit_id', 'in', scope.unitIds.length ? scope.unitIds : [-1]);
  if (filter.unitId !== null) q = q.where('case_files.unit_id', '=', filter.unitId);
  if (filter.caseType) q = q.where('case_files.case_type', '=', filter.caseType);
  const text = filter.q;
  if (text) {
    q = q.where(({ or, ref }) => or([containsText(ref('case_files.file_number'), text), containsText(ref('case_files.cause'), text)]));
  }
  const { total } = await q.select(({ fn }) => fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const rows = await q.selectAll('case_files')
    .select(['units.name as unit_name', 'units.code as unit_code'])
    .select((eb) => eb.exists(
      eb.selectFrom('sampled_files').select('sampled_files.id')
        .whereRef('sampled_files.case_file_id', '=', 'case_files.id').where('sampled_files.removed_at', 'is', null),
    ).as('sampled'))
    .orderBy('units.code').orderBy('case_files.id')
    .limit(CASE_FILE_PAGE_SIZE).offset((page - 1) * CASE_FILE_PAGE_SIZE)
    .execute();
  return { total: Number(total), rows: rows.map((r) => ({ ...r, sampled: Boolean(r.sampled) })) };
}

export function findCaseFile(db: DbOrTrx, campaignId: number, id: number) {
  return db.selectFrom('case_files').selectAll().where('campaign_id', '=', campaignId).where('id', '=', id).executeTakeFirst();
}

export function findParticipation(db: DbOrTrx, campaignId: number, unitId: number) {
  return db.selectFrom('campaign_units').selectAll().where('campaign_id', '=', campaignId).where('unit_id', '=', unitId).executeTakeFirst();
}

/** File numbers already listed, for duplicate checks (optionally for some units only). */
export async function listedNumbers(db: DbOrTrx, campaignId: number, unitIds?: readonly number[]) {
  let q = db.selectFrom('case_files').select(['id', 'unit_id', 'file_number']).where('campaign_id', '=', campaignId);
  if (unitIds) q = q.where('unit_id', 'in', unitIds.length ? [...unitIds] : [-1]);
  return q.execute();
}

export async function countListed(db: DbOrTrx, campaignId: number, unitId: number): Promise<number> {
  const row = await db.selectFrom('case_files').select(({ fn }) => fn.countAll<number>().as('n'))
    .where('campaign_id', '=', campaignId).where('unit_id', '=', unitId).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** What already points at a file: a draw (even one later withdrawn), assignments, declared conflicts. */
export async function fileReferences(db: DbOrTrx, id: number) {
  const count = async (table: 'sampled_files' | 'assignments' | 'reviewer_conflicts') => Number((await db.selectFrom(table)
    .select(({ fn }) => fn.countAll<number>().as('n')).where('case_file_id', '=', id).executeTakeFirstOrThrow()).n);
  const sampled = await db.selectFrom('sampled_files').select(['removed_at']).where('case_file_id', '=', id).execute();
  return {
    sampled: sampled.some((s) => s.removed_at === null),
    everSampled: sampled.length > 0,
    assignments: await count('assignments'),
    conflicts: await count('reviewer_conflicts'),
  };
}
