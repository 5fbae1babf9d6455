// User pages: list with filters, a user, the form, password reset, unlock, (de)activation, import.
import { Router, type Request, type Response } from 'express';
import type { Deps } from '../../context.ts';
import { asActor } from '../../context.ts';
import { can, unitScope } from '../../domain/policy.ts';
import { orderAsTree } from '../../domain/units.ts';
import { USER_IMPORT_HEADERS, type UserFields } from '../../domain/users.ts';
import {
  CASE_TYPE_LABELS, CASE_TYPES, REVIEWER_POOL_LABELS, REVIEWER_POOLS, ROLE_LABELS, ROLES,
} from '../../domain/vocabulary.ts';
import { readTable } from '../../exports/table-import.ts';
import { AppError, notFound, ValidationError } from '../../web/app-error.ts';
import { ctxOf, permit } from '../../web/auth.ts';
import { sendTemplate } from '../../web/download.ts';
import { flash } from '../../web/flash.ts';
import { byField, idParam, list, optionalId, text, pageParam } from '../../web/form.ts';
import { singleUpload } from '../../web/upload.ts';
import { allUnits } from '../units/queries.ts';
import { findUser, PAGE_SIZE, usersInScope, type UserFilter } from './queries.ts';
import { createUser, importUsers, resetPassword, setUserActive, unlockUser, updateUser } from './service.ts';

const roleOptions = ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }));
const poolOptions = REVIEWER_POOLS.map((p) => ({ value: p, label: REVIEWER_POOL_LABELS[p] }));
const caseTypeOptions = CASE_TYPES.map((c) => ({ value: c, label: CASE_TYPE_LABELS[c] }));

function readInput(body: unknown): UserFields {
  return {
    username: text(body, 'username'),
    displayName: text(body, 'displayName'),
    role: text(body, 'role'),
    unitId: optionalId(body, 'unitId'),
    poolType: text(body, 'poolType') || null,
    caseTypes: list(body, 'caseTypes'),
    phone: text(body, 'phone') || null,
  };
}

