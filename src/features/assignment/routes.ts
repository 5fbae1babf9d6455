// Assignment pages: the campaign's reviewer pool, conflicts, automatic and manual assignment; a reviewer's queue.
import { Router, type Request, type Response } from 'express';
import type { Deps } from '../../context.ts';
import { asActor } from '../../context.ts';
import { eligibleReviewers } from '../../domain/assignment.ts';
import type { CampaignKind } from '../../domain/campaigns.ts';
import { can } from '../../domain/policy.ts';
import { SHEET_STATE_LABELS, type SheetState } from '../../domain/progress.ts';
import { formatTenths } from '../../domain/rubric/points.ts';
import { forbidden } from '../../web/app-error.ts';
import { ctxOf, permit } from '../../web/auth.ts';
import { changeAndRedirect } from '../../web/flash-action.ts';
import { idParam, list, optionalId, text } from '../../web/form.ts';
import { campaignUnits } from '../campaigns/queries.ts';
import { visibleCampaign } from '../campaigns/service.ts';
import { recheckQueueOf } from '../reviews/progress-queries.ts';
import { allUnits } from '../units/queries.ts';
import { activeAssignments, conflictsOf, filesToReview, poolOf, queueOf, toDeclared } from './queries.ts';
import { addToPool, assignByHand, autoAssign, declareConflict, previewAssignment, removeFromPool } from './service.ts';

const change = (req: Request, res: Response, campaignId: number, run: () => Promise<string>) =>
  changeAndRedirect(req, res, `/campaigns/${campaignId}/assignments`, run);

