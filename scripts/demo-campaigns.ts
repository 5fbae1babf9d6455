// Demo campaigns, created through the app's own services as the administrator (so the audit log shows the
// history): a 2026 cross review taken to its sampling stage — file lists imported from a spreadsheet, sampling
// rules, a draw with a fixed seed, the reviewer pool and automatic assignment (demo-scores.ts then takes it into
// 评查中 and scores part of it) — and a 2026 self-check left in preparation, so the set-up can be tried from the start.
// setUpCrossReview is also how demo-history.ts starts the finished 2025 cross review.
import fs from 'node:fs';
import path from 'node:path';
import type { Ctx } from '../src/context.ts';
import { CASE_FILE_IMPORT_HEADERS, CASE_FILE_REQUIRED_HEADERS } from '../src/domain/case-files.ts';
import { checkAssignment } from '../src/domain/assignment.ts';
import type { CampaignSettings } from '../src/domain/campaigns.ts';
import { formatSeed } from '../src/domain/prng.ts';
import { CASE_TYPE_LABELS } from '../src/domain/vocabulary.ts';
import { readTable } from '../src/exports/table-import.ts';
import { writeWorkbook } from '../src/exports/xlsx.ts';
import { filesToReview, poolOf } from '../src/features/assignment/queries.ts';
import { addToPool, autoAssign } from '../src/features/assignment/service.ts';
import { findCampaign } from '../src/features/campaigns/queries.ts';
import { createCampaign, setCampaignUnits, transitionCampaign } from '../src/features/campaigns/service.ts';
import { importCaseFiles, reportTotal } from '../src/features/case-files/service.ts';
import { addRule, draw, type RuleInput } from '../src/features/sampling/service.ts';
import { allUnits } from '../src/features/units/queries.ts';
import { asSheetRows, demoFileList, type DemoFileRow } from './demo-files.ts';

/** The seed of the demo draw: anyone can repeat the draw with it (抽取案卷 → 按记录重新抽取并核对). */
export const DEMO_SEED = 'MDJ0-2026-XCPC';
export const DEMO_FILE_LIST_NAME = 'demo-案卷目录.xlsx';
export const CROSS_NAME = '2026年度行政执法案卷交叉评查';
export const SELF_NAME = '2026年度行政执法案卷自查';
/** Units of the self-check (still in preparation): a few departments and one county bureau. */
const SELF_UNIT_CODES = ['MDJ-SCJG', 'MDJ-STHJ', 'MDJ-JTYS', 'MDJ-CGZF', 'MDJ-DA'];
/** Units that have not yet reported their total for the period, so the page shows both states. */
const TOTAL_NOT_REPORTED = new Set(['MDJ-LK', 'MDJ-SHANGWU']);

/** The settings form as an administrator fills it in for a year's campaign. */
export const settings = (values: Partial<Record<keyof CampaignSettings, string>>, year = 2026): Record<keyof CampaignSettings, string> => ({
  name: '', year: String(year), kind: 'cross', description: '', periodFrom: `${year}-01-01`, periodTo: `${year}-12-31`, reviewersPerFile: '2',
  disagreementThresholdTenths: '5', commonIssueThreshold: '3', objectionWindowDays: '5', rectificationDays: '30',
  docNumberPattern: '牡司评整改〔{year}〕{seq}号', ...values,
});

const RULES: RuleInput[] = [
  { unitId: null, caseType: 'penalty', mode: 'percent', value: '20', minimum: '2', majorWeight: '2' },
  { unitId: null, caseType: 'license', mode: 'count', value: '1', minimum: '', majorWeight: '2' },
  { unitId: null, caseType: 'inspection', mode: 'count', value: '1', minimum: '', majorWeight: '2' },
  { unitId: null, caseType: 'coercion', mode: 'count', value: '1', minimum: '', majorWeight: '2' },
];

