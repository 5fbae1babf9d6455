// A file's review result shaped for its page (views/reviews/result.hbs) and a campaign's objections for the list
// (views/reviews/objections.hbs). What a viewer may read comes from fileVisibility (service.ts); this module only
// leaves out what it is told to and shapes the rest. Scores come from the scoring engine, never added up here.
import type { DbOrTrx } from '../../db/connection.ts';
import type { CampaignRow } from '../../db/schema.ts';
import { eligibleReviewers, type AssignableFile } from '../../domain/assignment.ts';
import type { CampaignKind } from '../../domain/campaigns.ts';
import { FINAL_METHOD_LABELS, OBJECTION_STATUS_LABELS, type FinalMethod, type ObjectionStatus, type Withdrawn } from '../../domain/objections.ts';
import type { Actor } from '../../domain/policy.ts';
import { reviewDifferences, type SubmittedReview } from '../../domain/reconciliation.ts';
import { scoreSheet, type SheetContent } from '../../domain/review-sheet.ts';
import { formatPoints, formatTenths } from '../../domain/rubric/points.ts';
import type { ReviewScore } from '../../domain/rubric/scoring.ts';
import { VETO_EFFECT_LABELS, type Rubric, type RubricItem, type Veto } from '../../domain/rubric/types.ts';
import type { CaseType } from '../../domain/vocabulary.ts';
import { formatDateTime } from '../../web/format.ts';
import { activeAssignments, conflictsOf, poolOf, toDeclared } from '../assignment/queries.ts';
import { allUnits } from '../units/queries.ts';
import {
  contentOf, currentFinal, finalHistory, findFile, idsOf, objectionsOfCampaign, objectionsOfFile, pinnedRubric, recheckOf,
  rubricOfVersion, sheetsOfFile, withdrawnOf, type FileRow, type SheetKind, type SheetRow,
} from './queries.ts';
import { contestable, objectionWindowEnd, SHEET_KIND_LABELS, type FileVisibility } from './service.ts';

/** Item and veto texts of a rubric by code, for labels. */
interface RubricTexts {
  item(code: string): RubricItem | undefined;
  veto(code: string): Veto | undefined;
}

function textsOf(rubric: Rubric | null): RubricTexts {
  const items = new Map<string, RubricItem>();
  for (const section of rubric?.sections ?? []) for (const item of section.items) items.set(item.code, item);
  const vetoes = new Map((rubric?.vetoes ?? []).map((v) => [v.code, v]));
  return { item: (code) => items.get(code), veto: (code) => vetoes.get(code) };
}

/** "扣分项 S1-01「…」" / "否决项 V03「…」": how a contested mark is named everywhere. */
export function targetLabel(texts: RubricTexts, kind: string, code: string): string {
  const text = kind === 'veto' ? texts.veto(code)?.text : texts.item(code)?.text;
  return `${kind === 'veto' ? '否决项' : '扣分项'} ${code}${text ? `「${text}」` : ''}`;
}

const withdrawnLabels = (texts: RubricTexts, w: Withdrawn): string[] => [
  ...w.deductions.map((c) => targetLabel(texts, 'deduction', c)),
  ...w.vetoes.map((c) => targetLabel(texts, 'veto', c)),
];

const SHEET_STATUS_LABELS: Record<string, string> = { draft: '草稿（未提交）', submitted: '已提交' };

/** One deduction as the page shows it: what was recorded, what it cost, and where in the file. */
function deductionRows(texts: RubricTexts, content: SheetContent, score: ReviewScore) {
  return content.deductions.map((d) => {
    const item = texts.item(d.itemCode);
    const scored = score.items.find((i) => i.code === d.itemCode);
    let recorded: string;
    if (d.count !== null) {
      const each = item?.deduction.type === 'per_occurrence' ? `，每处 ${formatPoints(item.deduction.points)} 分` : '';
      recorded = `${d.count} 处${each}`;
    } else {
      recorded = `${formatTenths(d.pointsTenths ?? 0)} 分${item?.deduction.type === 'range' ? `（区间 ${formatPoints(item.deduction.min)}–${formatPoints(item.deduction.max)} 分）` : ''}`;
    }
    return {
      code: d.itemCode,
      text: item?.text ?? '',
      recorded,
      deducted: scored ? scored.deducted : '0',
      capped: scored?.capped ?? false,
      note: d.note,
      document: d.document,
      page: d.page,
    };
  });
}

function vetoRows(texts: RubricTexts, content: SheetContent) {
  return content.vetoes.map((v) => {
    const veto = texts.veto(v.code);
    return { code: v.code, text: veto?.text ?? '', effect: veto ? VETO_EFFECT_LABELS[veto.effect] : '', note: v.note, document: v.document, page: v.page };
  });
}

