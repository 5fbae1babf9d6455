// Reads for the campaign's rectification pages (notices overview, 整改台账) and the home page's deadlines.
// Deleted measures (deleted_at set) are left out everywhere: they were drafts the unit withdrew.
// Also the ledger's lines and its table row (整改台账), shared by the ledger page, its CSV and the campaign workbook.
import type { DbOrTrx } from '../../db/connection.ts';
import { ISSUE_SCOPE_LABELS, type IssueScope } from '../../domain/issues.ts';
import { issueOverdue, issueState, measureOverdue } from '../../domain/ledger.ts';
import { ITEM_STATE_LABELS, MEASURE_STATUS_LABELS, type ItemState, type MeasureStatus } from '../../domain/rectification.ts';
import { formatDateTime } from '../../web/format.ts';

export interface LedgerMeasure {
  id: number;
  itemId: number;
  description: string;
  responsible: string;
  completedOn: string | null;
  evidence: string;
  status: MeasureStatus;
  submittedAt: string | null;
  verifiedAt: string | null;
  returnedAt: string | null;
  returnReason: string | null;
}

export interface LedgerItem {
  id: number;
  position: number;
  wording: string;
  category: string;
  kind: string;
  code: string;
  scope: string;
  repeated: boolean;
  files: { fileId: number; fileNumber: string }[];
  measures: LedgerMeasure[];
}

export interface LedgerNotice {
  id: number;
  campaignId: number;
  unitId: number;
  unitName: string;
  unitCode: string;
  docNumber: string;
  issuedOn: string;
  deadline: string;
  reportSubmittedAt: string | null;
  reportSubmitted: boolean;
  items: LedgerItem[];
}

function parseFiles(json: string): { fileId: number; fileNumber: string }[] {
  try {
    const value = JSON.parse(json) as unknown;
    return Array.isArray(value) ? value.filter((f): f is { fileId: number; fileNumber: string } => typeof f?.fileNumber === 'string') : [];
  } catch {
    return [];
  }
}

/** Notices with their issues and live measures, by number: of one campaign (optionally one unit), or of the given notice ids. */
export async function ledgerNotices(db: DbOrTrx, where: { campaignId: number; unitId?: number | null } | { noticeIds: number[] }): Promise<LedgerNotice[]> {
  let q = db.selectFrom('rectification_notices').innerJoin('units', 'units.id', 'rectification_notices.unit_id')
    .select(['rectification_notices.id', 'rectification_notices.campaign_id', 'rectification_notices.unit_id', 'units.name as unit_name', 'units.code as unit_code',
      'rectification_notices.year', 'rectification_notices.seq', 'rectification_notices.doc_number', 'rectification_notices.issued_on', 'rectification_notices.deadline', 'rectification_notices.report_submitted_at']);
  if ('noticeIds' in where) {
    if (where.noticeIds.length === 0) return [];
    q = q.where('rectification_notices.id', 'in', where.noticeIds);
  } else {
    q = q.where('rectification_notices.campaign_id', '=', where.campaignId);
    if (where.unitId) q = q.where('rectification_notices.unit_id', '=', where.unitId);
  }
  // In the order of their numbers (文号), as they were issued.
  const notices = await q.orderBy('rectification_notices.year').orderBy('rectification_notices.seq').execute();
  if (notices.length === 0) return [];
  const ids = notices.map((n) => n.id);
  const items = await db.selectFrom('rectification_items').selectAll().where('notice_id', 'in', ids).orderBy('notice_id').orderBy('position').execute();
  const measures = await db.selectFrom('rectification_measures')
    .select(['id', 'item_id', 'notice_id', 'description', 'responsible', 'completed_on', 'evidence', 'status', 'submitted_at', 'verified_at', 'returned_at', 'return_reason'])
    .where('notice_id', 'in', ids).where('deleted_at', 'is', null).orderBy('item_id').orderBy('id').execute();
  const measuresOf = new Map<number, LedgerMeasure[]>();
  for (const m of measures) {
    const list = measuresOf.get(m.item_id) ?? [];
    list.push({
      id: m.id, itemId: m.item_id, description: m.description, responsible: m.responsible, completedOn: m.completed_on, evidence: m.evidence,
      status: m.status as MeasureStatus, submittedAt: m.submitted_at, verifiedAt: m.verified_at, returnedAt: m.returned_at, returnReason: m.return_reason,
    });
    measuresOf.set(m.item_id, list);
  }
  const itemsOf = new Map<number, LedgerItem[]>();
  for (const i of items) {
    const list = itemsOf.get(i.notice_id) ?? [];
    list.push({
      id: i.id, position: i.position, wording: i.wording, category: i.category, kind: i.kind, code: i.code, scope: i.scope, repeated: i.repeated === 1,
      files: parseFiles(i.files), measures: measuresOf.get(i.id) ?? [],
    });
    itemsOf.set(i.notice_id, list);
  }
  return notices.map((n) => ({
    id: n.id, campaignId: n.campaign_id, unitId: n.unit_id, unitName: n.unit_name, unitCode: n.unit_code, docNumber: n.doc_number,
    issuedOn: n.issued_on, deadline: n.deadline, reportSubmittedAt: n.report_submitted_at, reportSubmitted: n.report_submitted_at !== null,
    items: itemsOf.get(n.id) ?? [],
  }));
}

