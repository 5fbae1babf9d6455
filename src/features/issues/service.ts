// A campaign's findings and issues, read from the current final results, and the bureau's merging of
// "其他问题" into one issue. The grouping rules live in src/domain/issues.ts.
import type { Ctx } from '../../context.ts';
import { asActor, nowIso } from '../../context.ts';
import type { DbOrTrx } from '../../db/connection.ts';
import type { CampaignRow } from '../../db/schema.ts';
import { classifyIssues, findingsOf, historyKey, type Classification, type Finding, type FindingKind, type OtherGroups, type ResultMark } from '../../domain/issues.ts';
import { can } from '../../domain/policy.ts';
import type { Rubric } from '../../domain/rubric/types.ts';
import { conflict, forbidden, notFound, ValidationError } from '../../web/app-error.ts';
import { auditActor, recordAudit } from '../audit/record.ts';
import { findCampaign } from '../campaigns/queries.ts';
import { idsOf, rubricOfVersion, withdrawnOf } from '../reviews/queries.ts';

export const GROUP_TITLE_MAX = 100;

/** The merged "其他问题" of a campaign, by mark id. */
export async function otherGroupsOf(db: DbOrTrx, campaignId: number): Promise<OtherGroups> {
  const rows = await db.selectFrom('issue_group_members').innerJoin('issue_groups', 'issue_groups.id', 'issue_group_members.group_id')
    .select(['issue_group_members.review_mark_id', 'issue_groups.id', 'issue_groups.title'])
    .where('issue_groups.campaign_id', '=', campaignId).execute();
  return new Map(rows.map((r) => [r.review_mark_id, { groupId: r.id, title: r.title }]));
}

/** Every finding of a campaign's current final results, optionally of one unit only (filtered in the query). */
export async function campaignFindings(db: DbOrTrx, campaignId: number, unitId: number | null = null): Promise<Finding[]> {
  let finals = db.selectFrom('final_results').innerJoin('case_files', 'case_files.id', 'final_results.case_file_id')
    .innerJoin('units', 'units.id', 'case_files.unit_id')
    .select(['final_results.case_file_id', 'final_results.sheets', 'final_results.withdrawn', 'case_files.file_number', 'case_files.unit_id', 'units.name as unit_name'])
    .where('final_results.campaign_id', '=', campaignId).where('final_results.superseded_at', 'is', null);
  if (unitId !== null) finals = finals.where('case_files.unit_id', '=', unitId);
  const results = await finals.orderBy('final_results.case_file_id').execute();
  if (results.length === 0) return [];

  let marksQuery = db.selectFrom('review_marks').innerJoin('reviews', 'reviews.id', 'review_marks.review_id')
    .innerJoin('users', 'users.id', 'reviews.reviewer_id')
    .select(['review_marks.id', 'review_marks.review_id', 'review_marks.kind', 'review_marks.item_code', 'review_marks.note', 'review_marks.document',
      'review_marks.page', 'reviews.case_file_id', 'reviews.rubric_version_id', 'users.display_name'])
    .where('reviews.campaign_id', '=', campaignId).where('reviews.status', '=', 'submitted');
  if (unitId !== null) marksQuery = marksQuery.where('reviews.case_file_id', 'in', results.map((r) => r.case_file_id));
  const marks = await marksQuery.orderBy('review_marks.review_id').orderBy('review_marks.position').execute();
  const marksByReview = new Map<number, typeof marks>();
  const versionOfReview = new Map<number, number>();
  for (const m of marks) {
    marksByReview.set(m.review_id, [...(marksByReview.get(m.review_id) ?? []), m]);
    versionOfReview.set(m.review_id, m.rubric_version_id);
  }
  const rubrics = new Map<number, Rubric>();
  const rubricOf = async (versionId: number): Promise<Rubric> => {
    let r = rubrics.get(versionId);
    if (!r) {
      r = await rubricOfVersion(db, versionId);
      rubrics.set(versionId, r);
    }
    return r;
  };
  const groups = await otherGroupsOf(db, campaignId);
  const findings: Finding[] = [];
  for (const result of results) {
    const sheetIds = idsOf(result.sheets);
    const resultMarks: ResultMark[] = sheetIds.flatMap((id) => (marksByReview.get(id) ?? []).map((m) => ({
      markId: m.id, kind: m.kind as FindingKind, code: m.kind === 'other' ? '' : m.item_code, reviewId: m.review_id, reviewerName: m.display_name,
      note: m.note ?? '', document: m.document ?? '', page: m.page ?? '',
    })));
    // A result with no marks at all has no findings; its rubric is not needed.
    const versionId = sheetIds.map((id) => versionOfReview.get(id)).find((v) => v !== undefined);
    if (versionId === undefined) continue;
    findings.push(...findingsOf({
      fileId: result.case_file_id, fileNumber: result.file_number, unitId: result.unit_id, unitName: result.unit_name,
      rubric: await rubricOf(versionId), withdrawn: withdrawnOf(result.withdrawn), marks: resultMarks,
    }, groups));
  }
  return findings;
}

/**
 * Rubric issues found in each unit in released campaigns of earlier years: what makes an issue repeated (屡查屡犯).
 * "其他问题" are worded per campaign and are not compared across years.
 */
