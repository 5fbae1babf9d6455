// Campaign pages: the list, a campaign's overview (units, rubrics, stage), the settings form, units, rubrics, stage changes.
import { Router, type Response } from 'express';
import type { Deps } from '../../context.ts';
import { asActor } from '../../context.ts';
import {
  CAMPAIGN_KIND_LABELS, CAMPAIGN_KINDS, CAMPAIGN_STATUS_LABELS, defaultSettings, docNumber, isStarted, RESULT_SETTINGS,
  transitionProblems, transitionsFrom, type CampaignKind, type CampaignSettings, type CampaignStatus, type SettingsInput,
} from '../../domain/campaigns.ts';
import { can } from '../../domain/policy.ts';
import { formatTenths } from '../../domain/rubric/points.ts';
import { progressBoard } from '../../domain/progress.ts';
import { orderAsTree } from '../../domain/units.ts';
import { CASE_TYPE_LABELS, CASE_TYPES, type CaseType } from '../../domain/vocabulary.ts';
import { AppError, ValidationError } from '../../web/app-error.ts';
import { ctxOf, permit } from '../../web/auth.ts';
import { flash } from '../../web/flash.ts';
import { changeAndRedirect } from '../../web/flash-action.ts';
import { byField, idParam, list, optionalId, text } from '../../web/form.ts';
import { searchAudit } from '../audit/queries.ts';
import { progressFiles, progressSheets } from '../reviews/progress-queries.ts';
import { listVersions } from '../rubrics/queries.ts';
import { allUnits } from '../units/queries.ts';
import { campaignRubrics, campaignsFor, campaignUnits, settingsOf, statusOf } from './queries.ts';
import {
  campaignFacts, createCampaign, pinRubric, setCampaignUnits, transitionCampaign, updateCampaign, visibleCampaign,
} from './service.ts';

const SETTING_KEYS: (keyof CampaignSettings)[] = [
  'name', 'year', 'kind', 'description', 'periodFrom', 'periodTo', 'reviewersPerFile', 'disagreementThresholdTenths',
  'commonIssueThreshold', 'objectionWindowDays', 'rectificationDays', 'docNumberPattern',
];

function readSettings(body: unknown): SettingsInput {
  return Object.fromEntries(SETTING_KEYS.map((k) => [k, text(body, k)])) as SettingsInput;
}

/** Settings as the form shows them (threshold in points, not tenths). */
function formValues(s: CampaignSettings): SettingsInput {
  const values = Object.fromEntries(SETTING_KEYS.map((k) => [k, s[k] === null ? '' : String(s[k])])) as SettingsInput;
  values.disagreementThresholdTenths = formatTenths(s.disagreementThresholdTenths);
  return values;
}

