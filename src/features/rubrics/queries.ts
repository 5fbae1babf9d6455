import type { DbOrTrx } from '../../db/connection.ts';
import type { Rubric } from '../../domain/rubric/types.ts';

export function findVersion(db: DbOrTrx, rubricKey: string, version: string) {
  return db.selectFrom('rubric_versions').selectAll()
    .where('rubric_key', '=', rubricKey).where('version', '=', version).executeTakeFirst();
}

export function findVersionById(db: DbOrTrx, id: number) {
  return db.selectFrom('rubric_versions').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Every version, newest first within each rubric (by id: later loads are newer), without the (large) content. */
export function listVersions(db: DbOrTrx) {
  return db.selectFrom('rubric_versions')
    .select(['id', 'rubric_key', 'version', 'title', 'case_types', 'effective_from', 'effective_to', 'content_hash', 'source', 'source_name', 'created_at'])
    .orderBy('rubric_key').orderBy('id', 'desc').execute();
}

export function loadProblems(db: DbOrTrx) {
  return db.selectFrom('rubric_load_problems').selectAll().orderBy('source_name').execute();
}

/** Stored content was validated before it was stored, and is never updated. */
export function parseStored(content: string): Rubric {
  return JSON.parse(content) as Rubric;
}
