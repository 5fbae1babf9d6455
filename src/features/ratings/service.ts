// Annual rating (年度考评): each unit's year from all its released (or closed) campaigns of that year, rated by the
// year's rule and ranked; the bureau's rule; publishing a year as a frozen revision. Every list that leaves this
// module is narrowed to what the actor may see (a department: its own unit's row only).
import type { Ctx } from '../../context.ts';
import { asActor, nowIso } from '../../context.ts';
import type { DbOrTrx } from '../../db/connection.ts';
import { bandRule, parseRatingRule, rateUnit, type RatingRule, type UnitYear } from '../../domain/annual-rating.ts';
import { can, unitScope, type Actor } from '../../domain/policy.ts';
import { diffRatings, sameRatings, type RatedUnit, type UnitChange } from '../../domain/rating-diff.ts';
import { averageTenths } from '../../domain/reconciliation.ts';
import { rankUnits, rate } from '../../domain/statistics.ts';
import { conflict, forbidden, ValidationError } from '../../web/app-error.ts';
import { auditActor, recordAudit } from '../audit/record.ts';
import { campaignFindings, campaignIssues } from '../issues/service.ts';
import { campaignBands, finalResults } from '../statistics/service.ts';
import { publicationRecords, rectificationCounts, storedRule, unitsOf, yearCampaigns, type PublicationRecord } from './queries.ts';

export const NOTE_MAX = 500;
export const RULE_TEXT_MAX = 10_000;

export const isRatingYear = (year: number): boolean => Number.isInteger(year) && year >= 2000 && year <= 2100;

export interface YearRule {
  rule: RatingRule;
  /** 'stored': the bureau's rule for the year; 'default': the first campaign's grade bands applied to the average. */
  source: 'stored' | 'default';
  updatedAt: string | null;
  updatedBy: string | null;
}

/**
 * The bureau's rule for the year, or else the grade bands of the year's first campaign (the first with a standard
 * pinned) applied to the average. Empty only when no campaign of the year has a standard: then no unit gets a level.
 */
export async function ruleOf(db: DbOrTrx, year: number, campaignIds: readonly number[]): Promise<YearRule> {
  const stored = await storedRule(db, year);
  if (stored) {
    const parsed = parseRatingRule(stored.rule);
    if (parsed.ok) return { rule: parsed.rule, source: 'stored', updatedAt: stored.updatedAt, updatedBy: stored.updatedBy };
  }
  for (const id of campaignIds) {
    const bands = await campaignBands(db, id);
    if (bands.length > 0) return { rule: bandRule(bands), source: 'default', updatedAt: null, updatedBy: null };
  }
  return { rule: [], source: 'default', updatedAt: null, updatedBy: null };
}

export interface YearFigures {
  campaigns: { id: number; name: string }[];
  rule: YearRule;
  /** Every unit, ranked; units without files last. */
  rows: RatedUnit[];
}

