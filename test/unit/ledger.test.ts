// The ledger's figures (整改台账) on hand-counted notices: rectified issues, verified measures (落实整改措施),
// completion rate and its rounding, overdue measures / issues / notices around the deadline, due soon.
import { describe, expect, it } from 'vitest';
import {
  completionRate, countMeasures, daysBetween, deadlineWords, issueOverdue, issueState, ledgerSentence, ledgerTotals, measureOverdue, noticeFigures,
  type LedgerNoticeFacts,
} from '../../src/domain/ledger.ts';
import type { MeasureStatus } from '../../src/domain/rectification.ts';

const item = (scope: 'common' | 'individual', ...statuses: MeasureStatus[]) => ({ scope, measures: statuses.map((status) => ({ status })) });

// Notice A (deadline 2026-12-23): four issues
//   1 common: verified + verified          → rectified
//   2 individual: verified + returned       → in progress
//   3 individual: submitted                 → in progress
//   4 common: no measure                    → open
// Notice B (deadline 2026-12-31): one issue, draft → in progress
const noticeA: LedgerNoticeFacts = {
  deadline: '2026-12-23',
  items: [item('common', 'verified', 'verified'), item('individual', 'verified', 'returned'), item('individual', 'submitted'), item('common')],
};
const noticeB: LedgerNoticeFacts = { deadline: '2026-12-31', items: [item('individual', 'draft')] };

describe('issue state and overdue', () => {
  it('an issue is rectified only when it has measures and all are verified', () => {
    expect(noticeA.items.map(issueState)).toEqual(['verified', 'inProgress', 'inProgress', 'open']);
  });

  it('a measure is overdue from the day after the deadline unless verified', () => {
    expect(measureOverdue('submitted', '2026-12-23', '2026-12-23')).toBe(false);
    expect(measureOverdue('submitted', '2026-12-23', '2026-12-24')).toBe(true);
    expect(measureOverdue('draft', '2026-12-23', '2026-12-24')).toBe(true);
    expect(measureOverdue('returned', '2026-12-23', '2027-01-01')).toBe(true);
    expect(measureOverdue('verified', '2026-12-23', '2027-01-01')).toBe(false);
  });

  it('an issue without any measure, or without every measure verified, is overdue after the deadline', () => {
    const [rectified, partly, submitted, none] = noticeA.items;
    expect([rectified, partly, submitted, none].map((i) => issueOverdue(i!, '2026-12-23', '2026-12-24'))).toEqual([false, true, true, true]);
    expect([rectified, partly, submitted, none].map((i) => issueOverdue(i!, '2026-12-23', '2026-12-23'))).toEqual([false, false, false, false]);
  });
});

describe('noticeFigures', () => {
  it('counts issues by scope, rectified, measures by state, before the deadline', () => {
    const f = noticeFigures(noticeA, '2026-12-20');
    expect(f).toEqual({
      issues: 4, common: 2, individual: 2, rectified: 1, open: 3, measures: 5,
      byStatus: { draft: 0, submitted: 1, returned: 1, verified: 3 },
      overdueIssues: 0, overdueMeasures: 0, overdue: false, dueSoon: true,
    });
  });

  it('after the deadline: overdue issues and measures', () => {
    const f = noticeFigures(noticeA, '2026-12-24');
    expect([f.overdueIssues, f.overdueMeasures, f.overdue, f.dueSoon]).toEqual([3, 2, true, false]);
  });

  it('is due soon within 7 days (today included) while issues are open; not once all are rectified', () => {
    expect(noticeFigures(noticeB, '2026-12-24').dueSoon).toBe(true); // 7 days ahead
    expect(noticeFigures(noticeB, '2026-12-23').dueSoon).toBe(false); // 8 days ahead
    expect(noticeFigures(noticeB, '2026-12-31').dueSoon).toBe(true); // the deadline itself
    const done: LedgerNoticeFacts = { deadline: '2026-12-31', items: [item('common', 'verified')] };
    expect(noticeFigures(done, '2026-12-30').dueSoon).toBe(false);
    expect(noticeFigures(done, '2027-02-01').overdue).toBe(false);
  });
});

describe('ledgerTotals', () => {
  it('adds up the notices: 落实整改措施 = verified measures, completion = rectified ÷ issues', () => {
    const t = ledgerTotals([{ ...noticeA, reportSubmitted: true }, noticeB], '2026-12-28');
    expect(t).toEqual({
      notices: 2, issues: 5, common: 2, individual: 3, rectified: 1, measures: 6,
      byStatus: { draft: 1, submitted: 1, returned: 1, verified: 3 }, verified: 3,
      completion: { rectified: 1, issues: 5, percent: '20.0%' },
      overdueIssues: 3, overdueMeasures: 2, overdueNotices: 1, reportsSubmitted: 1,
    });
    expect(ledgerSentence(t)).toBe('下发整改通知书 2 份，涉及问题 5 个，已整改 1 个，落实整改措施 3 项');
  });

  it('is all zero with no notices, and the rate is not a number then', () => {
    const t = ledgerTotals([], '2026-12-28');
    expect([t.notices, t.issues, t.verified, t.completion.percent]).toEqual([0, 0, 0, null]);
  });

  it('counts measures by state', () => {
    expect(countMeasures([{ status: 'draft' }, { status: 'draft' }, { status: 'verified' }])).toEqual({ draft: 2, submitted: 0, returned: 0, verified: 1 });
  });
});

describe('completionRate', () => {
  it.each([
    [0, 3, '0.0%'], [1, 3, '33.3%'], [2, 3, '66.7%'], [1, 8, '12.5%'], [1, 16, '6.3%'], [3, 3, '100.0%'], [1, 7, '14.3%'], [5, 6, '83.3%'],
  ])('%i of %i → %s', (rectified, issues, percent) => {
    expect(completionRate(rectified, issues).percent).toBe(percent);
  });
});

describe('deadline words', () => {
  it('counts whole days across months and years', () => {
    expect(daysBetween('2026-12-30', '2027-01-02')).toBe(3);
    expect(deadlineWords('2026-12-23', '2026-12-26')).toBe('已逾期 3 天');
    expect(deadlineWords('2026-12-23', '2026-12-23')).toBe('今天到期');
    expect(deadlineWords('2027-01-01', '2026-12-30')).toBe('还有 2 天到期');
  });
});
