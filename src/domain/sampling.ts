// Sampling (抽取): drawing case files to review from each unit's file list, reproducibly. Pure: no I/O.
//
// How a draw is made (algorithm "sampling-v1"); anyone holding the file lists, the rules and the
// seed can repeat it and must get the same files:
//  1. The seed is normalized (normalizeSeed: case, spaces, dashes, O/I/L ignored).
//  2. Files are grouped by (unit, case type). Within a group they are put in a canonical order
//     independent of the input order: file number by UTF-16 code units (not a locale collator,
//     whose data changes between ICU versions), then id.
//  3. Each group gets its own generator: cyrb128 → sfc32 (see prng.ts) of the text
//     "sampling-v1|<seed>|<unitId>|<caseType>". A group's draw therefore depends only on its own
//     list, its rule and the seed: adding another unit's files does not change it.
//  4. Successive weighted draws without replacement: each remaining file has weight 100, or
//     round(100 × majorWeight) if it is a major case (重大案件); at each step an integer r is drawn
//     uniformly from [0, total remaining weight) and mapped to a file: the remaining major files
//     first, each covering a run of its weight, then the ordinary files. The chosen file is
//     removed (the last remaining file of its class takes its place) and the step repeats. This is
//     the same distribution as Efraimidis–Spirakis keys u^(1/w), but in exact integer arithmetic.
//
// Sample sizes: 'count' draws `value` files; 'percent' draws ceil(value % × files), at least
// `minimum`, never more than the group has. A count larger than the list is an ERROR: the whole draw
// is refused and every such group is listed, so nothing is half-saved. A percentage whose minimum
// exceeds the list is not an error: the whole list is drawn and a warning says so.
import { CASE_TYPE_LABELS, CASE_TYPES, isCaseType, type CaseType } from './vocabulary.ts';
import { normalizeSeed, prngFromText, SEED_MAX_LENGTH, type Prng } from './prng.ts';

export const SAMPLING_ALGORITHM = 'sampling-v1';

export interface SamplingCandidate {
  id: number;
  unitId: number;
  caseType: CaseType;
  fileNumber: string;
  isMajor: boolean;
}

export interface SamplingRule {
  unitId?: number | null; // null/absent: every unit
  caseType?: CaseType | null; // null/absent: every case type
  mode: 'count' | 'percent';
  value: number; // files (count) or percent 0–100, at most two decimals
  minimum?: number; // percent only: draw at least this many files
  majorWeight?: number; // ≥ 1, at most two decimals; major cases are this many times as likely
}

export type RuleScope = 'unit+caseType' | 'unit' | 'caseType' | 'global';

export interface AppliedRule {
  index: number; // position in the rules passed in
  scope: RuleScope;
  text: string; // e.g. "东安区司法局 · 行政处罚：按 10% 抽取，不少于 3 卷"
}

export interface SampleGroup {
  unitId: number;
  caseType: CaseType;
  available: number;
  majorAvailable: number;
  rule: AppliedRule | null;
  requested: number;
  drawn: number[]; // file ids in draw order; empty when the draw is refused
  shortfall: number; // requested − what the list can give
  note: string;
}

export interface SampleResult {
  ok: boolean; // false: problems, and nothing drawn
  algorithm: string;
  seed: string; // normalized
  groups: SampleGroup[];
  drawnIds: number[];
  problems: string[]; // errors that refuse the draw
  warnings: string[]; // shown, but the draw stands
}

export interface SamplingOptions {
  unitNames?: ReadonlyMap<number, string>;
}

const MAX_MAJOR_WEIGHT = 1000;
const typeOrder = new Map<CaseType, number>(CASE_TYPES.map((t, i) => [t, i]));

const unitLabel = (unitId: number, options: SamplingOptions): string => options.unitNames?.get(unitId) ?? `单位 #${unitId}`;

export function ruleScope(rule: Pick<SamplingRule, 'unitId' | 'caseType'>): RuleScope {
  const hasUnit = rule.unitId !== undefined && rule.unitId !== null;
  const hasType = rule.caseType !== undefined && rule.caseType !== null;
  if (hasUnit) return hasType ? 'unit+caseType' : 'unit';
  return hasType ? 'caseType' : 'global';
}

const SPECIFICITY: Record<RuleScope, number> = { 'unit+caseType': 3, unit: 2, caseType: 1, global: 0 };

function scopeText(rule: SamplingRule, options: SamplingOptions): string {
  const unit = rule.unitId !== undefined && rule.unitId !== null ? unitLabel(rule.unitId, options) : '全部单位';
  const type = rule.caseType !== undefined && rule.caseType !== null ? (CASE_TYPE_LABELS[rule.caseType] ?? String(rule.caseType)) : '全部类型';
  return `${unit} · ${type}`;
}