export function assignmentRoutes(deps: Deps): Router {
  const router = Router();

  router.get('/campaigns/:id/assignments', permit('campaign.list'), async (req, res) => {
    const ctx = ctxOf(req, deps);
    const campaign = await visibleCampaign(ctx, idParam(req));
    const actor = asActor(ctx.actor);
    if (actor.role !== 'admin' && actor.role !== 'leader') throw forbidden();
    const manage = can(actor, 'campaign.manage') && ['sampling', 'reviewing'].includes(campaign.status);
    const pool = await poolOf(deps.db, campaign.id);
    const files = await filesToReview(deps.db, campaign);
    const current = await activeAssignments(deps.db, campaign.id);
    const preview = await previewAssignment(deps.db, campaign);
    const units = await allUnits(deps.db);
    const conflicts = await conflictsOf(deps.db, campaign.id);
    const checkContext = { campaignKind: campaign.kind as CampaignKind, units, conflicts: toDeclared(conflicts) };
    const missingReasons = new Map(preview.unassigned.map((u) => [u.fileId, u.reasons]));
    const loads = new Map<number, number>();
    for (const a of current) loads.set(a.reviewer_id, (loads.get(a.reviewer_id) ?? 0) + 1);
    const candidates = (await deps.db.selectFrom('users').innerJoin('units', 'units.id', 'users.unit_id')
      .select(['users.id', 'users.display_name', 'units.name as unit_name']).where('users.role', '=', 'reviewer').where('users.active', '=', 1)
      .orderBy('units.code').orderBy('users.username').execute()).filter((u) => !pool.some((p) => p.id === u.id));
    res.render('assignment/index', {
      title: `分配评查人员 - ${campaign.name}`,
      campaign, canManage: manage, canEditPool: can(actor, 'campaign.manage') && ['draft', 'sampling', 'reviewing'].includes(campaign.status),
      pool: pool.map((r) => ({ ...r, load: loads.get(r.id) ?? 0 })),
      candidates,
      conflicts,
      unitOptions: (await campaignUnits(deps.db, campaign.id)).map((u) => ({ id: u.id, name: u.name })),
      files: files.map((f) => {
        const assigned = current.filter((a) => a.case_file_id === f.id);
        const pairs = assigned.map((a) => ({ fileId: a.case_file_id, reviewerId: a.reviewer_id }));
        const options = manage ? eligibleReviewers(f, pool.filter((r) => r.active), { ...checkContext, assignments: pairs }) : [];
        return {
          ...f, assigned, options, short: assigned.length < campaign.reviewers_per_file,
          missingReasons: assigned.length < campaign.reviewers_per_file ? missingReasons.get(f.id) ?? [] : [],
        };
      }),
      shortCount: files.filter((f) => current.filter((a) => a.case_file_id === f.id).length < campaign.reviewers_per_file).length,
      assignedCount: current.length,
      preview,
      problemAssignments: preview.existingProblems.map((p) => {
        const file = files.find((f) => f.id === p.fileId);
        return {
          fileNumber: file?.fileNumber ?? `#${p.fileId}`, unitName: file?.unitName ?? '',
          reviewerName: current.find((a) => a.reviewer_id === p.reviewerId)?.reviewer_name ?? `#${p.reviewerId}`, reasons: p.reasons,
        };
      }),
    });
  });

  router.post('/campaigns/:id/assignments/pool', permit('campaign.manage'), async (req, res) => {
    const ctx = ctxOf(req, deps);
    const campaign = await visibleCampaign(ctx, idParam(req));
    await change(req, res, campaign.id, async () => {
      const ids = list(req.body, 'userIds').filter((v) => /^[1-9]\d{0,9}$/.test(v)).map(Number);
      return `已加入评查员库 ${await addToPool(ctx, campaign.id, ids)} 人`;
    });
  });

  router.post('/campaigns/:id/assignments/pool/:userId/remove', permit('campaign.manage'), async (req, res) => {
    const ctx = ctxOf(req, deps);
    const campaign = await visibleCampaign(ctx, idParam(req));
    await change(req, res, campaign.id, async () => {
      await removeFromPool(ctx, campaign.id, idParam(req, 'userId'));
      return '已移出评查员库';
    });
  });

  router.post('/campaigns/:id/assignments/conflicts', permit('campaign.manage'), async (req, res) => {
    const ctx = ctxOf(req, deps);
    const campaign = await visibleCampaign(ctx, idParam(req));
    await change(req, res, campaign.id, async () => {
      await declareConflict(ctx, campaign.id, optionalId(req.body, 'reviewerId'), optionalId(req.body, 'unitId'), text(req.body, 'fileNumber'), text(req.body, 'reason'));
      return '回避已登记';
    });
  });

  router.post('/campaigns/:id/assignments/auto', permit('campaign.manage'), async (req, res) => {
    const ctx = ctxOf(req, deps);
    const campaign = await visibleCampaign(ctx, idParam(req));
    await change(req, res, campaign.id, async () => {
      const result = await autoAssign(ctx, campaign.id);
      return `自动分配完成：新增 ${result.assignments.length} 人次` +
        (result.unassigned.length ? `；${result.unassigned.length} 卷未能配齐，原因见下表` : '；全部案卷已配齐') +
        (result.outsideQualification ? `；其中 ${result.outsideQualification} 人次超出评查员登记的可评类型` : '');
    });
  });

  router.post('/campaigns/:id/assignments/files/:fileId', permit('campaign.manage'), async (req, res) => {
    const ctx = ctxOf(req, deps);
    const campaign = await visibleCampaign(ctx, idParam(req));
    await change(req, res, campaign.id, async () => {
      await assignByHand(ctx, campaign.id, idParam(req, 'fileId'), optionalId(req.body, 'reviewerId'), optionalId(req.body, 'replace'), text(req.body, 'reason'));
      return optionalId(req.body, 'replace') === null ? '已分配' : '已改派';
    });
  });

  router.get('/queue', permit('queue.view'), async (req, res) => {
    const reviewerId = req.user!.id;
    const items = await queueOf(deps.db, reviewerId);
    const rechecks = await recheckQueueOf(deps.db, reviewerId);
    const sheetOpen = (status: string) => status === 'reviewing';
    const campaigns = new Map<number, { id: number; name: string; status: string; items: unknown[]; submitted: number; total: number }>();
    for (const item of items) {
      const group = campaigns.get(item.campaign_id) ?? { id: item.campaign_id, name: item.campaign_name, status: item.campaign_status, items: [], submitted: 0, total: 0 };
      const state: SheetState = item.sheet_status === null ? 'none' : item.sheet_status === 'submitted' ? 'submitted' : 'draft';
      group.total += 1;
      if (state === 'submitted') group.submitted += 1;
      group.items.push({
        ...item, state, stateLabel: SHEET_STATE_LABELS[state],
        score: state === 'submitted' && item.total_tenths !== null ? formatTenths(item.total_tenths) : null,
        sheetHref: `/campaigns/${item.campaign_id}/files/${item.file_id}/sheet`,
        resultHref: `/campaigns/${item.campaign_id}/files/${item.file_id}/result`,
        // Before the stage opens there is nothing to fill in; afterwards a submitted sheet can still be read.
        sheetAction: state === 'submitted' ? '查看评查表' : sheetOpen(item.campaign_status) ? (state === 'draft' ? '继续填写' : '填写评查表') : null,
      });
      campaigns.set(item.campaign_id, group);
    }
    const count = (state: SheetState) => items.filter((i) => (i.sheet_status === null ? 'none' : i.sheet_status === 'submitted' ? 'submitted' : 'draft') === state).length;
    res.render('assignment/queue', {
      title: '我的评查任务',
      groups: [...campaigns.values()],
      total: items.length,
      counts: { submitted: count('submitted'), drafted: count('draft'), notStarted: count('none') },
      rechecks: rechecks.map((r) => {
        const state: SheetState = r.sheet_status === null ? 'none' : r.sheet_status === 'submitted' ? 'submitted' : 'draft';
        return {
          ...r, state, stateLabel: SHEET_STATE_LABELS[state], reasons: (JSON.parse(r.reasons) as string[]).join('；'),
          score: state === 'submitted' && r.total_tenths !== null ? formatTenths(r.total_tenths) : null,
          sheetHref: `/campaigns/${r.campaign_id}/files/${r.file_id}/sheet`,
          resultHref: `/campaigns/${r.campaign_id}/files/${r.file_id}/result`,
          sheetAction: state === 'submitted' ? '查看复核评查表' : r.resolved_at === null ? (state === 'draft' ? '继续复核' : '开始复核') : null,
        };
      }),
      rechecksOpen: rechecks.filter((r) => r.resolved_at === null).length,
    });
  });

  return router;
}
