// A campaign's statistics page (统计分析): the bureau reads the whole campaign (or one unit with ?unitId=); a department
// reads its own unit's figures once the results are released (before that, a notice); reviewers none. Every figure
// links to the files behind it; the charts are server-rendered SVG.
import { Router } from 'express';
import type { Deps } from '../../context.ts';
import { asActor } from '../../context.ts';
import { CAMPAIGN_KIND_LABELS, CAMPAIGN_STATUS_LABELS, type CampaignStatus } from '../../domain/campaigns.ts';
import { issuesOfUnit } from '../../domain/issues.ts';
import { can } from '../../domain/policy.ts';
import { campaignStatistics } from '../../domain/statistics.ts';
import { assertCan, ctxOf } from '../../web/auth.ts';
import { idParam, optionalId } from '../../web/form.ts';
import { campaignUnits } from '../campaigns/queries.ts';
import { visibleCampaign } from '../campaigns/service.ts';
import { campaignFindings, campaignIssues } from '../issues/service.ts';
import { progressFiles } from '../reviews/progress-queries.ts';
import { resultsReleased } from '../reviews/progress-routes.ts';
import {
  caseTypeRows, coverage, definitions, figures, gradeChart, issueChart, issuesUrl, progressUrl, resultsUrl, reviewerRows, stageNotice,
  statisticsUrl, topIssues, trendChart, unitAverageChart, unitRows, type ResultsLink,
} from './presenter.ts';
import { campaignBands, finalResults, statisticsOf, yearlyAverages } from './service.ts';

export function statisticsRoutes(deps: Deps): Router {
  const router = Router();

  router.get('/campaigns/:id/statistics', async (req, res) => {
    const ctx = ctxOf(req, deps);
    const campaign = await visibleCampaign(ctx, idParam(req));
    const actor = asActor(ctx.actor);
    const department = actor.role === 'department';
    const requestedUnit = optionalId(req.query, 'unitId');
    // The bureau reads everything; a department its own unit only (another unit is refused); a reviewer nothing.
    assertCan(req, 'result.view', { participant: true, unitId: department ? requestedUnit ?? actor.unitId : undefined });
    const statusLabel = CAMPAIGN_STATUS_LABELS[campaign.status as CampaignStatus];
    const title = `统计分析 - ${campaign.name}`;
    if (department && !resultsReleased(campaign)) {
      return res.render('statistics/campaign', {
        title, campaign, statusLabel, department,
        notReleased: `本活动的评查结果尚未发布（当前阶段：${statusLabel}）。结果发布后，本单位可以在这里查看本单位案卷的得分、等次、合格率和优秀率、发现的主要问题以及历年变化。`,
      });
    }

    const db = deps.db;
    const id = campaign.id;
    const units = (await campaignUnits(db, id)).sort((a, b) => a.code.localeCompare(b.code));
    const unitId = department ? actor.unitId : units.some((u) => u.id === requestedUnit) ? requestedUnit : null;
    const unit = unitId === null ? null : units.find((u) => u.id === unitId) ?? null;
    const bands = await campaignBands(db, id);
    const topGrade = bands[0]?.code ?? null;
    // Read once: the vetoed files of the whole campaign and of a unit, and the issues, all come from them.
    const findings = await campaignFindings(db, id);
    const stats = await statisticsOf(db, campaign, findings);
    // A unit in view: its own files' figures (the result list pins a department to its unit, so no unitId in its links).
    const unitStats = unit ? campaignStatistics(await finalResults(db, id, unit.id, findings), bands, [{ unitId: unit.id, unitName: unit.name }], []) : null;
    const summary = unitStats ? unitStats.summary : stats.summary;
    const unitRow = unit ? stats.byUnit.find((r) => r.unitId === unit.id) ?? null : null;
    const scope: ResultsLink = unit && !department ? { unitId: unit.id } : {};

    const states = (await progressFiles(db, campaign)).filter((f) => unit === null || f.unitId === unit.id);
    const reviewing = states.filter((f) => f.state === 'reviewing').length;
    const recheck = states.filter((f) => f.state === 'recheck').length;
    const bureau = can(actor, 'progress.view');

    const classification = await campaignIssues(db, campaign, findings);
    const issues = topIssues(unit ? issuesOfUnit(classification, unit.id) : classification.issues, id);

    const region = await yearlyAverages(db, null);
    const unitTrend = unit ? await yearlyAverages(db, unit.id) : null;
    const selfCheck = campaign.kind === 'self';
    const coverageUnits = units.filter((u) => unit === null || u.id === unit.id)
      .map((u) => ({ unitId: u.id, unitName: u.name, reportedTotal: u.reported_total }));

    res.render('statistics/campaign', {
      title, campaign, statusLabel, department, bureau,
      kindLabel: CAMPAIGN_KIND_LABELS[campaign.kind as never],
      unitView: unit ? { id: unit.id, name: unit.name } : null,
      scopeLabel: unit ? unit.name : `全部 ${units.length} 个参评单位`,
      notice: stageNotice(campaign.status, summary.files, reviewing, recheck),
      pending: {
        reviewing, recheck, total: reviewing + recheck,
        reviewingHref: bureau ? progressUrl(id, { unitId: unit?.id ?? null, state: 'reviewing' }) : null,
        recheckHref: bureau ? progressUrl(id, { unitId: unit?.id ?? null, state: 'recheck' }) : null,
      },
      empty: summary.files === 0,
      headline: figures(summary, id, scope, topGrade),
      rank: unitRow && unitRow.rank !== null ? { rank: unitRow.rank, of: stats.byUnit.filter((r) => r.rank !== null).length, gradeLabel: unitRow.gradeLabel } : null,
      gradeColumns: bands.map((b) => ({ code: b.code, label: b.label })),
      byCaseType: caseTypeRows((unitStats ?? stats).byCaseType, id, scope, topGrade),
      byUnit: unit ? null : unitRows(stats.byUnit, id, topGrade),
      byReviewer: unit || !bureau ? null : reviewerRows(stats.byReviewer, id),
      coverage: selfCheck ? coverage(coverageUnits, stats.byUnit, id) : null,
      issues, issuesHref: unit && !department ? `${issuesUrl(id)}?unitId=${unit.id}` : issuesUrl(id),
      charts: {
        grades: gradeChart(summary, unit ? `${unit.name}案卷等次分布` : '案卷等次分布'),
        units: unit ? null : unitAverageChart(stats.byUnit),
        issues: issueChart(issues),
        trend: trendChart(region, unit && unitTrend ? { name: unit.name, points: unitTrend } : null),
      },
      definitions: definitions(bands, selfCheck),
      resultsHref: resultsUrl(id, scope),
      progressHref: bureau ? `/campaigns/${id}/progress` : null,
      allUnitsHref: unit && !department ? statisticsUrl(id) : null,
      unitOptions: department ? [] : units.map((u) => ({ id: u.id, name: u.name })),
    });
  });

  return router;
}
