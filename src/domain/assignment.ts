// Assigning reviewers (评查员) from a campaign's pool to case files: the conflict rules, the automatic
// assignment and the check for a manual change. Both use the same rule code. Pure: no I/O.
//
// Decisions (see also the report in issue 4):
// - Unit rule. In 'cross', 'spot' and 'special' campaigns the files are reviewed by people from other units,
//   so a reviewer may never take a file of their own unit, of any unit above it (上级, at any level) or of any
//   unit below it (下级, at any level). Spot checks and special reviews get the same rule as cross review: the
//   design makes conflicts hard constraints, and an exception for the bureau's own staff would have to be an
//   explicit policy, not a default. In a 'self' campaign the unit checks its own files, so the rule is
//   reversed: the reviewer must belong to exactly the file's unit (not a parent, not a child).
// - Handler rule (every kind): a reviewer whose name matches one of the file's handlers (执法人员) after
//   normalizing (NFKC, so full-width → half-width; all spaces, zero-width characters and name dots removed;
//   lower case) never gets the file. Handler entries are also split on 、,，;；/| in case a list came as one text.
// - Declared conflicts (回避): by file, or by unit (covering that unit's own files; a conflict naming both
//   a unit and a file applies to either). A conflict naming neither is ignored.
// - Qualification (case types a reviewer may score) is a SOFT goal by default, as the issue says;
//   `requireQualification: true` turns it into a hard rule. Outside-qualification assignments are counted.
// - Priorities of the automatic assignment: (1) hard rules, never broken; (2) every file gets as many reviewers
//   as it needs and the rules allow; (3) the most even loads possible; (4) fewest assignments outside
//   qualification; (5) each unit's files spread over different reviewers; (6) ties by lowest id — no randomness,
//   and the result does not depend on the order of the input lists.
import { CAMPAIGN_KIND_LABELS, type CampaignKind } from './campaigns.ts';
import { ancestorIds, descendantIds, type UnitNode } from './units.ts';
import { CASE_TYPE_LABELS, type CaseType, type ReviewerPool } from './vocabulary.ts';

export interface AssignableFile {
  id: number;
  unitId: number;
  caseType: CaseType;
  fileNumber: string;
  handlers: readonly string[]; // names of the 执法人员 who handled the case
}

export interface PoolReviewer {
  id: number;
  unitId: number;
  name: string;
  caseTypes: readonly CaseType[]; // empty = qualified for every case type
  poolType: ReviewerPool | null;
}

export interface DeclaredConflict {
  reviewerId: number;
  unitId?: number | null; // the reviewer may not take files of this unit
  fileId?: number | null; // the reviewer may not take this file
  reason: string;
}

export interface AssignmentPair {
  fileId: number;
  reviewerId: number;
}

export interface ExistingAssignment extends AssignmentPair {
  slot?: number | null;
}

export interface NewAssignment extends AssignmentPair {
  slot: number; // 1-based; the lowest slot numbers the file's existing assignments leave free
}

export interface AssignmentRules {
  campaignKind: CampaignKind;
  units: readonly UnitNode[];
  conflicts: readonly DeclaredConflict[];
  /** Qualification as a hard rule. Default false: it is only preferred. */
  requireQualification?: boolean;
}

export interface CheckContext extends AssignmentRules {
  /** Assignments the file already has (without the one being replaced), to refuse the same reviewer twice. */
  assignments?: readonly AssignmentPair[];
}

export interface AssignmentInput extends AssignmentRules {
  files: readonly AssignableFile[];
  reviewers: readonly PoolReviewer[];
  reviewersPerFile: number;
  /**
   * Kept as they are; they count towards the file's slots and the reviewer's load (also when the file is not in
   * `files`, e.g. another part of the campaign). Only the missing slots are filled.
   */
  existing?: readonly ExistingAssignment[];
}