/** Every unit's year: all its files' final results in the year's released (or closed) campaigns. */
export async function yearFigures(db: DbOrTrx, year: number): Promise<YearFigures> {
  const campaigns = await yearCampaigns(db, year);
  const ids = campaigns.map((c) => c.id);
  const rule = await ruleOf(db, year, ids);
  const units = await unitsOf(db, ids);
  const acc = new Map(units.map((u) => [u.id, { totals: [] as number[], passing: 0, excellent: 0, vetoes: 0, common: 0, individual: 0 }]));
  for (const campaign of campaigns) {
    const topCode = (await campaignBands(db, campaign.id))[0]?.code;
    const findings = await campaignFindings(db, campaign.id); // once: vetoed files and the issues come from them
    for (const f of await finalResults(db, campaign.id, null, findings)) {
      const a = acc.get(f.unitId);
      if (!a) continue; // a file of a unit no longer taking part: not counted, as on the statistics page
      a.totals.push(f.totalTenths);
      if (f.passing) a.passing += 1;
      if (f.gradeCode === topCode) a.excellent += 1;
      if (f.vetoed) a.vetoes += 1;
    }
    for (const issue of (await campaignIssues(db, campaign, findings)).issues) {
      for (const u of issue.units) {
        const a = acc.get(u.unitId);
        if (a) a[issue.scope === 'common' ? 'common' : 'individual'] += 1;
      }
    }
  }
  const rect = await rectificationCounts(db, ids);
  const years: UnitYear[] = units.map((u) => {
    const a = acc.get(u.id)!;
    const n = a.totals.length;
    const r = rect.get(u.id) ?? { items: 0, rectified: 0 };
    return {
      unitId: u.id, unitName: u.name, files: n,
      averageTenths: n === 0 ? null : averageTenths(a.totals).tenths,
      totalTenths: a.totals.reduce((s, x) => s + x, 0),
      passRate: rate(a.passing, n), excellenceRate: rate(a.excellent, n), vetoes: a.vetoes,
      commonIssues: a.common, individualIssues: a.individual,
      rectificationRate: rate(r.rectified, r.items),
      excellentSelected: 0, // excellent files (优秀案卷) are not built yet
    };
  });
  const rows = rankUnits(years.map((y) => ({ ...y, level: rule.rule.length > 0 ? rateUnit(y, rule.rule) : null })));
  return { campaigns: campaigns.map((c) => ({ id: c.id, name: c.name })), rule, rows };
}

/** The rows an actor may see: all for the bureau, its own unit's for a department, none for anyone else. */
export function scopeRows<T extends { unitId: number }>(actor: Actor, rows: readonly T[]): T[] {
  if (!can(actor, 'rating.view')) return [];
  const scope = unitScope(actor);
  return scope.kind === 'all' ? [...rows] : rows.filter((r) => scope.unitIds.includes(r.unitId));
}

export interface Publication {
  id: number;
  year: number;
  revision: number;
  rule: RatingRule;
  note: string | null;
  publishedAt: string;
  publishedBy: string | null;
  /** Narrowed to what the actor may see. */
  rows: RatedUnit[];
  rankedCount: number;
  /** What changed from the previous revision (narrowed likewise); empty for revision 1. */
  changes: UnitChange[];
}

function toPublications(actor: Actor, records: readonly PublicationRecord[]): Publication[] {
  let previous: RatedUnit[] | null = null;
  return records.map((r) => {
    const all = JSON.parse(r.rows) as RatedUnit[];
    const changes = previous ? scopeRows(actor, diffRatings(previous, all)) : [];
    previous = all;
    return {
      id: r.id, year: r.year, revision: r.revision, rule: JSON.parse(r.rule) as RatingRule, note: r.note,
      publishedAt: r.publishedAt, publishedBy: r.publishedBy,
      rows: scopeRows(actor, all), rankedCount: all.filter((x) => x.rank !== null).length, changes,
    };
  });
}

/** The year's publications, oldest first, as the actor may see them. */
export async function publications(db: DbOrTrx, actor: Actor, year: number): Promise<Publication[]> {
  return toPublications(actor, await publicationRecords(db, year));
}

export interface YearView {
  year: number;
  campaigns: { id: number; name: string }[];
  rule: YearRule;
  /** Today's figures, narrowed to the actor. */
  rows: RatedUnit[];
  rankedCount: number;
  publications: Publication[];
  latest: Publication | null;
  /** Today's figures differ from the latest publication (for the rows the actor sees), and how. */
  liveDiffers: boolean;
  liveChanges: UnitChange[];
}

export async function yearView(db: DbOrTrx, actor: Actor, year: number): Promise<YearView> {
  if (!can(actor, 'rating.view')) throw forbidden();
  const figures = await yearFigures(db, year);
  const pubs = await publications(db, actor, year);
  const latest = pubs.at(-1) ?? null;
  const rows = scopeRows(actor, figures.rows);
  return {
    year, campaigns: figures.campaigns, rule: figures.rule, rows,
    rankedCount: figures.rows.filter((r) => r.rank !== null).length,
    publications: pubs, latest,
    liveDiffers: latest !== null && !sameRatings(latest.rows, rows),
    liveChanges: latest ? diffRatings(latest.rows, rows) : [],
  };
}

