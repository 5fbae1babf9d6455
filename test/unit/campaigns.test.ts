// Campaign rules without a database: reading the settings form, what stays editable once reviewing starts,
// document numbers, and the guards on every stage change.
import { describe, expect, it } from 'vitest';
import {
  defaultSettings, docNumber, lockedChanges, parseSettings, RESULT_SETTINGS, SETTING_LABELS, transitionProblems, TRANSITIONS,
  transitionsFrom, CAMPAIGN_STATUSES, type CampaignFacts, type CampaignSettings, type CampaignStatus, type SettingsInput,
} from '../../src/domain/campaigns.ts';

/** The defaults as the form would send them back (threshold in points). */
const valid: SettingsInput = {
  name: '2026年度行政执法案卷交叉评查', year: '2026', kind: 'cross', description: '', periodFrom: '2026-01-01', periodTo: '2026-12-31',
  reviewersPerFile: '2', disagreementThresholdTenths: '5', commonIssueThreshold: '3', objectionWindowDays: '5', rectificationDays: '30',
  docNumberPattern: '案评整改〔{year}〕{seq}号',
};

function problemsOf(change: Partial<SettingsInput>): { field: string; message: string }[] {
  const result = parseSettings({ ...valid, ...change });
  return result.ok ? [] : result.problems;
}

function settingsOf(change: Partial<SettingsInput>): CampaignSettings {
  const result = parseSettings({ ...valid, ...change });
  if (!result.ok) throw new Error(`unexpected problems: ${JSON.stringify(result.problems)}`);
  return result.settings;
}