const weightOf = (rule: SamplingRule): number => rule.majorWeight ?? 1;

/** "按 10% 抽取，不少于 3 卷，重大案件权重 2 倍" */
function howText(rule: SamplingRule): string {
  let text = rule.mode === 'count' ? `按 ${rule.value} 卷抽取` : `按 ${rule.value}% 抽取`;
  if (rule.mode === 'percent' && rule.minimum !== undefined && rule.minimum > 0) text += `，不少于 ${rule.minimum} 卷`;
  if (weightOf(rule) !== 1) text += `，重大案件权重 ${weightOf(rule)} 倍`;
  return text;
}

/** The rule as a line of text for pages and records: "东安区司法局 · 行政处罚：按 10% 抽取，不少于 3 卷". */
export function describeRule(rule: SamplingRule, options: SamplingOptions = {}): string {
  return `${scopeText(rule, options)}：${howText(rule)}`;
}

/** Whether x has at most two decimals (12.5 and 0.25 do, 0.125 does not). */
function hundredths(x: number): number | null {
  const h = Math.round(x * 100);
  return Math.abs(x * 100 - h) < 1e-6 ? h : null;
}

/** Everything wrong with one rule, in Chinese; empty when it can be used. */
export function ruleProblems(rule: SamplingRule, options: SamplingOptions = {}): string[] {
  const problems: string[] = [];
  const where = `抽取规则“${scopeText(rule, options)}”`;
  if (rule.unitId !== undefined && rule.unitId !== null && !Number.isSafeInteger(rule.unitId)) problems.push(`${where}：单位无效`);
  if (rule.caseType !== undefined && rule.caseType !== null && !isCaseType(rule.caseType)) problems.push(`${where}：案卷类型“${String(rule.caseType)}”无效`);
  if (rule.mode === 'count') {
    if (!Number.isSafeInteger(rule.value) || rule.value < 0) problems.push(`${where}：抽取卷数必须是不小于 0 的整数（现为 ${rule.value}）`);
  } else if (rule.mode === 'percent') {
    if (!Number.isFinite(rule.value) || rule.value < 0 || rule.value > 100) problems.push(`${where}：抽取比例必须在 0% 到 100% 之间（现为 ${rule.value}%）`);
    else if (hundredths(rule.value) === null) problems.push(`${where}：抽取比例最多保留两位小数（现为 ${rule.value}%）`);
  } else {
    problems.push(`${where}：抽取方式必须是按卷数或按比例`);
  }
  if (rule.minimum !== undefined && (!Number.isSafeInteger(rule.minimum) || rule.minimum < 0)) {
    problems.push(`${where}：最少抽取卷数必须是不小于 0 的整数（现为 ${rule.minimum}）`);
  }
  if (rule.majorWeight !== undefined) {
    const w = rule.majorWeight;
    if (!Number.isFinite(w) || w < 1) problems.push(`${where}：重大案件权重不能小于 1（现为 ${w}）`);
    else if (w > MAX_MAJOR_WEIGHT) problems.push(`${where}：重大案件权重不能大于 ${MAX_MAJOR_WEIGHT}（现为 ${w}）`);
    else if (hundredths(w) === null) problems.push(`${where}：重大案件权重最多保留两位小数（现为 ${w}）`);
  }
  return problems;
}

/** The most specific rule for a group (unit + type > unit > type > global), with its index, or null. */
export function resolveRule(rules: readonly SamplingRule[], unitId: number, caseType: CaseType): { rule: SamplingRule; index: number } | null {
  let best: { rule: SamplingRule; index: number } | null = null;
  let bestRank = -1;
  for (const [index, rule] of rules.entries()) {
    const unitMatches = rule.unitId === undefined || rule.unitId === null || rule.unitId === unitId;
    const typeMatches = rule.caseType === undefined || rule.caseType === null || rule.caseType === caseType;
    const rank = SPECIFICITY[ruleScope(rule)];
    if (unitMatches && typeMatches && rank > bestRank) {
      best = { rule, index };
      bestRank = rank;
    }
  }
  return best;
}

/** How many files a rule asks for from a group of `available` files (before capping at the list). */
export function requestedCount(rule: SamplingRule, available: number): number {
  if (rule.mode === 'count') return rule.value;
  // ceil(p% × n) in integers: p held in hundredths, so 10% of 30 is exactly 3, not 3.0000000000000004 → 4.
  const x = (hundredths(rule.value) ?? 0) * available + 9999;
  const byPercent = (x - (x % 10000)) / 10000;
  return Math.max(byPercent, rule.minimum ?? 0);
}