interface LoadedSheet {
  row: SheetRow;
  rubric: Rubric;
  content: SheetContent;
  score: ReviewScore;
}

async function loadSheet(db: DbOrTrx, row: SheetRow, rubrics: Map<number, Rubric>): Promise<LoadedSheet> {
  let rubric = rubrics.get(row.rubric_version_id);
  if (!rubric) {
    rubric = await rubricOfVersion(db, row.rubric_version_id);
    rubrics.set(row.rubric_version_id, rubric);
  }
  const content = await contentOf(db, row);
  return { row, rubric, content, score: scoreSheet(rubric, content) };
}

export interface ResultPageInput {
  actor: Actor;
  campaign: CampaignRow;
  file: FileRow;
  visibility: FileVisibility;
  /** ISO UTC, from the clock. */
  now: string;
}

/** Everything the result page shows to this viewer, and nothing it may not see. */
export async function resultPage(db: DbOrTrx, input: ResultPageInput) {
  const { actor, campaign, file, visibility, now } = input;
  const base = `/campaigns/${campaign.id}/files/${file.id}`;
  const rows = await sheetsOfFile(db, file.id);
  const readable = new Set(visibility.readableSheetIds);
  const rubrics = new Map<number, Rubric>();
  const loaded = new Map<number, LoadedSheet>();
  // Only sheets this viewer may read are ever loaded: an unreadable sheet's marks never reach the template.
  for (const row of rows) if (readable.has(row.id)) loaded.set(row.id, await loadSheet(db, row, rubrics));
  const labelRubric = rows[0] ? (rubrics.get(rows[0].rubric_version_id) ?? await rubricOfVersion(db, rows[0].rubric_version_id))
    : (await pinnedRubric(db, campaign.id, file.case_type))?.rubric ?? null;
  const texts = textsOf(labelRubric);

  const recheck = await recheckOf(db, file.id);
  const final = await currentFinal(db, file.id);
  const reviewRows = rows.filter((r) => (r.kind as SheetKind) === 'review');
  const submittedReviews = reviewRows.filter((r) => r.status === 'submitted');

  // The file's state, told without any score.
  let state: { code: 'reviewing' | 'recheck' | 'final'; label: string; detail: string };
  if (final) {
    state = { code: 'final', label: '已有最后得分', detail: recheck?.resolved_at ? '经复核确定' : '' };
  } else if (recheck && !recheck.resolved_at) {
    state = { code: 'recheck', label: '待复核', detail: recheck.rechecker_name ? `由${recheck.rechecker_name}复核` : '尚未指定复核人员' };
  } else {
    state = { code: 'reviewing', label: '评查中', detail: `已提交评查表 ${submittedReviews.length} 份，共需 ${campaign.reviewers_per_file} 份` };
  }
  // The reasons quote every reviewer's total: never for a viewer still reviewing blind.
  const recheckView = recheck && !visibility.blindNotice ? {
    reasons: JSON.parse(recheck.reasons) as string[],
    createdAt: recheck.created_at,
    rechecker: recheck.rechecker_name ?? null,
    assignedAt: recheck.assigned_at,
    resolvedAt: recheck.resolved_at,
  } : null;

  const sheets = rows.map((row) => {
    const sheet = loaded.get(row.id);
    const common = {
      id: row.id,
      kindLabel: SHEET_KIND_LABELS[row.kind as SheetKind] ?? row.kind,
      reviewerName: row.reviewer_name,
      reviewerUnit: row.reviewer_unit,
      own: row.reviewer_id === actor.id,
      submitted: row.status === 'submitted',
      statusLabel: SHEET_STATUS_LABELS[row.status] ?? row.status,
      submittedAt: row.submitted_at,
    };
    if (!sheet) return { ...common, readable: false as const };
    return {
      ...common,
      readable: true as const,
      total: sheet.score.total,
      grade: sheet.score.grade.label,
      passing: sheet.score.grade.passing,
      decidingVeto: sheet.score.decidingVeto,
      reasons: sheet.score.reasons,
      deductions: deductionRows(texts, sheet.content, sheet.score),
      vetoes: vetoRows(texts, sheet.content),
      // 其他问题: the reviewer's own wording, no points (so not in the comparison either).
      others: sheet.content.others.map((o, n) => ({ number: n + 1, note: o.note, document: o.document, page: o.page })),
      opinion: sheet.content.opinion,
      updatedAt: row.updated_at,
      printUrl: row.status === 'submitted' ? `${base}/sheets/${row.id}/print` : null,
    };
  });

  // Side by side, for whoever settles or oversees a re-check: the submitted review sheets, differences marked.
  let compare = null;
  if (recheck && (visibility.viewer === 'bureau' || visibility.viewer === 'rechecker')) {
    const compared: (SubmittedReview & { sheet: LoadedSheet })[] = [];
    for (const row of submittedReviews) {
      const sheet = loaded.get(row.id);
      if (sheet) compared.push({ reviewId: row.id, reviewerId: row.reviewer_id, reviewerName: row.reviewer_name, result: sheet.score, sheet });
    }
    compared.sort((a, b) => a.reviewId - b.reviewId);
    if (compared.length > 0) {
      const differences = reviewDifferences(compared[0]!.sheet.rubric, compared);
      compare = {
        columns: compared.map((c) => ({ reviewerName: c.reviewerName, reviewId: c.reviewId })),
        items: differences.items.map((item) => ({
          code: item.code,
          text: item.text,
          differ: item.differ,
          cells: item.reviews.map((e) => (e.marked ? `扣 ${e.deducted} 分${e.count > 1 ? `（${e.count} 处）` : ''}` : '—')),
        })),
        vetoes: differences.vetoes.map((veto) => ({
          code: veto.code,
          text: veto.text,
          effect: VETO_EFFECT_LABELS[veto.effect],
          differ: veto.differ,
          cells: veto.reviews.map((e) => (e.marked ? '勾选' : '—')),
        })),
        totals: compared.map((c) => c.result.total),
        grades: compared.map((c) => c.result.grade.label),
        gradesDiffer: new Set(compared.map((c) => c.result.grade.code)).size > 1,
        totalsDiffer: new Set(compared.map((c) => c.result.totalTenths)).size > 1,
      };
    }
  }

  // The administrator names the rechecker while re-check is open: pool reviewers who did not review the file and
  // pass the same conflict rules as assignment. The service checks again on submit.
  let recheckerForm = null;
  if (actor.role === 'admin' && recheck && !recheck.resolved_at && (campaign.status === 'reviewing' || campaign.status === 'rechecking')) {
    const reviewers = new Set([
      ...reviewRows.map((r) => r.reviewer_id),
      ...(await activeAssignments(db, campaign.id)).filter((a) => a.case_file_id === file.id).map((a) => a.reviewer_id),
    ]);
    const pool = (await poolOf(db, campaign.id)).filter((r) => r.active && !reviewers.has(r.id));
    const assignable: AssignableFile = { id: file.id, unitId: file.unit_id, caseType: file.case_type as CaseType, fileNumber: file.file_number, handlers: [file.handlers] };
    const eligible = eligibleReviewers(assignable, pool, {
      campaignKind: campaign.kind as CampaignKind, units: await allUnits(db), conflicts: toDeclared(await conflictsOf(db, campaign.id)),
    });
    recheckerForm = {
      action: `${base}/rechecker`,
      current: recheck.rechecker_id,
      options: eligible.map((r) => ({ id: r.id, name: r.name, unitName: pool.find((p) => p.id === r.id)?.unitName ?? '', selected: r.id === recheck.rechecker_id })),
    };
  }

  // The final result and every revision of it, each pointing to the one it superseded and the objection behind it.
  const objections = visibility.showObjections || visibility.showFinal ? await objectionsOfFile(db, file.id) : [];
  let finalView = null;
  let history: ReturnType<typeof historyRow>[] = [];
  if (visibility.showFinal && final) {
    const revisions = await finalHistory(db, file.id);
    const revisionOf = new Map(revisions.map((r) => [r.id, r.revision]));
    const objectionOf = new Map(objections.map((o) => [o.id, o]));
    history = revisions.map((r) => historyRow(r, revisionOf, objectionOf, texts));
    finalView = history.find((h) => h.current) ?? null;
  }

  const objectionRows = visibility.showObjections ? (() => {
    const revisionOfResult = new Map(history.map((h) => [h.id, h.revision]));
    return objections.map((o) => ({
      ...objectionRow(texts, o),
      open: o.status === 'open',
      resultRevision: o.result_id !== null ? revisionOfResult.get(o.result_id) ?? null : null,
      canDecide: actor.role === 'admin' && o.status === 'open' && campaign.status === 'released',
      decideAction: `/objections/${o.id}/decide`,
    }));
  })() : [];

  // A department objects to its own file's final result while the window is open.
  let objectionForm = null;
  if (visibility.viewer === 'department' && final && actor.unitId === file.unit_id) {
    const deadline = objectionWindowEnd(campaign);
    const open = campaign.status === 'released' && deadline !== null && now <= deadline;
    let options: { value: string; label: string; pending: boolean }[] = [];
    if (open) {
      const marks = await contestable(db, final);
      const pending = new Set(objections.filter((o) => o.status === 'open').map((o) => `${o.target_kind}:${o.target_code}`));
      options = [
        ...marks.deductions.map((code) => ({ value: `deduction:${code}`, label: targetLabel(texts, 'deduction', code) })),
        ...marks.vetoes.map((code) => ({ value: `veto:${code}`, label: targetLabel(texts, 'veto', code) })),
      ].map((o) => ({ ...o, pending: pending.has(o.value) }));
    }
    objectionForm = {
      action: `${base}/objections`,
      open,
      deadline,
      closedMessage: open ? null
        : campaign.status === 'closed' ? '评查活动已结束，不能再提出异议'
          : deadline ? `异议期已于 ${formatDateTime(deadline)} 截止，不能再提出异议` : '评查结果发布后才能提出异议',
      options,
      anyOpen: options.some((o) => !o.pending),
    };
  }

  return {
    title: `评查结果 - 案卷 ${file.file_number}`,
    campaign,
    file: { ...file, isMajor: file.is_major === 1 },
    state,
    recheck: recheckView,
    blindNotice: visibility.blindNotice,
    viewer: visibility.viewer,
    sheets,
    compare,
    sheetUrl: `${base}/sheet`,
    showOwnSheetLink: visibility.viewer === 'reviewer' || visibility.viewer === 'rechecker',
    recheckerForm,
    final: finalView,
    history,
    hasRevisions: history.length > 1,
    showFinal: visibility.showFinal,
    showObjections: visibility.showObjections,
    objections: objectionRows,
    objectionForm,
    objectionsListUrl: visibility.viewer === 'bureau' || visibility.viewer === 'department' ? `/campaigns/${campaign.id}/objections` : null,
  };
}

