// Reading and writing the annual rating's tables, and the year's campaigns, units and rectification items.
import type { DbOrTrx } from '../../db/connection.ts';
import type { CampaignRow } from '../../db/schema.ts';
import { itemState, type MeasureStatus } from '../../domain/rectification.ts';

const COUNTED = ['released', 'closed'] as const;

/** Years with at least one released (or closed) campaign, newest first; for a department only those its unit took part in. */
export async function ratingYears(db: DbOrTrx, unitId: number | null): Promise<number[]> {
  let q = db.selectFrom('campaigns').select('campaigns.year').distinct().where('campaigns.status', 'in', COUNTED);
  if (unitId !== null) {
    q = q.where((eb) => eb.exists(eb.selectFrom('campaign_units').select('campaign_units.unit_id')
      .whereRef('campaign_units.campaign_id', '=', 'campaigns.id').where('campaign_units.unit_id', '=', unitId)));
  }
  return (await q.orderBy('campaigns.year', 'desc').execute()).map((r) => r.year);
}

/** The year's released (or closed) campaigns, the first first. */
export async function yearCampaigns(db: DbOrTrx, year: number): Promise<CampaignRow[]> {
  return db.selectFrom('campaigns').selectAll().where('year', '=', year).where('status', 'in', COUNTED).orderBy('id').execute();
}

/** Every unit taking part in any of these campaigns. */
export async function unitsOf(db: DbOrTrx, campaignIds: readonly number[]): Promise<{ id: number; code: string; name: string }[]> {
  if (campaignIds.length === 0) return [];
  return db.selectFrom('campaign_units').innerJoin('units', 'units.id', 'campaign_units.unit_id')
    .select(['units.id', 'units.code', 'units.name']).distinct()
    .where('campaign_units.campaign_id', 'in', campaignIds).orderBy('units.code').execute();
}

/** Per unit: the items of its notices in these campaigns, and how many are rectified (measures, all verified). */
export async function rectificationCounts(db: DbOrTrx, campaignIds: readonly number[]): Promise<Map<number, { items: number; rectified: number }>> {
  const out = new Map<number, { items: number; rectified: number }>();
  if (campaignIds.length === 0) return out;
  const items = await db.selectFrom('rectification_items').innerJoin('rectification_notices', 'rectification_notices.id', 'rectification_items.notice_id')
    .select(['rectification_items.id', 'rectification_notices.unit_id'])
    .where('rectification_notices.campaign_id', 'in', campaignIds).execute();
  if (items.length === 0) return out;
  const measures = await db.selectFrom('rectification_measures').innerJoin('rectification_notices', 'rectification_notices.id', 'rectification_measures.notice_id')
    .select(['rectification_measures.item_id', 'rectification_measures.status'])
    .where('rectification_notices.campaign_id', 'in', campaignIds).where('rectification_measures.deleted_at', 'is', null).execute();
  const statuses = new Map<number, MeasureStatus[]>();
  for (const m of measures) statuses.set(m.item_id, [...(statuses.get(m.item_id) ?? []), m.status as MeasureStatus]);
  for (const item of items) {
    const c = out.get(item.unit_id) ?? { items: 0, rectified: 0 };
    c.items += 1;
    if (itemState(statuses.get(item.id) ?? []) === 'verified') c.rectified += 1;
    out.set(item.unit_id, c);
  }
  return out;
}

export async function storedRule(db: DbOrTrx, year: number): Promise<{ rule: string; updatedAt: string; updatedBy: string | null } | null> {
  const row = await db.selectFrom('rating_rules').leftJoin('users', 'users.id', 'rating_rules.updated_by')
    .select(['rating_rules.rule', 'rating_rules.updated_at', 'users.display_name']).where('rating_rules.year', '=', year).executeTakeFirst();
  return row ? { rule: row.rule, updatedAt: row.updated_at, updatedBy: row.display_name } : null;
}

export interface PublicationRecord {
  id: number;
  year: number;
  revision: number;
  supersedesId: number | null;
  rule: string;
  rows: string;
  note: string | null;
  publishedAt: string;
  publishedBy: string | null;
}

/** Every publication of the year, oldest first. */
export async function publicationRecords(db: DbOrTrx, year: number): Promise<PublicationRecord[]> {
  const rows = await db.selectFrom('rating_publications').leftJoin('users', 'users.id', 'rating_publications.published_by')
    .select(['rating_publications.id', 'rating_publications.year', 'rating_publications.revision', 'rating_publications.supersedes_id',
      'rating_publications.rule', 'rating_publications.rows', 'rating_publications.note', 'rating_publications.published_at', 'users.display_name'])
    .where('rating_publications.year', '=', year).orderBy('rating_publications.revision').execute();
  return rows.map((r) => ({
    id: r.id, year: r.year, revision: r.revision, supersedesId: r.supersedes_id, rule: r.rule, rows: r.rows, note: r.note,
    publishedAt: r.published_at, publishedBy: r.display_name,
  }));
}

/** The latest revision per year. */
export async function latestRevisions(db: DbOrTrx): Promise<Map<number, { revision: number; publishedAt: string }>> {
  const rows = await db.selectFrom('rating_publications').select(['year', 'revision', 'published_at']).orderBy('revision').execute();
  return new Map(rows.map((r) => [r.year, { revision: r.revision, publishedAt: r.published_at }]));
}