export function compareCandidates(a: SamplingCandidate, b: SamplingCandidate): number {
  return (
    a.unitId - b.unitId ||
    (typeOrder.get(a.caseType) ?? 99) - (typeOrder.get(b.caseType) ?? 99) ||
    (a.fileNumber < b.fileNumber ? -1 : a.fileNumber > b.fileNumber ? 1 : 0) ||
    a.id - b.id
  );
}

/**
 * Successive weighted draws without replacement (see the header). `files` must be in canonical
 * order. Returns the ids in draw order.
 */
export function weightedDraw(rng: Prng, files: readonly SamplingCandidate[], count: number, majorWeight: number): number[] {
  const majorUnit = hundredths(majorWeight) ?? 100;
  const major = files.filter((f) => f.isMajor).map((f) => f.id);
  const ordinary = files.filter((f) => !f.isMajor).map((f) => f.id);
  const drawn: number[] = [];
  const take = (list: number[], i: number): void => {
    drawn.push(list[i]!);
    list[i] = list[list.length - 1]!;
    list.pop();
  };
  while (drawn.length < count && major.length + ordinary.length > 0) {
    const majorTotal = major.length * majorUnit;
    const r = rng.nextBelow(majorTotal + ordinary.length * 100);
    if (r < majorTotal) take(major, Math.floor(r / majorUnit));
    else take(ordinary, Math.floor((r - majorTotal) / 100));
  }
  return drawn;
}

const groupKey = (unitId: number, caseType: CaseType): string => `${unitId}|${caseType}`;

/** The generator text for one group; part of the algorithm, so it never changes within sampling-v1. */
export const groupSeedText = (seed: string, unitId: number, caseType: CaseType): string =>
  `${SAMPLING_ALGORITHM}|${seed}|${unitId}|${caseType}`;

/** Draws files from every group as the rules say. The same inputs and seed always give the same result. */
export function drawSample(
  candidates: readonly SamplingCandidate[],
  rules: readonly SamplingRule[],
  seedInput: string,
  options: SamplingOptions = {},
): SampleResult {
  const problems: string[] = [];
  const warnings: string[] = [];
  const seed = normalizeSeed(seedInput);
  if (seed === '') problems.push('请填写抽取种子');
  else if ([...seed].length > SEED_MAX_LENGTH) problems.push(`抽取种子不能超过 ${SEED_MAX_LENGTH} 个字符`);

  // Rules: each must be usable, and no two may cover the same scope.
  const badRules = new Set<number>();
  const scopes = new Map<string, number>();
  rules.forEach((rule, index) => {
    const found = ruleProblems(rule, options);
    if (found.length > 0) badRules.add(index);
    problems.push(...found);
    const key = `${rule.unitId ?? '*'}|${rule.caseType ?? '*'}`;
    if (scopes.has(key)) problems.push(`抽取规则“${scopeText(rule, options)}”重复设置，请只保留一条`);
    else scopes.set(key, index);
  });

  // Candidates: ids unique, types known.
  const seenIds = new Set<number>();
  const reportedIds = new Set<number>();
  for (const c of candidates) {
    if (!Number.isSafeInteger(c.id) || !Number.isSafeInteger(c.unitId)) problems.push(`案卷“${c.fileNumber}”的编号或所属单位无效`);
    if (!isCaseType(c.caseType)) problems.push(`案卷“${c.fileNumber}”的类型“${String(c.caseType)}”无效`);
    if (seenIds.has(c.id) && !reportedIds.has(c.id)) {
      problems.push(`案卷目录中案卷（编号 ${c.id}）重复出现`);
      reportedIds.add(c.id);
    }
    seenIds.add(c.id);
  }

  // Groups: every (unit, type) with files, plus every exact rule, whose list may be empty.
  const sorted = candidates.filter((c) => isCaseType(c.caseType)).sort(compareCandidates);
  const members = new Map<string, SamplingCandidate[]>();
  const groupIds: { unitId: number; caseType: CaseType }[] = [];
  const addGroup = (unitId: number, caseType: CaseType): SamplingCandidate[] => {
    const key = groupKey(unitId, caseType);
    let list = members.get(key);
    if (!list) {
      list = [];
      members.set(key, list);
      groupIds.push({ unitId, caseType });
    }
    return list;
  };
  for (const c of sorted) addGroup(c.unitId, c.caseType).push(c);
  for (const rule of rules) {
    if (ruleScope(rule) === 'unit+caseType' && Number.isSafeInteger(rule.unitId) && isCaseType(rule.caseType)) addGroup(rule.unitId!, rule.caseType);
  }
  groupIds.sort((a, b) => a.unitId - b.unitId || typeOrder.get(a.caseType)! - typeOrder.get(b.caseType)!);

  const plans = groupIds.map(({ unitId, caseType }) => {
    const files = members.get(groupKey(unitId, caseType))!;
    const available = files.length;
    const majorAvailable = files.filter((f) => f.isMajor).length;
    const found = resolveRule(rules, unitId, caseType);
    const group: SampleGroup = { unitId, caseType, available, majorAvailable, rule: null, requested: 0, drawn: [], shortfall: 0, note: '' };
    if (!found) {
      group.note = `未设置抽取规则：共 ${available} 卷，不抽取`;
      return { files, weight: 1, group };
    }
    group.rule = { index: found.index, scope: ruleScope(found.rule), text: describeRule(found.rule, options) };
    const how = howText(found.rule);
    if (badRules.has(found.index)) {
      group.note = `${how}：规则有误，未抽取`;
      return { files, weight: 1, group };
    }
    group.requested = requestedCount(found.rule, available);
    group.shortfall = Math.max(0, group.requested - available);
    const label = `${unitLabel(unitId, options)} ${CASE_TYPE_LABELS[caseType]}`;
    const weight = weightOf(found.rule);
    const showMajor = weight !== 1 && majorAvailable > 0;
    group.note = `${how}：共 ${available} 卷${showMajor ? `（重大案件 ${majorAvailable} 卷）` : ''}`;
    if (group.shortfall > 0 && found.rule.mode === 'count') {
      problems.push(`${label} 案卷仅 ${available} 卷，少于要求抽取的 ${group.requested} 卷`);
      group.note += `，不足要求抽取的 ${group.requested} 卷`;
    } else if (group.shortfall > 0) {
      warnings.push(`${label} 案卷仅 ${available} 卷，少于最少抽取的 ${group.requested} 卷，全部抽取`);
      group.note += `，不足 ${group.requested} 卷，全部抽取`;
    } else {
      return { files, weight, group, pending: group.requested };
    }
    return { files, weight, group };
  });

  const ok = problems.length === 0;
  for (const { files, weight, group, pending } of plans) {
    // A group that can give what is asked says "抽取 n 卷" once drawn, "应抽取 n 卷" when the draw is refused.
    if (pending !== undefined) group.note += ok ? `，抽取 ${pending} 卷` : `，应抽取 ${pending} 卷`;
    const count = Math.min(group.requested, group.available);
    if (!ok || count === 0) continue;
    group.drawn = weightedDraw(prngFromText(groupSeedText(seed, group.unitId, group.caseType)), files, count, weight);
    if (weight !== 1 && group.majorAvailable > 0) {
      const drawn = new Set(group.drawn);
      group.note += `（重大案件 ${files.filter((f) => f.isMajor && drawn.has(f.id)).length} 卷）`;
    }
  }
  const groups = plans.map((p) => p.group);
  return { ok, algorithm: SAMPLING_ALGORITHM, seed, groups, drawnIds: groups.flatMap((g) => g.drawn), problems, warnings };
}

