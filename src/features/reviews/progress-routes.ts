// The bureau's progress board (评查进度) and a campaign's result list (评查结果).
import { Router } from 'express';
import type { Deps } from '../../context.ts';
import { asActor } from '../../context.ts';
import type { CampaignRow } from '../../db/schema.ts';
import { CAMPAIGN_STATUS_LABELS, type CampaignStatus } from '../../domain/campaigns.ts';
import { FINAL_METHOD_LABELS, type FinalMethod } from '../../domain/objections.ts';
import { can } from '../../domain/policy.ts';
import { FILE_STATE_LABELS, progressBoard, SHEET_STATE_LABELS, type FileState, type SheetState } from '../../domain/progress.ts';
import { formatTenths } from '../../domain/rubric/points.ts';
import { CASE_TYPE_LABELS, CASE_TYPES, isCaseType } from '../../domain/vocabulary.ts';
import { assertCan, ctxOf, permit } from '../../web/auth.ts';
import { idParam, optionalId, pageParam, text } from '../../web/form.ts';
import { campaignUnits, isParticipant } from '../campaigns/queries.ts';
import { visibleCampaign } from '../campaigns/service.ts';
import { campaignFindings } from '../issues/service.ts';
import {
  FILE_STATES, finalResultList, progressFileList, progressFiles, progressSheets, PROGRESS_PAGE_SIZE, RESULTS_PAGE_SIZE, SHEET_STATES,
  type ProgressFilter,
} from './progress-queries.ts';

/** Results are open to the units once released (and stay open after the campaign ends). */
export const resultsReleased = (campaign: CampaignRow): boolean => campaign.status === 'released' || campaign.status === 'closed';

const GRADE_ORDER = ['excellent', 'good', 'pass', 'fail'];
const gradeRank = (code: string) => (GRADE_ORDER.includes(code) ? GRADE_ORDER.indexOf(code) : GRADE_ORDER.length);

function readProgressFilter(query: unknown): ProgressFilter {
  const state = text(query, 'state');
  const sheet = text(query, 'sheet');
  const caseType = text(query, 'caseType');
  const reviewerId = optionalId(query, 'reviewerId');
  return {
    state: (FILE_STATES as readonly string[]).includes(state) ? (state as FileState) : null,
    unitId: optionalId(query, 'unitId'),
    caseType: isCaseType(caseType) ? caseType : null,
    reviewerId,
    // A sheet state means one reviewer's sheet: without a reviewer it narrows nothing.
    sheet: reviewerId !== null && (SHEET_STATES as readonly string[]).includes(sheet) ? (sheet as SheetState) : null,
    recheckerId: optionalId(query, 'recheckerId'),
  };
}

/** The board's link for a filtered file list: only the given filters, the list's anchor. */
function listHref(campaignId: number, filter: Partial<Record<keyof ProgressFilter, string | number | null>>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(filter)) if (v !== null && v !== undefined && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return `/campaigns/${campaignId}/progress${qs ? `?${qs}` : ''}#files`;
}

const resultHref = (campaignId: number, fileId: number) => `/campaigns/${campaignId}/files/${fileId}/result`;

