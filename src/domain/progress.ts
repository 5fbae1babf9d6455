// The progress board (评查进度): where every file and every sheet of a campaign stands, counted per unit, per
// reviewer and per case type. Pure: the service hands over one row per file and one per assigned sheet.
import { CASE_TYPE_LABELS, type CaseType } from './vocabulary.ts';

export type SheetState = 'none' | 'draft' | 'submitted';
export type FileState = 'reviewing' | 'recheck' | 'final';

export const FILE_STATE_LABELS: Record<FileState, string> = { reviewing: '评查中', recheck: '待复核', final: '已有最后得分' };
export const SHEET_STATE_LABELS: Record<SheetState, string> = { none: '未开始', draft: '草稿', submitted: '已提交' };

export interface ProgressFile {
  fileId: number;
  unitId: number;
  unitName: string;
  caseType: CaseType;
  state: FileState;
}

export interface ProgressSheet {
  fileId: number;
  reviewerId: number;
  reviewerName: string;
  kind: 'review' | 'recheck';
  state: SheetState;
}

export interface Counts {
  files: number;
  /** Review sheets assigned (re-check sheets are counted per reviewer only). */
  assigned: number;
  notStarted: number;
  drafted: number;
  submitted: number;
  awaitingRecheck: number;
  final: number;
}

export interface ReviewerCounts {
  reviewerId: number;
  reviewerName: string;
  assigned: number;
  notStarted: number;
  drafted: number;
  submitted: number;
  rechecksAssigned: number;
  rechecksDone: number;
}

export interface ProgressBoard {
  total: Counts;
  byUnit: (Counts & { unitId: number; unitName: string })[];
  byCaseType: (Counts & { caseType: CaseType; label: string })[];
  byReviewer: ReviewerCounts[];
}

const empty = (): Counts => ({ files: 0, assigned: 0, notStarted: 0, drafted: 0, submitted: 0, awaitingRecheck: 0, final: 0 });

function addFile(c: Counts, f: ProgressFile): void {
  c.files += 1;
  if (f.state === 'recheck') c.awaitingRecheck += 1;
  if (f.state === 'final') c.final += 1;
}

function addSheet(c: Pick<Counts, 'assigned' | 'notStarted' | 'drafted' | 'submitted'>, s: ProgressSheet): void {
  c.assigned += 1;
  if (s.state === 'none') c.notStarted += 1;
  else if (s.state === 'draft') c.drafted += 1;
  else c.submitted += 1;
}

export function progressBoard(files: readonly ProgressFile[], sheets: readonly ProgressSheet[]): ProgressBoard {
  const total = empty();
  const units = new Map<number, Counts & { unitId: number; unitName: string }>();
  const types = new Map<CaseType, Counts & { caseType: CaseType; label: string }>();
  const fileById = new Map(files.map((f) => [f.fileId, f]));
  for (const f of files) {
    addFile(total, f);
    const u = units.get(f.unitId) ?? { ...empty(), unitId: f.unitId, unitName: f.unitName };
    addFile(u, f);
    units.set(f.unitId, u);
    const t = types.get(f.caseType) ?? { ...empty(), caseType: f.caseType, label: CASE_TYPE_LABELS[f.caseType] ?? f.caseType };
    addFile(t, f);
    types.set(f.caseType, t);
  }
  const reviewers = new Map<number, ReviewerCounts>();
  for (const s of sheets) {
    const r = reviewers.get(s.reviewerId) ?? {
      reviewerId: s.reviewerId, reviewerName: s.reviewerName, assigned: 0, notStarted: 0, drafted: 0, submitted: 0, rechecksAssigned: 0, rechecksDone: 0,
    };
    reviewers.set(s.reviewerId, r);
    if (s.kind === 'recheck') {
      r.rechecksAssigned += 1;
      if (s.state === 'submitted') r.rechecksDone += 1;
      continue;
    }
    addSheet(r, s);
    const f = fileById.get(s.fileId);
    if (!f) continue;
    addSheet(total, s);
    addSheet(units.get(f.unitId)!, s);
    addSheet(types.get(f.caseType)!, s);
  }
  return {
    total,
    byUnit: [...units.values()],
    byCaseType: [...types.values()],
    byReviewer: [...reviewers.values()].sort((a, b) => a.reviewerName.localeCompare(b.reviewerName, 'zh-CN')),
  };
}
