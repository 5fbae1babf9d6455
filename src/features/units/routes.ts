// Unit pages: the tree, a unit, the form, and import from CSV/XLSX.
import { Router, type Request, type Response } from 'express';
import type { Deps } from '../../context.ts';
import { orderAsTree, UNIT_IMPORT_HEADERS } from '../../domain/units.ts';
import { UNIT_KIND_LABELS, UNIT_KINDS } from '../../domain/vocabulary.ts';
import { readTable } from '../../exports/table-import.ts';
import { AppError, ValidationError } from '../../web/app-error.ts';
import { assertCan, ctxOf, permit } from '../../web/auth.ts';
import { flash } from '../../web/flash.ts';
import { byField, idParam, optionalId, text } from '../../web/form.ts';
import { singleUpload } from '../../web/upload.ts';
import { sendTemplate } from '../../web/download.ts';
import { usersOfUnit } from '../users/queries.ts';
import { can } from '../../domain/policy.ts';
import { asActor } from '../../context.ts';
import { allUnits } from './queries.ts';
import { createUnit, importUnits, listUnitTree, setUnitActive, unitDetail, updateUnit, type UnitInput } from './service.ts';

const kindOptions = UNIT_KINDS.map((k) => ({ value: k, label: UNIT_KIND_LABELS[k] }));

function readInput(body: unknown): UnitInput {
  return { code: text(body, 'code'), name: text(body, 'name'), kind: text(body, 'kind'), parentId: optionalId(body, 'parentId') };
}

export function unitRoutes(deps: Deps): Router {
  const router = Router();

  const renderForm = async (res: Response, options: { unitId?: number; values: Partial<UnitInput>; errors?: Record<string, string> }) => {
    const units = (await allUnits(deps.db)).filter((u) => u.active && u.id !== options.unitId);
    res.render('units/form', {
      title: options.unitId ? '修改单位' : '新建单位',
      unitId: options.unitId,
      values: options.values,
      errors: options.errors ?? {},
      kindOptions,
      parentOptions: orderAsTree(units),
    });
  };

  router.get('/units', permit('unit.list'), async (req, res) => {
    const ctx = ctxOf(req, deps);
    res.render('units/index', { title: ctx.actor.role === 'department' ? '本单位' : '单位管理', units: await listUnitTree(ctx), canManage: can(asActor(ctx.actor), 'unit.manage') });
  });

  router.get('/units/new', permit('unit.manage'), async (req, res) => {
    const parentId = optionalId(req.query, 'parentId');
    await renderForm(res, { values: { kind: 'department', parentId } });
  });

  router.post('/units', permit('unit.manage'), async (req, res) => {
    const input = readInput(req.body);
    try {
      const id = await createUnit(ctxOf(req, deps), input);
      flash(req, 'success', `已新建单位“${input.name.trim()}”`);
      res.redirect(`/units/${id}`);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      res.status(422);
      await renderForm(res, { values: input, errors: byField(e.problems) });
    }
  });

  router.get('/units/import', permit('unit.manage'), (_req, res) => {
    res.render('units/import', { title: '导入单位', headers: UNIT_IMPORT_HEADERS, maxMb: deps.config.uploadMaxBytes / 1024 / 1024 });
  });

  router.get('/units/import/template.:format', permit('unit.manage'), async (req, res) => {
    await sendTemplate(res, String(req.params.format), '单位导入模板', UNIT_IMPORT_HEADERS, [
      ['填写说明', ''],
      ['单位编码', '必填，字母、数字、下划线或短横线，全系统唯一，例如 MDJ-DA'],
      ['单位名称', '必填，例如 东安区司法局'],
      ['单位类型', '必填：司法局、执法部门 或 乡镇（街道）'],
      ['上级单位编码', '司法局可不填（作为顶级单位）；其他单位必填，可以是系统中已有的单位，也可以是本文件中的单位'],
    ]);
  });

  router.post('/units/import', permit('unit.manage'), singleUpload('file', deps.config.uploadMaxBytes), async (req: Request, res) => {
    const file = req.file!;
    try {
      const rows = await readTable(file, { required: ['单位编码', '单位名称', '单位类型'], optional: ['上级单位编码'], maxRows: 5000 });
      const { created } = await importUnits(ctxOf(req, deps), rows, file.originalname);
      flash(req, 'success', `导入成功：新增 ${created} 个单位`);
      res.redirect('/units');
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      res.status(422).render('units/import', {
        title: '导入单位', headers: UNIT_IMPORT_HEADERS, maxMb: deps.config.uploadMaxBytes / 1024 / 1024,
        fileName: file.originalname, failure: e.message, problems: e.problems,
      });
    }
  });

  router.get('/units/:id', async (req, res) => {
    const id = idParam(req);
    assertCan(req, 'unit.view', { unitId: id });
    const ctx = ctxOf(req, deps);
    const detail = await unitDetail(ctx, id);
    const actor = asActor(ctx.actor);
    res.render('units/show', {
      title: detail.unit.name,
      ...detail,
      // Neighbouring units are linked only where the user may open them (a department user sees its own unit only).
      canSeeParent: detail.parent !== null && can(actor, 'unit.view', { unitId: detail.parent.id }),
      children: detail.children.map((c) => ({ ...c, canView: can(actor, 'unit.view', { unitId: c.id }) })),
      users: can(actor, 'user.list') ? await usersOfUnit(deps.db, id) : null,
      canManage: can(actor, 'unit.manage'),
      canSeeUsers: can(actor, 'user.view', { unitId: id }),
    });
  });

  router.get('/units/:id/edit', permit('unit.manage'), async (req, res) => {
    const id = idParam(req);
    const { unit } = await unitDetail(ctxOf(req, deps), id);
    await renderForm(res, { unitId: id, values: { code: unit.code, name: unit.name, kind: unit.kind, parentId: unit.parentId } });
  });

  router.post('/units/:id', permit('unit.manage'), async (req, res) => {
    const id = idParam(req);
    const input = readInput(req.body);
    try {
      await updateUnit(ctxOf(req, deps), id, input);
      flash(req, 'success', '单位信息已保存');
      res.redirect(`/units/${id}`);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      res.status(422);
      await renderForm(res, { unitId: id, values: input, errors: byField(e.problems) });
    }
  });

  for (const [path, active] of [['deactivate', false], ['activate', true]] as const) {
    router.post(`/units/:id/${path}`, permit('unit.manage'), async (req, res) => {
      const id = idParam(req);
      try {
        await setUnitActive(ctxOf(req, deps), id, active);
        flash(req, 'success', active ? '单位已启用' : '单位已停用');
      } catch (e) {
        if (!(e instanceof AppError) || e.status !== 409) throw e;
        flash(req, 'error', e.message);
      }
      res.redirect(`/units/${id}`);
    });
  }

  return router;
}
