// A stored rubric version shaped for the printable official score sheet (评分表) and the list page.
import { chineseNumeral } from '../../domain/rubric/describe.ts';
import { formatPoints } from '../../domain/rubric/points.ts';
import { VETO_EFFECT_LABELS, type Deduction, type Rubric } from '../../domain/rubric/types.ts';
import { CASE_TYPE_LABELS, type CaseType } from '../../domain/vocabulary.ts';

export function deductionText(deduction: Deduction, cap?: number): string {
  const rule = deduction.type === 'per_occurrence'
    ? `每处扣 ${formatPoints(deduction.points)} 分`
    : `视情形扣 ${formatPoints(deduction.min)}–${formatPoints(deduction.max)} 分`;
  return cap === undefined ? rule : `${rule}，本项最多扣 ${formatPoints(cap)} 分`;
}

export const caseTypeNames = (codes: readonly string[]): string =>
  codes.map((c) => CASE_TYPE_LABELS[c as CaseType] ?? c).join('、');

export function scoreSheet(rubric: Rubric) {
  let itemNumber = 0;
  return {
    title: rubric.title,
    id: rubric.id,
    version: rubric.version,
    issuer: rubric.issuer ?? '',
    description: rubric.description ?? '',
    caseTypes: caseTypeNames(rubric.caseTypes),
    effectiveFrom: rubric.effectiveFrom,
    effectiveTo: rubric.effectiveTo ?? '',
    scale: formatPoints(rubric.scale),
    itemCount: rubric.sections.reduce((n, s) => n + s.items.length, 0),
    grades: rubric.grades.map((g, i) => ({
      label: g.label,
      passing: g.passing,
      range: i === 0 ? `${formatPoints(g.min)} 分及以上` : `${formatPoints(g.min)} 分至不满 ${formatPoints(rubric.grades[i - 1]!.min)} 分`,
    })),
    vetoes: rubric.vetoes.map((v, i) => ({ ...v, number: i + 1, effectLabel: VETO_EFFECT_LABELS[v.effect] })),
    sections: rubric.sections.map((s, i) => ({
      code: s.code,
      heading: `${chineseNumeral(i + 1)}、${s.title}`,
      points: formatPoints(s.points),
      note: s.note ?? '',
      items: s.items.map((item) => ({
        ...item,
        number: ++itemNumber,
        rule: deductionText(item.deduction, item.cap),
      })),
    })),
  };
}