type FinalHistoryRow = Awaited<ReturnType<typeof finalHistory>>[number];
type FileObjection = Awaited<ReturnType<typeof objectionsOfFile>>[number];

function historyRow(r: FinalHistoryRow, revisionOf: Map<number, number>, objectionOf: Map<number, FileObjection>, texts: RubricTexts) {
  const objection = r.objection_id !== null ? objectionOf.get(r.objection_id) : undefined;
  return {
    id: r.id,
    revision: r.revision,
    current: r.superseded_at === null,
    total: formatTenths(r.total_tenths),
    grade: r.grade_label,
    passing: r.passing === 1,
    method: FINAL_METHOD_LABELS[r.method as FinalMethod] ?? r.method,
    explanation: r.explanation,
    createdBy: r.created_by_name ?? '系统',
    /** Who formed this revision and how: the last sheet, the re-check sheet, or a decided objection. */
    origin: r.objection_id !== null ? `${r.created_by_name ?? '系统'}处理第 ${r.objection_id} 号异议`
      : r.method === 'recheck' ? `复核人员${r.created_by_name ?? ''}提交复核评查表`
        : `${r.created_by_name ?? '系统'}提交本卷最后一份评查表后自动形成`,
    createdAt: r.created_at,
    supersededAt: r.superseded_at,
    supersedesRevision: r.supersedes_id !== null ? revisionOf.get(r.supersedes_id) ?? null : null,
    objection: r.objection_id !== null ? {
      id: r.objection_id,
      target: objection ? targetLabel(texts, objection.target_kind, objection.target_code) : '',
    } : null,
    withdrawn: withdrawnLabels(texts, withdrawnOf(r.withdrawn)),
    sheetCount: idsOf(r.sheets).length,
  };
}

