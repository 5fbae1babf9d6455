// The progress board counts: per unit, per case type, per reviewer, with re-check sheets counted apart.
import { describe, expect, it } from 'vitest';
import { progressBoard, type ProgressFile, type ProgressSheet } from '../../src/domain/progress.ts';

const files: ProgressFile[] = [
  { fileId: 1, unitId: 10, unitName: '甲局', caseType: 'penalty', state: 'final' },
  { fileId: 2, unitId: 10, unitName: '甲局', caseType: 'license', state: 'recheck' },
  { fileId: 3, unitId: 20, unitName: '乙局', caseType: 'penalty', state: 'reviewing' },
];
const sheets: ProgressSheet[] = [
  { fileId: 1, reviewerId: 1, reviewerName: '张', kind: 'review', state: 'submitted' },
  { fileId: 1, reviewerId: 2, reviewerName: '李', kind: 'review', state: 'submitted' },
  { fileId: 2, reviewerId: 1, reviewerName: '张', kind: 'review', state: 'submitted' },
  { fileId: 2, reviewerId: 2, reviewerName: '李', kind: 'review', state: 'submitted' },
  { fileId: 2, reviewerId: 3, reviewerName: '王', kind: 'recheck', state: 'draft' },
  { fileId: 3, reviewerId: 1, reviewerName: '张', kind: 'review', state: 'draft' },
  { fileId: 3, reviewerId: 3, reviewerName: '王', kind: 'review', state: 'none' },
];

describe('progressBoard', () => {
  const board = progressBoard(files, sheets);
  it('totals files by state and review sheets by state; re-check sheets stay out of the sheet totals', () => {
    expect(board.total).toEqual({ files: 3, assigned: 6, notStarted: 1, drafted: 1, submitted: 4, awaitingRecheck: 1, final: 1 });
  });
  it('per unit and per case type', () => {
    expect(board.byUnit.find((u) => u.unitId === 10)).toMatchObject({ files: 2, assigned: 4, submitted: 4, awaitingRecheck: 1, final: 1 });
    expect(board.byUnit.find((u) => u.unitId === 20)).toMatchObject({ files: 1, assigned: 2, notStarted: 1, drafted: 1, submitted: 0 });
    expect(board.byCaseType.find((c) => c.caseType === 'penalty')).toMatchObject({ label: '行政处罚', files: 2, assigned: 4, final: 1 });
  });
  it('per reviewer, with re-checks apart', () => {
    expect(board.byReviewer.find((r) => r.reviewerId === 1)).toMatchObject({ assigned: 3, submitted: 2, drafted: 1, rechecksAssigned: 0 });
    expect(board.byReviewer.find((r) => r.reviewerId === 3)).toMatchObject({ assigned: 1, notStarted: 1, rechecksAssigned: 1, rechecksDone: 0 });
  });
  it('sums per unit equal the totals', () => {
    const sum = (k: 'files' | 'assigned' | 'submitted') => board.byUnit.reduce((n, u) => n + u[k], 0);
    expect([sum('files'), sum('assigned'), sum('submitted')]).toEqual([board.total.files, board.total.assigned, board.total.submitted]);
  });
});
