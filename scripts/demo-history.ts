// Demo history: the previous year's cross review, finished. A newcomer sees the end of the scoring cycle (every
// sheet in, disagreements re-checked, results released, objections raised and decided — one left open to decide),
// and later features (issue statistics across years, 屡查屡犯, annual ratings) have a year to compare with.
//
// Everything goes through the app's own services, as the people who would do it: the administrator sets the
// campaign up exactly like the 2026 cross review (demo-campaigns.ts: setUpCrossReview), each reviewer submits
// their sheets through saveSheet, the administrator names recheckers and each rechecker submits a 复核评查表,
// the campaign moves on to 复核中 and 结果已发布 (the objection window opens at that moment, on the demo's
// clock), department users raise objections and the administrator decides two of them. The audit log records
// all of it.
//
// Deterministic: the 2025 file lists come from demo-files.ts, the draw from a fixed seed, and one fixed-seed
// generator (prngFromText) draws the plan, the deductions and the notes. No Math.random.
import type { Ctx } from '../src/context.ts';
import type { CampaignRow } from '../src/db/schema.ts';
import { prngFromText, type Prng } from '../src/domain/prng.ts';
import type { SheetInput } from '../src/domain/review-sheet.ts';
import type { Rubric, RubricItem } from '../src/domain/rubric/types.ts';
import { activeAssignments, filesToReview, poolOf } from '../src/features/assignment/queries.ts';
import { findCampaign } from '../src/features/campaigns/queries.ts';
import { transitionCampaign } from '../src/features/campaigns/service.ts';
import type { RuleInput } from '../src/features/sampling/service.ts';
import { currentFinal, idsOf, pinnedRubric, withdrawnOf } from '../src/features/reviews/queries.ts';
import { contestable, decideObjection, objectionWindowEnd, raiseObjection } from '../src/features/reviews/service.ts';
import { formatDateTime } from '../src/web/format.ts';
import { settings, setUpCrossReview, type CrossSetupSummary } from './demo-campaigns.ts';
import { demoFileList } from './demo-files.ts';
import {
  agrees, countGrades, deduction, disagreeingSheet, itemsOf, nameRechecker, sheetWriter, shuffled, similarSheet, userCtx, veto,
} from './demo-scores.ts';

export const HISTORY_NAME = '2025年度行政执法案卷交叉评查';
/** The seed of the 2025 draw (抽取案卷 → 按记录重新抽取并核对 repeats it). */
export const HISTORY_DRAW_SEED = 'MDJ0-2025-XCPC';
/** The seed of the 2025 sheets: plan, deductions, notes, rechecker choice. */
export const HISTORY_SCORES_SEED = 'MDJ-2025-XCPC';

/** 2025's rules: 行政处罚 40 %, at least 2; one 行政许可 and one 行政检查 per unit; major cases weighted 2. */
const RULES: RuleInput[] = [
  { unitId: null, caseType: 'penalty', mode: 'percent', value: '40', minimum: '2', majorWeight: '2' },
  { unitId: null, caseType: 'license', mode: 'count', value: '1', minimum: '', majorWeight: '2' },
  { unitId: null, caseType: 'inspection', mode: 'count', value: '1', minimum: '', majorWeight: '2' },
];
export const HISTORY_RULES_TEXT = '行政处罚按 40% 抽取、不少于 2 卷，行政许可、行政检查每单位各 1 卷，重大案件权重 2';

/**
 * Problems many units had in 2025, per case type: the rubric item and the chance (in %) that a file has it. They
 * make the common issues (共性问题) of the year; the other deductions are drawn evenly from the rest of the rubric.
 */
const COMMON_ISSUES: Record<string, [code: string, percent: number][]> = {
  penalty: [['S10-02', 40], ['S8-01', 35], ['S3-01', 35], ['S5-04', 30], ['S9-03', 25]],
  license: [['S8-02', 40], ['S3-03', 35], ['S5-04', 20]],
  inspection: [['S3-03', 45], ['S7-02', 35], ['S5-02', 20]],
};