type ObjectionFields = {
  id: number; target_kind: string; target_code: string; reason: string; raised_by_name: string; raised_at: string; status: string;
  decided_by_name: string | null; decided_at: string | null; decision_reason: string | null;
};

/** What the file page and the list both show of one objection. */
const objectionRow = (texts: RubricTexts, o: ObjectionFields) => ({
  id: o.id,
  target: targetLabel(texts, o.target_kind, o.target_code),
  reason: o.reason,
  raisedBy: o.raised_by_name,
  raisedAt: o.raised_at,
  status: o.status,
  statusLabel: OBJECTION_STATUS_LABELS[o.status as ObjectionStatus] ?? o.status,
  decidedBy: o.decided_by_name,
  decidedAt: o.decided_at,
  decisionReason: o.decision_reason,
});

/** A campaign's objections, all units or one (scoped in the query), for the list page. */
export async function objectionList(db: DbOrTrx, campaign: CampaignRow, unitId: number | null) {
  const rows = await objectionsOfCampaign(db, campaign.id, unitId);
  const textsByType = new Map<string, RubricTexts>();
  const out = [];
  for (const o of rows) {
    const file = await findFile(db, campaign.id, o.case_file_id);
    const caseType = file?.case_type ?? '';
    let texts = textsByType.get(caseType);
    if (!texts) {
      texts = textsOf((await pinnedRubric(db, campaign.id, caseType))?.rubric ?? null);
      textsByType.set(caseType, texts);
    }
    out.push({
      unitName: o.unit_name,
      fileNumber: o.file_number,
      resultUrl: `/campaigns/${campaign.id}/files/${o.case_file_id}/result`,
      ...objectionRow(texts, o),
    });
  }
  return out;
}
