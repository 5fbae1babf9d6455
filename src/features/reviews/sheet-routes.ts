// Score sheet pages (一卷一表): a reviewer's or rechecker's own sheet, saving, submitting, printing.
import { Router, type Request, type Response } from 'express';
import type { Deps } from '../../context.ts';
import { asActor } from '../../context.ts';
import { formValues, sheetInputFromForm } from '../../domain/review-sheet.ts';
import { AppError, notFound, ValidationError } from '../../web/app-error.ts';
import { ctxOf, permit } from '../../web/auth.ts';
import { flash } from '../../web/flash.ts';
import { idParam, text } from '../../web/form.ts';
import { findCampaign } from '../campaigns/queries.ts';
import { contentOf, findFile, rubricOfVersion, sheetsOfFile } from './queries.ts';
import { fileVisibility, saveSheet, sheetAccess, type SheetAccess } from './service.ts';
import { printPage, printUrl, scoreOfTyped, sheetPage, sheetUrl, typedValues, type SheetPageParams } from './sheet-presenter.ts';

/** The revision the page was loaded with; anything unreadable is treated as stale (null). */
function postedRevision(body: unknown): number | null {
  const raw = text(body, 'revision').trim();
  return /^\d{1,9}$/.test(raw) ? Number(raw) : null;
}

export function sheetRoutes(deps: Deps): Router {
  const router = Router();

  const stored = async (access: SheetAccess) => (access.sheet ? contentOf(deps.db, access.sheet) : null);

  /** The sheet as saved: what GET shows, and what a locked sheet shows after a refused save. */
  const renderStored = async (res: Response, access: SheetAccess, status: number, alert: SheetPageParams['alert']) => {
    const content = await stored(access);
    res.status(status).render('reviews/sheet', sheetPage({
      access, values: content ? formValues(content) : {}, confirmClean: false, revision: access.sheet?.revision ?? 0,
      problems: [], stored: content, shownScore: null, alert,
    }));
  };

  router.get('/campaigns/:id/files/:fileId/sheet', permit('review.write'), async (req, res) => {
    const ctx = ctxOf(req, deps);
    const access = await sheetAccess(deps.db, asActor(ctx.actor), idParam(req), idParam(req, 'fileId'));
    await renderStored(res, access, 200, null);
  });

  router.post('/campaigns/:id/files/:fileId/sheet', permit('review.write'), async (req: Request, res: Response) => {
    const ctx = ctxOf(req, deps);
    const campaignId = idParam(req);
    const fileId = idParam(req, 'fileId');
    const actor = asActor(ctx.actor);
    const access = await sheetAccess(deps.db, actor, campaignId, fileId);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const input = sheetInputFromForm(access.rubric, body);
    const revision = postedRevision(body);
    const submit = text(body, 'action') === 'submit';
    const confirmClean = text(body, 'confirmClean') === '1';
    try {
      const result = await saveSheet(ctx, campaignId, fileId, input, revision, submit, confirmClean);
      flash(req, 'success', result.outcome);
      res.redirect(submit ? printUrl(campaignId, fileId, result.reviewId) : sheetUrl(campaignId, fileId));
      return;
    } catch (e) {
      if (e instanceof ValidationError) {
        // Nothing was saved: the page comes back with what was typed and every problem beside its control.
        const problems = e.problems.map((p) => ({ field: p.field ?? '', message: p.message }));
        res.status(422).render('reviews/sheet', sheetPage({
          access, values: typedValues(access.rubric, body), confirmClean, revision: revision ?? 0, problems,
          stored: await stored(access), shownScore: scoreOfTyped(access.rubric, body), alert: { kind: 'invalid', message: e.message },
        }));
        return;
      }
      if (e instanceof AppError && (e.code === 'stale_sheet' || e.status === 409)) {
        // Never applied over what is stored. Read the sheet as it is now.
        const now = await sheetAccess(deps.db, actor, campaignId, fileId);
        if (!now.writable) return renderStored(res, now, 409, { kind: 'locked', message: e.message });
        // Saved from another page meanwhile, or refused for another reason (a reviewer who must now step aside).
        const stale = e.code === 'stale_sheet' || (now.sheet?.revision ?? 0) !== revision;
        res.status(409).render('reviews/sheet', sheetPage({
          access: now, values: typedValues(now.rubric, body), confirmClean, revision: revision ?? 0, problems: [],
          stored: await stored(now), shownScore: scoreOfTyped(now.rubric, body), alert: { kind: stale ? 'stale' : 'conflict', message: e.message },
        }));
        return;
      }
      throw e;
    }
  });

  router.get('/campaigns/:id/files/:fileId/sheets/:reviewId/print', async (req, res) => {
    const ctx = ctxOf(req, deps);
    const actor = asActor(ctx.actor);
    const campaign = await findCampaign(deps.db, idParam(req));
    const file = campaign ? await findFile(deps.db, campaign.id, idParam(req, 'fileId')) : undefined;
    if (!campaign || !file) throw notFound('评查表');
    const reviewId = idParam(req, 'reviewId');
    // Blind review and scoping are decided in one place: a sheet the viewer may not read does not exist for them.
    const visibility = await fileVisibility(deps.db, actor, campaign, file);
    const sheet = (await sheetsOfFile(deps.db, file.id)).find((s) => s.id === reviewId);
    if (!sheet || !visibility.readableSheetIds.includes(sheet.id)) throw notFound('评查表');
    if (sheet.status !== 'submitted' && sheet.reviewer_id !== actor.id) throw notFound('评查表');
    const rubric = await rubricOfVersion(deps.db, sheet.rubric_version_id);
    const content = await contentOf(deps.db, sheet);
    res.render('reviews/sheet-print', printPage({ campaign, file, sheet, rubric, content, viewerId: actor.id }));
  });

  return router;
}

