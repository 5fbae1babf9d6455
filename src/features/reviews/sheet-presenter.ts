// Score sheet (一卷一表) pages shaped for the templates: the reviewer's form (rubric sections and items with the
// values on the page, an error beside each control, the score summary) and the printable sheet. No rules here:
// points come from the scoring engine (scoreSheet), field names from sheetField.
import type { CampaignRow } from '../../db/schema.ts';
import type { FieldProblem } from '../../domain/errors.ts';
import {
  DOCUMENT_MAX, OTHER_MAX, OTHER_NOTE_MAX, PAGE_MAX, readSheet, scoreSheet, sheetField, sheetInputFromForm, type SheetContent,
} from '../../domain/review-sheet.ts';
import { formatTenths, tenthsOf } from '../../domain/rubric/points.ts';
import type { ReviewScore } from '../../domain/rubric/scoring.ts';
import type { Rubric } from '../../domain/rubric/types.ts';
import { CASE_TYPE_LABELS, type CaseType } from '../../domain/vocabulary.ts';
import { formatDateTime } from '../../web/format.ts';
import { byField, text } from '../../web/form.ts';
import { scoreSheet as officialSheet } from '../rubrics/presenter.ts';
import type { FileRow, SheetKind, SheetRow } from './queries.ts';
import { SHEET_KIND_LABELS, type SheetAccess } from './service.ts';

export const sheetUrl = (campaignId: number, fileId: number): string => `/campaigns/${campaignId}/files/${fileId}/sheet`;
export const printUrl = (campaignId: number, fileId: number, reviewId: number): string => `/campaigns/${campaignId}/files/${fileId}/sheets/${reviewId}/print`;
export const resultUrl = (campaignId: number, fileId: number): string => `/campaigns/${campaignId}/files/${fileId}/result`;