export function progressRoutes(deps: Deps): Router {
  const router = Router();

  router.get('/campaigns/:id/progress', permit('progress.view'), async (req, res) => {
    const ctx = ctxOf(req, deps);
    const campaign = await visibleCampaign(ctx, idParam(req));
    const filter = readProgressFilter(req.query);
    const page = pageParam(req.query);
    const board = progressBoard(await progressFiles(deps.db, campaign), await progressSheets(deps.db, campaign));
    const { total, rows } = await progressFileList(deps.db, campaign, filter, page);
    const pages = Math.max(1, Math.ceil(total / PROGRESS_PAGE_SIZE));
    const id = campaign.id;
    const units = await campaignUnits(deps.db, id);
    const unitName = (unitId: number) => units.find((u) => u.id === unitId)?.name ?? `单位 #${unitId}`;
    const reviewerName = (reviewerId: number) => board.byReviewer.find((r) => r.reviewerId === reviewerId)?.reviewerName ?? `评查人员 #${reviewerId}`;

    // What the list is narrowed to, in words.
    const described: string[] = [];
    if (filter.unitId) described.push(`单位：${unitName(filter.unitId)}`);
    if (filter.caseType) described.push(`案卷类型：${CASE_TYPE_LABELS[filter.caseType]}`);
    if (filter.reviewerId) described.push(`评查人员：${reviewerName(filter.reviewerId)}${filter.sheet ? `（评查表${SHEET_STATE_LABELS[filter.sheet]}）` : ''}`);
    if (filter.recheckerId) described.push(`复核人员：${reviewerName(filter.recheckerId)}`);
    if (filter.state) described.push(`状态：${FILE_STATE_LABELS[filter.state]}`);

    const typeOrder = (c: string) => (CASE_TYPES as readonly string[]).indexOf(c);
    res.render('reviews/progress', {
      title: `评查进度 - ${campaign.name}`,
      campaign, statusLabel: CAMPAIGN_STATUS_LABELS[campaign.status as CampaignStatus],
      total: {
        ...board.total,
        reviewing: board.total.files - board.total.awaitingRecheck - board.total.final,
        filesHref: listHref(id, {}), recheckHref: listHref(id, { state: 'recheck' }), finalHref: listHref(id, { state: 'final' }),
        reviewingHref: listHref(id, { state: 'reviewing' }),
      },
      byUnit: board.byUnit.map((u) => ({
        ...u,
        filesHref: listHref(id, { unitId: u.unitId }),
        recheckHref: listHref(id, { unitId: u.unitId, state: 'recheck' }),
        finalHref: listHref(id, { unitId: u.unitId, state: 'final' }),
      })),
      byCaseType: [...board.byCaseType].sort((a, b) => typeOrder(a.caseType) - typeOrder(b.caseType)).map((c) => ({
        ...c,
        filesHref: listHref(id, { caseType: c.caseType }),
        recheckHref: listHref(id, { caseType: c.caseType, state: 'recheck' }),
        finalHref: listHref(id, { caseType: c.caseType, state: 'final' }),
      })),
      byReviewer: board.byReviewer.map((r) => ({
        ...r,
        assignedHref: listHref(id, { reviewerId: r.reviewerId }),
        notStartedHref: listHref(id, { reviewerId: r.reviewerId, sheet: 'none' }),
        draftedHref: listHref(id, { reviewerId: r.reviewerId, sheet: 'draft' }),
        submittedHref: listHref(id, { reviewerId: r.reviewerId, sheet: 'submitted' }),
        rechecksHref: listHref(id, { recheckerId: r.reviewerId }),
        rechecksDoneHref: listHref(id, { recheckerId: r.reviewerId, state: 'final' }),
      })),
      files: rows.map((f) => ({
        id: f.id, unitName: f.unit_name, fileNumber: f.file_number, cause: f.cause, caseType: f.case_type,
        state: f.state, stateLabel: FILE_STATE_LABELS[f.state],
        sheets: f.sheets.map((s) => ({
          reviewerName: s.reviewerName, state: s.state, stateLabel: SHEET_STATE_LABELS[s.state],
          score: s.totalTenths === null ? null : formatTenths(s.totalTenths), grade: s.gradeLabel,
        })),
        awaitingRecheck: f.state === 'recheck',
        recheckerName: f.rechecker_name, recheckSheetLabel: f.recheckSheet ? SHEET_STATE_LABELS[f.recheckSheet] : null,
        final: f.final_id === null ? null : { score: formatTenths(f.final_tenths!), grade: f.final_grade, revision: f.final_revision, revised: f.final_revision! > 1 },
        resultHref: resultHref(id, f.id),
      })),
      filter, described, clearHref: listHref(id, {}),
      stateOptions: FILE_STATES.map((s) => ({ value: s, label: FILE_STATE_LABELS[s] })),
      unitOptions: board.byUnit.map((u) => ({ id: u.unitId, name: u.unitName })),
      caseTypeOptions: [...board.byCaseType].sort((a, b) => typeOrder(a.caseType) - typeOrder(b.caseType)).map((c) => ({ value: c.caseType, label: c.label })),
      reviewerOptions: board.byReviewer.map((r) => ({ id: r.reviewerId, name: r.reviewerName })),
      query: {
        state: filter.state ?? '', unitId: filter.unitId ?? '', caseType: filter.caseType ?? '', reviewerId: filter.reviewerId ?? '',
        sheet: filter.sheet ?? '', recheckerId: filter.recheckerId ?? '',
      },
      listTotal: total, page, pages, hasPrev: page > 1, hasNext: page < pages,
    });
  });

  router.get('/campaigns/:id/results', permit('campaign.list'), async (req, res) => {
    const ctx = ctxOf(req, deps);
    const campaign = await visibleCampaign(ctx, idParam(req));
    const actor = asActor(ctx.actor);
    const department = actor.role === 'department';
    const requestedUnit = optionalId(req.query, 'unitId');
    // A reviewer reads results on the files it scored, not the list; a department only its own unit's.
    assertCan(req, 'result.view', { participant: await isParticipant(deps.db, campaign.id, actor), unitId: department ? requestedUnit ?? actor.unitId : undefined });
    const statusLabel = CAMPAIGN_STATUS_LABELS[campaign.status as CampaignStatus];
    if (department && !resultsReleased(campaign)) {
      return res.render('reviews/results', {
        title: `评查结果 - ${campaign.name}`, campaign, statusLabel,
        notReleased: `本活动的评查结果尚未发布（当前阶段：${statusLabel}）。结果发布后，本单位可以在这里查看本单位案卷的最后得分和等次，并在异议期内提出异议。`,
      });
    }
    const page = pageParam(req.query);
    const grade = text(req.query, 'grade').trim();
    const unitId = department ? actor.unitId : requestedUnit;
    // Narrowings the statistics page links to: a case type, passing or not (the pass rate), files with a veto.
    const caseTypeText = text(req.query, 'caseType');
    const caseType = isCaseType(caseTypeText) ? caseTypeText : null;
    const passingText = text(req.query, 'passing');
    const passing = passingText === '1' ? true : passingText === '0' ? false : null;
    const veto = text(req.query, 'veto') === '1';
    const fileIds = veto ? [...new Set((await campaignFindings(deps.db, campaign.id, unitId)).filter((f) => f.kind === 'veto').map((f) => f.fileId))] : null;
    const { total, rows, byGrade } = await finalResultList(deps.db, campaign.id, {
      unitId, gradeCode: /^[a-z_]{1,32}$/.test(grade) ? grade : null, caseType, passing, fileIds,
    }, page);
    const pages = Math.max(1, Math.ceil(total / RESULTS_PAGE_SIZE));
    const grades = [...byGrade].sort((a, b) => gradeRank(a.code) - gradeRank(b.code) || a.label.localeCompare(b.label, 'zh-CN'));
    const units = department ? [] : (await campaignUnits(deps.db, campaign.id)).sort((a, b) => a.code.localeCompare(b.code));
    res.render('reviews/results', {
      title: `评查结果 - ${campaign.name}`, campaign, statusLabel,
      department, ownUnit: department ? ctx.actor.unitName : null,
      results: rows.map((r) => ({
        unitName: r.unit_name, fileNumber: r.file_number, caseType: r.case_type, cause: r.cause,
        score: formatTenths(r.total_tenths), grade: r.grade_label, gradeCode: r.grade_code,
        method: FINAL_METHOD_LABELS[r.method as FinalMethod] ?? r.method,
        revision: r.revision > 1 ? `第 ${r.revision} 版` : '',
        resultHref: resultHref(campaign.id, r.case_file_id),
      })),
      grades, gradedTotal: grades.reduce((n, g) => n + g.count, 0),
      filter: { unitId, grade: /^[a-z_]{1,32}$/.test(grade) ? grade : '', caseType: caseType ?? '', passing: passing === null ? '' : passing ? '1' : '0', veto: veto ? '1' : '' },
      narrowed: [
        caseType ? `案卷类型：${CASE_TYPE_LABELS[caseType]}` : null,
        passing === null ? null : passing ? '合格（含以上等次，计入合格率）' : '不合格',
        veto ? '含否决项' : null,
      ].filter((d): d is string => d !== null),
      unitOptions: units.map((u) => ({ id: u.id, name: u.name })),
      caseTypeOptions: CASE_TYPES.map((c) => ({ value: c, label: CASE_TYPE_LABELS[c] })),
      query: { unitId: department ? '' : unitId ?? '', grade, caseType: caseType ?? '', passing: passing === null ? '' : passing ? '1' : '0', veto: veto ? '1' : '' },
      total, page, pages, hasPrev: page > 1, hasNext: page < pages,
      canSeeProgress: can(actor, 'progress.view'),
    });
  });

  return router;
}