describe('parseSettings', () => {
  it('reads the defaults back as the default settings', () => {
    expect(settingsOf({})).toEqual(defaultSettings(2026));
  });

  it('trims text, keeps a description and leaves the period open when empty', () => {
    const s = settingsOf({ name: '  专项评查  ', description: '  重点：行政处罚  ', periodFrom: ' ', periodTo: '', year: ' 2025 ' });
    expect(s).toMatchObject({ name: '专项评查', description: '重点：行政处罚', periodFrom: null, periodTo: null, year: 2025 });
    expect(settingsOf({ description: '   ' }).description).toBeNull();
  });

  it.each([
    [{ name: '' }, 'name', '活动名称不能为空'],
    [{ name: '   ' }, 'name', '活动名称不能为空'],
    [{ name: '评'.repeat(101) }, 'name', '活动名称不超过 100 个字，且不能含控制字符'],
    [{ name: '评查\u0007活动' }, 'name', '活动名称不超过 100 个字，且不能含控制字符'],
    [{ year: '' }, 'year', '年度应为 2000 到 2100 之间的年份'],
    [{ year: '1999' }, 'year', '年度应为 2000 到 2100 之间的年份'],
    [{ year: '2101' }, 'year', '年度应为 2000 到 2100 之间的年份'],
    [{ year: '二〇二六' }, 'year', '年度应为 2000 到 2100 之间的年份'],
    [{ year: '2026.5' }, 'year', '年度应为 2000 到 2100 之间的年份'],
    [{ kind: '' }, 'kind', '请选择评查方式（交叉评查、自查、抽查或专项评查）'],
    [{ kind: 'annual' }, 'kind', '请选择评查方式（交叉评查、自查、抽查或专项评查）'],
    [{ description: '说'.repeat(2001) }, 'description', '说明不超过 2000 个字'],
    [{ periodFrom: '2026/01/01' }, 'periodFrom', '“2026/01/01”不是有效日期，格式为 YYYY-MM-DD'],
    [{ periodFrom: '2026-02-30' }, 'periodFrom', '“2026-02-30”不是有效日期，格式为 YYYY-MM-DD'],
    [{ periodTo: '2026-13-01' }, 'periodTo', '“2026-13-01”不是有效日期，格式为 YYYY-MM-DD'],
    [{ periodFrom: '2026-07-01', periodTo: '2026-06-30' }, 'periodTo', '案卷截止日期不能早于起始日期'],
    [{ reviewersPerFile: '0' }, 'reviewersPerFile', '每卷评查人数为 1 到 3 人'],
    [{ reviewersPerFile: '4' }, 'reviewersPerFile', '每卷评查人数为 1 到 3 人'],
    [{ reviewersPerFile: '两' }, 'reviewersPerFile', '每卷评查人数为 1 到 3 人'],
    [{ commonIssueThreshold: '1' }, 'commonIssueThreshold', '共性问题单位数为不少于 2 的整数：同一问题出现在至少这么多家单位的案卷中，即为共性问题'],
    [{ commonIssueThreshold: '2.5' }, 'commonIssueThreshold', '共性问题单位数为不少于 2 的整数：同一问题出现在至少这么多家单位的案卷中，即为共性问题'],
    [{ objectionWindowDays: '91' }, 'objectionWindowDays', '异议期为 0 到 90 天'],
    [{ objectionWindowDays: '-1' }, 'objectionWindowDays', '异议期为 0 到 90 天'],
    [{ rectificationDays: '0' }, 'rectificationDays', '整改期限为 1 到 365 天'],
    [{ rectificationDays: '366' }, 'rectificationDays', '整改期限为 1 到 365 天'],
  ] as [Partial<SettingsInput>, string, string][])('%o → %s: %s', (change, field, message) => {
    expect(problemsOf(change)).toEqual([{ field, message }]);
  });

  it('reports every bad field at once, in form order', () => {
    const fields = problemsOf({
      name: '', year: 'x', kind: 'x', periodFrom: 'x', reviewersPerFile: '9', disagreementThresholdTenths: 'x',
      commonIssueThreshold: '0', objectionWindowDays: 'x', rectificationDays: 'x', docNumberPattern: '',
    }).map((p) => p.field);
    expect(fields).toEqual(['name', 'year', 'kind', 'periodFrom', 'reviewersPerFile', 'disagreementThresholdTenths',
      'commonIssueThreshold', 'objectionWindowDays', 'rectificationDays', 'docNumberPattern']);
  });

  it('accepts the edges of every range', () => {
    expect(settingsOf({ year: '2000', reviewersPerFile: '1', commonIssueThreshold: '2', objectionWindowDays: '0', rectificationDays: '1' }))
      .toMatchObject({ year: 2000, reviewersPerFile: 1, commonIssueThreshold: 2, objectionWindowDays: 0, rectificationDays: 1 });
    expect(settingsOf({ year: '2100', reviewersPerFile: '3', objectionWindowDays: '90', rectificationDays: '365' }))
      .toMatchObject({ year: 2100, reviewersPerFile: 3, objectionWindowDays: 90, rectificationDays: 365 });
    expect(settingsOf({ periodFrom: '2024-02-29', periodTo: '2024-02-29' })).toMatchObject({ periodFrom: '2024-02-29', periodTo: '2024-02-29' });
    expect(settingsOf({ periodFrom: '', periodTo: '2026-06-30' })).toMatchObject({ periodFrom: null, periodTo: '2026-06-30' });
  });

  describe('disagreement threshold: points with at most one decimal, held as tenths', () => {
    it.each([
      ['5', 50], ['2.5', 25], ['0', 0], ['0.5', 5], ['10.0', 100], [' 7.3 ', 73], ['100', 1000],
    ])('%s points → %i tenths', (typed, tenths) => {
      expect(settingsOf({ disagreementThresholdTenths: typed }).disagreementThresholdTenths).toBe(tenths);
    });

    it.each(['', '2.55', '.5', '5.', '-1', '100.1', '101', '五', '1e1', '5,5'])('refuses %o', (typed) => {
      expect(problemsOf({ disagreementThresholdTenths: typed })).toEqual([{
        field: 'disagreementThresholdTenths', message: '复核分差为 0 到 100 之间的分数，最多一位小数，例如 5 或 2.5',
      }]);
    });
  });

  describe('document number pattern', () => {
    it.each(['案评整改〔{year}〕{seq}号', '整改{seq}号', '{year}-{seq}-{seq}'])('accepts %s', (pattern) => {
      expect(settingsOf({ docNumberPattern: pattern }).docNumberPattern).toBe(pattern);
    });

    it.each(['', '案评整改〔{year}〕号', '案评整改〔{year}〕{序号}号', '{SEQ}', '{ seq }'])('refuses %o: it lacks {seq}', (pattern) => {
      expect(problemsOf({ docNumberPattern: pattern })).toEqual([{
        field: 'docNumberPattern', message: '文号格式须包含序号占位符 {seq}，可选 {year}，例如：案评整改〔{year}〕{seq}号',
      }]);
    });

    it.each(['{unit}整改〔{year}〕{seq}号', '{seq}{}', '{Year}{seq}', '{{seq}}', `${'文'.repeat(56)}{seq}`])('refuses %o: other placeholders or too long', (pattern) => {
      expect(problemsOf({ docNumberPattern: pattern })).toEqual([{
        field: 'docNumberPattern', message: '文号格式不超过 60 个字，只能使用 {year} 和 {seq} 两个占位符',
      }]);
    });
  });
});

