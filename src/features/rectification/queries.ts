// Reading rectification notices for the notice side (the list of notices, one notice's 整改清单 and its printed
// 整改通知书). Lists are narrowed by the actor's unit scope in the query itself; a single notice is loaded only
// after visibleNotice (service.ts) has checked the actor may see it.
import type { DbOrTrx } from '../../db/connection.ts';
import type { UnitScope } from '../../domain/policy.ts';

export interface NoticeListRow {
  id: number;
  campaignId: number;
  campaignName: string;
  campaignYear: number;
  unitId: number;
  unitName: string;
  docNumber: string;
  seq: number;
  issuedOn: string;
  deadline: string;
  reportSubmittedAt: string | null;
  /** Every issue of the notice with the statuses of its measures (removed drafts left out). */
  items: { id: number; statuses: string[] }[];
}

/** The notices the scope lets through, newest campaign first, in number order within a campaign. */
export async function listNotices(db: DbOrTrx, scope: UnitScope): Promise<NoticeListRow[]> {
  let query = db.selectFrom('rectification_notices as n')
    .innerJoin('campaigns as c', 'c.id', 'n.campaign_id')
    .innerJoin('units as u', 'u.id', 'n.unit_id')
    .select([
      'n.id', 'n.campaign_id', 'c.name as campaign_name', 'c.year as campaign_year', 'n.unit_id', 'u.name as unit_name',
      'n.doc_number', 'n.seq', 'n.issued_on', 'n.deadline', 'n.report_submitted_at',
    ]);
  if (scope.kind === 'units') {
    if (scope.unitIds.length === 0) return [];
    query = query.where('n.unit_id', 'in', scope.unitIds);
  }
  const notices = await query.orderBy('c.year', 'desc').orderBy('c.id', 'desc').orderBy('n.year').orderBy('n.seq').execute();
  if (notices.length === 0) return [];
  const ids = notices.map((n) => n.id);
  const items = await db.selectFrom('rectification_items').select(['id', 'notice_id']).where('notice_id', 'in', ids)
    .orderBy('notice_id').orderBy('position').execute();
  const measures = await db.selectFrom('rectification_measures').select(['item_id', 'status'])
    .where('notice_id', 'in', ids).where('deleted_at', 'is', null).execute();
  const statusesByItem = new Map<number, string[]>();
  for (const m of measures) statusesByItem.set(m.item_id, [...(statusesByItem.get(m.item_id) ?? []), m.status]);
  const itemsByNotice = new Map<number, { id: number; statuses: string[] }[]>();
  for (const i of items) itemsByNotice.set(i.notice_id, [...(itemsByNotice.get(i.notice_id) ?? []), { id: i.id, statuses: statusesByItem.get(i.id) ?? [] }]);
  return notices.map((n) => ({
    id: n.id, campaignId: n.campaign_id, campaignName: n.campaign_name, campaignYear: n.campaign_year, unitId: n.unit_id, unitName: n.unit_name,
    docNumber: n.doc_number, seq: n.seq, issuedOn: n.issued_on, deadline: n.deadline, reportSubmittedAt: n.report_submitted_at,
    items: itemsByNotice.get(n.id) ?? [],
  }));
}

export interface NoticeRecord {
  id: number;
  campaign_id: number;
  unit_id: number;
  doc_number: string;
  issued_on: string;
  deadline: string;
  requirements: string;
  report_submitted_at: string | null;
  report_submitted_by: number | null;
  issued_by: number | null;
}

export interface FileRef {
  fileId: number;
  fileNumber: string;
}

export interface NoticeDetail {
  notice: NoticeRecord;
  campaign: { id: number; name: string; year: number; status: string };
  unitName: string;
  issuedByName: string | null;
  reportSubmittedByName: string | null;
  /** Files of the unit with a current final result in the campaign. */
  reviewedFileCount: number;
  items: {
    id: number; position: number; kind: string; code: string; wording: string; category: string; scope: string; repeated: boolean; files: FileRef[];
  }[];
  measures: {
    id: number; itemId: number; description: string; responsible: string; completedOn: string | null; evidence: string; status: string;
    createdAt: string; updatedAt: string; submittedAt: string | null; verifiedAt: string | null; verifiedByName: string | null;
    returnedAt: string | null; returnedByName: string | null; returnReason: string | null;
  }[];
  /** Attachment metadata only: the content is read when it is downloaded. */
  attachments: { id: number; measureId: number; filename: string; mime: string; size: number; uploadedAt: string }[];
}

/** The files JSON frozen into an item; anything unreadable counts as no files rather than breaking the page. */
export function parseFiles(json: string): FileRef[] {
  try {
    const value: unknown = JSON.parse(json);
    if (!Array.isArray(value)) return [];
    return value.filter((f): f is FileRef => typeof f === 'object' && f !== null && Number.isSafeInteger((f as FileRef).fileId) && typeof (f as FileRef).fileNumber === 'string');
  } catch {
    return [];
  }
}

