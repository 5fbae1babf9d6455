// Annual rating (年度考评): the bureau's rule per year, and every publication of a year frozen as a revision
// (the rule and the per-unit figures as published; a correction is a new revision with its reason).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('rating_rules')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('year', 'integer', (c) => c.notNull().unique())
    .addColumn('rule', 'text', (c) => c.notNull()) // JSON, as checked by parseRatingRule
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_by', 'integer', (c) => c.references('users.id'))
    .execute();

  await db.schema.createTable('rating_publications')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('supersedes_id', 'integer', (c) => c.references('rating_publications.id'))
    .addColumn('rule', 'text', (c) => c.notNull()) // JSON: the rule the levels were given by
    .addColumn('rows', 'text', (c) => c.notNull()) // JSON: every unit's figures, level and rank as published
    .addColumn('note', 'text') // the reason for a correction; required from revision 2
    .addColumn('published_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('published_by', 'integer', (c) => c.references('users.id'))
    .execute();
  await db.schema.createIndex('rating_publications_year_uq').on('rating_publications').columns(['year', 'revision']).unique().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['rating_publications', 'rating_rules']) await db.schema.dropTable(t).execute();
}
