// View models for the notice side of rectification: the list of notices, one notice's 整改清单 with the forms
// the actor may use, and the printed / downloadable 整改通知书. Pure: everything comes in as arguments (the
// notice's data, the actor, today's Beijing date), so the same data always gives the same page.
import { documentDate } from '../../domain/bulletin.ts';
import { chineseNumeral } from '../../domain/rubric/describe.ts';
import { ALLOWED_EXTENSIONS, ALLOWED_TYPES_TEXT, ATTACHMENT_MAX_BYTES, ATTACHMENTS_PER_MEASURE } from '../../domain/attachments.ts';
import { FINDING_KIND_LABELS, ISSUE_SCOPE_LABELS, type FindingKind, type IssueScope } from '../../domain/issues.ts';
import { can, type Actor } from '../../domain/policy.ts';
import {
  isDueSoon, isOverdue, itemState, ITEM_STATE_LABELS, MEASURE_LIMITS, MEASURE_STATUS_LABELS, MEASURE_STATUSES, type MeasureStatus,
} from '../../domain/rectification.ts';
import { formatDateTime } from '../../web/format.ts';
import type { NoticeDetail, NoticeListRow } from './queries.ts';

export const noticeHref = (id: number): string => `/rectification/notices/${id}`;
const resultHref = (campaignId: number, fileId: number): string => `/campaigns/${campaignId}/files/${fileId}/result`;

const asStatus = (s: string): MeasureStatus => ((MEASURE_STATUSES as readonly string[]).includes(s) ? (s as MeasureStatus) : 'draft');
const label = <K extends string>(labels: Record<K, string>, code: string): string => (code in labels ? labels[code as K] : code);

/** Whole days from one case-world date to another (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export interface DeadlineNote {
  text: string;
  /** not all issues rectified and today is past the deadline */
  overdue: boolean;
  /** due within 7 days */
  soon: boolean;
}

/** “还剩 N 天” / “今天到期” / “已逾期 N 天”, or nothing left to do once every issue is rectified. */
export function deadlineNote(deadline: string, today: string, done: boolean): DeadlineNote {
  if (done) return { text: '已全部整改验收', overdue: false, soon: false };
  const days = daysBetween(today, deadline);
  // Not every issue is rectified: as for a measure that is not verified yet (status null).
  return {
    text: days > 0 ? `还剩 ${days} 天` : days === 0 ? '今天到期' : `已逾期 ${-days} 天`,
    overdue: isOverdue(null, deadline, today),
    soon: isDueSoon(null, deadline, today),
  };
}

export type StatusCounts = Record<MeasureStatus, number>;

export function countStatuses(statuses: readonly string[]): StatusCounts {
  const counts: StatusCounts = { draft: 0, submitted: 0, returned: 0, verified: 0 };
  for (const s of statuses) counts[asStatus(s)] += 1;
  return counts;
}

/** The measure columns in the order the work flows. */
const COUNT_COLUMNS: readonly MeasureStatus[] = ['draft', 'submitted', 'returned', 'verified'];

// ---------------------------------------------------------------------------------------------------------
// The list (/rectification)

export function noticeList(rows: readonly NoticeListRow[], today: string, actor: Actor) {
  const groups: { campaignId: number; campaignName: string; campaignYear: number; notices: unknown[]; overdueCount: number }[] = [];
  for (const row of rows) {
    let group = groups.at(-1);
    if (!group || group.campaignId !== row.campaignId) {
      group = { campaignId: row.campaignId, campaignName: row.campaignName, campaignYear: row.campaignYear, notices: [], overdueCount: 0 };
      groups.push(group);
    }
    const states = row.items.map((i) => itemState(i.statuses.map(asStatus)));
    const doneCount = states.filter((s) => s === 'verified').length;
    const done = row.items.length > 0 && doneCount === row.items.length;
    const counts = countStatuses(row.items.flatMap((i) => i.statuses));
    const note = deadlineNote(row.deadline, today, done);
    if (note.overdue) group.overdueCount += 1;
    group.notices.push({
      id: row.id, href: noticeHref(row.id), docNumber: row.docNumber, unitName: row.unitName, issuedOn: row.issuedOn, deadline: row.deadline,
      itemCount: row.items.length, doneCount, done, deadlineNote: note, overdue: note.overdue,
      counts: COUNT_COLUMNS.map((status) => ({ status, label: MEASURE_STATUS_LABELS[status], n: counts[status] })),
      reportSubmittedAt: formatDateTime(row.reportSubmittedAt),
    });
  }
  const department = actor.role === 'department';
  return {
    title: department ? '本单位整改' : '整改',
    groups,
    department,
    bureau: actor.role === 'admin' || actor.role === 'leader',
    countLabels: COUNT_COLUMNS.map((s) => MEASURE_STATUS_LABELS[s]),
    today,
  };
}

