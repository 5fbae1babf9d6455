// File list pages (案卷目录): the list with filters, entry and edit of one file, delete, import from CSV/XLSX,
// and the total a unit reports for the period. HTTP only: the rules live in the domain and the service.
import { Router, type Request, type Response } from 'express';
import type { Ctx, Deps } from '../../context.ts';
import { asActor } from '../../context.ts';
import type { CampaignRow } from '../../db/schema.ts';
import {
  CASE_FILE_IMPORT_HEADERS, CASE_FILE_REQUIRED_HEADERS, describePeriod, fileListOpen, totalOpen, type CaseFileInput,
} from '../../domain/case-files.ts';
import { CAMPAIGN_STATUS_LABELS, type CampaignStatus } from '../../domain/campaigns.ts';
import { can, unitScope } from '../../domain/policy.ts';
import { orderAsTree } from '../../domain/units.ts';
import { CASE_TYPE_LABELS, CASE_TYPES, isCaseType, type UnitKind } from '../../domain/vocabulary.ts';
import { readTable } from '../../exports/table-import.ts';
import { conflict, forbidden, ValidationError } from '../../web/app-error.ts';
import { assertCan, ctxOf } from '../../web/auth.ts';
import { sendTemplate } from '../../web/download.ts';
import { flash } from '../../web/flash.ts';
import { byField, idParam, optionalId, text, pageParam } from '../../web/form.ts';
import { singleUpload } from '../../web/upload.ts';
import { CASE_FILE_PAGE_SIZE, caseFilesInScope, type CaseFileFilter } from './queries.ts';
import { campaignUnits } from '../campaigns/queries.ts';
import {
  campaignFor, caseFileForEdit, createCaseFile, deleteCaseFile, importCaseFiles, reportTotal, updateCaseFile,
} from './service.ts';

const caseTypeOptions = CASE_TYPES.map((c) => ({ value: c, label: CASE_TYPE_LABELS[c] }));
const INPUT_KEYS: (keyof CaseFileInput)[] = ['fileNumber', 'caseType', 'field', 'cause', 'party', 'handlers', 'isMajor', 'closedOn', 'pages'];

function readInput(body: unknown): CaseFileInput {
  return Object.fromEntries(INPUT_KEYS.map((k) => [k, text(body, k)])) as unknown as CaseFileInput;
}

const base = (campaign: CampaignRow) => `/campaigns/${campaign.id}/files`;
const listUrl = (campaign: CampaignRow, unitId?: number | null) => (unitId ? `${base(campaign)}?unitId=${unitId}` : base(campaign));
const statusLabel = (campaign: CampaignRow) => CAMPAIGN_STATUS_LABELS[campaign.status as CampaignStatus];

function lockedMessage(campaign: CampaignRow): string {
  return `活动已进入“${statusLabel(campaign)}”阶段，案卷目录已锁定，不能再录入、修改、删除或导入案卷`;
}

/** Participating units the actor may manage, as a tree (the administrator: all; a department user: its own). */
async function managedUnits(ctx: Ctx, campaignId: number, participant: boolean) {
  const actor = asActor(ctx.actor);
  const units = (await campaignUnits(ctx.db, campaignId)).filter((u) => can(actor, 'caseFile.manage', { participant, unitId: u.id }));
  const stats = new Map(units.map((u) => [u.id, u]));
  return orderAsTree(units.map((u) => ({ id: u.id, code: u.code, name: u.name, kind: u.kind as UnitKind, parentId: u.parent_id, active: u.active === 1 })))
    .map((u) => ({ ...u, ...stats.get(u.id)! }));
}

