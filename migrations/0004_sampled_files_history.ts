// Keep every sampling record: a file may now have several rows over time (drawn, removed, drawn again), with
// at most one active (removed_at IS NULL). Rebuilt table, because the old unique constraint allowed only one.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('sampled_files_new')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('campaign_id', 'integer', (c) => c.notNull().references('campaigns.id'))
    .addColumn('case_file_id', 'integer', (c) => c.notNull().references('case_files.id'))
    .addColumn('origin', 'varchar(16)', (c) => c.notNull())
    .addColumn('draw_id', 'integer', (c) => c.references('sample_draws.id'))
    .addColumn('added_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('added_by', 'integer', (c) => c.references('users.id'))
    .addColumn('added_reason', 'varchar(500)')
    .addColumn('removed_at', 'varchar(32)')
    .addColumn('removed_by', 'integer', (c) => c.references('users.id'))
    .addColumn('removed_reason', 'varchar(500)')
    .execute();
  await sql`insert into sampled_files_new select id, campaign_id, case_file_id, origin, draw_id, added_at, added_by, added_reason, removed_at, removed_by, removed_reason from sampled_files`.execute(db);
  await db.schema.dropTable('sampled_files').execute();
  await db.schema.alterTable('sampled_files_new').renameTo('sampled_files').execute();
  await db.schema.createIndex('sampled_files_active_uq').on('sampled_files').columns(['campaign_id', 'case_file_id'])
    .unique().where(sql.ref('removed_at'), 'is', null).execute();
  await db.schema.createIndex('sampled_files_file_idx').on('sampled_files').column('case_file_id').execute();
}
