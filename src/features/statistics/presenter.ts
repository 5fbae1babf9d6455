// A campaign's statistics shaped for views/statistics/campaign.hbs: every figure with the link to the files behind it
// (the result list, the progress board, the issue pages), the definitions in words, and the charts. The figures
// themselves come from src/domain/statistics.ts; nothing here counts or rounds a score.
import { CAMPAIGN_STATUS_LABELS, type CampaignStatus } from '../../domain/campaigns.ts';
import { ISSUE_SCOPE_LABELS, type Issue, type IssueUnit } from '../../domain/issues.ts';
import { formatTenths } from '../../domain/rubric/points.ts';
import type { GradeBand } from '../../domain/rubric/types.ts';
import { rate, type CaseTypeRow, type Rate, type ReviewerRow, type Summary, type UnitRow } from '../../domain/statistics.ts';
import { CASE_TYPES } from '../../domain/vocabulary.ts';
import { barChart, GRADE_COLORS, lineChart, pieChart } from '../../exports/charts.ts';
import { issueUrl, issuesUrl, typeLabel } from '../issues/presenter.ts';
import type { YearPoint } from './service.ts';

/** How many of the most frequent issues the page lists and charts. */
export const TOP_ISSUES = 10;

export const statisticsUrl = (campaignId: number, unitId: number | null = null): string =>
  `/campaigns/${campaignId}/statistics${unitId === null ? '' : `?unitId=${unitId}`}`;

export interface ResultsLink {
  unitId?: number | null;
  grade?: string;
  caseType?: string;
  passing?: boolean;
  veto?: boolean;
}

/** The result list narrowed to the files behind a figure (the result list pins a department to its own unit). */
export function resultsUrl(campaignId: number, filter: ResultsLink = {}): string {
  const params = new URLSearchParams();
  if (filter.unitId) params.set('unitId', String(filter.unitId));
  if (filter.caseType) params.set('caseType', filter.caseType);
  if (filter.grade) params.set('grade', filter.grade);
  if (filter.passing !== undefined) params.set('passing', filter.passing ? '1' : '0');
  if (filter.veto) params.set('veto', '1');
  const qs = params.toString();
  return `/campaigns/${campaignId}/results${qs ? `?${qs}` : ''}`;
}

/** The progress board's file list (bureau only). */
export function progressUrl(campaignId: number, filter: Record<string, string | number | null> = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(filter)) if (v !== null && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return `/campaigns/${campaignId}/progress${qs ? `?${qs}` : ''}#files`;
}

// ---------------------------------------------------------------------------------------------------------
// Charts

export interface Chart {
  /** What the chart shows, for its caption and for screen readers. */
  caption: string;
  svg: string;
}

const scoreOf = (tenths: number) => tenths / 10;

export function gradeChart(summary: Summary, caption: string): Chart | null {
  const slices = summary.grades.filter((g) => g.count > 0).map((g) => ({ name: g.label, value: g.count, color: GRADE_COLORS[g.code] }));
  if (slices.length === 0) return null;
  return { caption, svg: pieChart({ title: caption, slices, height: 300 }) };
}

export function unitAverageChart(rows: readonly UnitRow[]): Chart | null {
  const ranked = rows.filter((r) => r.averageTenths !== null);
  if (ranked.length === 0) return null;
  const caption = '各单位平均分（按排名）';
  return {
    caption,
    svg: barChart({
      // Horizontal, so that long unit names are read whole; first rank at the top.
      title: caption, categories: ranked.map((r) => r.unitName), values: ranked.map((r) => scoreOf(r.averageTenths!)), unit: '分', max: 100, horizontal: true,
    }),
  };
}

export function issueChart(issues: readonly { wording: string; fileCount: number }[]): Chart | null {
  if (issues.length === 0) return null;
  const caption = '出现最多的问题（涉及案卷数）';
  return {
    caption,
    svg: barChart({ title: caption, categories: issues.map((i) => i.wording), values: issues.map((i) => i.fileCount), unit: '卷', horizontal: true, integer: true }),
  };
}

export const REGION_SERIES = '全部单位平均分';