export function campaignRoutes(deps: Deps): Router {
  const router = Router();
  const kindOptions = CAMPAIGN_KINDS.map((k) => ({ value: k, label: CAMPAIGN_KIND_LABELS[k] }));

  const renderForm = (res: Response, options: { campaignId?: number; status?: CampaignStatus; values: SettingsInput; errors?: Record<string, string> }) => {
    const locked = options.status && isStarted(options.status) ? RESULT_SETTINGS : [];
    res.render('campaigns/form', {
      title: options.campaignId ? '修改活动设置' : '新建评查活动',
      campaignId: options.campaignId, values: options.values, errors: options.errors ?? {}, kindOptions,
      locked: Object.fromEntries(locked.map((k) => [k, true])),
    });
  };

  router.get('/campaigns', permit('campaign.list'), async (req, res) => {
    const rows = await campaignsFor(deps.db, asActor(req.user!));
    res.render('campaigns/index', {
      title: '评查活动',
      campaigns: rows.map((c) => ({ ...c, kindLabel: CAMPAIGN_KIND_LABELS[c.kind as never], statusLabel: CAMPAIGN_STATUS_LABELS[c.status as CampaignStatus] })),
      canManage: can(asActor(req.user!), 'campaign.manage'),
    });
  });

  router.get('/campaigns/new', permit('campaign.manage'), (_req, res) => {
    const year = Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(deps.clock.now()));
    renderForm(res, { values: formValues(defaultSettings(year)) });
  });

  router.post('/campaigns', permit('campaign.manage'), async (req, res) => {
    const input = readSettings(req.body);
    try {
      const id = await createCampaign(ctxOf(req, deps), input);
      flash(req, 'success', '评查活动已创建，请选择参评单位并指定评查标准');
      res.redirect(`/campaigns/${id}`);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      res.status(422);
      renderForm(res, { values: input, errors: byField(e.problems) });
    }
  });

  router.get('/campaigns/:id', permit('campaign.list'), async (req, res) => {
    const ctx = ctxOf(req, deps);
    const campaign = await visibleCampaign(ctx, idParam(req));
    const status = statusOf(campaign);
    const manage = can(asActor(ctx.actor), 'campaign.manage');
    // A department sees its own unit's row only: other units' lists and figures are theirs.
    const participating = (await campaignUnits(deps.db, campaign.id))
      .filter((u) => ctx.actor.role !== 'department' || u.id === ctx.actor.unitId)
      // A reviewer sees the files assigned to them, not the units' lists.
      .filter(() => ctx.actor.role !== 'reviewer');
    const units = orderAsTree(participating.map((u) => ({
      id: u.id, code: u.code, name: u.name, kind: u.kind as never, parentId: u.parent_id, active: u.active === 1,
    })));
    const unitStats = new Map(participating.map((u) => [u.id, u]));
    const pinned = await campaignRubrics(deps.db, campaign.id);
    const facts = manage ? await campaignFacts(deps.db, campaign) : null;
    const versions = manage ? await listVersions(deps.db) : [];
    // Scoring links and figures: the board for the bureau once review has started; results and objections for a
    // department only once released (its own unit's, which those pages enforce).
    const actor = asActor(ctx.actor);
    const started = isStarted(status);
    const released = status === 'released' || status === 'closed';
    const bureau = ctx.actor.role === 'admin' || ctx.actor.role === 'leader';
    const scoring = {
      progress: started && can(actor, 'progress.view'),
      results: started && can(actor, 'result.view', { participant: true, unitId: actor.unitId }) && (bureau || released),
      objections: released && (bureau || ctx.actor.role === 'department'),
      // Issues (问题汇总): as the results — the bureau once review has started, a department its own once released.
      issues: started && can(actor, 'result.view', { participant: true, unitId: actor.unitId }) && (bureau || released),
      // Statistics (统计分析): as the issues — the bureau once review has started, a department its own unit's once released.
      statistics: started && can(actor, 'result.view', { participant: true, unitId: actor.unitId }) && (bureau || released),
      // Rectification (整改) once released: the bureau's campaign page; a department its own notices.
      rectificationHref: !released ? null : bureau ? `/campaigns/${campaign.id}/rectification` : ctx.actor.role === 'department' ? '/rectification' : null,
    };
    const progress = scoring.progress ? progressBoard(await progressFiles(deps.db, campaign), await progressSheets(deps.db, campaign)).total : null;
    const history = manage || ctx.actor.role === 'leader'
      ? (await searchAudit(deps.db, { entityType: 'campaign', entityId: String(campaign.id) }, 1)).rows
      : [];
    res.render('campaigns/show', {
      title: campaign.name,
      campaign,
      settings: settingsOf(campaign),
      threshold: formatTenths(campaign.disagreement_threshold_tenths),
      kindLabel: CAMPAIGN_KIND_LABELS[campaign.kind as never],
      statusLabel: CAMPAIGN_STATUS_LABELS[status],
      stages: (['draft', 'sampling', 'reviewing', 'rechecking', 'released', 'closed'] as const).map((s) => ({
        label: CAMPAIGN_STATUS_LABELS[s], current: s === status,
      })),
      units: units.map((u) => ({ ...u, ...unitStats.get(u.id) })),
      rubrics: CASE_TYPES.map((ct) => ({
        caseType: ct, label: CASE_TYPE_LABELS[ct], pinned: pinned.find((p) => p.case_type === ct) ?? null,
        options: versions.filter((v) => (JSON.parse(v.case_types) as string[]).includes(ct)),
      })).filter((r) => r.pinned || (manage && r.options.length > 0)),
      transitions: manage && facts ? transitionsFrom(status, campaign.kind as CampaignKind).map((t) => ({ ...t, problems: transitionProblems(status, t.to, facts) })) : [],
      facts,
      canManage: manage && status !== 'closed',
      bureauView: ctx.actor.role === 'admin' || ctx.actor.role === 'leader',
      docNumberExample: docNumber(campaign.doc_number_pattern, campaign.year, 1),
      setupOpen: manage && !isStarted(status),
      scoring,
      progress,
      history,
    });
  });

  router.get('/campaigns/:id/edit', permit('campaign.manage'), async (req, res) => {
    const campaign = await visibleCampaign(ctxOf(req, deps), idParam(req));
    renderForm(res, { campaignId: campaign.id, status: statusOf(campaign), values: formValues(settingsOf(campaign)) });
  });

  router.post('/campaigns/:id', permit('campaign.manage'), async (req, res) => {
    const ctx = ctxOf(req, deps);
    const campaign = await visibleCampaign(ctx, idParam(req));
    const input = readSettings(req.body);
    try {
      await updateCampaign(ctx, campaign.id, input);
      flash(req, 'success', '活动设置已保存');
      res.redirect(`/campaigns/${campaign.id}`);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      res.status(422);
      renderForm(res, { campaignId: campaign.id, status: statusOf(campaign), values: input, errors: byField(e.problems) });
    }
  });

  router.get('/campaigns/:id/units', permit('campaign.manage'), async (req, res) => {
    const campaign = await visibleCampaign(ctxOf(req, deps), idParam(req));
    const selected = new Set((await campaignUnits(deps.db, campaign.id)).map((u) => u.id));
    res.render('campaigns/units', {
      title: '选择参评单位', campaign,
      units: orderAsTree((await allUnits(deps.db)).filter((u) => u.active || selected.has(u.id))).map((u) => ({ ...u, selected: selected.has(u.id) })),
      locked: isStarted(statusOf(campaign)),
    });
  });

  router.post('/campaigns/:id/units', permit('campaign.manage'), async (req, res) => {
    const ctx = ctxOf(req, deps);
    const campaign = await visibleCampaign(ctx, idParam(req));
    const ids = list(req.body, 'unitIds').filter((v) => /^[1-9]\d{0,9}$/.test(v)).map(Number);
    try {
      await setCampaignUnits(ctx, campaign.id, ids);
      flash(req, 'success', `参评单位已保存（共 ${new Set(ids).size} 个）`);
    } catch (e) {
      if (e instanceof ValidationError || (e instanceof AppError && e.status === 409)) {
        flash(req, 'error', e instanceof ValidationError ? e.problems.map((p) => p.message).join('；') : e.message);
        return res.redirect(`/campaigns/${campaign.id}/units`);
      }
      throw e;
    }
    res.redirect(`/campaigns/${campaign.id}`);
  });

  router.post('/campaigns/:id/rubrics', permit('campaign.manage'), async (req, res) => {
    const ctx = ctxOf(req, deps);
    const campaign = await visibleCampaign(ctx, idParam(req));
    await changeAndRedirect(req, res, `/campaigns/${campaign.id}#rubrics`, async () => {
      const versionId = optionalId(req.body, 'versionId');
      // An empty choice means "do not review this case type"; anything else must be a version id.
      if (versionId === null && text(req.body, 'versionId').trim() !== '') throw new ValidationError([{ field: 'versionId', message: '评查标准版本不存在' }]);
      await pinRubric(ctx, campaign.id, text(req.body, 'caseType'), versionId);
      return `${CASE_TYPE_LABELS[text(req.body, 'caseType') as CaseType] ?? ''}评查标准已保存`;
    });
  });

  router.post('/campaigns/:id/transition', permit('campaign.manage'), async (req, res) => {
    const ctx = ctxOf(req, deps);
    const campaign = await visibleCampaign(ctx, idParam(req));
    await changeAndRedirect(req, res, `/campaigns/${campaign.id}`, async () => {
      const to = await transitionCampaign(ctx, campaign.id, text(req.body, 'to'));
      return `活动已转入“${CAMPAIGN_STATUS_LABELS[to]}”阶段`;
    });
  });

  return router;
}
