// Rubric pages: the versions, one version as the printable score sheet, upload, download, compare.
import { Router, type Request } from 'express';
import type { Deps } from '../../context.ts';
import { asActor } from '../../context.ts';
import { can } from '../../domain/policy.ts';
import { compareRubrics } from '../../domain/rubric/compare.ts';
import { AppError, notFound, ValidationError } from '../../web/app-error.ts';
import { ctxOf, permit } from '../../web/auth.ts';
import { sendFile } from '../../web/download.ts';
import { flash } from '../../web/flash.ts';
import { idParam, optionalId, text } from '../../web/form.ts';
import { singleUpload } from '../../web/upload.ts';
import { caseTypeNames, scoreSheet } from './presenter.ts';
import { findVersionById, listVersions, loadProblems, parseStored } from './queries.ts';
import { uploadRubric } from './service.ts';

export function rubricRoutes(deps: Deps): Router {
  const router = Router();
  const maxMb = Math.min(1, deps.config.uploadMaxBytes / 1024 / 1024);

  const versionOr404 = async (id: number) => {
    const row = await findVersionById(deps.db, id);
    if (!row) throw notFound('评查标准版本');
    return row;
  };

  router.get('/rubrics', permit('rubric.view'), async (req, res) => {
    const rows = await listVersions(deps.db);
    // How many score sheets each version scored: the record that keeps a version from ever changing.
    const used = new Map((await deps.db.selectFrom('reviews').select(({ fn }) => ['rubric_version_id', fn.countAll<number>().as('n')])
      .groupBy('rubric_version_id').execute()).map((r) => [r.rubric_version_id, Number(r.n)]));
    const groups = new Map<string, { key: string; title: string; versions: unknown[] }>();
    for (const r of rows) {
      const group = groups.get(r.rubric_key) ?? { key: r.rubric_key, title: r.title, versions: [] };
      group.versions.push({ ...r, caseTypeNames: caseTypeNames(JSON.parse(r.case_types) as string[]), reviewCount: used.get(r.id) ?? 0 });
      groups.set(r.rubric_key, group);
    }
    const manage = can(asActor(req.user!), 'rubric.manage');
    const problems = manage
      ? (await loadProblems(deps.db)).map((p) => ({ ...p, list: JSON.parse(p.problems) as { path: string; message: string }[] }))
      : [];
    res.render('rubrics/index', { title: '评查标准', groups: [...groups.values()], problems, canManage: manage, versionOptions: rows });
  });

  router.get('/rubrics/upload', permit('rubric.manage'), (_req, res) => {
    res.render('rubrics/upload', { title: '上传评查标准', maxMb });
  });

  router.post('/rubrics/upload', permit('rubric.manage'), singleUpload('file', 1024 * 1024), async (req: Request, res) => {
    const file = req.file!;
    try {
      const outcome = await uploadRubric(ctxOf(req, deps), file.buffer.toString('utf8'), file.originalname);
      flash(req, outcome.kind === 'created' ? 'success' : 'info',
        outcome.kind === 'created' ? '评查标准已载入，成为新的版本' : '该版本已经载入，且内容完全相同，未重复载入');
      res.redirect(`/rubrics/${outcome.id}`);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      res.status(422).render('rubrics/upload', { title: '上传评查标准', maxMb, fileName: file.originalname, failure: e.message, problems: e.problems });
    }
  });

  router.get('/rubrics/compare', permit('rubric.view'), async (req, res) => {
    const a = optionalId(req.query, 'a');
    const b = optionalId(req.query, 'b');
    if (a === null || b === null) throw new AppError(400, '请选择要比较的两个版本');
    const [from, to] = [await versionOr404(a), await versionOr404(b)];
    const comparison = compareRubrics(parseStored(from.content), parseStored(to.content));
    res.render('rubrics/compare', { title: '比较评查标准版本', from, to, comparison });
  });

  router.get('/rubrics/:id', permit('rubric.view'), async (req, res) => {
    const row = await versionOr404(idParam(req));
    const others = (await listVersions(deps.db)).filter((v) => v.rubric_key === row.rubric_key && v.id !== row.id);
    res.render('rubrics/show', {
      title: row.title, row, sheet: scoreSheet(parseStored(row.content)), others,
      blankLines: text(req.query, 'print') === 'blank',
    });
  });

  router.get('/rubrics/:id/download', permit('rubric.view'), async (req, res) => {
    const row = await versionOr404(idParam(req));
    sendFile(res, `${row.rubric_key}-${row.version}.json`, 'json', `${JSON.stringify(parseStored(row.content), null, 2)}\n`);
  });

  return router;
}