/** The region's average per year, and a unit's next to it when one is in view. */
export function trendChart(region: readonly YearPoint[], unit: { name: string; points: readonly YearPoint[] } | null): Chart | null {
  const years = [...new Set([...region, ...(unit?.points ?? [])].map((p) => p.year))].sort((a, b) => a - b);
  if (years.length === 0) return null;
  const valuesOf = (points: readonly YearPoint[]) => years.map((y) => {
    const p = points.find((q) => q.year === y);
    return p ? scoreOf(p.averageTenths) : null;
  });
  const series = [{ name: REGION_SERIES, values: valuesOf(region) }];
  if (unit) series.push({ name: `${unit.name}平均分`, values: valuesOf(unit.points) });
  const lowest = Math.min(...series.flatMap((s) => s.values.filter((v): v is number => v !== null)));
  const caption = unit ? `历年平均分：${unit.name}与全部单位` : '历年平均分（全部单位）';
  return {
    caption,
    svg: lineChart({
      title: caption, categories: years.map((y) => `${y}年`), series, unit: '分',
      min: Math.max(0, Math.floor((lowest - 5) / 10) * 10), max: 100,
    }),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Figures and their links

const rateView = (r: Rate) => ({ percent: r.percent, numerator: r.numerator, denominator: r.denominator });

/** The figures of a summary (the campaign, a unit or a case type), each count with the link to its files. */
export function figures(summary: Summary, campaignId: number, scope: ResultsLink, topGrade: string | null) {
  return {
    files: summary.files,
    filesHref: resultsUrl(campaignId, scope),
    average: summary.average,
    grades: summary.grades.map((g) => ({
      code: g.code, label: g.label, count: g.count, rate: rateView(g.rate), href: resultsUrl(campaignId, { ...scope, grade: g.code }),
    })),
    passRate: { ...rateView(summary.passRate), href: resultsUrl(campaignId, { ...scope, passing: true }) },
    excellenceRate: { ...rateView(summary.excellenceRate), href: topGrade ? resultsUrl(campaignId, { ...scope, grade: topGrade }) : null },
    vetoes: summary.vetoes,
    vetoesHref: resultsUrl(campaignId, { ...scope, veto: true }),
  };
}

const typeOrder = (c: string) => (CASE_TYPES as readonly string[]).indexOf(c);

export function caseTypeRows(rows: readonly CaseTypeRow[], campaignId: number, scope: ResultsLink, topGrade: string | null) {
  return [...rows].sort((a, b) => typeOrder(a.caseType) - typeOrder(b.caseType))
    .map((r) => ({ label: r.label, caseType: r.caseType, ...figures(r, campaignId, { ...scope, caseType: r.caseType }, topGrade) }));
}

export function unitRows(rows: readonly UnitRow[], campaignId: number, topGrade: string | null) {
  return rows.map((r) => ({
    unitId: r.unitId, unitName: r.unitName, rank: r.rank, gradeLabel: r.gradeLabel, hasFiles: r.files > 0,
    statisticsHref: statisticsUrl(campaignId, r.unitId),
    ...figures(r, campaignId, { unitId: r.unitId }, topGrade),
  }));
}

export function reviewerRows(rows: readonly ReviewerRow[], campaignId: number) {
  return rows.map((r) => ({
    reviewerName: r.reviewerName, sheets: r.sheets, rechecks: r.rechecks, average: r.average, compared: r.compared,
    meanGap: r.meanGap, meanAbsGap: r.meanAbsGap,
    lenient: r.meanGapTenths !== null && r.meanGapTenths > 0, strict: r.meanGapTenths !== null && r.meanGapTenths < 0,
    sheetsHref: progressUrl(campaignId, { reviewerId: r.reviewerId, sheet: 'submitted' }),
    rechecksHref: progressUrl(campaignId, { recheckerId: r.reviewerId }),
  }));
}

/** Coverage (评查面) of a self-check: files with a final result ÷ the unit's reported total. */
export function coverage(units: readonly { unitId: number; unitName: string; reportedTotal: number | null }[], byUnit: readonly UnitRow[], campaignId: number) {
  const rows = units.map((u) => {
    const files = byUnit.find((r) => r.unitId === u.unitId)?.files ?? 0;
    return {
      unitName: u.unitName, files, filesHref: resultsUrl(campaignId, { unitId: u.unitId }), reportedTotal: u.reportedTotal,
      coverage: u.reportedTotal === null ? null : rateView(rate(files, u.reportedTotal)),
    };
  });
  const reporting = rows.filter((r) => r.reportedTotal !== null);
  return {
    rows,
    overall: reporting.length === 0 ? null : rateView(rate(reporting.reduce((n, r) => n + r.files, 0), reporting.reduce((n, r) => n + r.reportedTotal!, 0))),
    unreported: rows.length - reporting.length,
  };
}

/** The most frequent issues: of the campaign, or as they reach one unit (its own files). */
export function topIssues(issues: readonly (Issue & { unit?: IssueUnit })[], campaignId: number) {
  const counted = issues.map((i) => ({ issue: i, fileCount: i.unit ? i.unit.fileCount : i.fileCount }))
    .sort((a, b) => b.fileCount - a.fileCount) // stable: ties keep the classification's order
    .slice(0, TOP_ISSUES);
  return counted.map(({ issue, fileCount }, index) => ({
    no: index + 1, wording: issue.wording, category: issue.category, typeLabel: typeLabel(issue),
    scope: issue.scope, scopeLabel: ISSUE_SCOPE_LABELS[issue.scope], fileCount, unitCount: issue.unitCount,
    href: issueUrl(campaignId, issue.key),
  }));
}

export { issuesUrl };

// ---------------------------------------------------------------------------------------------------------
// Words

/** The grade bands in words: "优秀：90 分及以上；良好：80 分及以上、不足 90 分；…；不合格：不足 60 分". */
export function bandsSentence(bands: readonly GradeBand[]): string {
  return bands.map((b, i) => {
    const min = formatTenths(Math.round(b.min * 10));
    const upper = i === 0 ? null : formatTenths(Math.round(bands[i - 1]!.min * 10));
    if (i === bands.length - 1 && b.min === 0 && upper !== null) return `${b.label}：不足 ${upper} 分`;
    return upper === null ? `${b.label}：${min} 分及以上` : `${b.label}：${min} 分及以上、不足 ${upper} 分`;
  }).join('；');
}

/** The definitions of src/domain/statistics.ts, as the page states them. */
export function definitions(bands: readonly GradeBand[], selfCheck: boolean): { term: string; text: string }[] {
  const passing = bands.filter((b) => b.passing).map((b) => b.label).join('、');
  const top = bands[0]?.label ?? '最高等次';
  const list = [
    { term: '统计范围', text: '只统计已形成最后得分的案卷（两名评查人员一致时取平均分，分差过大或等次、否决项不一致时以复核结果为准；异议成立后以修订后的结果为准）。' },
    { term: '等次', text: `按评查标准的分数段确定：${bandsSentence(bands)}；被否决的案卷按否决项确定等次。` },
    { term: '各等次占比', text: '该等次的案卷数 ÷ 已有最后得分的案卷数。' },
    { term: '合格率', text: `等次为${passing || '合格'}的案卷数 ÷ 已有最后得分的案卷数。` },
    { term: '优秀率', text: `等次为${top}的案卷数 ÷ 已有最后得分的案卷数。` },
    { term: '平均分', text: '各案卷最后得分之和 ÷ 案卷数，四舍五入保留一位小数；比率四舍五入保留一位小数的百分数。' },
    { term: '否决', text: '最后得分中含有否决项的案卷数。' },
    { term: '单位等次与排名', text: '单位平均分按案卷的分数段确定单位等次（否决项只影响所在案卷）；按平均分从高到低排名，平均分相同的按总分（即案卷多者）在前，两者都相同的并列；没有最后得分的单位不排名，列在最后。' },
    { term: '评分偏差', text: '评查人员对一卷的给分 − 同卷其他评查人员给分的平均值，在有可比较评查表的案卷上取平均（平均偏差）及其绝对值的平均（平均绝对偏差）。正数表示比同卷其他评查人员宽松（给分偏高），负数表示偏严；复核评查表不参与比较。' },
  ];
  if (selfCheck) list.push({ term: '评查面', text: '已有最后得分的案卷数 ÷ 单位报送的本期案卷总数；未报送总数的单位不计算评查面，也不计入合计。' });
  return list;
}

/** What the reader is told while figures are still moving. */
export function stageNotice(status: string, finals: number, reviewing: number, recheck: number): string | null {
  const label = CAMPAIGN_STATUS_LABELS[status as CampaignStatus] ?? status;
  if (status === 'draft' || status === 'sampling') return `活动尚处于“${label}”阶段，评查开始、案卷形成最后得分后才有统计数字。`;
  const pending = reviewing + recheck;
  if ((status === 'reviewing' || status === 'rechecking') && pending === 0) {
    return `活动仍处于“${label}”阶段，以下为临时统计：参评的 ${finals} 卷案卷均已有最后得分，结果发布前数字仍可能变化。`;
  }
  if (status === 'reviewing' || status === 'rechecking') {
    return `活动仍处于“${label}”阶段，以下均为临时统计：只计入已有最后得分的 ${finals} 卷案卷，另有 ${pending} 卷尚无最后得分`
      + `（评查中 ${reviewing} 卷、待复核 ${recheck} 卷），形成最后得分后再计入，结果发布前数字仍会变化。`;
  }
  if (pending > 0) return `另有 ${pending} 卷案卷尚无最后得分（评查中 ${reviewing} 卷、待复核 ${recheck} 卷），未计入以下统计。`;
  return null;
}
