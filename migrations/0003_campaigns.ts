// Campaigns (评查活动), their units and pinned rubrics, case-file lists, sampling, reviewer pool and assignments.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('campaigns')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('name', 'varchar(200)', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('period_from', 'varchar(10)')
    .addColumn('period_to', 'varchar(10)')
    .addColumn('reviewers_per_file', 'integer', (c) => c.notNull())
    .addColumn('disagreement_threshold_tenths', 'integer', (c) => c.notNull())
    .addColumn('common_issue_threshold', 'integer', (c) => c.notNull())
    .addColumn('objection_window_days', 'integer', (c) => c.notNull())
    .addColumn('rectification_days', 'integer', (c) => c.notNull())
    .addColumn('doc_number_pattern', 'varchar(100)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('status_changed_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('campaigns_year_idx').on('campaigns').column('year').execute();

  await db.schema.createTable('campaign_units')
    .addColumn('campaign_id', 'integer', (c) => c.notNull().references('campaigns.id'))
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
    .addColumn('reported_total', 'integer')
    .addColumn('reported_at', 'varchar(32)')
    .addColumn('reported_by', 'integer', (c) => c.references('users.id'))
    .addPrimaryKeyConstraint('campaign_units_pk', ['campaign_id', 'unit_id'])
    .execute();

  await db.schema.createTable('campaign_rubrics')
    .addColumn('campaign_id', 'integer', (c) => c.notNull().references('campaigns.id'))
    .addColumn('case_type', 'varchar(32)', (c) => c.notNull())
    .addColumn('rubric_version_id', 'integer', (c) => c.notNull().references('rubric_versions.id'))
    .addPrimaryKeyConstraint('campaign_rubrics_pk', ['campaign_id', 'case_type'])
    .execute();

  await db.schema.createTable('case_files')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('campaign_id', 'integer', (c) => c.notNull().references('campaigns.id'))
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('units.id'))
    .addColumn('file_number', 'varchar(100)', (c) => c.notNull())
    .addColumn('case_type', 'varchar(32)', (c) => c.notNull())
    .addColumn('field', 'varchar(100)')
    .addColumn('cause', 'varchar(500)', (c) => c.notNull())
    .addColumn('party', 'varchar(200)')
    .addColumn('handlers', 'varchar(500)', (c) => c.notNull())
    .addColumn('is_major', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('closed_on', 'varchar(10)')
    .addColumn('pages', 'integer')
    .addColumn('source', 'varchar(16)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addUniqueConstraint('case_files_number_uq', ['campaign_id', 'unit_id', 'file_number'])
    .execute();
  await db.schema.createIndex('case_files_group_idx').on('case_files').columns(['campaign_id', 'unit_id', 'case_type']).execute();

  await db.schema.createTable('sampling_rules')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('campaign_id', 'integer', (c) => c.notNull().references('campaigns.id'))
    .addColumn('unit_id', 'integer', (c) => c.references('units.id'))
    .addColumn('case_type', 'varchar(32)')
    .addColumn('mode', 'varchar(16)', (c) => c.notNull())
    .addColumn('value', 'integer', (c) => c.notNull())
    .addColumn('minimum', 'integer')
    .addColumn('major_weight', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('sampling_rules_campaign_idx').on('sampling_rules').column('campaign_id').execute();

  await db.schema.createTable('sample_draws')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('campaign_id', 'integer', (c) => c.notNull().references('campaigns.id'))
    .addColumn('seed', 'varchar(64)', (c) => c.notNull())
    .addColumn('inputs_json', 'text', (c) => c.notNull())
    .addColumn('result_json', 'text', (c) => c.notNull())
    .addColumn('drawn_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('drawn_by', 'integer', (c) => c.references('users.id'))
    .addColumn('superseded_at', 'varchar(32)')
    .execute();

  await db.schema.createTable('sampled_files')
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
    .addUniqueConstraint('sampled_files_uq', ['campaign_id', 'case_file_id'])
    .execute();

  await db.schema.createTable('reviewer_pool')
    .addColumn('campaign_id', 'integer', (c) => c.notNull().references('campaigns.id'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('added_at', 'varchar(32)', (c) => c.notNull())
    .addPrimaryKeyConstraint('reviewer_pool_pk', ['campaign_id', 'user_id'])
    .execute();

  await db.schema.createTable('reviewer_conflicts')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('campaign_id', 'integer', (c) => c.notNull().references('campaigns.id'))
    .addColumn('reviewer_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('unit_id', 'integer', (c) => c.references('units.id'))
    .addColumn('case_file_id', 'integer', (c) => c.references('case_files.id'))
    .addColumn('reason', 'varchar(500)', (c) => c.notNull())
    .addColumn('declared_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('declared_by', 'integer', (c) => c.references('users.id'))
    .execute();

  await db.schema.createTable('assignments')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('campaign_id', 'integer', (c) => c.notNull().references('campaigns.id'))
    .addColumn('case_file_id', 'integer', (c) => c.notNull().references('case_files.id'))
    .addColumn('reviewer_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('origin', 'varchar(16)', (c) => c.notNull())
    .addColumn('assigned_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('assigned_by', 'integer', (c) => c.references('users.id'))
    .addColumn('removed_at', 'varchar(32)')
    .addColumn('removed_by', 'integer', (c) => c.references('users.id'))
    .addColumn('removed_reason', 'varchar(500)')
    .execute();
  await db.schema.createIndex('assignments_file_idx').on('assignments').columns(['case_file_id', 'reviewer_id']).execute();
  await db.schema.createIndex('assignments_reviewer_idx').on('assignments').columns(['reviewer_id', 'campaign_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['assignments', 'reviewer_conflicts', 'reviewer_pool', 'sampled_files', 'sample_draws', 'sampling_rules',
    'case_files', 'campaign_rubrics', 'campaign_units', 'campaigns']) {
    await db.schema.dropTable(t).execute();
  }
}
