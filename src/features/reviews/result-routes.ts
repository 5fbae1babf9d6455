// A file's review result page: sheets (blind rules), reconciliation, re-check, final result history, objections;
// naming the rechecker, raising and deciding objections; a campaign's objection list.
import { Router, type Request, type Response } from 'express';
import type { Deps } from '../../context.ts';
import { asActor, nowIso } from '../../context.ts';
import { notFound } from '../../web/app-error.ts';
import { assertCan, ctxOf, permit } from '../../web/auth.ts';
import { changeAndRedirect } from '../../web/flash-action.ts';
import { idParam, optionalId, text } from '../../web/form.ts';
import { visibleCampaign } from '../campaigns/service.ts';
import { findFile, findObjection } from './queries.ts';
import { objectionList, resultPage } from './result-presenter.ts';
import { assignRechecker, decideObjection, fileVisibility, raiseObjection } from './service.ts';

const resultUrl = (campaignId: number, fileId: number) => `/campaigns/${campaignId}/files/${fileId}/result`;

const change = (req: Request, res: Response, target: string, run: () => Promise<string>) => changeAndRedirect(req, res, target, run);

export function resultRoutes(deps: Deps): Router {
  const router = Router();

  /** The campaign and the file, as far as this user may see them (404 otherwise, 403 for a department before release). */
  async function visibleFile(req: Request) {
    const ctx = ctxOf(req, deps);
    const campaign = await visibleCampaign(ctx, idParam(req));
    const file = await findFile(deps.db, campaign.id, idParam(req, 'fileId'));
    if (!file) throw notFound('案卷');
    const visibility = await fileVisibility(deps.db, asActor(ctx.actor), campaign, file);
    return { ctx, campaign, file, visibility };
  }

  router.get('/campaigns/:id/files/:fileId/result', async (req, res) => {
    const { ctx, campaign, file, visibility } = await visibleFile(req);
    res.render('reviews/result', await resultPage(deps.db, { actor: asActor(ctx.actor), campaign, file, visibility, now: nowIso(deps.clock) }));
  });

  router.post('/campaigns/:id/files/:fileId/rechecker', permit('campaign.manage'), async (req, res) => {
    const ctx = ctxOf(req, deps);
    const campaign = await visibleCampaign(ctx, idParam(req));
    const fileId = idParam(req, 'fileId');
    if (!(await findFile(deps.db, campaign.id, fileId))) throw notFound('案卷');
    await change(req, res, resultUrl(campaign.id, fileId), () => assignRechecker(ctx, campaign.id, fileId, optionalId(req.body, 'recheckerId')));
  });

  router.post('/campaigns/:id/files/:fileId/objections', permit('objection.raise'), async (req, res) => {
    // Another unit's file is a 404 and results not yet released a 403, exactly as on the page.
    const { ctx, campaign, file } = await visibleFile(req);
    await change(req, res, resultUrl(campaign.id, file.id), async () => {
      const id = await raiseObjection(ctx, campaign.id, file.id, text(req.body, 'target'), text(req.body, 'reason'));
      return `异议已提交（第 ${id} 号），请等待评查机关处理`;
    });
  });

  router.post('/objections/:id/decide', permit('objection.decide'), async (req, res) => {
    const ctx = ctxOf(req, deps);
    const objection = await findObjection(deps.db, idParam(req));
    if (!objection) throw notFound('异议');
    await change(req, res, resultUrl(objection.campaign_id, objection.case_file_id),
      () => decideObjection(ctx, objection.id, text(req.body, 'decision'), text(req.body, 'reason')));
  });

  router.get('/campaigns/:id/objections', async (req, res) => {
    const ctx = ctxOf(req, deps);
    // A department sees the campaigns its unit takes part in; within one, only its own unit's objections.
    const campaign = await visibleCampaign(ctx, idParam(req));
    const actor = asActor(ctx.actor);
    assertCan(req, 'result.view', { participant: true, unitId: actor.unitId });
    const unitId = actor.role === 'admin' || actor.role === 'leader' ? null : actor.unitId;
    const objections = await objectionList(deps.db, campaign, unitId);
    res.render('reviews/objections', {
      title: `异议处理 - ${campaign.name}`,
      campaign,
      objections,
      openCount: objections.filter((o) => o.status === 'open').length,
      bureauView: unitId === null,
    });
  });

  return router;
}
