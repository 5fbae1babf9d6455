// A campaign's issues (共性问题 / 个性问题): the list the reports quote, each issue with its files and notes, and
// the bureau's merging of 其他问题. The bureau reads the whole campaign; a department its own unit's issues once the
// results are released; reviewers read results file by file only.
import { Router, type Request } from 'express';
import type { Deps } from '../../context.ts';
import { asActor } from '../../context.ts';
import type { CampaignRow } from '../../db/schema.ts';
import { CAMPAIGN_STATUS_LABELS, type CampaignStatus } from '../../domain/campaigns.ts';
import { ISSUE_SCOPE_LABELS, issuesOfUnit } from '../../domain/issues.ts';
import { can } from '../../domain/policy.ts';
import { notFound } from '../../web/app-error.ts';
import { assertCan, ctxOf, permit } from '../../web/auth.ts';
import { changeAndRedirect } from '../../web/flash-action.ts';
import { idParam, list, optionalId, text } from '../../web/form.ts';
import { campaignUnits } from '../campaigns/queries.ts';
import { visibleCampaign } from '../campaigns/service.ts';
import { progressFiles } from '../reviews/progress-queries.ts';
import { resultsReleased } from '../reviews/progress-routes.ts';
import {
  campaignSentence, categoriesOf, filterIssues, isIssueScope, issueDetail, issueRows, issuesUrl, otherMarkRows, othersUrl, stageNotice,
  unitSentence, type UnitIssue,
} from './presenter.ts';
import { finalResultCount, otherMarksOfCampaign } from './queries.ts';
import { campaignIssues, GROUP_TITLE_MAX, mergeOtherIssues, splitOtherIssues } from './service.ts';

const KEY_MAX = 200;

/** The mark ids ticked on the form; anything that is not an id is kept as 0 so the service reports it. */
const markIdsOf = (body: unknown): number[] => list(body, 'markIds').map((v) => (/^[1-9]\d{0,9}$/.test(v.trim()) ? Number(v.trim()) : 0));