/** What setting up a cross review produced: the figures the console prints. */
export interface CrossSetupSummary {
  units: number;
  files: number;
  filesByType: [label: string, count: number][];
  majorFiles: number;
  seed: string;
  sampled: number;
  sampledByType: [label: string, count: number][];
  warnings: string[];
  assignments: number;
  unassigned: number;
  perReviewer: { username: string; name: string; unit: string; files: number; note: string }[];
  handlerExamples: string[];
  handlerFiles: number;
}

export interface DemoCampaignSummary extends CrossSetupSummary {
  crossId: number;
  selfId: number;
  fileListPath: string;
  selfUnits: string[];
}

/** Counts per label, in the order of CASE_TYPE_LABELS. */
export function countByLabel(labels: readonly string[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  return Object.values(CASE_TYPE_LABELS).filter((l) => counts.has(l)).map((l) => [l, counts.get(l)!]);
}

export interface CrossReviewSpec {
  /** The settings form (name, year, description …), as for createCampaign. */
  settings: Record<keyof CampaignSettings, string>;
  /** The units' file lists, imported from a spreadsheet in the template's columns. */
  list: readonly DemoFileRow[];
  /** Where the spreadsheet is written for importing by hand; null: kept in memory only. */
  fileListPath: string | null;
  /** Units that have not reported their total for the period. */
  totalNotReported: ReadonlySet<string>;
  rules: readonly RuleInput[];
  seed: string;
}

/**
 * A cross review of every county bureau and city department, taken through its sampling stage as an
 * administrator would: settings, units, the file lists imported from the template, the reported totals, the
 * sampling rules, a seeded draw, every reviewer in the pool and an automatic assignment. Left in 抽取案卷.
 */
export async function setUpCrossReview(ctx: Ctx, spec: CrossReviewSpec): Promise<{ id: number; summary: CrossSetupSummary }> {
  const units = await allUnits(ctx.db);
  const rootId = units.find((u) => u.parentId === null)!.id;
  // The county bureaus and city departments: the root's children (towns sit under two county bureaus).
  const participants = units.filter((u) => u.parentId === rootId);

  const id = await createCampaign(ctx, spec.settings);
  await setCampaignUnits(ctx, id, participants.map((u) => u.id));
  await transitionCampaign(ctx, id, 'sampling');

  // The units' file lists, written as the import template a person fills in, and imported from that file.
  const { list } = spec;
  const fileName = spec.fileListPath ? path.basename(spec.fileListPath) : `${spec.settings.year}年度案卷目录.xlsx`;
  const workbook = await writeWorkbook([{
    name: '案卷目录', headers: CASE_FILE_IMPORT_HEADERS, rows: asSheetRows(list), columnWidths: [14, 26, 12, 16, 48, 36, 18, 10, 12, 8],
  }]);
  if (spec.fileListPath) fs.writeFileSync(spec.fileListPath, workbook);
  const rows = await readTable({ originalname: fileName, buffer: workbook }, {
    required: ['单位编码', ...CASE_FILE_REQUIRED_HEADERS],
    optional: CASE_FILE_IMPORT_HEADERS.filter((h) => h !== '单位编码' && !(CASE_FILE_REQUIRED_HEADERS as readonly string[]).includes(h)),
    maxRows: 5000,
  });
  await importCaseFiles(ctx, id, null, rows, fileName);

  // Each unit reports its total for the period (the coverage denominator), a few more than it listed.
  for (const unit of participants) {
    if (spec.totalNotReported.has(unit.code)) continue;
    const listed = list.filter((f) => f.unitCode === unit.code).length;
    await reportTotal(ctx, id, unit.id, String(listed + (unit.id * 7) % 23));
  }

  for (const rule of spec.rules) await addRule(ctx, id, rule);
  const drawn = await draw(ctx, id, spec.seed);

  const reviewers = await ctx.db.selectFrom('users').select(['id', 'username']).where('role', '=', 'reviewer').orderBy('id').execute();
  await addToPool(ctx, id, reviewers.map((r) => r.id));
  const assigned = await autoAssign(ctx, id);

  // What the console reports: loads per reviewer, and why a reviewer got nothing or was kept off a file.
  const campaign = (await findCampaign(ctx.db, id))!;
  const pool = await poolOf(ctx.db, id);
  const files = await filesToReview(ctx.db, campaign);
  const rules = { campaignKind: 'cross' as const, units, conflicts: [] };
  const loads = new Map(assigned.loads.map((l) => [l.reviewerId, l.count]));
  const usernames = new Map(reviewers.map((r) => [r.id, r.username]));
  const perReviewer = pool.map((r) => {
    const count = loads.get(r.id) ?? 0;
    let note = '';
    if (count === 0) {
      const reasons = files.map((f) => checkAssignment(f, r, rules));
      if (files.length > 0 && reasons.every((list) => list.length > 0)) note = `按回避规则不能评查任何抽中案卷，例如：${reasons[0]![0]}`;
    }
    return { username: usernames.get(r.id) ?? '', name: r.name, unit: r.unitName, files: count, note };
  });
  const handlerExamples: string[] = [];
  let handlerFiles = 0;
  for (const f of files) {
    const kept = pool.filter((r) => {
      const reasons = checkAssignment(f, r, rules);
      return reasons.length === 1 && reasons[0]!.includes('是本案执法人员');
    });
    if (kept.length === 0) continue;
    handlerFiles++;
    if (handlerExamples.length < 3) handlerExamples.push(`${f.unitName} ${f.fileNumber}（执法人员 ${f.handlers.join('、')}）不分配给评查员${kept.map((r) => r.name).join('、')}`);
  }

  return {
    id,
    summary: {
      units: participants.length,
      files: list.length,
      filesByType: countByLabel(list.map((f) => f.values.案卷类型)),
      majorFiles: list.filter((f) => f.values.是否重大 === '是').length,
      seed: formatSeed(drawn.seed),
      sampled: drawn.drawnIds.length,
      sampledByType: countByLabel(files.map((f) => CASE_TYPE_LABELS[f.caseType])),
      warnings: drawn.warnings,
      assignments: assigned.assignments.length,
      unassigned: assigned.unassigned.length,
      perReviewer,
      handlerExamples,
      handlerFiles,
    },
  };
}

export async function buildDemoCampaigns(ctx: Ctx, dir: string, reviewerNames: readonly string[]): Promise<DemoCampaignSummary> {
  // ----- 1. The cross review, up to its sampling stage -----
  const fileListPath = path.join(dir, DEMO_FILE_LIST_NAME);
  const cross = await setUpCrossReview(ctx, {
    settings: settings({
      name: CROSS_NAME,
      description: '对各区县司法局和市直执法部门2026年办结的行政执法案卷进行交叉评查：按抽取规则随机抽取案卷，每卷由两名非本单位的评查人员评查。',
    }),
    list: demoFileList(reviewerNames),
    fileListPath,
    totalNotReported: TOTAL_NOT_REPORTED,
    rules: RULES,
    seed: DEMO_SEED,
  });

  // ----- 2. The self-check, in preparation -----
  const byCode = new Map((await allUnits(ctx.db)).map((u) => [u.code, u]));
  const selfId = await createCampaign(ctx, settings({
    name: SELF_NAME, kind: 'self',
    description: '各执法部门对本单位2026年办结的行政执法案卷开展自查，报送案卷目录和本期案卷总数。',
  }));
  const selfUnits = SELF_UNIT_CODES.map((c) => byCode.get(c)!).filter(Boolean);
  await setCampaignUnits(ctx, selfId, selfUnits.map((u) => u.id));

  return { ...cross.summary, crossId: cross.id, selfId, fileListPath, selfUnits: selfUnits.map((u) => u.name) };
}