export interface DrawVerification {
  matches: boolean; // re-running the draw gives exactly the recorded files
  sameOrder: boolean; // … and in the recorded order
  expected: number[]; // what the draw gives now
  missing: number[]; // drawn now, not recorded
  unexpected: number[]; // recorded, not drawn now
  message: string;
}

/** Re-runs a recorded draw, so anyone can check that the recorded files are the ones the seed gives. */
export function verifyDraw(
  candidates: readonly SamplingCandidate[],
  rules: readonly SamplingRule[],
  seed: string,
  recordedIds: readonly number[],
  options: SamplingOptions = {},
): DrawVerification {
  const result = drawSample(candidates, rules, seed, options);
  if (!result.ok) {
    return {
      matches: false, sameOrder: false, expected: [], missing: [], unexpected: [...recordedIds],
      message: `无法按记录的种子重新抽取：${result.problems.join('；')}`,
    };
  }
  const expected = result.drawnIds;
  const recorded = new Set(recordedIds);
  const now = new Set(expected);
  const missing = expected.filter((id) => !recorded.has(id));
  const unexpected = [...recorded].filter((id) => !now.has(id));
  const matches = missing.length === 0 && unexpected.length === 0 && recordedIds.length === expected.length;
  const sameOrder = matches && expected.every((id, i) => recordedIds[i] === id);
  let message: string;
  if (matches) message = `复核一致：按种子 ${result.seed} 重新抽取，得到的 ${expected.length} 卷与记录相同`;
  else if (missing.length === 0 && unexpected.length === 0) message = `复核不一致：记录中有重复的案卷`;
  else message = `复核不一致：重新抽取应得 ${expected.length} 卷，记录中缺少 ${missing.length} 卷、多出 ${unexpected.length} 卷`;
  return { matches, sameOrder, expected, missing, unexpected, message };
}