export interface UnassignedFile {
  fileId: number;
  slotsMissing: number;
  reasons: string[]; // first a summary, then one line per cause, each reviewer counted under the first rule it breaks
}

export interface ReviewerLoad {
  reviewerId: number;
  count: number; // existing + new assignments
}

export interface ExistingProblem extends AssignmentPair {
  reasons: string[];
}

export interface AssignmentResult {
  assignments: NewAssignment[]; // new ones only, by file id then slot
  unassigned: UnassignedFile[];
  loads: ReviewerLoad[]; // every pool reviewer, by reviewer id
  outsideQualification: number; // new assignments to a reviewer not qualified for the file's case type
  existingProblems: ExistingProblem[]; // kept assignments that break a rule today (data changed, or set by hand)
}

// ---------------------------------------------------------------------------------------------------------
// The rules

export const isQualified = (reviewer: Pick<PoolReviewer, 'caseTypes'>, caseType: CaseType): boolean =>
  reviewer.caseTypes.length === 0 || reviewer.caseTypes.includes(caseType);

const NAME_NOISE = /[\s\u200b-\u200d\u2060\ufeff·・•‧.]/gu;
const NAME_SEPARATORS = /[、,，;；/／|｜]/u;

/** The form in which two person names are compared: "张 三", "张三 " and "ＺＨＡＮＧ三" match their plain forms. */
export function normalizePersonName(name: string): string {
  return name.normalize('NFKC').replace(NAME_NOISE, '').toLowerCase();
}

type RuleBreak =
  | { rule: 'same-unit' }
  | { rule: 'parent-unit' }
  | { rule: 'child-unit' }
  | { rule: 'other-unit' }
  | { rule: 'handler'; handler: string }
  | { rule: 'conflict'; conflict: DeclaredConflict; byFile: boolean }
  | { rule: 'qualification' };

interface CompiledRules {
  /** Every rule the pair breaks, in a fixed order: unit, handler, declared conflicts, qualification. */
  breaks(file: AssignableFile, reviewer: PoolReviewer): RuleBreak[];
  describe(b: RuleBreak, file: AssignableFile, reviewer: PoolReviewer): string;
}

