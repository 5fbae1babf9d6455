// Score sheets (一卷一表), their marks, re-checks (复核), final results with revisions, and objections (异议).
// A submitted sheet is never changed; a re-check or an upheld objection adds a record pointing to the old one.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('campaigns').addColumn('released_at', 'varchar(32)').execute();

  // A file that needs re-check, and who re-checks it (chosen by the bureau; null until then).
  await db.schema.createTable('rechecks')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('campaign_id', 'integer', (c) => c.notNull().references('campaigns.id'))
    .addColumn('case_file_id', 'integer', (c) => c.notNull().unique().references('case_files.id'))
    .addColumn('reasons', 'text', (c) => c.notNull()) // JSON array of Chinese reasons from reconciliation
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('rechecker_id', 'integer', (c) => c.references('users.id'))
    .addColumn('assigned_at', 'varchar(32)')
    .addColumn('assigned_by', 'integer', (c) => c.references('users.id'))
    .addColumn('resolved_at', 'varchar(32)')
    .execute();
  await db.schema.createIndex('rechecks_campaign_idx').on('rechecks').columns(['campaign_id', 'rechecker_id']).execute();

  await db.schema.createTable('reviews')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('campaign_id', 'integer', (c) => c.notNull().references('campaigns.id'))
    .addColumn('case_file_id', 'integer', (c) => c.notNull().references('case_files.id'))
    .addColumn('reviewer_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('kind', 'varchar(16)', (c) => c.notNull()) // 'review' | 'recheck'
    .addColumn('rubric_version_id', 'integer', (c) => c.notNull().references('rubric_versions.id'))
    .addColumn('status', 'varchar(16)', (c) => c.notNull()) // 'draft' | 'submitted'
    .addColumn('revision', 'integer', (c) => c.notNull()) // bumped on every save: optimistic concurrency
    .addColumn('opinion', 'text') // 评查意见
    .addColumn('total_tenths', 'integer', (c) => c.notNull())
    .addColumn('points_score_tenths', 'integer', (c) => c.notNull())
    .addColumn('grade_code', 'varchar(32)', (c) => c.notNull())
    .addColumn('grade_label', 'varchar(32)', (c) => c.notNull())
    .addColumn('passing', 'integer', (c) => c.notNull())
    .addColumn('deciding_veto', 'varchar(32)')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('submitted_at', 'varchar(32)')
    .execute();
  await db.schema.createIndex('reviews_sheet_uq').on('reviews').columns(['case_file_id', 'reviewer_id', 'kind']).unique().execute();
  await db.schema.createIndex('reviews_campaign_idx').on('reviews').columns(['campaign_id', 'status']).execute();
  await db.schema.createIndex('reviews_reviewer_idx').on('reviews').columns(['reviewer_id', 'campaign_id']).execute();

  await db.schema.createTable('review_marks')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('review_id', 'integer', (c) => c.notNull().references('reviews.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('kind', 'varchar(16)', (c) => c.notNull()) // 'deduction' | 'veto'
    .addColumn('item_code', 'varchar(32)', (c) => c.notNull())
    .addColumn('count', 'integer') // per-occurrence items
    .addColumn('points_tenths', 'integer') // range items
    .addColumn('note', 'text')
    .addColumn('document', 'varchar(100)')
    .addColumn('page', 'varchar(20)')
    .execute();
  await db.schema.createIndex('review_marks_review_idx').on('review_marks').columns(['review_id', 'position']).execute();
  await db.schema.createIndex('review_marks_item_idx').on('review_marks').column('item_code').execute();

  await db.schema.createTable('final_results')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('campaign_id', 'integer', (c) => c.notNull().references('campaigns.id'))
    .addColumn('case_file_id', 'integer', (c) => c.notNull().references('case_files.id'))
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('supersedes_id', 'integer', (c) => c.references('final_results.id'))
    .addColumn('method', 'varchar(16)', (c) => c.notNull()) // 'single' | 'average' | 'recheck'
    .addColumn('total_tenths', 'integer', (c) => c.notNull())
    .addColumn('grade_code', 'varchar(32)', (c) => c.notNull())
    .addColumn('grade_label', 'varchar(32)', (c) => c.notNull())
    .addColumn('passing', 'integer', (c) => c.notNull())
    .addColumn('sheets', 'text', (c) => c.notNull()) // JSON review ids whose marks make the result
    .addColumn('basis', 'text', (c) => c.notNull()) // JSON review ids considered (all sheets of the file)
    .addColumn('withdrawn', 'text', (c) => c.notNull()) // JSON {deductions: [], vetoes: []} withdrawn by upheld objections
    .addColumn('objection_id', 'integer')
    .addColumn('explanation', 'text', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('superseded_at', 'varchar(32)')
    .execute();
  await db.schema.createIndex('final_results_current_uq').on('final_results').column('case_file_id')
    .unique().where(sql.ref('superseded_at'), 'is', null).execute();
  await db.schema.createIndex('final_results_campaign_idx').on('final_results').columns(['campaign_id', 'superseded_at']).execute();

  await db.schema.createTable('objections')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('campaign_id', 'integer', (c) => c.notNull().references('campaigns.id'))
    .addColumn('case_file_id', 'integer', (c) => c.notNull().references('case_files.id'))
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
    .addColumn('final_result_id', 'integer', (c) => c.notNull().references('final_results.id'))
    .addColumn('target_kind', 'varchar(16)', (c) => c.notNull()) // 'deduction' | 'veto'
    .addColumn('target_code', 'varchar(32)', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('raised_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('raised_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull()) // 'open' | 'upheld' | 'rejected'
    .addColumn('decided_by', 'integer', (c) => c.references('users.id'))
    .addColumn('decided_at', 'varchar(32)')
    .addColumn('decision_reason', 'text')
    .addColumn('result_id', 'integer', (c) => c.references('final_results.id')) // the revision an upheld objection produced
    .execute();
  await db.schema.createIndex('objections_campaign_idx').on('objections').columns(['campaign_id', 'status']).execute();
  await db.schema.createIndex('objections_file_idx').on('objections').column('case_file_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['objections', 'final_results', 'review_marks', 'reviews', 'rechecks']) await db.schema.dropTable(t).execute();
  await db.schema.alterTable('campaigns').dropColumn('released_at').execute();
}
