// "其他问题" merged by the bureau into one issue of a campaign: a group with its wording and the marks in it.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('issue_groups')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('campaign_id', 'integer', (c) => c.notNull().references('campaigns.id'))
    .addColumn('title', 'varchar(200)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .execute();
  await db.schema.createTable('issue_group_members')
    .addColumn('group_id', 'integer', (c) => c.notNull().references('issue_groups.id'))
    .addColumn('review_mark_id', 'integer', (c) => c.notNull().unique().references('review_marks.id'))
    .execute();
  await db.schema.createIndex('issue_group_members_group_idx').on('issue_group_members').column('group_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('issue_group_members').execute();
  await db.schema.dropTable('issue_groups').execute();
}