/** An element id for a form field name ("count.S1-01" → "f-count-S1-01"), so error links can point at controls. */
export const fieldId = (name: string): string => `f-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;

/** Every field name the sheet form has for this rubric. */
function fieldNames(rubric: Rubric): string[] {
  const names: string[] = ['opinion'];
  for (const section of rubric.sections) {
    for (const item of section.items) {
      names.push(item.deduction.type === 'per_occurrence' ? sheetField.count(item.code) : sheetField.points(item.code));
      names.push(sheetField.note(item.code), sheetField.document(item.code), sheetField.page(item.code));
    }
  }
  for (const v of rubric.vetoes) names.push(sheetField.veto(v.code), sheetField.vetoNote(v.code), sheetField.vetoDocument(v.code), sheetField.vetoPage(v.code));
  for (let n = 0; n < OTHER_MAX; n++) names.push(sheetField.otherNote(n), sheetField.otherDocument(n), sheetField.otherPage(n));
  return names;
}

/** What the user typed, to put back into the controls when a save is refused (nothing is lost). */
export function typedValues(rubric: Rubric, body: unknown): Record<string, string> {
  const values: Record<string, string> = {};
  for (const name of fieldNames(rubric)) {
    const v = text(body, name);
    if (v !== '') values[name] = v;
  }
  return values;
}

/** The score of what the page shows: the typed values when they read as a valid sheet, otherwise null. */
export function scoreOfTyped(rubric: Rubric, body: Record<string, unknown>): ReviewScore | null {
  const read = readSheet(rubric, sheetInputFromForm(rubric, body));
  return read.ok ? scoreSheet(rubric, read.content) : null;
}

const EMPTY: SheetContent = { deductions: [], vetoes: [], others: [], opinion: '' };

/** JSON for a <script type="application/json"> block: <, >, & and line separators escaped so it cannot end the element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The rubric in integer tenths, for public/js/score-sheet.js (which mirrors scoreReview). */
export function rubricForScript(rubric: Rubric): string {
  return scriptJson({
    scale: tenthsOf(rubric.scale),
    grades: rubric.grades.map((g) => ({ code: g.code, label: g.label, min: tenthsOf(g.min), passing: g.passing })),
    vetoes: rubric.vetoes.map((v) => ({ code: v.code, effect: v.effect })),
    sections: rubric.sections.map((s) => ({
      code: s.code,
      points: tenthsOf(s.points),
      items: s.items.map((i) => ({
        code: i.code,
        type: i.deduction.type,
        points: i.deduction.type === 'per_occurrence' ? tenthsOf(i.deduction.points) : null,
        min: i.deduction.type === 'range' ? tenthsOf(i.deduction.min) : null,
        max: i.deduction.type === 'range' ? tenthsOf(i.deduction.max) : null,
        cap: i.cap === undefined ? null : tenthsOf(i.cap),
      })),
    })),
  });
}

/** The particulars of a case file as label/value pairs, in the order of the official sheet. */
export function particulars(file: FileRow): { label: string; value: string }[] {
  return [
    { label: '执法单位', value: file.unit_name },
    { label: '案卷编号', value: file.file_number },
    { label: '案卷类型', value: CASE_TYPE_LABELS[file.case_type as CaseType] ?? file.case_type },
    { label: '执法门类', value: file.field ?? '' },
    { label: '案由', value: file.cause ?? '' },
    { label: '当事人', value: file.party ?? '' },
    { label: '执法人员', value: file.handlers ?? '' },
    { label: '结案日期', value: file.closed_on ?? '' },
    { label: '页数', value: file.pages === null || file.pages === undefined ? '' : String(file.pages) },
    { label: '是否重大', value: file.is_major ? '是' : '否' },
  ];
}

/** Pairs of particulars per table row (two label/value columns, like the official sheet). */
const inRows = <T>(list: T[], size = 2): T[][] => {
  const rows: T[][] = [];
  for (let i = 0; i < list.length; i += size) rows.push(list.slice(i, i + size));
  return rows;
};

function summary(score: ReviewScore) {
  return {
    deducted: score.deducted,
    total: score.total,
    scale: score.scale,
    grade: score.grade.label,
    passing: score.grade.passing,
    pointsScore: formatTenths(score.pointsScoreTenths),
    vetoChanged: score.decidingVeto !== null,
    decidingVeto: score.decidingVeto ?? '',
    reasons: score.reasons,
  };
}

export interface SheetPageParams {
  access: SheetAccess;
  /** What the controls show: the stored sheet (formValues) or what the user typed. */
  values: Record<string, string>;
  confirmClean: boolean;
  /** The revision the form carries back: the one the page was loaded with. */
  revision: number;
  problems: readonly FieldProblem[];
  /** The stored sheet's content, or null when nothing has been saved yet. */
  stored: SheetContent | null;
  /** The score of what the controls show, when it can be computed; otherwise the stored score is shown. */
  shownScore: ReviewScore | null;
  /** A refusal to show prominently above the form. */
  alert: { kind: 'stale' | 'conflict' | 'locked' | 'invalid'; message: string } | null;
}

/** The reviewer's own sheet: the editable form, or the same read-only when it can no longer change. */
export function sheetPage(p: SheetPageParams) {
  const { access } = p;
  const { rubric, file, campaign, sheet } = access;
  const alert = p.alert;
  const official = officialSheet(rubric);
  const errors = byField(p.problems);
  const saved = p.stored ? scoreSheet(rubric, p.stored) : null;
  const shown = p.shownScore ?? saved ?? scoreSheet(rubric, EMPTY);
  const shownBasis = p.shownScore ? 'typed' : saved ? 'saved' : 'blank';
  const scoredItems = new Map(shown.items.map((i) => [i.code, i]));
  const field = (name: string) => ({ name, id: fieldId(name), value: p.values[name] ?? '', error: errors[name] ?? '' });
  const knownFields = new Set(fieldNames(rubric));
  knownFields.add('confirmClean');
  const fileId = file.id;

  return {
    title: `${SHEET_KIND_LABELS[access.kind]} - ${file.file_number}`,
    pageScript: '/assets/js/score-sheet.js',
    kindLabel: SHEET_KIND_LABELS[access.kind],
    isRecheck: access.kind === 'recheck',
    campaign: { id: campaign.id, name: campaign.name },
    file: { id: fileId, number: file.file_number, unit: file.unit_name },
    particularRows: inRows(particulars(file)),
    rubric: { title: rubric.title, version: rubric.version, id: rubric.id, scale: official.scale, grades: official.grades },
    rubricJson: rubricForScript(rubric),
    urls: {
      action: sheetUrl(campaign.id, fileId),
      reload: sheetUrl(campaign.id, fileId),
      print: sheet ? printUrl(campaign.id, fileId, sheet.id) : null,
      result: resultUrl(campaign.id, fileId),
      queue: '/queue',
    },
    status: sheet ? (sheet.status === 'submitted' ? 'submitted' : 'draft') : 'new',
    statusLabel: !sheet ? '未填写' : sheet.status === 'submitted' ? '已提交' : `草稿（已保存 ${sheet.revision} 次）`,
    submittedAt: sheet?.submitted_at ? formatDateTime(sheet.submitted_at) : '',
    updatedAt: sheet ? formatDateTime(sheet.updated_at) : '',
    writable: access.writable,
    lockedReason: access.lockedReason ?? '',
    revision: p.revision,
    alert,
    problems: p.problems.map((q) => ({ message: q.message, href: knownFields.has(q.field) ? `#${fieldId(q.field)}` : '' })),
    problemCount: p.problems.length,
    vetoes: official.vetoes.map((v) => {
      const checkbox = field(sheetField.veto(v.code));
      return {
        code: v.code, number: v.number, text: v.text, effect: v.effect, effectLabel: v.effectLabel, basis: v.basis ?? '',
        checkbox, checked: checkbox.value === '1',
        note: field(sheetField.vetoNote(v.code)),
        document: field(sheetField.vetoDocument(v.code)),
        page: field(sheetField.vetoPage(v.code)),
      };
    }),
    sections: official.sections.map((s, index) => {
      const scored = shown.sections[index]!;
      return {
        code: s.code, heading: s.heading, points: s.points, note: s.note,
        deducted: scored.deducted, subtotal: scored.subtotal, exhausted: scored.capped,
        items: s.items.map((item) => {
          const perOccurrence = item.deduction.type === 'per_occurrence';
          const control = field(perOccurrence ? sheetField.count(item.code) : sheetField.points(item.code));
          const scoredItem = scoredItems.get(item.code);
          const note = field(sheetField.note(item.code));
          const document = field(sheetField.document(item.code));
          const page = field(sheetField.page(item.code));
          return {
            code: item.code, number: item.number, text: item.text, rule: item.rule,
            guidance: item.guidance ?? '', basis: item.basis ?? '',
            perOccurrence,
            control: {
              ...control,
              label: perOccurrence ? '次数' : '扣分',
              unit: perOccurrence ? '次' : '分',
              min: perOccurrence ? '0' : formatTenths(tenthsOf(item.deduction.type === 'range' ? item.deduction.min : 0)),
              max: perOccurrence ? '999' : formatTenths(tenthsOf(item.deduction.type === 'range' ? item.deduction.max : 0)),
              step: perOccurrence ? '1' : '0.1',
            },
            note, document, page,
            hasError: Boolean(control.error || note.error || document.error || page.error),
            marked: Boolean(scoredItem),
            deducted: scoredItem ? scoredItem.deducted : '',
            capped: scoredItem?.capped ?? false,
          };
        }),
      };
    }),
    // 其他问题: OTHER_MAX rows to type into; a locked sheet shows only the rows it recorded.
    others: Array.from({ length: OTHER_MAX }, (_, n) => {
      const note = field(sheetField.otherNote(n));
      const document = field(sheetField.otherDocument(n));
      const page = field(sheetField.otherPage(n));
      return {
        number: n + 1, note, document, page,
        filled: Boolean(note.value || document.value || page.value),
        hasError: Boolean(note.error || document.error || page.error),
      };
    }).filter((row) => access.writable || row.filled || row.hasError),
    otherLimits: { count: OTHER_MAX, note: OTHER_NOTE_MAX, document: DOCUMENT_MAX, page: PAGE_MAX },
    opinion: field('opinion'),
    confirmClean: { checked: p.confirmClean, error: errors.confirmClean ?? '', id: fieldId('confirmClean') },
    shown: summary(shown),
    shownBasis,
    saved: saved ? summary(saved) : null,
    savedRevision: sheet?.revision ?? 0,
    submitConfirm: `提交后本表即锁定，不能再修改或撤回。${access.kind === 'recheck' ? '复核评查表提交后即形成本卷最后得分。' : ''}确定提交吗？`,
  };
}

