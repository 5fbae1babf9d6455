// A campaign's published tables, built once and written out as the XLSX workbook, as CSV files and on the printed
// bulletin (通报), so the three always agree: 单位汇总 (per unit, with a 合计 row), 案卷结果 (per file, with every
// reviewer's and re-checker's score and the file's issues), 问题清单 and 整改台账.
//
// Scope: the bureau reads the whole campaign; a department only its own unit (unitId), filtered in the queries
// themselves. Issue classification (共性/个性) necessarily looks at every unit's findings, as on the issues page,
// but only the unit's own issues and figures leave this module for a department.
import type { DbOrTrx } from '../../db/connection.ts';
import type { CampaignRow } from '../../db/schema.ts';
import { bulletinParagraph, type BulletinFacts } from '../../domain/bulletin.ts';
import { CAMPAIGN_KIND_LABELS, isCampaignKind, type CampaignKind } from '../../domain/campaigns.ts';
import { ISSUE_SCOPE_LABELS, issuesOfUnit, type Finding, type Issue, type IssueUnit } from '../../domain/issues.ts';
import { ledgerSentence, ledgerTotals } from '../../domain/ledger.ts';
import { FINAL_METHOD_LABELS, type FinalMethod } from '../../domain/objections.ts';
import { formatTenths } from '../../domain/rubric/points.ts';
import type { GradeBand } from '../../domain/rubric/types.ts';
import { campaignStatistics, type CampaignStatistics, type Rate } from '../../domain/statistics.ts';
import { CASE_TYPE_LABELS, CASE_TYPES, type CaseType } from '../../domain/vocabulary.ts';
import type { ColumnFormat, SheetSpec } from '../../exports/xlsx.ts';
import { campaignFindings, campaignIssues } from '../issues/service.ts';
import { LEDGER_HEADERS, ledgerLines, ledgerNotices, ledgerRow, NO_LEDGER_FILTER } from '../rectification/ledger-queries.ts';
import { campaignBands, finalResults } from './service.ts';

// ---------------------------------------------------------------------------------------------------------
// Cells: one value, written as a number in the workbook and as the page shows it in CSV and on the bulletin.

/** A score in tenths: 87.5 in the workbook (format 0.0), "87.5" as text. */
export interface Score {
  tenths: number;
}
export type Cell = string | number | null | Score | Rate;

const isScore = (c: Cell): c is Score => typeof c === 'object' && c !== null && 'tenths' in c;
const isRate = (c: Cell): c is Rate => typeof c === 'object' && c !== null && 'denominator' in c;
const score = (tenths: number | null): Score | null => (tenths === null ? null : { tenths });

/** The workbook's value: scores as numbers, rates as fractions (shown as percentages), nothing as an empty cell. */
export function xlsxValue(c: Cell): string | number | null {
  if (isScore(c)) return c.tenths / 10;
  if (isRate(c)) return c.denominator === 0 ? null : c.numerator / c.denominator;
  return c;
}

/** The value as text, exactly as the pages show it: 87.5, 90, 87.5%, — for a rate of nothing. */
export function textValue(c: Cell): string {
  if (c === null) return '';
  if (isScore(c)) return formatTenths(c.tenths);
  if (isRate(c)) return c.percent;
  return String(c);
}

export interface Column {
  header: string;
  format?: ColumnFormat;
  width?: number;
}

export const TABLE_KEYS = ['units', 'files', 'issues', 'ledger'] as const;
export type TableKey = (typeof TABLE_KEYS)[number];
export const isTableKey = (v: unknown): v is TableKey => typeof v === 'string' && (TABLE_KEYS as readonly string[]).includes(v);

export interface Table {
  key: TableKey;
  /** Sheet name and the CSV file's name part. */
  title: string;
  columns: Column[];
  rows: Cell[][];
  totals?: Cell[];
}

