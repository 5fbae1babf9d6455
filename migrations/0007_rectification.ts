// Rectification (整改): a notice per unit and campaign, the unit's issues frozen into it, the measures the unit
// records against each, the bureau's verification, and evidence files kept in the database (one backup holds all).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('rectification_notices')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('campaign_id', 'integer', (c) => c.notNull().references('campaigns.id'))
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('doc_number', 'varchar(100)', (c) => c.notNull().unique())
    .addColumn('issued_on', 'varchar(10)', (c) => c.notNull())
    .addColumn('deadline', 'varchar(10)', (c) => c.notNull())
    .addColumn('requirements', 'text', (c) => c.notNull())
    .addColumn('issued_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('report_submitted_at', 'varchar(32)')
    .addColumn('report_submitted_by', 'integer', (c) => c.references('users.id'))
    .execute();
  await db.schema.createIndex('rectification_notices_unit_uq').on('rectification_notices').columns(['campaign_id', 'unit_id']).unique().execute();
  await db.schema.createIndex('rectification_notices_seq_uq').on('rectification_notices').columns(['year', 'seq']).unique().execute();

  await db.schema.createTable('rectification_items')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('notice_id', 'integer', (c) => c.notNull().references('rectification_notices.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('issue_key', 'varchar(100)', (c) => c.notNull())
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('code', 'varchar(32)', (c) => c.notNull())
    .addColumn('wording', 'varchar(300)', (c) => c.notNull())
    .addColumn('category', 'varchar(100)', (c) => c.notNull())
    .addColumn('scope', 'varchar(16)', (c) => c.notNull())
    .addColumn('repeated', 'integer', (c) => c.notNull())
    .addColumn('files', 'text', (c) => c.notNull()) // JSON [{fileId, fileNumber}] as found when the notice was issued
    .execute();
  await db.schema.createIndex('rectification_items_notice_idx').on('rectification_items').columns(['notice_id', 'position']).execute();

  await db.schema.createTable('rectification_measures')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('item_id', 'integer', (c) => c.notNull().references('rectification_items.id'))
    .addColumn('notice_id', 'integer', (c) => c.notNull().references('rectification_notices.id'))
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('responsible', 'varchar(50)', (c) => c.notNull())
    .addColumn('completed_on', 'varchar(10)')
    .addColumn('evidence', 'text', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('submitted_at', 'varchar(32)')
    .addColumn('verified_at', 'varchar(32)')
    .addColumn('verified_by', 'integer', (c) => c.references('users.id'))
    .addColumn('returned_at', 'varchar(32)')
    .addColumn('returned_by', 'integer', (c) => c.references('users.id'))
    .addColumn('return_reason', 'text')
    .addColumn('deleted_at', 'varchar(32)')
    .execute();
  await db.schema.createIndex('rectification_measures_item_idx').on('rectification_measures').column('item_id').execute();
  await db.schema.createIndex('rectification_measures_notice_idx').on('rectification_measures').columns(['notice_id', 'status']).execute();

  await db.schema.createTable('attachments')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('measure_id', 'integer', (c) => c.notNull().references('rectification_measures.id'))
    .addColumn('filename', 'varchar(200)', (c) => c.notNull())
    .addColumn('mime', 'varchar(100)', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'varchar(64)', (c) => c.notNull())
    .addColumn('data', 'blob', (c) => c.notNull())
    .addColumn('uploaded_by', 'integer', (c) => c.references('users.id'))
    .addColumn('uploaded_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('removed_at', 'varchar(32)')
    .execute();
  await db.schema.createIndex('attachments_measure_idx').on('attachments').column('measure_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['attachments', 'rectification_measures', 'rectification_items', 'rectification_notices']) await db.schema.dropTable(t).execute();
}