function assertPublisher(ctx: Ctx): void {
  if (!can(asActor(ctx.actor), 'rating.publish')) throw forbidden();
}

/**
 * Saves the year's rule (administrator). Checked by parseRatingRule; nothing is saved when it has problems. A rule
 * may be corrected after publication: it affects the next publication only, never a published revision.
 */
export async function saveRule(ctx: Ctx, year: number, text: string): Promise<void> {
  assertPublisher(ctx);
  if (text.length > RULE_TEXT_MAX) throw new ValidationError([{ field: 'rule', message: `考评规则不超过 ${RULE_TEXT_MAX} 个字符` }], '考评规则未保存');
  const parsed = parseRatingRule(text);
  if (!parsed.ok) throw new ValidationError(parsed.problems.map((message) => ({ field: 'rule', message })), '考评规则未保存');
  const rule = JSON.stringify(parsed.rule);
  await ctx.db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('rating_rules').select(['id', 'rule']).where('year', '=', year).executeTakeFirst();
    const now = nowIso(ctx.clock);
    if (before) await trx.updateTable('rating_rules').set({ rule, updated_at: now, updated_by: ctx.actor.id }).where('id', '=', before.id).execute();
    else await trx.insertInto('rating_rules').values({ year, rule, updated_at: now, updated_by: ctx.actor.id }).execute();
    await recordAudit(trx, ctx.clock, auditActor(ctx), {
      action: 'rating.rule', entityType: 'rating', entityId: year, summary: `修改 ${year} 年度考评规则`,
      before: before ? { year, rule: before.rule } : null, after: { year, rule },
    });
  });
}

/**
 * Publishes the year (administrator): today's figures, levels, ranks and rule frozen as the next revision. From
 * revision 2 on, a publication is a correction and needs its reason. Returns the revision number.
 */
export async function publish(ctx: Ctx, year: number, note: string): Promise<number> {
  assertPublisher(ctx);
  const reason = note.trim();
  return ctx.db.transaction().execute(async (trx) => {
    const figures = await yearFigures(trx, year);
    if (figures.campaigns.length === 0) throw conflict(`${year} 年度没有结果已发布的评查活动，不能发布年度考评`);
    const last = await trx.selectFrom('rating_publications').select(['id', 'revision']).where('year', '=', year)
      .orderBy('revision', 'desc').executeTakeFirst();
    const revision = (last?.revision ?? 0) + 1;
    if (revision > 1 && reason === '') throw new ValidationError([{ field: 'note', message: `已发布第 ${last!.revision} 版，再次发布为更正，须填写更正原因` }], '年度考评未发布');
    if (reason.length > NOTE_MAX) throw new ValidationError([{ field: 'note', message: `更正原因不超过 ${NOTE_MAX} 个字` }], '年度考评未发布');
    const now = nowIso(ctx.clock);
    const { id } = await trx.insertInto('rating_publications').values({
      year, revision, supersedes_id: last?.id ?? null, rule: JSON.stringify(figures.rule.rule), rows: JSON.stringify(figures.rows),
      note: reason === '' ? null : reason, published_at: now, published_by: ctx.actor.id,
    }).returning('id').executeTakeFirstOrThrow();
    await recordAudit(trx, ctx.clock, auditActor(ctx), {
      action: 'rating.publish', entityType: 'rating', entityId: year,
      summary: revision === 1 ? `发布 ${year} 年度考评（第 1 版）` : `更正发布 ${year} 年度考评（第 ${revision} 版）：${reason}`,
      after: { year, revision, note: reason || null, publication: id, units: figures.rows.length },
    });
    return revision;
  });
}