export interface PrintParams {
  campaign: CampaignRow;
  file: FileRow;
  sheet: SheetRow;
  rubric: Rubric;
  content: SheetContent;
  /** The signed-in viewer: an author looking at their own draft gets a link back to the form. */
  viewerId: number;
}

/** The printable A4 sheet: what was deducted and where, vetoes, subtotals, total, grade, reasons and signatures. */
export function printPage(p: PrintParams) {
  const { rubric, content, sheet, file, campaign } = p;
  const official = officialSheet(rubric);
  const score = scoreSheet(rubric, content);
  const kind = sheet.kind as SheetKind;
  const scoredItems = new Map(score.items.map((i) => [i.code, i]));
  const deductions = new Map(content.deductions.map((d) => [d.itemCode, d]));
  const vetoes = new Map(content.vetoes.map((v) => [v.code, v]));
  const isDraft = sheet.status !== 'submitted';
  const location = (document: string, page: string): string => [document, page ? `第 ${page} 页` : ''].filter(Boolean).join(' ');
  return {
    title: `${SHEET_KIND_LABELS[kind]}（打印） - ${file.file_number}`,
    kindLabel: SHEET_KIND_LABELS[kind],
    isRecheck: kind === 'recheck',
    isDraft,
    campaignName: campaign.name,
    rubric: { title: rubric.title, version: rubric.version, scale: official.scale, grades: official.grades },
    particularRows: inRows(particulars(file)),
    reviewer: { name: sheet.reviewer_name, unit: sheet.reviewer_unit },
    submittedAt: sheet.submitted_at ? formatDateTime(sheet.submitted_at) : '',
    updatedAt: formatDateTime(sheet.updated_at),
    ownDraft: isDraft && sheet.reviewer_id === p.viewerId,
    urls: { sheet: sheetUrl(campaign.id, file.id), result: resultUrl(campaign.id, file.id) },
    ownSheet: sheet.reviewer_id === p.viewerId,
    vetoes: official.vetoes.map((v) => {
      const marked = vetoes.get(v.code);
      return {
        code: v.code, number: v.number, text: v.text, effectLabel: v.effectLabel,
        marked: Boolean(marked), note: marked?.note ?? '', location: marked ? location(marked.document, marked.page) : '',
        deciding: score.decidingVeto === v.code,
      };
    }),
    markedVetoCount: content.vetoes.length,
    sections: official.sections.map((s, index) => {
      const scored = score.sections[index]!;
      return {
        heading: s.heading, points: s.points, deducted: scored.deducted, subtotal: scored.subtotal, exhausted: scored.capped,
        raw: formatTenths(scored.rawTenths),
        items: s.items.map((item) => {
          const d = deductions.get(item.code);
          const scoredItem = scoredItems.get(item.code);
          let mark = '';
          if (d && d.count !== null) mark = `${d.count} 处`;
          else if (d && d.pointsTenths !== null) mark = `扣 ${formatTenths(d.pointsTenths)} 分`;
          return {
            code: item.code, number: item.number, text: item.text, rule: item.rule,
            marked: Boolean(d), mark,
            deducted: scoredItem?.deducted ?? '',
            capped: scoredItem?.capped ?? false,
            raw: scoredItem?.raw ?? '',
            note: d?.note ?? '', location: d ? location(d.document, d.page) : '',
          };
        }),
      };
    }),
    deductionCount: content.deductions.length,
    // 其他问题 carry no points: listed as recorded, nothing when there are none.
    others: content.others.map((o, n) => ({ number: n + 1, note: o.note, location: location(o.document, o.page) })),
    result: summary(score),
    opinion: content.opinion,
  };
}