describe('lockedChanges', () => {
  const before = defaultSettings(2026);
  const changes: Record<keyof CampaignSettings, Partial<CampaignSettings>> = {
    name: { name: '改名后的活动' },
    year: { year: 2025 },
    kind: { kind: 'spot' },
    description: { description: '新的说明' },
    periodFrom: { periodFrom: '2026-03-01' },
    periodTo: { periodTo: null },
    reviewersPerFile: { reviewersPerFile: 1 },
    disagreementThresholdTenths: { disagreementThresholdTenths: 25 },
    commonIssueThreshold: { commonIssueThreshold: 5 },
    objectionWindowDays: { objectionWindowDays: 10 },
    rectificationDays: { rectificationDays: 60 },
    docNumberPattern: { docNumberPattern: '整改{seq}号' },
  };
  const resultAffecting = ['kind', 'year', 'periodFrom', 'periodTo', 'reviewersPerFile', 'disagreementThresholdTenths', 'commonIssueThreshold'];

  it('names exactly the settings that change results', () => {
    expect([...RESULT_SETTINGS].sort()).toEqual([...resultAffecting].sort());
  });

  it.each(['draft', 'sampling'] as CampaignStatus[])('allows every change while %s', (status) => {
    for (const change of Object.values(changes)) expect(lockedChanges(status, before, { ...before, ...change })).toEqual([]);
  });

  it.each(['reviewing', 'rechecking', 'released', 'closed'] as CampaignStatus[])('once %s, refuses result-affecting changes and names the setting', (status) => {
    for (const [key, change] of Object.entries(changes) as [keyof CampaignSettings, Partial<CampaignSettings>][]) {
      const problems = lockedChanges(status, before, { ...before, ...change });
      if (resultAffecting.includes(key)) {
        expect(problems, key).toEqual([{ field: key, message: `评查已开始，“${SETTING_LABELS[key]}”会影响已有评查结果，不能再修改` }]);
      } else {
        expect(problems, key).toEqual([]);
      }
    }
  });

  it('words the refusal in Chinese for the settings administrators change most', () => {
    const problems = lockedChanges('reviewing', before, { ...before, reviewersPerFile: 3, kind: 'self', disagreementThresholdTenths: 100, name: '新名称' });
    expect(problems.map((p) => p.message)).toEqual([
      '评查已开始，“评查方式”会影响已有评查结果，不能再修改',
      '评查已开始，“每卷评查人数”会影响已有评查结果，不能再修改',
      '评查已开始，“复核分差”会影响已有评查结果，不能再修改',
    ]);
  });

  it('has nothing to refuse when nothing changed', () => {
    expect(lockedChanges('released', before, { ...before })).toEqual([]);
  });
});

describe('docNumber', () => {
  it('fills in year and sequence, wherever and however often they appear', () => {
    expect(docNumber('案评整改〔{year}〕{seq}号', 2026, 7)).toBe('案评整改〔2026〕7号');
    expect(docNumber('{seq}', 2026, 12)).toBe('12');
    expect(docNumber('{year}-{seq}/{year}', 2025, 1)).toBe('2025-1/2025');
  });
});

