import type { DbOrTrx } from '../../db/connection.ts';
import type { CampaignRow } from '../../db/schema.ts';
import type { CampaignSettings, CampaignKind, CampaignStatus } from '../../domain/campaigns.ts';
import type { Actor } from '../../domain/policy.ts';

export function findCampaign(db: DbOrTrx, id: number) {
  return db.selectFrom('campaigns').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Campaigns the actor may see, narrowed in the query: a department's unit takes part, a reviewer is in the pool. */
export function campaignsFor(db: DbOrTrx, actor: Actor) {
  let q = db.selectFrom('campaigns').selectAll('campaigns');
  if (actor.role === 'department') {
    q = q.where('campaigns.id', 'in', db.selectFrom('campaign_units').select('campaign_id').where('unit_id', '=', actor.unitId));
  } else if (actor.role === 'reviewer') {
    q = q.where('campaigns.id', 'in', db.selectFrom('reviewer_pool').select('campaign_id').where('user_id', '=', actor.id));
  }
  return q.orderBy('year', 'desc').orderBy('id', 'desc').execute();
}

export async function isParticipant(db: DbOrTrx, campaignId: number, actor: Actor): Promise<boolean> {
  if (actor.role === 'department') {
    return Boolean(await db.selectFrom('campaign_units').select('unit_id')
      .where('campaign_id', '=', campaignId).where('unit_id', '=', actor.unitId).executeTakeFirst());
  }
  if (actor.role === 'reviewer') {
    return Boolean(await db.selectFrom('reviewer_pool').select('user_id')
      .where('campaign_id', '=', campaignId).where('user_id', '=', actor.id).executeTakeFirst());
  }
  return false;
}

export function settingsOf(row: CampaignRow): CampaignSettings {
  return {
    name: row.name, year: row.year, kind: row.kind as CampaignKind, description: row.description,
    periodFrom: row.period_from, periodTo: row.period_to, reviewersPerFile: row.reviewers_per_file,
    disagreementThresholdTenths: row.disagreement_threshold_tenths, commonIssueThreshold: row.common_issue_threshold,
    objectionWindowDays: row.objection_window_days, rectificationDays: row.rectification_days, docNumberPattern: row.doc_number_pattern,
  };
}

export function settingsColumns(s: CampaignSettings) {
  return {
    name: s.name, year: s.year, kind: s.kind, description: s.description, period_from: s.periodFrom, period_to: s.periodTo,
    reviewers_per_file: s.reviewersPerFile, disagreement_threshold_tenths: s.disagreementThresholdTenths,
    common_issue_threshold: s.commonIssueThreshold, objection_window_days: s.objectionWindowDays,
    rectification_days: s.rectificationDays, doc_number_pattern: s.docNumberPattern,
  };
}

export const statusOf = (row: CampaignRow): CampaignStatus => row.status as CampaignStatus;

/** Participating units with what each has handed in: files listed, files under review, total reported. */
export async function campaignUnits(db: DbOrTrx, campaignId: number) {
  const rows = await db.selectFrom('campaign_units')
    .innerJoin('units', 'units.id', 'campaign_units.unit_id')
    .select(['units.id', 'units.code', 'units.name', 'units.kind', 'units.parent_id', 'units.active',
      'campaign_units.reported_total', 'campaign_units.reported_at', 'campaign_units.reported_by'])
    .where('campaign_units.campaign_id', '=', campaignId)
    .execute();
  const files = await db.selectFrom('case_files').select(({ fn }) => ['unit_id', fn.countAll<number>().as('n')])
    .where('campaign_id', '=', campaignId).groupBy('unit_id').execute();
  const sampled = await db.selectFrom('sampled_files').innerJoin('case_files', 'case_files.id', 'sampled_files.case_file_id')
    .select(({ fn }) => ['case_files.unit_id', fn.countAll<number>().as('n')])
    .where('sampled_files.campaign_id', '=', campaignId).where('sampled_files.removed_at', 'is', null)
    .groupBy('case_files.unit_id').execute();
  const fileCount = new Map(files.map((f) => [f.unit_id, Number(f.n)]));
  const sampledCount = new Map(sampled.map((f) => [f.unit_id, Number(f.n)]));
  return rows.map((r) => ({ ...r, fileCount: fileCount.get(r.id) ?? 0, sampledCount: sampledCount.get(r.id) ?? 0 }));
}

export function campaignRubrics(db: DbOrTrx, campaignId: number) {
  return db.selectFrom('campaign_rubrics')
    .innerJoin('rubric_versions', 'rubric_versions.id', 'campaign_rubrics.rubric_version_id')
    .select(['campaign_rubrics.case_type', 'rubric_versions.id as rubric_version_id', 'rubric_versions.title', 'rubric_versions.version', 'rubric_versions.rubric_key'])
    .where('campaign_rubrics.campaign_id', '=', campaignId)
    .execute();
}

/**
 * The ids of the files a campaign reviews, as a subquery for `where('case_files.id', 'in', …)`; null when that
 * is every listed file (a self-check reviews its whole list; other kinds their active sample).
 */
export function reviewedFileIds(db: DbOrTrx, campaign: Pick<CampaignRow, 'id' | 'kind'>) {
  if (campaign.kind === 'self') return null;
  return db.selectFrom('sampled_files').select('case_file_id').where('campaign_id', '=', campaign.id).where('removed_at', 'is', null);
}