/** Units whose files were weaker or stronger than most in 2025 (annual ratings need a spread). */
const WEAK_UNITS = new Set(['MDJ-LK', 'MDJ-SHANGWU', 'MDJ-DN', 'MDJ-WGL']);
const STRONG_UNITS = new Set(['MDJ-SCJG', 'MDJ-HL', 'MDJ-STHJ', 'MDJ-YM']);

/** How many files of each kind; the rest are scored alike by both reviewers and agree. */
const PLAN = {
  vetoObjected: 1, // both reviewers mark 主要证据不足 on a department's file; the department objects and is upheld
  vetoAgreed: 2, // both reviewers mark the same veto: 不合格 by agreement
  recheckVeto: 4, // one reviewer marks a veto, the other does not: re-check (the rechecker confirms every other one)
  recheckSpread: 4, // the totals differ by more than the threshold: re-check
} as const;
type Plan = keyof typeof PLAN | 'agreed';

/** The veto of the upheld objection, and what is said about it. */
const OBJECTED_VETO = {
  code: 'V05',
  reason: '本案现场检查笔录、询问笔录、现场照片和当事人身份证明材料已形成完整的证据链（见卷内第 12—31 页补充调查材料），评查时未注意到补充调查的材料。请求撤销“主要证据不足”的否决项。',
  decision: '经调阅案卷原件，卷内第 12—31 页补充调查材料能够证明主要违法事实，证据充分，否决项 V05 不成立，予以撤销，按原评查表重新计分。',
};
/** Two objections to common deductions: one rejected, one left open for the newcomer to decide. */
const OBJECTED_DEDUCTIONS = [
  {
    code: 'S8-01', decide: 'rejected' as const,
    reason: '处罚决定书系当场送达，当事人已在决定书上签名，不需另附送达回证，请求撤销该项扣分。',
    decision: '当事人仅在决定书上签名，未注明送达日期和送达方式，送达凭证不完整，扣分符合评查标准，维持原评查结果。',
  },
  {
    code: 'S5-04', decide: null,
    reason: '本案处罚决定书第 2 页已载明适用的行政处罚裁量基准条款，并说明了从轻处罚的理由（当事人主动消除违法后果），请求撤销该项扣分。',
    decision: '',
  },
];

/**
 * A 2025 sheet: the year's common problems by their chances, and others drawn evenly from the rest of the rubric —
 * a few in a tidy file, many in a messy one; more in a weaker unit, fewer in a stronger one.
 */
function yearSheet(prng: Prng, rubric: Rubric, caseType: string, unitCode: string): SheetInput {
  const weak = WEAK_UNITS.has(unitCode);
  const strong = STRONG_UNITS.has(unitCode);
  const items = itemsOf(rubric);
  const byCode = new Map(items.map((i) => [i.code, i]));
  const chosen: RubricItem[] = [];
  for (const [code, percent] of COMMON_ISSUES[caseType] ?? []) {
    const item = byCode.get(code);
    if (!item) throw new Error(`demo history: the pinned rubric ${rubric.id} has no item ${code}`);
    if (prng.nextBelow(100) < percent + (weak ? 15 : strong ? -10 : 0)) chosen.push(item);
  }
  const common = new Set((COMMON_ISSUES[caseType] ?? []).map(([code]) => code));
  const roll = prng.nextBelow(20);
  const base = roll < 9 ? 1 + prng.nextBelow(2) : roll < 16 ? 3 + prng.nextBelow(3) : 6 + prng.nextBelow(3);
  const others = Math.max(0, base + (weak ? 2 : strong ? -1 : 0));
  chosen.push(...shuffled(prng, items.filter((i) => !common.has(i.code))).slice(0, others));
  return { deductions: chosen.map((item) => deduction(prng, item, caseType)), vetoes: [], opinion: '' };
}

/** Who did what in the objections, for the console. */
export interface HistoryObjection {
  unit: string;
  fileNumber: string;
  target: string;
  status: '异议成立' | '异议不成立' | '待处理';
  outcome: string;
}