export function caseFileRoutes(deps: Deps): Router {
  const router = Router();
  const maxMb = deps.config.uploadMaxBytes / 1024 / 1024;

  /** The campaign of the request, visible to the actor, and whether the actor's unit (or pool) takes part. */
  const load = async (req: Request) => {
    const ctx = ctxOf(req, deps);
    const { campaign, participant } = await campaignFor(ctx, ctx.db, idParam(req));
    return { ctx, campaign, participant, actor: asActor(ctx.actor) };
  };

  router.get('/campaigns/:id/files', async (req, res) => {
    const { ctx, campaign, participant, actor } = await load(req);
    const filter: CaseFileFilter = {
      unitId: optionalId(req.query, 'unitId'),
      caseType: isCaseType(text(req.query, 'caseType')) ? text(req.query, 'caseType') : '',
      q: text(req.query, 'q').trim().slice(0, 50),
    };
    // A department user reads its own unit's list only: asking for another unit is refused, and the query is
    // narrowed to its unit whatever the filter says.
    assertCan(req, 'caseFile.list', { participant, unitId: filter.unitId ?? undefined });
    const page = pageParam(req.query);
    const scope = unitScope(actor);
    const { total, rows } = await caseFilesInScope(ctx.db, campaign.id, scope, filter, page);
    const allUnits = await campaignUnits(ctx.db, campaign.id);
    const units = allUnits.filter((u) => scope.kind === 'all' || scope.unitIds.includes(u.id));
    const focusId = actor.role === 'department' ? actor.unitId : filter.unitId;
    const focus = units.find((u) => u.id === focusId) ?? null;
    const listOpen = fileListOpen(campaign.status);
    const canManageFocus = focus !== null && can(actor, 'caseFile.manage', { participant, unitId: focus.id });
    const canManageAny = can(actor, 'caseFile.manage', { participant, unitId: actor.role === 'department' ? actor.unitId : undefined });
    const pages = Math.max(1, Math.ceil(total / CASE_FILE_PAGE_SIZE));
    const tree = orderAsTree(units.map((u) => ({ id: u.id, code: u.code, name: u.name, kind: u.kind as UnitKind, parentId: u.parent_id, active: u.active === 1 })));
    const stats = new Map(units.map((u) => [u.id, u]));
    res.render('case-files/index', {
      title: focus && actor.role === 'department' ? `案卷目录 · ${focus.name}` : '案卷目录',
      campaign, statusLabel: statusLabel(campaign), period: describePeriod({ from: campaign.period_from, to: campaign.period_to }),
      files: rows.map((f) => ({ ...f, editable: listOpen && !f.sampled && can(actor, 'caseFile.manage', { participant, unitId: f.unit_id }) })),
      filter, query: { ...filter, unitId: filter.unitId ?? '' }, total, page, pages, hasPrev: page > 1, hasNext: page < pages,
      caseTypeOptions,
      unitOptions: scope.kind === 'all' ? tree : [],
      showUnitColumn: scope.kind === 'all' && filter.unitId === null,
      unitSummary: scope.kind === 'all' && filter.unitId === null
        ? tree.map((u) => ({ ...u, ...stats.get(u.id)!, reported: stats.get(u.id)!.reported_total !== null })) : [],
      focus: focus && {
        ...focus,
        reported: focus.reported_total !== null,
        overTotal: focus.reported_total !== null && focus.fileCount > focus.reported_total,
        canReport: canManageFocus && totalOpen(campaign.status),
      },
      listOpen,
      canEnter: listOpen && canManageAny,
      lockedMessage: listOpen ? null : lockedMessage(campaign),
    });
  });

  // ----- entry form -----

  const renderForm = async (res: Response, ctx: Ctx, campaign: CampaignRow, participant: boolean, options: {
    fileId?: number; unitId: number | null; values: Partial<CaseFileInput>; errors?: Record<string, string>;
  }) => {
    const units = await managedUnits(ctx, campaign.id, participant);
    res.render('case-files/form', {
      title: options.fileId ? '修改案卷' : '录入案卷',
      campaign, fileId: options.fileId, unitId: options.unitId, values: options.values, errors: options.errors ?? {},
      caseTypeOptions,
      unitOptions: options.fileId || ctx.actor.role === 'department' ? [] : units,
      unitName: units.find((u) => u.id === options.unitId)?.name ?? '',
      period: campaign.period_from || campaign.period_to ? describePeriod({ from: campaign.period_from, to: campaign.period_to }) : null,
      cancelUrl: listUrl(campaign, options.unitId),
    });
  };

  /** Who may open an entry, import or total page for a unit (null: the administrator has not chosen one). */
  const assertManage = (req: Request, actor: ReturnType<typeof asActor>, participant: boolean, unitId: number | null) => {
    assertCan(req, 'caseFile.manage', { participant, unitId: unitId ?? actor.unitId });
  };

  router.get('/campaigns/:id/files/new', async (req, res) => {
    const { ctx, campaign, participant, actor } = await load(req);
    const unitId = actor.role === 'department' ? actor.unitId : optionalId(req.query, 'unitId');
    assertManage(req, actor, participant, unitId);
    if (!fileListOpen(campaign.status)) throw conflict(lockedMessage(campaign));
    await renderForm(res, ctx, campaign, participant, { unitId, values: { caseType: text(req.query, 'caseType') } });
  });

  router.post('/campaigns/:id/files', async (req, res) => {
    const { ctx, campaign, participant, actor } = await load(req);
    const unitId = optionalId(req.body, 'unitId') ?? (actor.role === 'department' ? actor.unitId : null);
    const input = readInput(req.body);
    try {
      await createCaseFile(ctx, campaign.id, unitId, input);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      res.status(422);
      return renderForm(res, ctx, campaign, participant, { unitId, values: input, errors: byField(e.problems) });
    }
    flash(req, 'success', `已录入案卷“${input.fileNumber.trim()}”`);
    res.redirect(text(req.body, 'next') === 'new' ? `${base(campaign)}/new?unitId=${unitId}` : listUrl(campaign, actor.role === 'department' ? null : unitId));
  });

  // ----- import -----

  const renderImport = async (res: Response, ctx: Ctx, campaign: CampaignRow, participant: boolean, extra: Record<string, unknown>) => {
    const department = ctx.actor.role === 'department';
    const units = await managedUnits(ctx, campaign.id, participant);
    res.render('case-files/import', {
      title: '导入案卷目录', campaign, headers: CASE_FILE_IMPORT_HEADERS, maxMb,
      department, ownUnit: department ? units[0] ?? null : null, unitOptions: department ? [] : units,
      period: campaign.period_from || campaign.period_to ? describePeriod({ from: campaign.period_from, to: campaign.period_to }) : null,
      ...extra,
    });
  };

  router.get('/campaigns/:id/files/import', async (req, res) => {
    const { ctx, campaign, participant, actor } = await load(req);
    const unitId = actor.role === 'department' ? actor.unitId : optionalId(req.query, 'unitId');
    assertManage(req, actor, participant, unitId);
    if (!fileListOpen(campaign.status)) throw conflict(lockedMessage(campaign));
    await renderImport(res, ctx, campaign, participant, { unitId });
  });

  router.get('/campaigns/:id/files/import/template.:format', async (req, res) => {
    const { actor, participant } = await load(req);
    assertManage(req, actor, participant, null);
    await sendTemplate(res, String(req.params.format), '案卷目录导入模板', CASE_FILE_IMPORT_HEADERS, [
      ['填写说明', ''],
      ['单位编码', '案卷所属单位的编码。部门用户导入本单位案卷、或管理员导入时选定了单位，可不填此列；一个文件包含多个单位时必填'],
      ['案卷编号', '必填，不超过 100 个字，同一单位在本次活动中不能重复，例如 东市监罚〔2024〕12号'],
      ['案卷类型', `必填：${Object.values(CASE_TYPE_LABELS).join('、')}；也可简写，如 处罚、许可`],
      ['执法门类', '可不填，例如 市场监管、生态环境'],
      ['案由', '必填，不超过 500 个字'],
      ['当事人', '可不填，不超过 200 个字'],
      ['执法人员', '必填，至少一名；多名之间用顿号、逗号或空格分隔，例如 张三、李四'],
      ['是否重大', '可不填（视为否）：是 或 否，也可填 Y/N、1/0、重大'],
      ['结案日期', '可不填；例如 2024-03-05、2024/3/5、2024.3.5 或 2024年3月5日，须在本次评查的案卷范围内'],
      ['页数', '可不填；正整数'],
    ]);
  });

  // Who may import is decided before the upload is read into memory.
  const mayImport = async (req: Request) => {
    const { actor, participant } = await load(req);
    if (!can(actor, 'caseFile.manage', { participant, unitId: actor.role === 'department' ? actor.unitId : undefined })) throw forbidden();
  };

  router.post('/campaigns/:id/files/import', async (req, _res, next) => {
    await mayImport(req);
    next();
  }, singleUpload('file', deps.config.uploadMaxBytes), async (req: Request, res) => {
    const { ctx, campaign, participant, actor } = await load(req);
    const file = req.file!;
    const unitId = optionalId(req.body, 'unitId');
    assertManage(req, actor, participant, unitId);
    if (!fileListOpen(campaign.status)) throw conflict(lockedMessage(campaign));
    const oneUnit = unitId !== null || actor.role === 'department';
    try {
      const rows = await readTable(file, {
        required: oneUnit ? CASE_FILE_REQUIRED_HEADERS : ['单位编码', ...CASE_FILE_REQUIRED_HEADERS],
        optional: CASE_FILE_IMPORT_HEADERS.filter((h) => !(CASE_FILE_REQUIRED_HEADERS as readonly string[]).includes(h) && (oneUnit || h !== '单位编码')),
        maxRows: 5000,
      });
      const { created, units } = await importCaseFiles(ctx, campaign.id, unitId, rows, file.originalname);
      flash(req, 'success', `导入成功：新增 ${created} 卷案卷${units > 1 ? `（${units} 个单位）` : ''}`);
      res.redirect(listUrl(campaign, oneUnit && actor.role !== 'department' ? unitId : null));
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      res.status(422);
      await renderImport(res, ctx, campaign, participant, {
        unitId, fileName: file.originalname, failure: e.message, problems: e.problems,
      });
    }
  });

  // ----- reported total -----

  const renderTotal = async (res: Response, ctx: Ctx, campaign: CampaignRow, participant: boolean, unitId: number | null, extra: Record<string, unknown>) => {
    const units = await managedUnits(ctx, campaign.id, participant);
    res.render('case-files/total', {
      title: '本期案卷总数', campaign, unitId, unit: units.find((u) => u.id === unitId) ?? null,
      unitOptions: ctx.actor.role === 'department' ? [] : units,
      period: describePeriod({ from: campaign.period_from, to: campaign.period_to }),
      cancelUrl: listUrl(campaign, unitId), ...extra,
    });
  };

  router.get('/campaigns/:id/files/total', async (req, res) => {
    const { ctx, campaign, participant, actor } = await load(req);
    const unitId = actor.role === 'department' ? actor.unitId : optionalId(req.query, 'unitId');
    assertManage(req, actor, participant, unitId);
    if (!totalOpen(campaign.status)) throw conflict(`活动已进入“${statusLabel(campaign)}”阶段，评查结果已发布，本期案卷总数不能再修改`);
    const current = (await campaignUnits(ctx.db, campaign.id)).find((u) => u.id === unitId);
    await renderTotal(res, ctx, campaign, participant, unitId, { values: { total: current?.reported_total ?? '' } });
  });

  router.post('/campaigns/:id/files/total', async (req, res) => {
    const { ctx, campaign, participant, actor } = await load(req);
    const unitId = optionalId(req.body, 'unitId') ?? (actor.role === 'department' ? actor.unitId : null);
    const total = text(req.body, 'total');
    try {
      const done = await reportTotal(ctx, campaign.id, unitId, total);
      flash(req, 'success', `本期案卷总数已保存：${done.total} 卷`);
      res.redirect(listUrl(campaign, actor.role === 'department' ? null : done.unitId));
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      res.status(422);
      await renderTotal(res, ctx, campaign, participant, unitId, { values: { total }, errors: byField(e.problems) });
    }
  });

  // ----- one file -----

  const fileValues = (f: { file_number: string; case_type: string; field: string | null; cause: string; party: string | null; handlers: string; is_major: number; closed_on: string | null; pages: number | null }): CaseFileInput => ({
    fileNumber: f.file_number, caseType: f.case_type, field: f.field ?? '', cause: f.cause, party: f.party ?? '', handlers: f.handlers,
    isMajor: f.is_major === 1 ? '是' : '', closedOn: f.closed_on ?? '', pages: f.pages === null ? '' : String(f.pages),
  });

  router.get('/campaigns/:id/files/:fileId/edit', async (req, res) => {
    const { ctx, campaign, participant } = await load(req);
    const { file } = await caseFileForEdit(ctx, campaign.id, idParam(req, 'fileId'));
    await renderForm(res, ctx, campaign, participant, { fileId: file.id, unitId: file.unit_id, values: fileValues(file) });
  });

  router.post('/campaigns/:id/files/:fileId', async (req, res) => {
    const { ctx, campaign, participant } = await load(req);
    const fileId = idParam(req, 'fileId');
    const input = readInput(req.body);
    try {
      const saved = await updateCaseFile(ctx, campaign.id, fileId, input);
      flash(req, 'success', `案卷“${saved.fileNumber}”已保存`);
      res.redirect(listUrl(campaign, ctx.actor.role === 'department' ? null : saved.unitId));
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      const { file } = await caseFileForEdit(ctx, campaign.id, fileId);
      res.status(422);
      await renderForm(res, ctx, campaign, participant, { fileId, unitId: file.unit_id, values: input, errors: byField(e.problems) });
    }
  });

  router.post('/campaigns/:id/files/:fileId/delete', async (req, res) => {
    const { ctx, campaign } = await load(req);
    const { unitId, fileNumber } = await deleteCaseFile(ctx, campaign.id, idParam(req, 'fileId'));
    flash(req, 'success', `已删除案卷“${fileNumber}”`);
    res.redirect(listUrl(campaign, ctx.actor.role === 'department' ? null : unitId));
  });

  return router;
}