export function issueRoutes(deps: Deps): Router {
  const router = Router();

  /** The campaign as far as this user may read its issues: 404 outside it, 403 for a reviewer. */
  async function readableCampaign(req: Request) {
    const ctx = ctxOf(req, deps);
    const campaign = await visibleCampaign(ctx, idParam(req));
    const actor = asActor(ctx.actor);
    assertCan(req, 'result.view', { participant: true, unitId: actor.unitId });
    const department = actor.role === 'department';
    const statusLabel = CAMPAIGN_STATUS_LABELS[campaign.status as CampaignStatus];
    return { ctx, actor, campaign, department, statusLabel, ownUnit: department ? ctx.actor.unitName : null };
  }

  const notReleasedPage = (campaign: CampaignRow, statusLabel: string, title: string) => ({
    title, campaign, statusLabel, department: true,
    notReleased: `本活动的评查结果尚未发布（当前阶段：${statusLabel}）。结果发布后，本单位可以在这里查看本单位案卷中发现的问题（共性问题和个性问题）及其涉及的案卷，据此开展整改。`,
  });

  router.get('/campaigns/:id/issues', async (req, res) => {
    const { actor, campaign, department, statusLabel, ownUnit } = await readableCampaign(req);
    const title = `问题汇总 - ${campaign.name}`;
    if (department && !resultsReleased(campaign)) return res.render('issues/index', notReleasedPage(campaign, statusLabel, title));

    const classification = await campaignIssues(deps.db, campaign);
    const units = department ? [] : (await campaignUnits(deps.db, campaign.id)).sort((a, b) => a.code.localeCompare(b.code));
    const requestedUnit = department ? null : optionalId(req.query, 'unitId');
    const unitId = department ? actor.unitId : units.some((u) => u.id === requestedUnit) ? requestedUnit : null;
    const scoped: UnitIssue[] = unitId === null ? classification.issues : issuesOfUnit(classification, unitId);
    const scope = text(req.query, 'scope');
    const categoryOptions = categoriesOf(scoped);
    const category = text(req.query, 'category').trim();
    const filter = { scope: isIssueScope(scope) ? scope : null, category: categoryOptions.includes(category) ? category : null };
    const shown = filterIssues(scoped, filter);

    let sentence: string;
    let notice: string | null = null;
    if (department) {
      sentence = unitSentence(await finalResultCount(deps.db, campaign.id, actor.unitId), scoped, classification.threshold);
    } else {
      const finals = await finalResultCount(deps.db, campaign.id);
      sentence = campaignSentence(finals, classification);
      notice = stageNotice(campaign.status, (await progressFiles(deps.db, campaign)).length, finals);
    }

    const described: string[] = [];
    if (!department && unitId !== null) described.push(`单位：${units.find((u) => u.id === unitId)!.name}`);
    if (filter.scope) described.push(`性质：${ISSUE_SCOPE_LABELS[filter.scope]}`);
    if (filter.category) described.push(`类别：${filter.category}`);

    const manage = can(actor, 'campaign.manage');
    const others = department ? [] : otherMarkRows(campaign.id, await otherMarksOfCampaign(deps.db, campaign.id));
    res.render('issues/index', {
      title, campaign, statusLabel, department, ownUnit, sentence, notice,
      commonCount: department ? scoped.filter((i) => i.scope === 'common').length : classification.commonCount,
      individualCount: department ? scoped.filter((i) => i.scope === 'individual').length : classification.individualCount,
      issues: issueRows(campaign.id, shown),
      totalIssues: scoped.length,
      unitView: unitId !== null,
      filter: { ...filter, unitId },
      described, clearHref: issuesUrl(campaign.id),
      scopeOptions: (['common', 'individual'] as const).map((s) => ({ value: s, label: ISSUE_SCOPE_LABELS[s] })),
      categoryOptions,
      unitOptions: units.map((u) => ({ id: u.id, name: u.name })),
      others: {
        show: !department,
        rows: others,
        canMerge: manage && campaign.status !== 'closed' && others.length > 0,
        closed: campaign.status === 'closed',
        titleMax: GROUP_TITLE_MAX,
      },
    });
  });

  router.get('/campaigns/:id/issues/:key', async (req, res) => {
    const { actor, campaign, department, statusLabel, ownUnit } = await readableCampaign(req);
    if (department && !resultsReleased(campaign)) return res.render('issues/show', notReleasedPage(campaign, statusLabel, `问题详情 - ${campaign.name}`));
    const key = req.params.key;
    if (typeof key !== 'string' || key.length === 0 || key.length > KEY_MAX) throw notFound('问题');
    const classification = await campaignIssues(deps.db, campaign);
    const issue: UnitIssue | undefined = department
      ? issuesOfUnit(classification, actor.unitId).find((i) => i.key === key)
      : classification.issues.find((i) => i.key === key);
    if (!issue) throw notFound('问题');
    res.render('issues/show', {
      title: `问题详情 - ${campaign.name}`, campaign, statusLabel, department, ownUnit,
      threshold: classification.threshold,
      issue: issueDetail(campaign.id, issue),
      backHref: issuesUrl(campaign.id),
    });
  });

  router.post('/campaigns/:id/issues/merge', permit('campaign.manage'), async (req, res) => {
    const ctx = ctxOf(req, deps);
    const campaign = await visibleCampaign(ctx, idParam(req));
    await changeAndRedirect(req, res, othersUrl(campaign.id), async () => {
      const ids = markIdsOf(req.body);
      const title = text(req.body, 'title').trim();
      await mergeOtherIssues(ctx, campaign.id, title, ids);
      return `已将 ${new Set(ids).size} 条“其他问题”归并为一个问题：“${title}”`;
    });
  });

  router.post('/campaigns/:id/issues/split', permit('campaign.manage'), async (req, res) => {
    const ctx = ctxOf(req, deps);
    const campaign = await visibleCampaign(ctx, idParam(req));
    await changeAndRedirect(req, res, othersUrl(campaign.id), async () => {
      const count = await splitOtherIssues(ctx, campaign.id, markIdsOf(req.body));
      return `已取消 ${count} 条“其他问题”的归并，它们恢复为各自独立的问题`;
    });
  });

  return router;
}