export interface DemoHistorySummary extends CrossSetupSummary {
  id: number;
  name: string;
  rulesText: string;
  scoresSeed: string;
  sheets: number;
  rechecks: { total: number; confirmedVeto: number };
  byRecheck: number;
  grades: [label: string, count: number][];
  vetoFailed: number;
  /** Deduction items found in the most units' final results. */
  commonIssues: { code: string; issue: string; units: number; files: number }[];
  windowEnd: string;
  objections: HistoryObjection[];
  objectionsByStatus: [label: string, count: number][];
}

export async function buildDemoHistory(admin: Ctx, reviewerNames: readonly string[]): Promise<DemoHistorySummary> {
  // ----- The campaign up to its sampling stage, as the 2026 one -----
  const { id, summary: setup } = await setUpCrossReview(admin, {
    settings: settings({
      name: HISTORY_NAME,
      description: '对各区县司法局和市直执法部门2025年办结的行政执法案卷进行交叉评查：按抽取规则随机抽取案卷，每卷由两名非本单位的评查人员评查，' +
        '两人得分相差超过 5 分或否决项认定不一致的，由第三名评查人员复核。',
    }, 2025),
    list: demoFileList(reviewerNames, 2025),
    fileListPath: null,
    totalNotReported: new Set(),
    rules: RULES,
    seed: HISTORY_DRAW_SEED,
  });
  if (setup.unassigned > 0) throw new Error(`demo history: ${setup.unassigned} files of the 2025 draw could not be given two reviewers`);

  // ----- 评查中: every sheet, submitted by its reviewer -----
  await transitionCampaign(admin, id, 'reviewing');
  const campaign = (await findCampaign(admin.db, id))!;
  const prng = prngFromText(HISTORY_SCORES_SEED);
  const files = await filesToReview(admin.db, campaign);
  const assignments = await activeAssignments(admin.db, id);
  const pool = (await poolOf(admin.db, id)).filter((r) => r.active);
  const rubrics = new Map<string, Rubric>();
  for (const caseType of new Set(files.map((f) => f.caseType))) rubrics.set(caseType, (await pinnedRubric(admin.db, id, caseType))!.rubric);
  const unitCodes = new Map((await admin.db.selectFrom('units').select(['id', 'code']).execute()).map((u) => [u.id, u.code]));
  const departmentUsers = new Map((await admin.db.selectFrom('users').select(['id', 'unit_id']).where('role', '=', 'department').where('active', '=', 1)
    .orderBy('id').execute()).map((u) => [u.unit_id, u.id]));
  const save = sheetWriter(admin, id);

  // The files in a drawn order; the objected veto goes to the first 行政处罚 file of a unit with a department user.
  const order = shuffled(prng, files);
  const objectedAt = order.findIndex((f) => f.caseType === 'penalty' && departmentUsers.has(f.unitId));
  if (objectedAt < 0) throw new Error('demo history: no 行政处罚 file of a department was drawn');
  order.unshift(...order.splice(objectedAt, 1));
  const plans: Plan[] = [];
  for (const [plan, n] of Object.entries(PLAN) as [Plan, number][]) for (let i = 0; i < n; i++) plans.push(plan);

  const rechecks: { fileId: number; first: SheetInput; second: SheetInput; byVeto: boolean }[] = [];
  for (const [i, file] of order.entries()) {
    const plan: Plan = plans[i] ?? 'agreed';
    const rubric = rubrics.get(file.caseType)!;
    const [a, b] = assignments.filter((x) => x.case_file_id === file.id).map((x) => x.reviewer_id);
    if (a === undefined || b === undefined) throw new Error(`demo history: file ${file.fileNumber} lacks two reviewers`);
    const first = yearSheet(prng, rubric, file.caseType, unitCodes.get(file.unitId)!);
    let second: SheetInput;
    if (plan === 'vetoObjected' || plan === 'vetoAgreed') {
      const v = veto(prng, rubric, file.caseType, plan === 'vetoObjected' ? OBJECTED_VETO.code : undefined);
      first.vetoes = [v];
      second = { ...similarSheet(prng, rubric, file.caseType, first), vetoes: [{ ...v, note: `${v.note}（经核对卷内材料确认）` }] };
      if (!agrees(rubric, campaign, first, second)) second = { ...first, deductions: first.deductions.map((d) => ({ ...d })) };
    } else if (plan === 'agreed') {
      second = similarSheet(prng, rubric, file.caseType, first);
      if (!agrees(rubric, campaign, first, second)) second = { ...first, deductions: first.deductions.map((d) => ({ ...d })) };
    } else {
      second = disagreeingSheet(prng, rubric, file.caseType, campaign, first, plan === 'recheckVeto');
      rechecks.push({ fileId: file.id, first, second, byVeto: second.vetoes.length > 0 });
    }
    await save(a, file.id, first, true);
    await save(b, file.id, second, true);
  }

  // ----- 复核中: the bureau names a rechecker for each disagreement, who submits the 复核评查表 -----
  await transitionCampaign(admin, id, 'rechecking');
  let confirmedVeto = 0;
  for (const [i, r] of rechecks.entries()) {
    const named = await nameRechecker(admin, prng, id, r.fileId, pool);
    if (named === null) throw new Error(`demo history: nobody in the pool may re-check file ${r.fileId}`);
    const firstCodes = new Set(r.first.deductions.map((d) => d.itemCode));
    let own: SheetInput;
    if (r.byVeto && i % 2 === 0) {
      // The veto is confirmed: the file fails.
      confirmedVeto++;
      own = { deductions: r.first.deductions, vetoes: r.second.vetoes.map((v) => ({ ...v, note: `${v.note}（复核确认）` })), opinion: '经复核，否决项认定成立，以复核评查表为准' };
    } else if (r.byVeto) {
      own = { deductions: r.first.deductions, vetoes: [], opinion: '经复核，卷内材料不足以认定否决项，以复核评查表为准' };
    } else {
      // Between the two: the first reviewer's findings and the first further problem the second one found.
      own = {
        deductions: [...r.first.deductions, ...r.second.deductions.filter((d) => !firstCodes.has(d.itemCode)).slice(0, 1)],
        vetoes: [], opinion: '经复核，以复核评查表为准',
      };
    }
    await save(named, r.fileId, own, true);
  }

  // ----- 结果已发布: the objection window opens now -----
  await transitionCampaign(admin, id, 'released');
  const released = (await findCampaign(admin.db, id))!;
  const objections = await raiseAndDecide(admin, released, order, departmentUsers);

  // ----- What the console prints -----
  const finals = await admin.db.selectFrom('final_results').select(['case_file_id', 'grade_label', 'method', 'sheets', 'withdrawn'])
    .where('campaign_id', '=', id).where('superseded_at', 'is', null).execute();
  const sheets = await admin.db.selectFrom('reviews').select(({ fn }) => fn.countAll<number>().as('n'))
    .where('campaign_id', '=', id).where('kind', '=', 'review').where('status', '=', 'submitted').executeTakeFirstOrThrow();
  const unitOfFile = new Map(files.map((f) => [f.id, f.unitId]));
  const issueText = new Map<string, string>([...rubrics.values()].flatMap((r) => itemsOf(r).map((i) => [`${r.id}|${i.code}`, i.issue] as const)));
  const rubricOfFile = new Map(files.map((f) => [f.id, rubrics.get(f.caseType)!.id]));
  const seen = new Map<string, { units: Set<number>; files: Set<number> }>();
  let vetoFailed = 0;
  for (const f of finals) {
    // The marks the result rests on: those of its sheets, less what an upheld objection withdrew.
    const withdrawn = withdrawnOf(f.withdrawn);
    const marks = (await admin.db.selectFrom('review_marks').select(['kind', 'item_code']).where('review_id', 'in', idsOf(f.sheets)).execute())
      .filter((m) => !(m.kind === 'veto' ? withdrawn.vetoes : withdrawn.deductions).includes(m.item_code));
    if (f.grade_label === '不合格' && marks.some((m) => m.kind === 'veto')) vetoFailed++;
    for (const code of new Set(marks.filter((m) => m.kind === 'deduction').map((m) => m.item_code))) {
      const key = `${rubricOfFile.get(f.case_file_id)}|${code}`;
      const entry = seen.get(key) ?? { units: new Set(), files: new Set() };
      entry.units.add(unitOfFile.get(f.case_file_id)!);
      entry.files.add(f.case_file_id);
      seen.set(key, entry);
    }
  }
  const commonIssues = [...seen.entries()]
    .map(([key, e]) => ({ code: key.slice(key.indexOf('|') + 1), issue: issueText.get(key) ?? '', units: e.units.size, files: e.files.size }))
    .sort((x, y) => y.units - x.units || y.files - x.files || (x.code < y.code ? -1 : 1))
    .slice(0, 5);
  const statusCounts = (['异议成立', '异议不成立', '待处理'] as const).map((s) => [s, objections.filter((o) => o.status === s).length] as [string, number]);
  return {
    ...setup,
    id, name: HISTORY_NAME, rulesText: HISTORY_RULES_TEXT, scoresSeed: HISTORY_SCORES_SEED,
    sheets: Number(sheets.n),
    rechecks: { total: rechecks.length, confirmedVeto },
    byRecheck: finals.filter((f) => f.method === 'recheck').length,
    grades: countGrades(finals),
    vetoFailed,
    commonIssues,
    windowEnd: formatDateTime(objectionWindowEnd(released)),
    objections,
    objectionsByStatus: statusCounts.filter(([, n]) => n > 0),
  };
}