// ---------------------------------------------------------------------------------------------------------
// One notice (整改清单)

const ACCEPT = ALLOWED_EXTENSIONS.map((e) => `.${e}`).join(',');
const MAX_MB = ATTACHMENT_MAX_BYTES / 1024 / 1024;

export const sizeText = (bytes: number): string =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.ceil(bytes / 1024))} KB`;

export function noticePage(detail: NoticeDetail, actor: Actor, today: string) {
  const { notice, campaign } = detail;
  const open = campaign.status !== 'closed';
  const canEdit = open && can(actor, 'rectification.edit', { unitId: notice.unit_id });
  const canVerify = open && can(actor, 'rectification.verify');
  const attachmentsOf = (measureId: number) => detail.attachments.filter((a) => a.measureId === measureId);

  let toSubmit = 0;
  const items = detail.items.map((item, index) => {
    const rows = detail.measures.filter((m) => m.itemId === item.id);
    const state = itemState(rows.map((m) => asStatus(m.status)));
    const measures = rows.map((m, i) => {
      const status = asStatus(m.status);
      const editable = canEdit && (status === 'draft' || status === 'returned');
      if (status === 'draft' || status === 'returned') toSubmit += 1;
      const files = attachmentsOf(m.id);
      return {
        id: m.id, number: i + 1, status, statusLabel: MEASURE_STATUS_LABELS[status],
        description: m.description, responsible: m.responsible, completedOn: m.completedOn, evidence: m.evidence,
        submittedAt: formatDateTime(m.submittedAt), updatedAt: formatDateTime(m.updatedAt),
        verifiedAt: formatDateTime(m.verifiedAt), verifiedByName: m.verifiedByName,
        returned: status === 'returned', returnReason: m.returnReason, returnedAt: formatDateTime(m.returnedAt), returnedByName: m.returnedByName,
        /** Returned once and sent again: the earlier reason stays visible for the record. */
        earlierReturn: status !== 'returned' && m.returnReason !== null && m.returnedAt !== null,
        overdue: isOverdue(status, notice.deadline, today),
        attachments: files.map((a) => ({
          id: a.id, href: `/rectification/attachments/${a.id}`, filename: a.filename, size: sizeText(a.size), uploadedAt: formatDateTime(a.uploadedAt),
          removeAction: `/rectification/attachments/${a.id}/delete`,
        })),
        canEdit: editable,
        canDelete: canEdit && status === 'draft',
        canUpload: editable && files.length < ATTACHMENTS_PER_MEASURE,
        attachmentsFull: editable && files.length >= ATTACHMENTS_PER_MEASURE,
        canReview: canVerify && status === 'submitted',
        actions: {
          update: `/rectification/measures/${m.id}`,
          remove: `/rectification/measures/${m.id}/delete`,
          upload: `/rectification/measures/${m.id}/attachments`,
          review: `/rectification/measures/${m.id}/review`,
        },
      };
    });
    return {
      id: item.id, number: index + 1, wording: item.wording, category: item.category, code: item.code,
      kindLabel: label(FINDING_KIND_LABELS, item.kind as FindingKind), scope: item.scope, scopeLabel: label(ISSUE_SCOPE_LABELS, item.scope as IssueScope),
      repeated: item.repeated,
      files: item.files.map((f) => ({ fileNumber: f.fileNumber, href: resultHref(campaign.id, f.fileId) })),
      state, stateLabel: ITEM_STATE_LABELS[state],
      overdue: state !== 'verified' && isOverdue(null, notice.deadline, today),
      measures,
      // An issue whose measures are all verified is rectified: the service takes no new measure for it.
      canAdd: canEdit && state !== 'verified',
      addAction: `/rectification/items/${item.id}/measures`,
    };
  });

  const doneCount = items.filter((i) => i.state === 'verified').length;
  const done = items.length > 0 && doneCount === items.length;
  const missing = items.filter((i) => i.measures.length === 0).length;
  const counts = countStatuses(detail.measures.map((m) => m.status));
  const note = deadlineNote(notice.deadline, today, done);
  const department = can(actor, 'rectification.edit', { unitId: notice.unit_id });

  return {
    title: `整改清单 ${notice.doc_number}`,
    notice: {
      id: notice.id, docNumber: notice.doc_number, unitName: detail.unitName, issuedOn: notice.issued_on, deadline: notice.deadline,
      requirements: notice.requirements, issuedByName: detail.issuedByName,
      reportSubmittedAt: formatDateTime(notice.report_submitted_at), reportSubmittedByName: detail.reportSubmittedByName,
    },
    campaign: {
      id: campaign.id, name: campaign.name, href: `/campaigns/${campaign.id}`, closed: !open,
      // The campaign's rectification overview is the bureau's page.
      rectificationHref: actor.role === 'admin' || actor.role === 'leader' ? `/campaigns/${campaign.id}/rectification` : null,
    },
    deadlineNote: note,
    summary: {
      itemCount: items.length, doneCount, done,
      counts: COUNT_COLUMNS.map((status) => ({ status, label: MEASURE_STATUS_LABELS[status], n: counts[status] })),
    },
    items,
    canEdit,
    canVerify,
    department,
    readOnlyNote: canEdit || canVerify ? null
      : !open ? '评查活动已结束，整改记录只能查阅。' : '本页为只读：整改措施由被评查单位填写和报送，由评查机关验收。',
    report: {
      show: canEdit && (toSubmit > 0 || missing > 0),
      toSubmit,
      missing,
      waiting: canEdit && toSubmit === 0 && missing === 0 && counts.submitted > 0,
      action: `/rectification/notices/${notice.id}/report`,
    },
    upload: { accept: ACCEPT, typesText: ALLOWED_TYPES_TEXT, maxMb: MAX_MB, perMeasure: ATTACHMENTS_PER_MEASURE },
    limits: MEASURE_LIMITS,
    links: { print: `${noticeHref(notice.id)}/print`, download: `${noticeHref(notice.id)}/download` },
  };
}

// ---------------------------------------------------------------------------------------------------------
// The printed notice (整改通知书)

export function noticeDocument(detail: NoticeDetail, bureauName: string) {
  const { notice, campaign } = detail;
  const reviewed = detail.reviewedFileCount > 0 ? `，共评查你单位案卷 ${detail.reviewedFileCount} 卷` : '';
  return {
    heading: '行政执法案卷评查整改通知书',
    docNumber: notice.doc_number,
    salutation: `${detail.unitName}：`,
    intro: `按照“${campaign.name}”工作安排，我局对你单位的行政执法案卷进行了评查${reviewed}。经评查，你单位案卷存在以下问题：`,
    issues: detail.items.map((item, i) => {
      const marks = [label(ISSUE_SCOPE_LABELS, item.scope as IssueScope), ...(item.repeated ? ['屡查屡犯'] : [])].join('，');
      return {
        number: chineseNumeral(i + 1),
        wording: item.wording.replace(/[。；;，,\s]+$/u, ''),
        marks,
        category: item.category,
        files: item.files.map((f) => f.fileNumber).join('、'),
      };
    }),
    requirements: notice.requirements.split(/\r?\n/).map((p) => p.trim()).filter((p) => p !== ''),
    deadlineText: `请于${documentDate(notice.deadline)}前完成整改，并报送整改情况及佐证材料。`,
    bureauName,
    issuedOn: documentDate(notice.issued_on),
    unitName: detail.unitName,
    campaignName: campaign.name,
  };
}
