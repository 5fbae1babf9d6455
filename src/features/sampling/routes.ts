// The sampling page: rules, the seeded draw and its verification, and the sample with manual changes.
import { Router, type Request, type Response } from 'express';
import type { Deps } from '../../context.ts';
import { asActor } from '../../context.ts';
import { formatSeed } from '../../domain/prng.ts';
import { can } from '../../domain/policy.ts';
import { describeRule } from '../../domain/sampling.ts';
import { CASE_TYPE_LABELS, CASE_TYPES, type CaseType } from '../../domain/vocabulary.ts';
import { forbidden } from '../../web/app-error.ts';
import { ctxOf, permit } from '../../web/auth.ts';
import { changeAndRedirect } from '../../web/flash-action.ts';
import { idParam, optionalId, text } from '../../web/form.ts';
import { campaignUnits } from '../campaigns/queries.ts';
import { visibleCampaign } from '../campaigns/service.ts';
import { activeDraw, rulesOf, sampledFiles, toRule } from './queries.ts';
import { addFileByHand, addRule, deleteRule, draw, REDRAW_REASON, removeFileByHand, verifyActiveDraw, type DrawRecord } from './service.ts';

const change = (req: Request, res: Response, campaignId: number, run: () => Promise<string>) =>
  changeAndRedirect(req, res, `/campaigns/${campaignId}/sampling`, run);

export function samplingRoutes(deps: Deps): Router {
  const router = Router();

  router.get('/campaigns/:id/sampling', permit('campaign.list'), async (req, res) => {
    const ctx = ctxOf(req, deps);
    const campaign = await visibleCampaign(ctx, idParam(req));
    const actor = asActor(ctx.actor);
    const manage = can(actor, 'campaign.manage');
    if (!manage && actor.role !== 'leader' && actor.role !== 'department') throw forbidden();
    // A department sees the draw's seed and rules, and only its own unit's files.
    const ownUnit = actor.role === 'department' ? actor.unitId : undefined;
    const units = await campaignUnits(deps.db, campaign.id);
    const names = new Map(units.map((u) => [u.id, u.name]));
    const drawRow = await activeDraw(deps.db, campaign.id);
    const record = drawRow ? (JSON.parse(drawRow.result_json) as DrawRecord) : null;
    const files = await sampledFiles(deps.db, campaign.id, ownUnit);
    const verification = text(req.query, 'verify') === '1' && ownUnit === undefined ? await verifyActiveDraw(deps.db, campaign.id) : null;
    res.render('sampling/index', {
      title: `抽取案卷 - ${campaign.name}`,
      campaign,
      isSelf: campaign.kind === 'self',
      canVerify: ownUnit === undefined,
      canManage: manage && (campaign.status === 'sampling' || campaign.status === 'draft') && campaign.kind !== 'self',
      canDraw: manage && campaign.status === 'sampling' && campaign.kind !== 'self',
      rules: (await rulesOf(deps.db, campaign.id)).filter((r) => ownUnit === undefined || r.unit_id === null || r.unit_id === ownUnit)
        .map((r) => ({ id: r.id, text: describeRule(toRule(r), { unitNames: names }) })),
      unitOptions: units.map((u) => ({ id: u.id, name: u.name })),
      caseTypeOptions: CASE_TYPES.map((c) => ({ value: c, label: CASE_TYPE_LABELS[c] })),
      draw: drawRow ? {
        seed: formatSeed(drawRow.seed), drawnAt: drawRow.drawn_at,
        groups: (record?.groups ?? []).filter((g) => ownUnit === undefined || g.unitId === ownUnit).map((g) => ({
          ...g, unitName: names.get(g.unitId) ?? `#${g.unitId}`, caseTypeLabel: CASE_TYPE_LABELS[g.caseType as CaseType], drawnCount: g.drawn.length,
        })),
        // Warnings name other units' lists: the bureau's to read.
        warnings: ownUnit === undefined ? record?.warnings ?? [] : [],
      } : null,
      verification,
      active: files.filter((f) => f.removed_at === null),
      // Files removed by hand, with their reasons; those replaced by a new draw are in the draw history.
      removed: files.filter((f) => f.removed_at !== null && f.removed_reason !== REDRAW_REASON),
    });
  });

  router.post('/campaigns/:id/sampling/rules', permit('campaign.manage'), async (req, res) => {
    const ctx = ctxOf(req, deps);
    const campaign = await visibleCampaign(ctx, idParam(req));
    await change(req, res, campaign.id, async () => {
      await addRule(ctx, campaign.id, {
        unitId: optionalId(req.body, 'unitId'), caseType: text(req.body, 'caseType'), mode: text(req.body, 'mode'),
        value: text(req.body, 'value'), minimum: text(req.body, 'minimum'), majorWeight: text(req.body, 'majorWeight'),
      });
      return '抽取规则已添加';
    });
  });

  router.post('/campaigns/:id/sampling/rules/:ruleId/delete', permit('campaign.manage'), async (req, res) => {
    const ctx = ctxOf(req, deps);
    const campaign = await visibleCampaign(ctx, idParam(req));
    await change(req, res, campaign.id, async () => {
      await deleteRule(ctx, campaign.id, idParam(req, 'ruleId'));
      return '抽取规则已删除';
    });
  });

  router.post('/campaigns/:id/sampling/draw', permit('campaign.manage'), async (req, res) => {
    const ctx = ctxOf(req, deps);
    const campaign = await visibleCampaign(ctx, idParam(req));
    await change(req, res, campaign.id, async () => {
      const result = await draw(ctx, campaign.id, text(req.body, 'seed'));
      return `已按种子 ${formatSeed(result.seed)} 抽取 ${result.drawnIds.length} 卷案卷${result.warnings.length ? `（${result.warnings.join('；')}）` : ''}`;
    });
  });

  router.post('/campaigns/:id/sampling/add', permit('campaign.manage'), async (req, res) => {
    const ctx = ctxOf(req, deps);
    const campaign = await visibleCampaign(ctx, idParam(req));
    await change(req, res, campaign.id, async () => {
      await addFileByHand(ctx, campaign.id, optionalId(req.body, 'unitId'), text(req.body, 'fileNumber'), text(req.body, 'reason'));
      return '案卷已加入抽取名单';
    });
  });

  router.post('/campaigns/:id/sampling/files/:fileId/remove', permit('campaign.manage'), async (req, res) => {
    const ctx = ctxOf(req, deps);
    const campaign = await visibleCampaign(ctx, idParam(req));
    await change(req, res, campaign.id, async () => {
      await removeFileByHand(ctx, campaign.id, idParam(req, 'fileId'), text(req.body, 'reason'));
      return '案卷已移出抽取名单';
    });
  });

  return router;
}