/**
 * Department users object to their own files' results: the veto of the first file (upheld), then two common
 * deductions of files of two other departments (one rejected, one left open). The administrator decides.
 */
async function raiseAndDecide(
  admin: Ctx, campaign: CampaignRow, order: readonly { id: number; unitId: number; unitName: string; fileNumber: string; caseType: string }[],
  departmentUsers: ReadonlyMap<number, number>,
): Promise<HistoryObjection[]> {
  const out: HistoryObjection[] = [];
  const usedUnits = new Set<number>();
  const raise = async (file: (typeof order)[number], target: string, reason: string) => {
    usedUnits.add(file.unitId);
    return raiseObjection(await userCtx(admin, departmentUsers.get(file.unitId)!), campaign.id, file.id, target, reason);
  };
  const decide = async (objectionId: number, file: (typeof order)[number], target: string, decision: 'upheld' | 'rejected', reason: string) => {
    const outcome = await decideObjection(admin, objectionId, decision, reason);
    out.push({ unit: file.unitName, fileNumber: file.fileNumber, target, status: decision === 'upheld' ? '异议成立' : '异议不成立', outcome });
  };

  const vetoFile = order[0]!;
  const vetoTarget = `veto:${OBJECTED_VETO.code}`;
  const upheld = await raise(vetoFile, vetoTarget, OBJECTED_VETO.reason);
  await decide(upheld, vetoFile, `否决项 ${OBJECTED_VETO.code}`, 'upheld', OBJECTED_VETO.decision);

  for (const spec of OBJECTED_DEDUCTIONS) {
    let found: (typeof order)[number] | undefined;
    for (const f of order) {
      if (f.caseType !== 'penalty' || usedUnits.has(f.unitId) || !departmentUsers.has(f.unitId)) continue;
      const final = await currentFinal(admin.db, f.id);
      if (final && (await contestable(admin.db, final)).deductions.includes(spec.code)) {
        found = f;
        break;
      }
    }
    if (!found) throw new Error(`demo history: no department's file has deduction ${spec.code} in its final result`);
    const objectionId = await raise(found, `deduction:${spec.code}`, spec.reason);
    if (spec.decide) await decide(objectionId, found, `扣分项 ${spec.code}`, spec.decide, spec.decision);
    else out.push({ unit: found.unitName, fileNumber: found.fileNumber, target: `扣分项 ${spec.code}`, status: '待处理', outcome: '待管理员处理' });
  }
  return out;
}