function compileRules(rules: AssignmentRules): CompiledRules {
  const unitName = new Map(rules.units.map((u) => [u.id, u.name]));
  const unitLabel = (id: number) => unitName.get(id) ?? `单位（编号 ${id}）`;
  const relations = new Map<number, Map<number, 'parent' | 'child'>>();
  const relation = (fileUnit: number, reviewerUnit: number): 'same' | 'parent' | 'child' | null => {
    if (fileUnit === reviewerUnit) return 'same';
    let rel = relations.get(fileUnit);
    if (!rel) {
      rel = new Map();
      for (const id of descendantIds(rules.units, fileUnit)) rel.set(id, 'child');
      for (const id of ancestorIds(rules.units, fileUnit)) rel.set(id, 'parent');
      relations.set(fileUnit, rel);
    }
    return rel.get(reviewerUnit) ?? null;
  };
  const conflictsOf = new Map<number, DeclaredConflict[]>();
  for (const c of rules.conflicts) {
    const list = conflictsOf.get(c.reviewerId) ?? [];
    list.push(c);
    conflictsOf.set(c.reviewerId, list);
  }
  const handlerCache = new WeakMap<AssignableFile, { text: string; key: string }[]>();
  const handlersOf = (file: AssignableFile) => {
    let list = handlerCache.get(file);
    if (!list) {
      list = file.handlers
        .flatMap((h) => h.split(NAME_SEPARATORS))
        .map((text) => ({ text: text.trim(), key: normalizePersonName(text) }))
        .filter((h) => h.key !== '');
      handlerCache.set(file, list);
    }
    return list;
  };
  const nameCache = new Map<string, string>();
  const nameKey = (name: string) => {
    let key = nameCache.get(name);
    if (key === undefined) nameCache.set(name, (key = normalizePersonName(name)));
    return key;
  };
  const kind = rules.campaignKind;

  return {
    breaks(file, reviewer) {
      const out: RuleBreak[] = [];
      const rel = relation(file.unitId, reviewer.unitId);
      if (kind === 'self') {
        if (rel !== 'same') out.push({ rule: 'other-unit' });
      } else if (rel === 'same') out.push({ rule: 'same-unit' });
      else if (rel === 'parent') out.push({ rule: 'parent-unit' });
      else if (rel === 'child') out.push({ rule: 'child-unit' });
      const key = nameKey(reviewer.name);
      const handler = key === '' ? undefined : handlersOf(file).find((h) => h.key === key);
      if (handler) out.push({ rule: 'handler', handler: handler.text });
      for (const c of conflictsOf.get(reviewer.id) ?? []) {
        const byFile = c.fileId != null && c.fileId === file.id;
        if (byFile || (c.unitId != null && c.unitId === file.unitId)) out.push({ rule: 'conflict', conflict: c, byFile });
      }
      if (rules.requireQualification && !isQualified(reviewer, file.caseType)) out.push({ rule: 'qualification' });
      return out;
    },
    describe(b, file, reviewer) {
      const who = `评查员${reviewer.name.trim()}`;
      switch (b.rule) {
        case 'same-unit':
          return `${who}属于案卷单位“${unitLabel(file.unitId)}”，${CAMPAIGN_KIND_LABELS[kind]}不能评查本单位的案卷`;
        case 'parent-unit':
          return `${who}所在的“${unitLabel(reviewer.unitId)}”是案卷单位“${unitLabel(file.unitId)}”的上级单位`;
        case 'child-unit':
          return `${who}所在的“${unitLabel(reviewer.unitId)}”是案卷单位“${unitLabel(file.unitId)}”的下级单位`;
        case 'other-unit':
          return `自查案卷只能由本单位人员评查：${who}属于“${unitLabel(reviewer.unitId)}”，案卷属于“${unitLabel(file.unitId)}”`;
        case 'handler':
          return `${who}是本案执法人员（案卷登记的执法人员：${b.handler}）`;
        case 'conflict':
          return b.byFile
            ? `${who}已申报对案卷 ${file.fileNumber} 回避（${b.conflict.reason.trim()}）`
            : `${who}已申报对“${unitLabel(file.unitId)}”的案卷回避（${b.conflict.reason.trim()}）`;
        case 'qualification':
          return `${who}不具备${CASE_TYPE_LABELS[file.caseType]}案卷的评查资格`;
      }
    },
  };
}

const duplicateMessage = (file: AssignableFile, reviewer: PoolReviewer) =>
  `评查员${reviewer.name.trim()}已分配到案卷 ${file.fileNumber}，同一案卷不能两次分配给同一人`;

/**
 * Why `reviewer` may not be put on `file` by hand (empty = allowed). The same rules as the automatic
 * assignment, plus: not twice on one file (pass the file's other assignments in `context.assignments`).
 */
export function checkAssignment(file: AssignableFile, reviewer: PoolReviewer, context: CheckContext): string[] {
  const rules = compileRules(context);
  const reasons = rules.breaks(file, reviewer).map((b) => rules.describe(b, file, reviewer));
  if (context.assignments?.some((a) => a.fileId === file.id && a.reviewerId === reviewer.id)) {
    reasons.push(duplicateMessage(file, reviewer));
  }
  return reasons;
}

/** The pool reviewers who may be put on `file` by hand, for a choice list. */
export function eligibleReviewers(file: AssignableFile, reviewers: readonly PoolReviewer[], context: CheckContext): PoolReviewer[] {
  const rules = compileRules(context);
  const taken = new Set((context.assignments ?? []).filter((a) => a.fileId === file.id).map((a) => a.reviewerId));
  return reviewers.filter((r) => !taken.has(r.id) && rules.breaks(file, r).length === 0);
}