/** Everything the notice page and the printed notice show. */
export async function loadNoticeDetail(db: DbOrTrx, notice: NoticeRecord): Promise<NoticeDetail> {
  const campaign = await db.selectFrom('campaigns').select(['id', 'name', 'year', 'status']).where('id', '=', notice.campaign_id).executeTakeFirstOrThrow();
  const unit = await db.selectFrom('units').select('name').where('id', '=', notice.unit_id).executeTakeFirstOrThrow();
  const userIds = [notice.issued_by, notice.report_submitted_by].filter((id): id is number => id !== null);
  const names = new Map((userIds.length > 0
    ? await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', userIds).execute() : []).map((u) => [u.id, u.display_name]));
  const reviewed = await db.selectFrom('final_results as f').innerJoin('case_files as cf', 'cf.id', 'f.case_file_id')
    .select(({ fn }) => fn.count<number>('f.case_file_id').distinct().as('n'))
    .where('f.campaign_id', '=', notice.campaign_id).where('cf.unit_id', '=', notice.unit_id).where('f.superseded_at', 'is', null)
    .executeTakeFirst();
  const items = await db.selectFrom('rectification_items').selectAll().where('notice_id', '=', notice.id).orderBy('position').execute();
  const measures = await db.selectFrom('rectification_measures as m')
    .leftJoin('users as vb', 'vb.id', 'm.verified_by')
    .leftJoin('users as rb', 'rb.id', 'm.returned_by')
    .select([
      'm.id', 'm.item_id', 'm.description', 'm.responsible', 'm.completed_on', 'm.evidence', 'm.status', 'm.created_at', 'm.updated_at',
      'm.submitted_at', 'm.verified_at', 'vb.display_name as verified_by_name', 'm.returned_at', 'rb.display_name as returned_by_name', 'm.return_reason',
    ])
    .where('m.notice_id', '=', notice.id).where('m.deleted_at', 'is', null).orderBy('m.id').execute();
  const attachments = measures.length === 0 ? [] : await db.selectFrom('attachments')
    .select(['id', 'measure_id', 'filename', 'mime', 'size', 'uploaded_at'])
    .where('measure_id', 'in', measures.map((m) => m.id)).where('removed_at', 'is', null).orderBy('id').execute();
  return {
    notice,
    campaign,
    unitName: unit.name,
    issuedByName: notice.issued_by === null ? null : names.get(notice.issued_by) ?? null,
    reportSubmittedByName: notice.report_submitted_by === null ? null : names.get(notice.report_submitted_by) ?? null,
    reviewedFileCount: Number(reviewed?.n ?? 0),
    items: items.map((i) => ({
      id: i.id, position: i.position, kind: i.kind, code: i.code, wording: i.wording, category: i.category, scope: i.scope,
      repeated: i.repeated === 1, files: parseFiles(i.files),
    })),
    measures: measures.map((m) => ({
      id: m.id, itemId: m.item_id, description: m.description, responsible: m.responsible, completedOn: m.completed_on, evidence: m.evidence,
      status: m.status, createdAt: m.created_at, updatedAt: m.updated_at, submittedAt: m.submitted_at, verifiedAt: m.verified_at,
      verifiedByName: m.verified_by_name, returnedAt: m.returned_at, returnedByName: m.returned_by_name, returnReason: m.return_reason,
    })),
    attachments: attachments.map((a) => ({ id: a.id, measureId: a.measure_id, filename: a.filename, mime: a.mime, size: a.size, uploadedAt: a.uploaded_at })),
  };
}

/** The issuing bureau: the root of the unit tree. */
export async function rootUnitName(db: DbOrTrx): Promise<string> {
  const root = await db.selectFrom('units').select('name').where('parent_id', 'is', null).orderBy('id').executeTakeFirst();
  return root?.name ?? '';
}

/** The notice an item, a (not removed) measure or a (not removed) attachment belongs to; undefined when there is none. */
export async function noticeIdOfItem(db: DbOrTrx, itemId: number): Promise<number | undefined> {
  return (await db.selectFrom('rectification_items').select('notice_id').where('id', '=', itemId).executeTakeFirst())?.notice_id;
}

export async function noticeIdOfMeasure(db: DbOrTrx, measureId: number): Promise<number | undefined> {
  return (await db.selectFrom('rectification_measures').select('notice_id').where('id', '=', measureId).where('deleted_at', 'is', null)
    .executeTakeFirst())?.notice_id;
}

export async function noticeIdOfAttachment(db: DbOrTrx, attachmentId: number): Promise<number | undefined> {
  return (await db.selectFrom('attachments as a').innerJoin('rectification_measures as m', 'm.id', 'a.measure_id')
    .select('m.notice_id').where('a.id', '=', attachmentId).where('a.removed_at', 'is', null).where('m.deleted_at', 'is', null)
    .executeTakeFirst())?.notice_id;
}
