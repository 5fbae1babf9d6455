// Compares two rubric versions, for the administrator's "compare two versions" page: what was added,
// removed or changed, matched by code (item codes are permanent identifiers across versions).
import type { CaseType } from '../vocabulary.ts';
import { canonicalJson } from './canonical.ts';
import { fieldLabel } from './describe.ts';
import type { GradeBand, Rubric, RubricItem, RubricSection, Veto } from './types.ts';

export interface FieldChange {
  /** JSON field name, e.g. "deduction"; "section" when an item moved to another section. */
  field: string;
  /** Chinese label, e.g. 扣分方式. */
  label: string;
  before: unknown;
  after: unknown;
}

export interface Changed<T> {
  code: string;
  before: T;
  after: T;
  changes: FieldChange[];
}

export interface PlacedItem {
  sectionCode: string;
  item: RubricItem;
}

export interface ChangedItem extends Changed<RubricItem> {
  sectionCodeBefore: string;
  sectionCodeAfter: string;
}

export interface Diff<T, C = Changed<T>> {
  added: T[];
  removed: T[];
  changed: C[];
}

export interface RubricComparison {
  from: { id: string; version: string };
  to: { id: string; version: string };
  /** Both versions belong to the same standard (same id). */
  sameStandard: boolean;
  /** No difference at all apart from the version number. */
  identical: boolean;
  /** Changed top-level fields: title, issuer, description, effectiveFrom, effectiveTo, scale, caseTypes. */
  header: FieldChange[];
  caseTypes: { added: CaseType[]; removed: CaseType[] };
  grades: Diff<GradeBand>;
  vetoes: Diff<Veto>;
  /** Section fields only (title, points, note); their items are compared in `items`. */
  sections: Diff<RubricSection>;
  items: Diff<PlacedItem, ChangedItem>;
  /** Chinese one-line summary per area, e.g. "评查项目：新增 2 项，删除 1 项，修改 3 项". */
  summary: string[];
}

const same = (a: unknown, b: unknown): boolean => canonicalJson(a ?? null) === canonicalJson(b ?? null);

function fieldChanges<T extends object>(before: T, after: T, fields: readonly (keyof T & string)[], labelsAt: string): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of fields) {
    const a = before[field];
    const b = after[field];
    if (!same(a ?? null, b ?? null)) changes.push({ field, label: fieldLabel(labelsAt, field) ?? field, before: a ?? null, after: b ?? null });
  }
  return changes;
}

function diffByCode<T extends { code: string }>(before: readonly T[], after: readonly T[], compare: (a: T, b: T) => FieldChange[]): Diff<T> {
  const oldByCode = new Map(before.map((x) => [x.code, x]));
  const newByCode = new Map(after.map((x) => [x.code, x]));
  const changed: Changed<T>[] = [];
  for (const b of after) {
    const a = oldByCode.get(b.code);
    if (!a) continue;
    const changes = compare(a, b);
    if (changes.length > 0) changed.push({ code: b.code, before: a, after: b, changes });
  }
  return {
    added: after.filter((x) => !oldByCode.has(x.code)),
    removed: before.filter((x) => !newByCode.has(x.code)),
    changed,
  };
}

const GRADE_FIELDS = ['label', 'min', 'passing'] as const;
const VETO_FIELDS = ['text', 'effect', 'category', 'issue', 'basis'] as const;
const SECTION_FIELDS = ['title', 'points', 'note'] as const;
const ITEM_FIELDS = ['text', 'deduction', 'cap', 'category', 'issue', 'basis', 'guidance'] as const;
const HEADER_FIELDS = ['title', 'issuer', 'description', 'effectiveFrom', 'effectiveTo', 'scale', 'caseTypes'] as const;

function placedItems(rubric: Rubric): PlacedItem[] {
  return rubric.sections.flatMap((section) => section.items.map((item) => ({ sectionCode: section.code, item })));
}

function countLine(label: string, diff: Diff<unknown, unknown>): string | null {
  const parts: string[] = [];
  if (diff.added.length > 0) parts.push(`新增 ${diff.added.length} 项`);
  if (diff.removed.length > 0) parts.push(`删除 ${diff.removed.length} 项`);
  if (diff.changed.length > 0) parts.push(`修改 ${diff.changed.length} 项`);
  return parts.length > 0 ? `${label}：${parts.join('，')}` : null;
}

/** What changed from rubric a (older) to rubric b (newer). */
export function compareRubrics(a: Rubric, b: Rubric): RubricComparison {
  const header = fieldChanges(
    { ...a, caseTypes: [...a.caseTypes].sort() },
    { ...b, caseTypes: [...b.caseTypes].sort() },
    HEADER_FIELDS,
    '',
  );
  const caseTypes = {
    added: b.caseTypes.filter((t) => !a.caseTypes.includes(t)),
    removed: a.caseTypes.filter((t) => !b.caseTypes.includes(t)),
  };
  const grades = diffByCode(a.grades, b.grades, (x, y) => fieldChanges(x, y, GRADE_FIELDS, '/grades/0'));
  const vetoes = diffByCode(a.vetoes, b.vetoes, (x, y) => fieldChanges(x, y, VETO_FIELDS, '/vetoes/0'));
  const sections = diffByCode(a.sections, b.sections, (x, y) => fieldChanges(x, y, SECTION_FIELDS, '/sections/0'));

  const oldItems = new Map(placedItems(a).map((p) => [p.item.code, p]));
  const newItems = placedItems(b);
  const newCodes = new Set(newItems.map((p) => p.item.code));
  const changedItems: ChangedItem[] = [];
  for (const next of newItems) {
    const prev = oldItems.get(next.item.code);
    if (!prev) continue;
    const changes = fieldChanges(prev.item, next.item, ITEM_FIELDS, '/sections/0/items/0');
    if (prev.sectionCode !== next.sectionCode) {
      changes.unshift({ field: 'section', label: '所属部分', before: prev.sectionCode, after: next.sectionCode });
    }
    if (changes.length > 0) {
      changedItems.push({
        code: next.item.code,
        before: prev.item,
        after: next.item,
        changes,
        sectionCodeBefore: prev.sectionCode,
        sectionCodeAfter: next.sectionCode,
      });
    }
  }
  const items: Diff<PlacedItem, ChangedItem> = {
    added: newItems.filter((p) => !oldItems.has(p.item.code)),
    removed: [...oldItems.values()].filter((p) => !newCodes.has(p.item.code)),
    changed: changedItems,
  };

  // A reordering of grade bands with unchanged contents still changes grading: report it in the header.
  const gradeOrderA = a.grades.map((g) => g.code);
  const gradeOrderB = b.grades.map((g) => g.code);
  if (grades.added.length === 0 && grades.removed.length === 0 && !same(gradeOrderA, gradeOrderB)) {
    header.push({ field: 'grades', label: '等次顺序', before: gradeOrderA, after: gradeOrderB });
  }

  const summary = [
    header.length > 0 ? `基本信息：修改 ${header.map((c) => c.label).join('、')}` : null,
    countLine('等次', grades),
    countLine('否决项', vetoes),
    countLine('评查部分', sections),
    countLine('评查项目', items),
  ].filter((line): line is string => line !== null);

  return {
    from: { id: a.id, version: a.version },
    to: { id: b.id, version: b.version },
    sameStandard: a.id === b.id,
    identical: a.id === b.id && summary.length === 0,
    header,
    caseTypes,
    grades,
    vetoes,
    sections,
    items,
    summary,
  };
}