// ---------------------------------------------------------------------------------------------------------
// The automatic assignment
//
// Completeness. Reviewers have no capacity limit, so files do not compete for places: every file gets
// min(missing slots, eligible reviewers not yet on it) new reviewers — the most any assignment can give it.
//
// Balance. A greedy pass (most constrained file first; each slot to the least-loaded eligible reviewer) is
// followed by an exact repair: while some reviewer u can pass one file down a chain u → f1 → r1 → f2 → … → v
// (u gives f1 to r1, r1 gives f2 to r2, …, each step allowed by the rules) to a reviewer v with at least two
// files fewer, do it. When no such chain is left, no assignment of the same slots has a more even load: the
// sorted loads are decreasingly minimal (equivalently, the sum of squared loads is minimal; Frank & Murota).
// In particular, when every reviewer may take every file and nothing was assigned before, max − min ≤ 1.
// Existing assignments count in the loads but are never moved, so they can force a wider spread.
//
// Soft goals. Moves that keep the multiset of loads (hand a file to a reviewer with exactly one file fewer,
// or swap two files between two reviewers) are made while they reduce, first, the number of assignments
// outside qualification and, second, how often a reviewer has several files of one unit. After this, an
// unqualified reviewer holds a file only if every qualified reviewer who could still take it has at least as
// many files. These two goals are best effort, not proven optimal.

const MAX_POLISH_PASSES = 50;

function uniqueById<T extends { id: number }>(items: readonly T[]): T[] {
  const seen = new Map<number, T>();
  for (const item of items) if (!seen.has(item.id)) seen.set(item.id, item);
  return [...seen.values()].sort((a, b) => a.id - b.id);
}

