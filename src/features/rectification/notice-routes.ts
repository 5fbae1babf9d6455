// Rectification pages (notice side): the list of notices the user may see, one notice's 整改清单 (measures,
// evidence files, the report, the bureau's verification), the printed 整改通知书 and its Word download.
// HTTP only: the rules and the writes are in service.ts, the reading in queries.ts, the pages in notice-presenter.ts.
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { Ctx, Deps } from '../../context.ts';
import { asActor } from '../../context.ts';
import { ATTACHMENT_MAX_BYTES } from '../../domain/attachments.ts';
import { unitScope } from '../../domain/policy.ts';
import { beijingDate, type MeasureInput } from '../../domain/rectification.ts';
import { AppError, notFound } from '../../web/app-error.ts';
import { ctxOf, permit } from '../../web/auth.ts';
import { verifyCsrf } from '../../web/csrf.ts';
import { changeAndRedirect } from '../../web/flash-action.ts';
import { flash } from '../../web/flash.ts';
import { idParam, text } from '../../web/form.ts';
import { sendDownload, sendFile } from '../../web/download.ts';
import { singleUpload } from '../../web/upload.ts';
import { noticeDocument, noticeHref, noticeList, noticePage } from './notice-presenter.ts';
import {
  listNotices, loadNoticeDetail, noticeIdOfAttachment, noticeIdOfItem, noticeIdOfMeasure, rootUnitName,
} from './queries.ts';
import {
  addAttachment, addMeasure, attachmentFor, deleteMeasure, removeAttachment, reviewMeasure, submitReport, updateMeasure, visibleNotice,
} from './service.ts';

/**
 * Room above the 10 MB limit: a file a little too large still reaches the attachment check, which names it and
 * its size; anything larger is cut off by the upload parser (and answered with the same limit).
 */
const UPLOAD_SLACK = 1024 * 1024;
const TOO_LARGE = `附件超过 ${ATTACHMENT_MAX_BYTES / 1024 / 1024} MB 的上限，请压缩或拆分后再上传`;

const measureInput = (body: unknown): MeasureInput => ({
  description: text(body, 'description'),
  responsible: text(body, 'responsible'),
  completedOn: text(body, 'completedOn'),
  evidence: text(body, 'evidence'),
});