/** Notices of campaigns still open (not 活动结束), optionally of one unit: the home page's deadlines. */
export async function openCampaignNotices(db: DbOrTrx, unitId: number | null): Promise<(LedgerNotice & { campaignName: string })[]> {
  let q = db.selectFrom('rectification_notices').innerJoin('campaigns', 'campaigns.id', 'rectification_notices.campaign_id')
    .select(['rectification_notices.id', 'campaigns.name']).where('campaigns.status', '!=', 'closed');
  if (unitId !== null) q = q.where('rectification_notices.unit_id', '=', unitId);
  const rows = await q.execute();
  const names = new Map(rows.map((r) => [r.id, r.name]));
  const notices = await ledgerNotices(db, { noticeIds: rows.map((r) => r.id) });
  return notices.map((n) => ({ ...n, campaignName: names.get(n.id) ?? '' }));
}

/** Measures the bureau returned to a unit that the unit has not reported again yet (open campaigns only). */
export function returnedMeasures(db: DbOrTrx, unitId: number) {
  return db.selectFrom('rectification_measures')
    .innerJoin('rectification_notices', 'rectification_notices.id', 'rectification_measures.notice_id')
    .innerJoin('rectification_items', 'rectification_items.id', 'rectification_measures.item_id')
    .innerJoin('campaigns', 'campaigns.id', 'rectification_notices.campaign_id')
    .select(['rectification_measures.id', 'rectification_measures.description', 'rectification_measures.return_reason', 'rectification_measures.returned_at',
      'rectification_notices.id as notice_id', 'rectification_notices.doc_number', 'rectification_notices.deadline', 'rectification_items.wording'])
    .where('rectification_notices.unit_id', '=', unitId).where('rectification_measures.status', '=', 'returned')
    .where('rectification_measures.deleted_at', 'is', null).where('campaigns.status', '!=', 'closed')
    .orderBy('rectification_measures.returned_at').orderBy('rectification_measures.id').execute();
}

// ---------------------------------------------------------------------------------------------------------
// The ledger's lines (整改台账): one line per issue and measure, as the ledger page, its CSV and the workbook show them.

const ITEM_STATES: readonly ItemState[] = ['open', 'inProgress', 'verified'];
export const ISSUE_FILTERS = [...ITEM_STATES, 'overdue'] as const;
export type IssueFilter = (typeof ISSUE_FILTERS)[number];
export const ISSUE_FILTER_LABELS: Record<IssueFilter, string> = { ...ITEM_STATE_LABELS, overdue: '已逾期' };

export interface LedgerFilter {
  unitId: number | null;
  state: IssueFilter | null;
  measure: MeasureStatus | null;
}

export const NO_LEDGER_FILTER: LedgerFilter = { unitId: null, state: null, measure: null };

export const ledgerScopeLabel = (scope: string): string => ISSUE_SCOPE_LABELS[scope as IssueScope] ?? scope;

/** One ledger line: an issue with one of its measures (or with none yet). */
export interface LedgerLine {
  notice: LedgerNotice;
  item: LedgerItem;
  itemNumber: number;
  itemState: ItemState;
  itemOverdue: boolean;
  measure: LedgerMeasure | null;
  measureOverdue: boolean;
}

/** The ledger's lines after the filters: notices of the unit, issues in the state, measures in the status. */
export function ledgerLines(notices: readonly LedgerNotice[], filter: LedgerFilter, today: string): LedgerLine[] {
  const lines: LedgerLine[] = [];
  for (const notice of notices) {
    if (filter.unitId && notice.unitId !== filter.unitId) continue;
    notice.items.forEach((item, index) => {
      const state = issueState(item);
      const overdue = issueOverdue(item, notice.deadline, today);
      if (filter.state === 'overdue' ? !overdue : filter.state !== null && state !== filter.state) return;
      const measures = filter.measure ? item.measures.filter((m) => m.status === filter.measure) : item.measures;
      if (filter.measure && measures.length === 0) return;
      const base = { notice, item, itemNumber: index + 1, itemState: state, itemOverdue: overdue };
      if (measures.length === 0) lines.push({ ...base, measure: null, measureOverdue: false });
      for (const m of measures) lines.push({ ...base, measure: m, measureOverdue: measureOverdue(m.status, notice.deadline, today) });
    });
  }
  return lines;
}

export const LEDGER_HEADERS = [
  '序号', '单位', '文号', '发文日期', '整改期限', '问题序号', '问题', '问题性质', '屡查屡犯', '涉及案卷', '问题整改状态', '问题是否逾期',
  '整改措施', '责任人', '完成日期', '整改佐证', '措施状态', '报送时间', '验收时间', '退回时间', '退回理由', '措施是否逾期',
] as const;

/** A ledger line as a table row under LEDGER_HEADERS (the two sequence numbers as numbers, everything else text). */
export function ledgerRow(line: LedgerLine, index: number): (string | number)[] {
  const m = line.measure;
  return [
    index + 1, line.notice.unitName, line.notice.docNumber, line.notice.issuedOn, line.notice.deadline,
    line.itemNumber, line.item.wording, ledgerScopeLabel(line.item.scope), line.item.repeated ? '是' : '否',
    line.item.files.map((f) => f.fileNumber).join('、'), ITEM_STATE_LABELS[line.itemState], line.itemOverdue ? '逾期' : '',
    m?.description ?? '', m?.responsible ?? '', m?.completedOn ?? '', m?.evidence ?? '', m ? MEASURE_STATUS_LABELS[m.status] : '',
    formatDateTime(m?.submittedAt), formatDateTime(m?.verifiedAt), formatDateTime(m?.returnedAt), m?.returnReason ?? '',
    line.measureOverdue ? '逾期' : '',
  ];
}