export function assignReviewers(input: AssignmentInput): AssignmentResult {
  const k = input.reviewersPerFile;
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`reviewersPerFile must be a positive integer, got ${k}`);
  const rules = compileRules(input);
  const files = uniqueById(input.files);
  const reviewers = uniqueById(input.reviewers);
  const F = files.length;
  const R = reviewers.length;
  const fileIndex = new Map(files.map((f, i) => [f.id, i]));
  const reviewerIndex = new Map(reviewers.map((r, i) => [r.id, i]));
  const unitKeys = [...new Set(files.map((f) => f.unitId))];
  const U = unitKeys.length;
  const unitOf = Int32Array.from(files, (f) => unitKeys.indexOf(f.unitId));

  // Existing assignments: deduplicated, counted in loads and in each file's reviewers.
  const existing = new Map<string, ExistingAssignment>();
  for (const e of [...(input.existing ?? [])].sort((a, b) => a.fileId - b.fileId || a.reviewerId - b.reviewerId)) {
    const key = `${e.fileId}:${e.reviewerId}`;
    if (!existing.has(key)) existing.set(key, e);
  }
  const load = new Int32Array(R);
  const perUnit = new Int32Array(R * U); // files of unit u held by reviewer r (existing + new)
  const onFile = files.map(() => new Set<number>()); // reviewer ids on the file before this run
  const slotsTaken = files.map(() => [] as (number | null)[]);
  for (const e of existing.values()) {
    const ri = reviewerIndex.get(e.reviewerId);
    const fi = fileIndex.get(e.fileId);
    if (ri !== undefined) load[ri]!++;
    if (fi === undefined) continue;
    onFile[fi]!.add(e.reviewerId);
    slotsTaken[fi]!.push(e.slot != null && Number.isInteger(e.slot) && e.slot >= 1 ? e.slot : null);
    if (ri !== undefined) perUnit[ri * U + unitOf[fi]!]!++;
  }

  // Who may take what, and who is qualified for what.
  const allowed = new Uint8Array(F * R);
  const unqualified = new Uint8Array(F * R);
  const eligible: number[][] = [];
  const need = new Int32Array(F);
  const target = new Int32Array(F);
  for (let fi = 0; fi < F; fi++) {
    const file = files[fi]!;
    const list: number[] = [];
    for (let ri = 0; ri < R; ri++) {
      const reviewer = reviewers[ri]!;
      if (!isQualified(reviewer, file.caseType)) unqualified[fi * R + ri] = 1;
      if (onFile[fi]!.has(reviewer.id) || rules.breaks(file, reviewer).length > 0) continue;
      allowed[fi * R + ri] = 1;
      list.push(ri);
    }
    eligible.push(list);
    need[fi] = Math.max(0, k - onFile[fi]!.size);
    target[fi] = Math.min(need[fi]!, list.length);
  }

  const chosen = files.map(() => new Set<number>()); // reviewer indices newly on the file
  const held = reviewers.map(() => new Set<number>()); // file indices newly given to the reviewer
  const place = (fi: number, ri: number) => {
    chosen[fi]!.add(ri);
    held[ri]!.add(fi);
    load[ri]!++;
    perUnit[ri * U + unitOf[fi]!]!++;
  };
  const unplace = (fi: number, ri: number) => {
    chosen[fi]!.delete(ri);
    held[ri]!.delete(fi);
    load[ri]!--;
    perUnit[ri * U + unitOf[fi]!]!--;
  };
  const move = (fi: number, from: number, to: number) => {
    unplace(fi, from);
    place(fi, to);
  };

  // 1. Greedy: files with the fewest eligible reviewers first; each slot to the least-loaded eligible reviewer,
  //    ties to the qualified, then to the one with fewer files of this unit, then to the lowest id.
  const order = Array.from({ length: F }, (_, i) => i).sort(
    (a, b) => eligible[a]!.length - eligible[b]!.length || target[b]! - target[a]! || a - b,
  );
  for (const fi of order) {
    const u = unitOf[fi]!;
    for (let slot = 0; slot < target[fi]!; slot++) {
      let best = -1;
      for (const ri of eligible[fi]!) {
        if (chosen[fi]!.has(ri)) continue;
        if (
          best < 0 ||
          load[ri]! < load[best]! ||
          (load[ri] === load[best] &&
            (unqualified[fi * R + ri]! < unqualified[fi * R + best]! ||
              (unqualified[fi * R + ri] === unqualified[fi * R + best] && perUnit[ri * U + u]! < perUnit[best * U + u]!)))
        ) best = ri;
      }
      place(fi, best);
    }
  }

  // 2. Balance repair: pass a file down a chain of allowed hand-overs from a reviewer to one with ≥ 2 fewer.
  const seenReviewer = new Int32Array(R);
  const seenFile = new Int32Array(F);
  const viaFile = new Int32Array(R);
  const viaReviewer = new Int32Array(F);
  let stamp = 0;
  const shiftFrom = (source: number): boolean => {
    stamp++;
    seenReviewer[source] = stamp;
    const queue = [source];
    let best = -1;
    for (let qi = 0; qi < queue.length; qi++) {
      const x = queue[qi]!;
      for (const fi of held[x]!) {
        if (seenFile[fi] === stamp) continue;
        seenFile[fi] = stamp;
        viaReviewer[fi] = x;
        for (const y of eligible[fi]!) {
          if (seenReviewer[y] === stamp || chosen[fi]!.has(y)) continue;
          seenReviewer[y] = stamp;
          viaFile[y] = fi;
          queue.push(y);
          if (load[y]! <= load[source]! - 2 && (best < 0 || load[y]! < load[best]!)) best = y;
        }
      }
    }
    if (best < 0) return false;
    for (let y = best; y !== source; ) {
      const fi = viaFile[y]!;
      const x = viaReviewer[fi]!;
      move(fi, x, y);
      y = x;
    }
    return true;
  };
  for (let moved = true; moved; ) {
    moved = false;
    let minLoad = Infinity;
    for (let ri = 0; ri < R; ri++) minLoad = Math.min(minLoad, load[ri]!);
    const byLoad = Array.from({ length: R }, (_, i) => i).sort((a, b) => load[b]! - load[a]! || a - b);
    for (const ri of byLoad) {
      if (load[ri]! - minLoad < 2) break;
      while (held[ri]!.size > 0 && shiftFrom(ri)) moved = true;
    }
  }

  // 3. Polish soft goals with moves that keep the multiset of loads (so the balance stays optimal).
  //    A move is made when it lowers (outside-qualification count, Σ over reviewer and unit of pairs of files
  //    of that unit held by that reviewer), compared in that order.
  const better = (dq: number, ds: number) => dq < 0 || (dq === 0 && ds < 0);
  // Hand file fi from r1 to a reviewer with exactly one file fewer (the two loads trade places).
  const handOver = (fi: number, r1: number): boolean => {
    const u1 = unitOf[fi]!;
    for (const r2 of eligible[fi]!) {
      if (chosen[fi]!.has(r2) || load[r2] !== load[r1]! - 1) continue;
      const dq = unqualified[fi * R + r2]! - unqualified[fi * R + r1]!;
      const ds = perUnit[r2 * U + u1]! - (perUnit[r1 * U + u1]! - 1);
      if (better(dq, ds)) {
        move(fi, r1, r2);
        return true;
      }
    }
    return false;
  };
  // Swap file fi of r1 with a file f2 of another reviewer r2. Only partners for whom taking fi is itself a gain
  // (more qualified, or as qualified with fewer files of this unit) are tried: an improving swap is a gain on
  // at least one of its two sides, so one not tried here is found when the partner's assignment is visited.
  const swap = (fi: number, r1: number): boolean => {
    const u1 = unitOf[fi]!;
    const q1 = unqualified[fi * R + r1]!;
    for (const r2 of eligible[fi]!) {
      const q2 = unqualified[fi * R + r2]!;
      if (chosen[fi]!.has(r2) || q2 > q1 || (q2 === q1 && perUnit[r2 * U + u1]! >= perUnit[r1 * U + u1]! - 1)) continue;
      for (const f2 of held[r2]!) {
        if (f2 === fi || chosen[f2]!.has(r1) || allowed[f2 * R + r1] === 0) continue;
        const u2 = unitOf[f2]!;
        const dq = q2 + unqualified[f2 * R + r1]! - q1 - unqualified[f2 * R + r2]!;
        const ds = u1 === u2 ? 0
          : perUnit[r2 * U + u1]! - (perUnit[r1 * U + u1]! - 1) + perUnit[r1 * U + u2]! - (perUnit[r2 * U + u2]! - 1);
        if (better(dq, ds)) {
          move(fi, r1, r2);
          move(f2, r2, r1);
          return true;
        }
      }
    }
    return false;
  };
  for (let pass = 0, changed = true; changed && pass < MAX_POLISH_PASSES; pass++) {
    changed = false;
    for (let fi = 0; fi < F; fi++) {
      for (const r1 of [...chosen[fi]!]) {
        if (!chosen[fi]!.has(r1)) continue;
        if (unqualified[fi * R + r1] === 0 && perUnit[r1 * U + unitOf[fi]!]! < 2) continue; // nothing to gain
        if (handOver(fi, r1) || swap(fi, r1)) changed = true;
      }
    }
  }

  // 4. Output.
  const assignments: NewAssignment[] = [];
  const unassigned: UnassignedFile[] = [];
  let outsideQualification = 0;
  for (let fi = 0; fi < F; fi++) {
    const file = files[fi]!;
    const used = new Set(slotsTaken[fi]!.filter((s): s is number => s !== null));
    const nextFree = () => {
      let s = 1;
      while (used.has(s)) s++;
      used.add(s);
      return s;
    };
    for (const s of slotsTaken[fi]!) if (s === null) nextFree(); // existing ones without a number take the lowest
    for (const ri of [...chosen[fi]!].sort((a, b) => a - b)) {
      assignments.push({ fileId: file.id, reviewerId: reviewers[ri]!.id, slot: nextFree() });
      outsideQualification += unqualified[fi * R + ri]!;
    }
    const missing = need[fi]! - chosen[fi]!.size;
    if (missing > 0) unassigned.push({ fileId: file.id, slotsMissing: missing, reasons: shortageReasons(file, onFile[fi]!, chosen[fi]!.size, missing) });
  }
  assignments.sort((a, b) => a.fileId - b.fileId || a.slot - b.slot);

  const existingProblems: ExistingProblem[] = [];
  for (const e of existing.values()) {
    const fi = fileIndex.get(e.fileId);
    if (fi === undefined) continue;
    const ri = reviewerIndex.get(e.reviewerId);
    const reasons = ri === undefined
      ? ['评查员不在本次活动的评查员库中']
      : rules.breaks(files[fi]!, reviewers[ri]!).map((b) => rules.describe(b, files[fi]!, reviewers[ri]!));
    if (reasons.length > 0) existingProblems.push({ fileId: e.fileId, reviewerId: e.reviewerId, reasons });
  }

  return {
    assignments,
    unassigned,
    loads: reviewers.map((r, ri) => ({ reviewerId: r.id, count: load[ri]! })),
    outsideQualification,
    existingProblems,
  };

  function shortageReasons(file: AssignableFile, already: Set<number>, added: number, missing: number): string[] {
    let same = 0, parent = 0, child = 0, other = 0, handler = 0, conflict = 0, qualification = 0, onIt = 0;
    for (const reviewer of reviewers) {
      if (already.has(reviewer.id)) {
        onIt++;
        continue;
      }
      const first = rules.breaks(file, reviewer)[0];
      if (!first) continue;
      if (first.rule === 'same-unit') same++;
      else if (first.rule === 'parent-unit') parent++;
      else if (first.rule === 'child-unit') child++;
      else if (first.rule === 'other-unit') other++;
      else if (first.rule === 'handler') handler++;
      else if (first.rule === 'conflict') conflict++;
      else qualification++;
    }
    if (reviewers.length === 0) return ['评查员库中没有评查员', `还缺 ${missing} 名评查员`];
    const e = already.size;
    const summary = e === 0
      ? added === 0
        ? `评查员库中没有可评此案卷的人员，还缺 ${missing} 名`
        : `评查员库中只有 ${added} 名可评此案卷的人员，还缺 ${missing} 名`
      : added === 0
        ? `已分配 ${e} 名，评查员库中再没有可评此案卷的人员，还缺 ${missing} 名`
        : `已分配 ${e} 名，评查员库中只有另外 ${added} 名可评此案卷的人员，还缺 ${missing} 名`;
    const reasons = [summary];
    const unitTotal = same + parent + child;
    if (unitTotal > 0) {
      const parts = [[same, '本单位'], [parent, '上级单位'], [child, '下级单位']]
        .filter(([n]) => (n as number) > 0)
        .map(([n, label]) => `${label} ${n} 人`);
      reasons.push(`${unitTotal} 人与案卷单位或其上下级单位同属一家（${parts.join('、')}）`);
    }
    if (other > 0) reasons.push(`${other} 人不属于案卷单位（自查案卷只能由本单位人员评查）`);
    if (handler > 0) reasons.push(`${handler} 人为本案执法人员`);
    if (conflict > 0) reasons.push(`${conflict} 人申报了回避`);
    if (qualification > 0) reasons.push(`${qualification} 人不具备${CASE_TYPE_LABELS[file.caseType]}案卷的评查资格`);
    if (onIt > 0) reasons.push(`${onIt} 人已分配到此案卷`);
    return reasons;
  }
}