export function noticeRectificationRoutes(deps: Deps): Router {
  const router = Router();
  const today = () => beijingDate(deps.clock.now());
  const uploadEvidence = singleUpload('file', ATTACHMENT_MAX_BYTES + UPLOAD_SLACK, TOO_LARGE);

  /** The notice a record belongs to, if the user may see it: another unit's record is a 404, like a missing one. */
  async function noticeOf(ctx: Ctx, noticeId: number | undefined, what: string) {
    if (noticeId === undefined) throw notFound(what);
    return visibleNotice(deps.db, ctx, noticeId);
  }

  async function loadVisible(req: Request) {
    const ctx = ctxOf(req, deps);
    const notice = await visibleNotice(deps.db, ctx, idParam(req));
    return { ctx, detail: await loadNoticeDetail(deps.db, notice) };
  }

  const renderToString = (req: Request, view: string, data: object) => new Promise<string>((resolve, reject) => {
    req.app.render(view, data, (err: Error | null, html?: string) => (err ? reject(err) : resolve(html ?? '')));
  });

  router.get('/rectification', permit('rectification.view'), async (req, res) => {
    const actor = asActor(req.user!);
    const rows = await listNotices(deps.db, unitScope(actor));
    res.render('rectification/index', noticeList(rows, today(), actor));
  });

  router.get('/rectification/notices/:id', permit('rectification.view'), async (req, res) => {
    const { ctx, detail } = await loadVisible(req);
    res.render('rectification/notice', noticePage(detail, asActor(ctx.actor), today()));
  });

  router.get('/rectification/notices/:id/print', permit('rectification.view'), async (req, res) => {
    const { detail } = await loadVisible(req);
    const doc = noticeDocument(detail, await rootUnitName(deps.db));
    res.render('rectification/notice-print', {
      title: `整改通知书 ${doc.docNumber}`, doc, noticeHref: noticeHref(detail.notice.id), downloadHref: `${noticeHref(detail.notice.id)}/download`,
    });
  });

  // The same document as a Word-compatible file (HTML that Word opens, edits and prints), so the bureau can adjust it.
  router.get('/rectification/notices/:id/download', permit('rectification.view'), async (req, res) => {
    const { detail } = await loadVisible(req);
    const doc = noticeDocument(detail, await rootUnitName(deps.db));
    const html = await renderToString(req, 'rectification/notice-print', { title: `整改通知书 ${doc.docNumber}`, doc, wordDoc: true, layout: false });
    // The BOM makes Word read the file as UTF-8 even before it sees the meta tag.
    sendFile(res, `整改通知书-${doc.docNumber}.doc`, 'doc', Buffer.from(`\ufeff${html}`, 'utf8'));
  });

  router.post('/rectification/items/:itemId/measures', permit('rectification.edit'), async (req, res) => {
    const ctx = ctxOf(req, deps);
    const itemId = idParam(req, 'itemId');
    const notice = await noticeOf(ctx, await noticeIdOfItem(deps.db, itemId), '整改问题');
    await changeAndRedirect(req, res, noticeHref(notice.id), async () => {
      await addMeasure(ctx, itemId, measureInput(req.body));
      return '整改措施已添加（待报送），完成后请报送整改情况';
    });
  });

  router.post('/rectification/measures/:id', permit('rectification.edit'), async (req, res) => {
    const ctx = ctxOf(req, deps);
    const measureId = idParam(req);
    const notice = await noticeOf(ctx, await noticeIdOfMeasure(deps.db, measureId), '整改措施');
    await changeAndRedirect(req, res, noticeHref(notice.id), async () => {
      await updateMeasure(ctx, measureId, measureInput(req.body));
      return '整改措施已修改';
    });
  });

  router.post('/rectification/measures/:id/delete', permit('rectification.edit'), async (req, res) => {
    const ctx = ctxOf(req, deps);
    const measureId = idParam(req);
    const notice = await noticeOf(ctx, await noticeIdOfMeasure(deps.db, measureId), '整改措施');
    await changeAndRedirect(req, res, noticeHref(notice.id), async () => {
      await deleteMeasure(ctx, measureId);
      return '整改措施已删除';
    });
  });

  /**
   * The upload parser's own refusals (a file over the limit, no file chosen, a broken body) go back to the notice as
   * a message, like any other refusal — once the request is known to come from the page (its CSRF token).
   */
  function parseEvidence(req: Request, res: Response, next: NextFunction): void {
    uploadEvidence(req, res, (err?: unknown) => {
      if (!(err instanceof AppError) || (err.status !== 413 && err.status !== 400)) return next(err as Error | undefined);
      try {
        verifyCsrf(req);
      } catch {
        return next(err);
      }
      const ctx = ctxOf(req, deps);
      const measureId = idParam(req);
      noticeIdOfMeasure(deps.db, measureId)
        .then((noticeId) => noticeOf(ctx, noticeId, '整改措施'))
        .then((notice) => {
          flash(req, 'error', err.message);
          res.redirect(noticeHref(notice.id));
        })
        .catch(next);
    });
  }

  router.post('/rectification/measures/:id/attachments', permit('rectification.edit'), parseEvidence, async (req, res) => {
    const ctx = ctxOf(req, deps);
    const measureId = idParam(req);
    const notice = await noticeOf(ctx, await noticeIdOfMeasure(deps.db, measureId), '整改措施');
    const file = req.file!;
    await changeAndRedirect(req, res, noticeHref(notice.id), async () => {
      await addAttachment(ctx, measureId, file.originalname, file.buffer);
      return `附件“${file.originalname}”已上传`;
    });
  });

  router.post('/rectification/attachments/:id/delete', permit('rectification.edit'), async (req, res) => {
    const ctx = ctxOf(req, deps);
    const attachmentId = idParam(req);
    const notice = await noticeOf(ctx, await noticeIdOfAttachment(deps.db, attachmentId), '附件');
    await changeAndRedirect(req, res, noticeHref(notice.id), async () => {
      await removeAttachment(ctx, attachmentId);
      return '附件已删除';
    });
  });

  router.get('/rectification/attachments/:id', permit('rectification.view'), async (req, res) => {
    const file = await attachmentFor(ctxOf(req, deps), idParam(req));
    sendDownload(res, file.filename, file.mime, Buffer.from(file.data));
  });

  router.post('/rectification/notices/:id/report', permit('rectification.edit'), async (req, res) => {
    const ctx = ctxOf(req, deps);
    const notice = await visibleNotice(deps.db, ctx, idParam(req));
    await changeAndRedirect(req, res, noticeHref(notice.id), async () => {
      const n = await submitReport(ctx, notice.id);
      return `整改情况已报送：${n} 项整改措施待评查机关验收`;
    });
  });

  router.post('/rectification/measures/:id/review', permit('rectification.verify'), async (req, res) => {
    const ctx = ctxOf(req, deps);
    const measureId = idParam(req);
    const notice = await noticeOf(ctx, await noticeIdOfMeasure(deps.db, measureId), '整改措施');
    const decision = text(req.body, 'decision');
    if (decision !== 'verify' && decision !== 'return') throw new AppError(400, '请选择“验收通过”或“退回”');
    await changeAndRedirect(req, res, noticeHref(notice.id), async () => `整改措施${await reviewMeasure(ctx, measureId, decision, text(req.body, 'reason'))}`);
  });

  return router;
}