export function userRoutes(deps: Deps): Router {
  const router = Router();
  const maxMb = deps.config.uploadMaxBytes / 1024 / 1024;

  const renderForm = async (res: Response, options: { userId?: number; values: Partial<UserFields>; errors?: Record<string, string> }) => {
    res.render('users/form', {
      title: options.userId ? '修改用户' : '新建用户',
      userId: options.userId,
      values: options.values,
      errors: options.errors ?? {},
      roleOptions, poolOptions, caseTypeOptions,
      unitOptions: orderAsTree((await allUnits(deps.db)).filter((u) => u.active)),
    });
  };

  router.get('/users', permit('user.list'), async (req, res) => {
    const ctx = ctxOf(req, deps);
    const filter: UserFilter = {
      q: text(req.query, 'q').trim().slice(0, 50),
      role: ROLES.includes(text(req.query, 'role') as never) ? text(req.query, 'role') : '',
      unitId: optionalId(req.query, 'unitId'),
      status: (['active', 'inactive'] as const).find((s) => s === text(req.query, 'status')) ?? '',
    };
    const page = pageParam(req.query);
    const scope = unitScope(asActor(ctx.actor));
    const { total, rows } = await usersInScope(deps.db, scope, filter, page);
    const units = scope.kind === 'all' ? orderAsTree(await allUnits(deps.db)) : [];
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    res.render('users/index', {
      title: ctx.actor.role === 'department' ? '本单位人员' : '用户管理',
      users: rows, total, page, pages, hasPrev: page > 1, hasNext: page < pages,
      filter, query: { ...filter, unitId: filter.unitId ?? '' }, roleOptions, unitOptions: units,
      canManage: can(asActor(ctx.actor), 'user.manage'),
    });
  });

  router.get('/users/new', permit('user.manage'), async (req, res) => {
    await renderForm(res, { values: { role: 'reviewer', unitId: optionalId(req.query, 'unitId'), caseTypes: [] } });
  });

  router.post('/users', permit('user.manage'), async (req, res) => {
    const input = readInput(req.body);
    try {
      const created = await createUser(ctxOf(req, deps), input, text(req.body, 'password'));
      res.status(201).render('users/password-once', { title: '用户已创建', created, reason: 'created' });
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      res.status(422);
      await renderForm(res, { values: input, errors: byField(e.problems) });
    }
  });

  router.get('/users/import', permit('user.manage'), (_req, res) => {
    res.render('users/import', { title: '导入用户', headers: USER_IMPORT_HEADERS, maxMb });
  });

  router.get('/users/import/template.:format', permit('user.manage'), async (req, res) => {
    await sendTemplate(res, String(req.params.format), '用户导入模板', USER_IMPORT_HEADERS, [
      ['填写说明', ''],
      ['用户名', '必填，登录用，3–32 位小写字母、数字、下划线、点或短横线，全系统唯一'],
      ['姓名', '必填'],
      ['角色', '必填：管理员、评查员、部门用户、领导（管理员和领导只能属于司法局）'],
      ['所属单位编码', '必填，须为系统中已有且启用的单位编码'],
      ['评查员类别', '角色为评查员时必填：执法人员、司法行政人员、律师、其他'],
      ['可评案卷类型', '评查员选填，多个用顿号分隔，例如：行政处罚、行政许可'],
      ['联系电话', '选填'],
      ['初始密码', '选填；不填则由系统生成，导入完成后显示一次。首次登录须修改密码'],
    ]);
  });

  router.post('/users/import', permit('user.manage'), singleUpload('file', deps.config.uploadMaxBytes), async (req: Request, res) => {
    const file = req.file!;
    try {
      const rows = await readTable(file, { required: ['用户名', '姓名', '角色', '所属单位编码'], optional: ['评查员类别', '可评案卷类型', '联系电话', '初始密码'], maxRows: 5000 });
      const created = await importUsers(ctxOf(req, deps), rows, file.originalname);
      res.status(201).render('users/import-result', {
        title: '导入用户', created, fileName: file.originalname, generatedCount: created.filter((u) => u.password).length,
      });
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      res.status(422).render('users/import', {
        title: '导入用户', headers: USER_IMPORT_HEADERS, maxMb, fileName: file.originalname, failure: e.message, problems: e.problems,
      });
    }
  });

  router.get('/users/:id', async (req, res) => {
    const id = idParam(req);
    const user = await findUser(deps.db, id);
    // The same answer for "does not exist" and "not yours", so ids cannot be probed.
    if (!user || !can(asActor(req.user!), 'user.view', { userId: id, unitId: user.unit_id })) throw notFound('用户');
    const now = deps.clock.now().toISOString();
    res.render('users/show', {
      title: user.display_name, user, locked: Boolean(user.locked_until && user.locked_until > now),
      canManage: can(asActor(req.user!), 'user.manage'), isSelf: id === req.user!.id,
      canSeeUnit: can(asActor(req.user!), 'unit.view', { unitId: user.unit_id }),
    });
  });

  router.get('/users/:id/edit', permit('user.manage'), async (req, res) => {
    const id = idParam(req);
    const user = await findUser(deps.db, id);
    if (!user) throw notFound('用户');
    await renderForm(res, {
      userId: id,
      values: {
        username: user.username, displayName: user.display_name, role: user.role, unitId: user.unit_id,
        poolType: user.pool_type, caseTypes: user.caseTypeList, phone: user.phone,
      },
    });
  });

  router.post('/users/:id', permit('user.manage'), async (req, res) => {
    const id = idParam(req);
    const input = readInput(req.body);
    try {
      await updateUser(ctxOf(req, deps), id, input);
      flash(req, 'success', '用户信息已保存');
      res.redirect(`/users/${id}`);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      const current = await findUser(deps.db, id);
      res.status(422);
      await renderForm(res, { userId: id, values: { ...input, username: current?.username ?? input.username }, errors: byField(e.problems) });
    }
  });

  router.post('/users/:id/reset-password', permit('user.manage'), async (req, res) => {
    const created = await resetPassword(ctxOf(req, deps), idParam(req));
    res.render('users/password-once', { title: '密码已重置', created, reason: 'reset' });
  });

  router.post('/users/:id/unlock', permit('user.manage'), async (req, res) => {
    const id = idParam(req);
    await unlockUser(ctxOf(req, deps), id);
    flash(req, 'success', '已解除登录锁定');
    res.redirect(`/users/${id}`);
  });

  for (const [path, active] of [['deactivate', false], ['activate', true]] as const) {
    router.post(`/users/:id/${path}`, permit('user.manage'), async (req, res) => {
      const id = idParam(req);
      try {
        await setUserActive(ctxOf(req, deps), id, active);
        flash(req, 'success', active ? '用户已启用' : '用户已停用，其登录会话已全部结束');
      } catch (e) {
        if (!(e instanceof AppError) || e.status !== 409) throw e;
        flash(req, 'error', e.message);
      }
      res.redirect(`/users/${id}`);
    });
  }

  return router;
}
