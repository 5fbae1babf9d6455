import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareRubrics } from '../../src/domain/rubric/compare.ts';
import type { Rubric } from '../../src/domain/rubric/types.ts';

const base: Rubric = JSON.parse(readFileSync(new URL('../fixtures/rubrics/good/minimal.json', import.meta.url), 'utf8')) as Rubric;
const next = (change: (r: Rubric) => void): Rubric => {
  const r = structuredClone(base);
  r.version = '2027.1';
  change(r);
  return r;
};

describe('comparing two rubric versions', () => {
  it('finds nothing when only the version differs (key order and $schema do not count)', () => {
    const b = next((r) => {
      delete r.$schema;
      r.sections[0]!.items[0] = Object.fromEntries(Object.entries(r.sections[0]!.items[0]!).reverse()) as Rubric['sections'][0]['items'][0];
    });
    const c = compareRubrics(base, b);
    expect(c).toMatchObject({ from: { version: '2026.1' }, to: { version: '2027.1' }, sameStandard: true, identical: true, header: [], summary: [] });
  });

  it('reports items added, removed, changed (with the fields) and moved', () => {
    const b = next((r) => {
      const [s1, s2, s3] = r.sections as [Rubric['sections'][0], Rubric['sections'][0], Rubric['sections'][0]];
      s1.items[0]!.text = '执法人员未出示执法证件';
      s1.items[0]!.cap = 6;
      s2.items[1]!.deduction = { type: 'per_occurrence', points: 1 };
      s2.items[1]!.issue = '金额计算错误';
      s3.items = s3.items.filter((i) => i.code !== 'S3-01');
      s3.items.push({ code: 'S3-03', text: '未制作结案报告', deduction: { type: 'per_occurrence', points: 3 }, category: '执法程序', issue: '未制作结案报告' });
      const moved = s2.items.shift()!; // S2-01 moves to S3
      s3.items.push(moved);
    });
    const c = compareRubrics(base, b);
    expect(c.items.added.map((p) => [p.sectionCode, p.item.code])).toEqual([['S3', 'S3-03']]);
    expect(c.items.removed.map((p) => [p.sectionCode, p.item.code])).toEqual([['S3', 'S3-01']]);
    expect(c.items.changed.map((x) => [x.code, x.changes.map((f) => f.field)])).toEqual([
      ['S1-01', ['text', 'cap']],
      ['S2-02', ['deduction', 'issue']],
      ['S2-01', ['section']],
    ]);
    const cap = c.items.changed[0]!.changes[1]!;
    expect(cap).toEqual({ field: 'cap', label: '扣分上限', before: 4, after: 6 });
    expect(c.items.changed[2]).toMatchObject({ sectionCodeBefore: 'S2', sectionCodeAfter: 'S3', changes: [{ label: '所属部分', before: 'S2', after: 'S3' }] });
    expect(c.summary).toEqual(['评查项目：新增 1 项，删除 1 项，修改 3 项']);
    expect(c.identical).toBe(false);
  });

  it('reports vetoes, sections, grade bands, scale and case types', () => {
    const b = next((r) => {
      r.vetoes[1]!.effect = 'zero';
      r.vetoes.pop();
      r.vetoes.push({ code: 'V04', text: '超过行政处罚追责时效', effect: 'fail', category: '法律适用', issue: '超过追责时效作出处罚' });
      r.sections[1]!.points = 25;
      r.sections[2]!.points = 65;
      r.sections[2]!.title = '执法程序与送达';
      r.grades[2]!.min = 70;
      r.grades.splice(1, 1);
      r.caseTypes = ['penalty', 'coercion'];
      r.effectiveTo = '2027-12-31';
    });
    const c = compareRubrics(base, b);
    expect(c.vetoes.added.map((v) => v.code)).toEqual(['V04']);
    expect(c.vetoes.removed.map((v) => v.code)).toEqual(['V03']);
    expect(c.vetoes.changed).toMatchObject([{ code: 'V02', changes: [{ field: 'effect', label: '否决效果', before: 'fail', after: 'zero' }] }]);
    expect(c.sections.changed.map((s) => [s.code, s.changes.map((f) => f.field)])).toEqual([['S2', ['points']], ['S3', ['title', 'points']]]);
    expect(c.grades.removed.map((g) => g.code)).toEqual(['good']);
    expect(c.grades.changed).toMatchObject([{ code: 'pass', changes: [{ field: 'min', before: 60, after: 70 }] }]);
    expect(c.caseTypes).toEqual({ added: ['coercion'], removed: [] });
    expect(c.header.map((h) => h.field)).toEqual(['effectiveTo', 'caseTypes']);
    expect(c.header[0]).toEqual({ field: 'effectiveTo', label: '失效日期', before: null, after: '2027-12-31' });
    expect(c.summary).toEqual([
      '基本信息：修改 失效日期、适用案卷类型',
      '等次：删除 1 项，修改 1 项',
      '否决项：新增 1 项，删除 1 项，修改 1 项',
      '评查部分：修改 2 项',
    ]);
  });

  it('does not count the order of case types, but does count reordered grade bands and a new scale', () => {
    const a = next((r) => { r.caseTypes = ['penalty', 'license']; });
    const b = next((r) => {
      r.caseTypes = ['license', 'penalty'];
      r.scale = 1000;
      [r.grades[1], r.grades[2]] = [r.grades[2]!, r.grades[1]!];
    });
    const c = compareRubrics(a, b);
    expect(c.header.map((h) => [h.field, h.label])).toEqual([['scale', '总分'], ['grades', '等次顺序']]);
    expect(c.caseTypes).toEqual({ added: [], removed: [] });
  });

  it('says when two files are different standards', () => {
    const c = compareRubrics(base, next((r) => { r.id = 'license-general'; }));
    expect(c).toMatchObject({ sameStandard: false, identical: false });
  });
});