export async function earlierFindings(db: DbOrTrx, campaign: CampaignRow): Promise<Set<string>> {
  const earlier = await db.selectFrom('campaigns').select('id')
    .where('year', '<', campaign.year).where('status', 'in', ['released', 'closed']).execute();
  const keys = new Set<string>();
  for (const c of earlier) {
    for (const f of await campaignFindings(db, c.id)) if (f.kind !== 'other') keys.add(historyKey(f.unitId, f.key));
  }
  return keys;
}

/** `findings`: the whole campaign's findings when the caller has already read them. */
export async function campaignIssues(db: DbOrTrx, campaign: CampaignRow, findings?: readonly Finding[]): Promise<Classification> {
  return classifyIssues(findings ?? await campaignFindings(db, campaign.id), campaign.common_issue_threshold, await earlierFindings(db, campaign));
}

async function campaignForMerge(ctx: Ctx, campaignId: number): Promise<CampaignRow> {
  if (!can(asActor(ctx.actor), 'campaign.manage')) throw forbidden();
  const campaign = await findCampaign(ctx.db, campaignId);
  if (!campaign) throw notFound('评查活动');
  if (campaign.status === 'closed') throw conflict('活动已结束，不能再归并问题');
  return campaign;
}

/** The "其他问题" marks of the campaign's current results, by id, to check a merge against. */
async function otherMarksOfResults(db: DbOrTrx, campaignId: number): Promise<Map<number, string>> {
  const finals = await db.selectFrom('final_results').select('sheets').where('campaign_id', '=', campaignId).where('superseded_at', 'is', null).execute();
  const sheetIds = finals.flatMap((f) => idsOf(f.sheets));
  if (sheetIds.length === 0) return new Map();
  const rows = await db.selectFrom('review_marks').select(['id', 'note']).where('kind', '=', 'other').where('review_id', 'in', sheetIds).execute();
  return new Map(rows.map((r) => [r.id, r.note ?? '']));
}

/** Merges "其他问题" into one issue with the bureau's wording; marks already in a group move to the new one. */
export async function mergeOtherIssues(ctx: Ctx, campaignId: number, title: string, markIds: number[]): Promise<number> {
  const wording = title.trim();
  const problems: { field: string; message: string }[] = [];
  if (wording === '') problems.push({ field: 'title', message: '请填写归并后的问题表述' });
  else if (wording.length > GROUP_TITLE_MAX) problems.push({ field: 'title', message: `问题表述不超过 ${GROUP_TITLE_MAX} 个字` });
  const ids = [...new Set(markIds)];
  if (ids.length < 1) problems.push({ field: 'markIds', message: '请至少选择一条“其他问题”' });
  return ctx.db.transaction().execute(async (trx) => {
    const campaign = await campaignForMerge({ ...ctx, db: trx }, campaignId);
    const others = await otherMarksOfResults(trx, campaign.id);
    const unknown = ids.filter((id) => !others.has(id));
    if (unknown.length > 0) problems.push({ field: 'markIds', message: `所选记录中有 ${unknown.length} 条不是本活动最后得分中的“其他问题”` });
    if (problems.length > 0) throw new ValidationError(problems);
    const { id } = await trx.insertInto('issue_groups').values({ campaign_id: campaign.id, title: wording, created_at: nowIso(ctx.clock), created_by: ctx.actor.id })
      .returning('id').executeTakeFirstOrThrow();
    await trx.deleteFrom('issue_group_members').where('review_mark_id', 'in', ids).execute();
    for (const markId of ids) await trx.insertInto('issue_group_members').values({ group_id: id, review_mark_id: markId }).execute();
    await removeEmptyGroups(trx, campaign.id);
    await recordAudit(trx, ctx.clock, auditActor(ctx), {
      action: 'issue.merge', entityType: 'campaign', entityId: campaign.id,
      summary: `将 ${ids.length} 条“其他问题”归并为“${wording}”：${ids.map((m) => others.get(m)).join('；')}`,
    });
    return id;
  });
}

/** Takes marks out of their groups again (each becomes its own issue). */
export async function splitOtherIssues(ctx: Ctx, campaignId: number, markIds: number[]): Promise<number> {
  return ctx.db.transaction().execute(async (trx) => {
    const campaign = await campaignForMerge({ ...ctx, db: trx }, campaignId);
    const groups = await otherGroupsOf(trx, campaign.id);
    const ids = [...new Set(markIds)].filter((id) => groups.has(id));
    if (ids.length === 0) throw new ValidationError([{ field: 'markIds', message: '请选择已归并的“其他问题”' }]);
    await trx.deleteFrom('issue_group_members').where('review_mark_id', 'in', ids).execute();
    await removeEmptyGroups(trx, campaign.id);
    await recordAudit(trx, ctx.clock, auditActor(ctx), {
      action: 'issue.split', entityType: 'campaign', entityId: campaign.id,
      summary: `将 ${ids.length} 条“其他问题”移出归并：${[...new Set(ids.map((id) => groups.get(id)!.title))].join('、')}`,
    });
    return ids.length;
  });
}

async function removeEmptyGroups(db: DbOrTrx, campaignId: number): Promise<void> {
  const used = db.selectFrom('issue_group_members').select('group_id');
  await db.deleteFrom('issue_groups').where('campaign_id', '=', campaignId).where('id', 'not in', used).execute();
}