export function tableSheet(table: Table): SheetSpec {
  return {
    name: table.title,
    headers: table.columns.map((c) => c.header),
    formats: table.columns.map((c) => c.format),
    columnWidths: table.columns.map((c) => c.width),
    rows: table.rows.map((r) => r.map(xlsxValue)),
    totals: table.totals?.map(xlsxValue),
  };
}

/** Headers and text rows (totals last), for CSV and for the bulletin's table. */
export function tableText(table: Table): { headers: string[]; rows: string[][] } {
  return {
    headers: table.columns.map((c) => c.header),
    rows: [...table.rows, ...(table.totals ? [table.totals] : [])].map((r) => r.map(textValue)),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Score ranges of the per-unit overview (90分以上, 70–89分, 70分以下 in the bureaus' sheets), from the campaign's
// grade bands: the top band's lower bound and the lowest passing band's, so they follow the region's configuration.

export interface ScoreRange {
  label: string;
  minTenths: number;
  /** Exclusive upper bound; null for no bound. */
  belowTenths: number | null;
}

const DEFAULT_TOP = 900;
const DEFAULT_PASS = 600;

export function scoreRanges(bands: readonly GradeBand[]): ScoreRange[] {
  // Without bands (no standard pinned, so no results either) the bundled standards' 90 and 60 label the columns.
  const top = bands.length > 0 ? Math.round(Math.max(...bands.map((b) => b.min)) * 10) : DEFAULT_TOP;
  const passing = bands.filter((b) => b.passing);
  const pass = bands.length > 0 ? (passing.length > 0 ? Math.round(Math.min(...passing.map((b) => b.min)) * 10) : top) : DEFAULT_PASS;
  const bounds = [...new Set([top, pass])].filter((b) => b > 0).sort((a, b) => b - a);
  if (bounds.length === 0) return [{ label: '全部', minTenths: 0, belowTenths: null }];
  const below = (t: number) => (t % 10 === 0 ? String(t / 10 - 1) : formatTenths(t - 1));
  const ranges: ScoreRange[] = [{ label: `${formatTenths(bounds[0]!)}分以上`, minTenths: bounds[0]!, belowTenths: null }];
  if (bounds.length === 2) ranges.push({ label: `${formatTenths(bounds[1]!)}–${below(bounds[0]!)}分`, minTenths: bounds[1]!, belowTenths: bounds[0]! });
  const lowest = bounds.at(-1)!;
  ranges.push({ label: `${formatTenths(lowest)}分以下`, minTenths: 0, belowTenths: lowest });
  return ranges;
}

export const inRange = (r: ScoreRange, tenths: number): boolean => tenths >= r.minTenths && (r.belowTenths === null || tenths < r.belowTenths);

export function rangesNote(ranges: readonly ScoreRange[]): string {
  if (ranges.length < 2) return '';
  const top = ranges[0]!;
  const low = ranges.at(-1)!;
  return `分数段按最后得分统计：${top.label}含 ${formatTenths(top.minTenths)} 分，${low.label}不含 ${formatTenths(low.belowTenths!)} 分`;
}

// ---------------------------------------------------------------------------------------------------------
// Reading

export interface ExportScope {
  /** null: the whole campaign (the bureau); otherwise one unit (a department). */
  unitId: number | null;
  /** Today's Beijing date, for the ledger's overdue flags and the bulletin's date. */
  today: string;
}

/** The campaign's participating units (only the scoped unit, for a department), in unit-code order. */
async function participants(db: DbOrTrx, campaignId: number, unitId: number | null) {
  let q = db.selectFrom('campaign_units').innerJoin('units', 'units.id', 'campaign_units.unit_id')
    .select(['units.id', 'units.code', 'units.name']).where('campaign_units.campaign_id', '=', campaignId);
  if (unitId !== null) q = q.where('units.id', '=', unitId);
  return q.orderBy('units.code').execute();
}

/** Per file: the case's cause, how the final result was reached, its revision. */
async function fileFacts(db: DbOrTrx, campaignId: number, unitId: number | null) {
  let q = db.selectFrom('final_results').innerJoin('case_files', 'case_files.id', 'final_results.case_file_id')
    .select(['final_results.case_file_id', 'case_files.cause', 'final_results.explanation', 'final_results.revision', 'final_results.method'])
    .where('final_results.campaign_id', '=', campaignId).where('final_results.superseded_at', 'is', null);
  if (unitId !== null) q = q.where('case_files.unit_id', '=', unitId);
  return new Map((await q.execute()).map((r) => [r.case_file_id, r]));
}

interface Sheet {
  reviewerName: string;
  kind: string;
  totalTenths: number;
}

/** Every submitted sheet of the scoped files, by file, in the order they were submitted. */
async function sheetsByFile(db: DbOrTrx, campaignId: number, unitId: number | null): Promise<Map<number, Sheet[]>> {
  let q = db.selectFrom('reviews').innerJoin('case_files', 'case_files.id', 'reviews.case_file_id').innerJoin('users', 'users.id', 'reviews.reviewer_id')
    .select(['reviews.case_file_id', 'reviews.kind', 'reviews.total_tenths', 'users.display_name'])
    .where('reviews.campaign_id', '=', campaignId).where('reviews.status', '=', 'submitted');
  if (unitId !== null) q = q.where('case_files.unit_id', '=', unitId);
  const out = new Map<number, Sheet[]>();
  for (const r of await q.orderBy('reviews.submitted_at').orderBy('reviews.id').execute()) {
    out.set(r.case_file_id, [...(out.get(r.case_file_id) ?? []), { reviewerName: r.display_name, kind: r.kind, totalTenths: r.total_tenths }]);
  }
  return out;
}

const collator = new Intl.Collator('zh-CN', { numeric: true });
const typeOrder = (t: string) => ((CASE_TYPES as readonly string[]).includes(t) ? CASE_TYPES.indexOf(t as CaseType) : CASE_TYPES.length);

/** An issue as one unit sees it (a department) or as the campaign has it (the bureau). */
interface IssueLine {
  wording: string;
  category: string;
  scope: Issue['scope'];
  kind: Issue['kind'];
  unitCount: number;
  fileCount: number;
  units: IssueUnit[];
}

export interface CampaignReport {
  campaign: CampaignRow;
  kindLabel: string;
  scope: ExportScope;
  /** The scoped unit's name (department), or null. */
  unitName: string | null;
  bands: GradeBand[];
  ranges: ScoreRange[];
  statistics: CampaignStatistics;
  /** Per unit: name and average (tenths), for the bulletin's chart; units without results left out. */
  unitAverages: { unitName: string; averageTenths: number }[];
  issues: IssueLine[];
  commonCount: number;
  individualCount: number;
  /** Once notices were issued: how many, the verified measures (落实整改措施) and the ledger's sentence. */
  rectification: { notices: number; verifiedMeasures: number; sentence: string } | null;
  paragraph: string;
  tables: Record<TableKey, Table>;
}

const fileIssueText = (findings: readonly Finding[]): string =>
  findings.map((f) => (f.kind === 'veto' ? `【否决】${f.wording}` : f.wording)).join('；');

function unitsText(units: readonly IssueUnit[]): string {
  return units.map((u) => `${u.unitName}（${u.fileCount} 卷${u.repeated ? '，屡查屡犯' : ''}）`).join('、');
}

/** Everything the exports and the bulletin show, for the whole campaign or for one unit. */
export async function campaignReport(db: DbOrTrx, campaign: CampaignRow, scope: ExportScope): Promise<CampaignReport> {
  const { unitId } = scope;
  const kind: CampaignKind = isCampaignKind(campaign.kind) ? campaign.kind : 'cross';
  const units = await participants(db, campaign.id, unitId);
  const bands = await campaignBands(db, campaign.id);
  const ranges = scoreRanges(bands);
  // The campaign's findings, read once: vetoed files, each file's issues and the classification come from them.
  const allFindings = await campaignFindings(db, campaign.id);
  const findings = unitId === null ? allFindings : allFindings.filter((f) => f.unitId === unitId);
  const results = await finalResults(db, campaign.id, unitId, findings);
  // Reviewer calibration is not part of the exports: no sheets go in.
  const statistics = campaignStatistics(results, bands, units.map((u) => ({ unitId: u.id, unitName: u.name })), []);
  const unitName = unitId === null ? null : units[0]?.name ?? null;

  // 单位汇总, in the order of the participants list; the rank column is left empty on a department's copy (a rank
  // compares units, and a department reads only its own).
  const position = new Map(units.map((u, i) => [u.id, i]));
  const unitOrder = (id: number) => position.get(id) ?? units.length;
  const byUnit = [...statistics.byUnit].sort((a, b) => unitOrder(a.unitId) - unitOrder(b.unitId));
  const rangeCounts = (unit: number | null) => ranges.map((r) => results.filter((f) => (unit === null || f.unitId === unit) && inRange(r, f.totalTenths)).length);
  const unitRows: Cell[][] = byUnit.map((u, i) => {
    const notes = [u.gradeLabel ? `单位等次：${u.gradeLabel}` : '暂无最后得分'];
    if (u.vetoes > 0) notes.push(`否决 ${u.vetoes} 卷`);
    return [i + 1, u.unitName, u.files, ...rangeCounts(u.unitId), score(u.averageTenths), u.passRate, u.excellenceRate, unitId === null ? u.rank : null, notes.join('；')];
  });
  const s = statistics.summary;
  const unitsTable: Table = {
    key: 'units', title: '单位汇总',
    columns: [
      { header: '序号', format: 'integer' }, { header: '单位', width: 30 }, { header: '参评案卷数', format: 'integer' },
      ...ranges.map((r): Column => ({ header: r.label, format: 'integer' })),
      { header: '平均分', format: 'decimal1' }, { header: '合格率', format: 'percent1' }, { header: '优秀率', format: 'percent1' },
      { header: '排名', format: 'integer' }, { header: '备注', width: 40 },
    ],
    rows: unitRows,
    totals: ['合计', `${units.length} 个单位`, s.files, ...rangeCounts(null), score(s.averageTenths), s.passRate, s.excellenceRate, null, rangesNote(ranges)],
  };

  // 案卷结果
  const facts = await fileFacts(db, campaign.id, unitId);
  const sheets = await sheetsByFile(db, campaign.id, unitId);
  const findingsByFile = new Map<number, Finding[]>();
  for (const f of findings) findingsByFile.set(f.fileId, [...(findingsByFile.get(f.fileId) ?? []), f]);
  const files = [...results].sort((a, b) => unitOrder(a.unitId) - unitOrder(b.unitId) || collator.compare(a.fileNumber, b.fileNumber));
  const fileRows: Cell[][] = files.map((f, i) => {
    const fact = facts.get(f.fileId);
    const mine = sheets.get(f.fileId) ?? [];
    const reviews = mine.filter((x) => x.kind === 'review');
    const rechecks = mine.filter((x) => x.kind === 'recheck');
    const method = FINAL_METHOD_LABELS[f.method as FinalMethod] ?? f.method;
    const note = [`${method}${fact && fact.revision > 1 ? `（第 ${fact.revision} 版）` : ''}`, fact?.explanation ?? ''].filter(Boolean).join('：');
    return [
      i + 1, f.unitName, f.fileNumber, CASE_TYPE_LABELS[f.caseType] ?? f.caseType, fact?.cause ?? '', reviews.length,
      score(f.totalTenths), f.gradeLabel,
      reviews.map((x) => x.reviewerName).join('、'), reviews.map((x) => `${x.reviewerName} ${formatTenths(x.totalTenths)}`).join('；'),
      rechecks.map((x) => x.reviewerName).join('、'),
      rechecks.length === 1 ? score(rechecks[0]!.totalTenths) : rechecks.map((x) => formatTenths(x.totalTenths)).join('；') || null,
      fileIssueText(findingsByFile.get(f.fileId) ?? []), note,
    ];
  });
  const filesTable: Table = {
    key: 'files', title: '案卷结果',
    columns: [
      { header: '序号', format: 'integer' }, { header: '执法单位', width: 26 }, { header: '案卷编号', width: 18 }, { header: '案卷类型' },
      { header: '案由', width: 30 }, { header: '评查人数', format: 'integer' }, { header: '最后得分', format: 'decimal1' }, { header: '等次' },
      { header: '评查人员', width: 20 }, { header: '评查得分', width: 26 }, { header: '复核人员', width: 12 }, { header: '复核得分', format: 'decimal1' },
      { header: '问题', width: 60 }, { header: '备注', width: 60 },
    ],
    rows: fileRows,
  };

  // 问题清单
  const classification = await campaignIssues(db, campaign, allFindings);
  const issues: IssueLine[] = unitId === null
    ? classification.issues
    : issuesOfUnit(classification, unitId).map((i) => ({ ...i, unitCount: 1, fileCount: i.unit.fileCount, units: [i.unit] }));
  const commonCount = issues.filter((i) => i.scope === 'common').length;
  const individualCount = unitId === null ? classification.individualCount : issues.length - commonCount;
  const issuesTable: Table = {
    key: 'issues', title: '问题清单',
    columns: [
      { header: '序号', format: 'integer' }, { header: '问题', width: 50 }, { header: '类别', width: 16 }, { header: '性质' },
      { header: '涉及单位数', format: 'integer' }, { header: '涉及案卷数', format: 'integer' }, { header: '涉及单位', width: 60 },
    ],
    rows: issues.map((i, n) => [
      n + 1, i.wording, i.category, `${ISSUE_SCOPE_LABELS[i.scope]}${i.units.some((u) => u.repeated) ? '（屡查屡犯）' : ''}`,
      i.unitCount, i.fileCount, unitsText(i.units),
    ]),
  };

  // 整改台账
  const notices = await ledgerNotices(db, { campaignId: campaign.id, unitId });
  const ledgerTable: Table = {
    key: 'ledger', title: '整改台账',
    columns: LEDGER_HEADERS.map((header): Column => ({
      header, format: header === '序号' || header === '问题序号' ? 'integer' : undefined,
      width: ['问题', '整改措施', '整改佐证', '退回理由'].includes(header) ? 40 : undefined,
    })),
    rows: ledgerLines(notices, NO_LEDGER_FILTER, scope.today).map(ledgerRow),
  };
  const totals = ledgerTotals(notices, scope.today);
  const rectification = notices.length > 0 ? { notices: notices.length, verifiedMeasures: totals.verified, sentence: ledgerSentence(totals) } : null;

  const facts4paragraph: BulletinFacts = {
    kind, unitName, unitCount: units.length, files: s.files,
    byCaseType: [...statistics.byCaseType].sort((a, b) => typeOrder(a.caseType) - typeOrder(b.caseType)).map((t) => ({ label: t.label, count: t.files })),
    grades: s.grades.map((g) => ({ label: g.label, count: g.count })),
    passRate: s.passRate.percent,
    commonIssues: commonCount, individualIssues: individualCount, rectification,
  };

  return {
    campaign, kindLabel: CAMPAIGN_KIND_LABELS[kind], scope, unitName, bands, ranges, statistics,
    unitAverages: byUnit.filter((u) => u.averageTenths !== null).map((u) => ({ unitName: u.unitName, averageTenths: u.averageTenths! })),
    issues, commonCount, individualCount, rectification,
    paragraph: bulletinParagraph(facts4paragraph),
    tables: { units: unitsTable, files: filesTable, issues: issuesTable, ledger: ledgerTable },
  };
}

/** A file name part from the campaign's name: no path separators or characters Windows refuses. */
export const fileNamePart = (name: string): string => name.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_').trim() || '评查活动';