describe('transitionProblems', () => {
  /** A campaign ready for every move: nothing stands in the way. */
  const ready: CampaignFacts = {
    kind: 'cross', unitCount: 3, pinnedCaseTypes: ['penalty', 'license'], reviewedCaseTypes: ['penalty'], reviewedFileCount: 12,
    filesShortOfReviewers: 0, conflictingAssignments: 0, pendingReviews: 0, filesWithoutFinal: 0, openObjections: 0,
  };
  const emptySample: Partial<CampaignFacts> = { reviewedFileCount: 0, reviewedCaseTypes: [] };

  it('lists exactly the lifecycle moves', () => {
    expect(TRANSITIONS.map((t) => `${t.from}→${t.to}`)).toEqual([
      'draft→sampling', 'sampling→draft', 'sampling→reviewing', 'reviewing→rechecking', 'rechecking→released', 'released→closed',
    ]);
    expect(transitionsFrom('sampling').map((t) => t.label)).toEqual(['退回筹备', '开始评查']);
    expect(transitionsFrom('closed')).toEqual([]);
  });

  it('allows every listed move when the facts are in order', () => {
    for (const t of TRANSITIONS) {
      const facts = t.to === 'draft' ? { ...ready, ...emptySample } : ready;
      expect(transitionProblems(t.from, t.to, facts), `${t.from}→${t.to}`).toEqual([]);
    }
  });

  it.each([
    ['draft', 'reviewing'], ['draft', 'closed'], ['sampling', 'released'], ['reviewing', 'sampling'], ['reviewing', 'draft'],
    ['rechecking', 'reviewing'], ['released', 'rechecking'], ['closed', 'draft'], ['draft', 'draft'],
  ] as [CampaignStatus, CampaignStatus][])('refuses the jump %s → %s, whatever the facts', (from, to) => {
    const labels = { draft: '筹备中', sampling: '抽取案卷', reviewing: '评查中', rechecking: '复核中', released: '结果已发布', closed: '已结束' };
    expect(transitionProblems(from, to, ready)).toEqual([`活动当前处于“${labels[from]}”阶段，不能转为“${labels[to]}”`]);
  });

  it('checks every pair of stages: only the listed moves can ever be allowed', () => {
    for (const from of CAMPAIGN_STATUSES) {
      for (const to of CAMPAIGN_STATUSES) {
        const listed = TRANSITIONS.some((t) => t.from === from && t.to === to);
        const problems = transitionProblems(from, to, to === 'draft' ? { ...ready, ...emptySample } : ready);
        expect(problems.length === 0, `${from}→${to}`).toBe(listed);
      }
    }
  });

  it.each([
    ['draft', 'sampling', { unitCount: 0 }, ['尚未选择参评单位']],
    ['draft', 'sampling', { pinnedCaseTypes: [] }, ['尚未为任何案卷类型指定评查标准']],
    ['draft', 'sampling', { unitCount: 0, pinnedCaseTypes: [] }, ['尚未选择参评单位', '尚未为任何案卷类型指定评查标准']],
    ['sampling', 'draft', { reviewedFileCount: 4 }, ['已抽取 4 卷案卷，请先撤销抽取结果再退回筹备']],
    ['sampling', 'reviewing', emptySample, ['尚未抽取任何案卷']],
    ['sampling', 'reviewing', { kind: 'self', ...emptySample }, ['参评单位尚未报送任何案卷']],
    ['sampling', 'reviewing', { reviewedCaseTypes: ['penalty', 'coercion', 'inspection'] }, ['以下案卷类型没有指定评查标准：行政强制、行政检查']],
    ['sampling', 'reviewing', { filesShortOfReviewers: 5 }, ['还有 5 卷案卷未分配足够的评查人员']],
    ['sampling', 'reviewing', { reviewedCaseTypes: ['other'], filesShortOfReviewers: 12 },
      ['以下案卷类型没有指定评查标准：其他', '还有 12 卷案卷未分配足够的评查人员']],
    ['reviewing', 'rechecking', { pendingReviews: 3 }, ['还有 3 份评分表未提交']],
    ['rechecking', 'released', { filesWithoutFinal: 2 }, ['还有 2 卷案卷没有最后得分（待复核）']],
    ['released', 'closed', { openObjections: 1 }, ['还有 1 件异议尚未处理']],
    ['sampling', 'reviewing', { conflictingAssignments: 2 }, ['有 2 人次的分配违反回避规则（回避登记、人员单位或活动设置有变），请在“分配评查人员”页改派']],
  ] as [CampaignStatus, CampaignStatus, Partial<CampaignFacts>, string[]][])('%s → %s with %o: %o', (from, to, change, expected) => {
    expect(transitionProblems(from, to, { ...ready, ...change })).toEqual(expected);
  });

  it('asks each guard only about its own move', () => {
    // Facts that would stop other moves do not stop this one.
    const messy: CampaignFacts = { ...ready, pendingReviews: 9, filesWithoutFinal: 9, openObjections: 9 };
    expect(transitionProblems('draft', 'sampling', messy)).toEqual([]);
    expect(transitionProblems('sampling', 'reviewing', messy)).toEqual([]);
    expect(transitionProblems('reviewing', 'rechecking', { ...ready, unitCount: 0, filesShortOfReviewers: 3, openObjections: 2 })).toEqual([]);
    expect(transitionProblems('rechecking', 'released', { ...ready, pendingReviews: 1, openObjections: 2 })).toEqual([]);
    expect(transitionProblems('released', 'closed', { ...ready, filesWithoutFinal: 4 })).toEqual([]);
    // Going back to preparation only cares about the sample.
    expect(transitionProblems('sampling', 'draft', { ...ready, ...emptySample, unitCount: 0, pinnedCaseTypes: [] })).toEqual([]);
  });
});
