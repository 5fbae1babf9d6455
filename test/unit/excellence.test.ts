// Excellent files: nomination limits, the spot-check bar, selection and recommendation, the counts the reports quote.
import { describe, expect, it } from 'vitest';
import {
  excellenceCounts, excellenceMoveProblem, nominationProblems, spotCheckStatus, tierProblem, type NominationRequest, type NominationRow,
} from '../../src/domain/excellence.ts';

const base: NominationRequest = { campaignStatus: 'released', actorUnitId: 1, fileUnitId: 1, standing: 2, limit: 3, alreadyNominated: false, reason: '文书规范、证据完整' };
const messages = (r: Partial<NominationRequest>) => nominationProblems({ ...base, ...r }).map((p) => p.message);

describe('nominations', () => {
  it('accepts a unit’s own file within its limit', () => expect(messages({})).toEqual([]));
  it.each<[string, Partial<NominationRequest>, RegExp]>([
    ['another unit’s file', { fileUnitId: 2 }, /只能推荐本单位的案卷/],
    ['over the limit', { standing: 3 }, /达到每单位 3 件的上限/],
    ['the same file twice', { alreadyNominated: true }, /已经推荐过/],
    ['without a reason', { reason: ' ' }, /推荐理由/],
    ['a closed campaign', { campaignStatus: 'closed' }, /已结束/],
  ])('refuses %s', (_n, r, m) => expect(messages(r).some((x) => m.test(x))).toBe(true));
});

describe('moves', () => {
  it('selection needs a spot-check that reached the top band', () => {
    expect(spotCheckStatus('excellent', 'excellent')).toBe('eligible');
    expect(spotCheckStatus('good', 'excellent')).toBe('ineligible');
    expect(excellenceMoveProblem('nominated', 'select')).toBe('须经抽查评分达到最高等次后才能评为优秀');
    expect(excellenceMoveProblem('ineligible', 'select')).toBe('须经抽查评分达到最高等次后才能评为优秀');
    expect(excellenceMoveProblem('eligible', 'select')).toBeNull();
  });
  it('recommendation upward only for selected files, once; a recommended file cannot be unselected', () => {
    expect(excellenceMoveProblem('eligible', 'recommend')).toMatch(/不能向上级推荐/);
    expect(excellenceMoveProblem('selected', 'recommend')).toBeNull();
    expect(excellenceMoveProblem('selected', 'recommend', true)).toBe('该案卷已向上级推荐');
    expect(excellenceMoveProblem('selected', 'unselect', true)).toBe('已向上级推荐的案卷须先取消推荐');
    expect(excellenceMoveProblem('selected', 'withdraw')).toMatch(/不能撤回/);
  });
  it('checks the tier name', () => {
    expect(tierProblem('一等')).toBeNull();
    expect(tierProblem('字'.repeat(21))).toMatch(/不超过 20 个字/);
  });
});

describe('excellenceCounts', () => {
  it('reads like the Fengxiang report', () => {
    const rows: NominationRow[] = [
      ...Array.from({ length: 15 }, (): NominationRow => ({ caseType: 'penalty', status: 'selected', spotChecked: true, recommended: false })),
      ...Array.from({ length: 5 }, (_, i): NominationRow => ({ caseType: 'license', status: 'selected', spotChecked: true, recommended: i < 5 })),
      ...Array.from({ length: 10 }, (): NominationRow => ({ caseType: 'penalty', status: 'ineligible', spotChecked: true, recommended: false })),
      ...Array.from({ length: 6 }, (): NominationRow => ({ caseType: 'penalty', status: 'nominated', spotChecked: false, recommended: false })),
      { caseType: 'penalty', status: 'withdrawn', spotChecked: false, recommended: false },
    ];
    const c = excellenceCounts(rows);
    expect([c.nominated, c.spotChecked, c.eligible, c.selected, c.recommended]).toEqual([36, 30, 20, 20, 5]);
    expect(c.sentence).toBe('各单位推荐优秀案卷 36 件，抽查评分 30 件，评选出优秀行政处罚案卷 15 件、优秀行政许可案卷 5 件，向上级推荐 5 件');
  });
  it('says only what happened', () => {
    expect(excellenceCounts([{ caseType: 'penalty', status: 'nominated', spotChecked: false, recommended: false }]).sentence).toBe('各单位推荐优秀案卷 1 件');
  });
});
