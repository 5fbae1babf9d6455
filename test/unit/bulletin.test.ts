// The bulletin's summary paragraph (通报), written exactly as the reports word it, for each campaign kind, with
// zeros left out and rectification only once notices exist.
import { describe, expect, it } from 'vitest';
import { bulletinParagraph, bulletinTitle, documentDate, type BulletinFacts } from '../../src/domain/bulletin.ts';

const GRADES = (excellent: number, good: number, pass: number, fail: number) => [
  { label: '优秀', count: excellent }, { label: '良好', count: good }, { label: '合格', count: pass }, { label: '不合格', count: fail },
];

// A region like Mudanjiang 2022: 24 units, 198 files cross-reviewed, 35 common and 53 individual issues, 26 measures.
const region: BulletinFacts = {
  kind: 'cross', unitName: null, unitCount: 24, files: 198,
  byCaseType: [{ label: '行政处罚', count: 150 }, { label: '行政许可', count: 40 }, { label: '行政检查', count: 8 }, { label: '行政强制', count: 0 }],
  grades: GRADES(61, 90, 39, 8), passRate: '96.0%',
  commonIssues: 35, individualIssues: 53, rectification: { notices: 24, verifiedMeasures: 26 },
};

describe('bulletin paragraph', () => {
  it('reads like the reports for a cross review of a region', () => {
    expect(bulletinParagraph(region)).toBe(
      '组织 24 个单位开展交叉评查，累计评查案卷 198 件，其中行政处罚 150 件、行政许可 40 件、行政检查 8 件；' +
      '评查结果为优秀 61 件、良好 90 件、合格 39 件、不合格 8 件，合格率 96.0%；发现共性问题 35 个、个性问题 53 个，落实整改措施 26 项。',
    );
  });

  it('a self-check with one case type, grades without files left out, no notices yet', () => {
    expect(bulletinParagraph({
      ...region, kind: 'self', unitCount: 3, files: 4, byCaseType: [{ label: '行政处罚', count: 4 }], grades: GRADES(0, 3, 1, 0), passRate: '100.0%',
      commonIssues: 0, individualIssues: 2, rectification: null,
    })).toBe('组织 3 个单位开展自查，累计评查案卷 4 件，均为行政处罚案卷；评查结果为良好 3 件、合格 1 件，合格率 100.0%；发现个性问题 2 个。');
  });

  it('a spot check with notices issued but no measure verified yet', () => {
    expect(bulletinParagraph({
      ...region, kind: 'spot', unitCount: 5, files: 10, byCaseType: [{ label: '行政许可', count: 6 }, { label: '行政处罚', count: 4 }],
      grades: GRADES(2, 5, 2, 1), passRate: '90.0%', commonIssues: 1, individualIssues: 0, rectification: { notices: 2, verifiedMeasures: 0 },
    })).toBe('对 5 个单位开展抽查，累计评查案卷 10 件，其中行政许可 6 件、行政处罚 4 件；评查结果为优秀 2 件、良好 5 件、合格 2 件、不合格 1 件，合格率 90.0%；'
      + '发现共性问题 1 个，已下发整改通知书 2 份，整改正在进行。');
  });

  it('a special review without any final result says so and stops', () => {
    expect(bulletinParagraph({
      ...region, kind: 'special', unitCount: 2, files: 0, byCaseType: [], grades: GRADES(0, 0, 0, 0), passRate: '—',
      commonIssues: 0, individualIssues: 0, rectification: null,
    })).toBe('组织 2 个单位开展专项评查，目前尚无案卷形成最后得分。');
  });

  it('no issue found, and rectification with no notice (null or none issued) left out', () => {
    const clean = { ...region, files: 3, byCaseType: [{ label: '行政检查', count: 3 }], grades: GRADES(3, 0, 0, 0), passRate: '100.0%', commonIssues: 0, individualIssues: 0 };
    const expected = '组织 24 个单位开展交叉评查，累计评查案卷 3 件，均为行政检查案卷；评查结果为优秀 3 件，合格率 100.0%；未发现问题。';
    expect(bulletinParagraph({ ...clean, rectification: null })).toBe(expected);
    expect(bulletinParagraph({ ...clean, rectification: { notices: 0, verifiedMeasures: 0 } })).toBe(expected);
  });

  it('a unit’s own copy opens with the unit, for every kind', () => {
    const unit = {
      ...region, unitName: '东安区市场监督管理局', files: 2, byCaseType: [{ label: '行政处罚', count: 2 }], grades: GRADES(0, 0, 2, 0), passRate: '100.0%',
      commonIssues: 1, individualIssues: 1, rectification: { notices: 1, verifiedMeasures: 2 },
    };
    const rest = '，评查案卷 2 件，均为行政处罚案卷；评查结果为合格 2 件，合格率 100.0%；发现共性问题 1 个、个性问题 1 个，落实整改措施 2 项。';
    expect(bulletinParagraph({ ...unit, kind: 'cross' })).toBe(`东安区市场监督管理局参加交叉评查${rest}`);
    expect(bulletinParagraph({ ...unit, kind: 'self' })).toBe(`东安区市场监督管理局开展自查${rest}`);
    expect(bulletinParagraph({ ...unit, kind: 'spot' })).toBe(`东安区市场监督管理局接受抽查${rest}`);
    expect(bulletinParagraph({ ...unit, kind: 'special' })).toBe(`东安区市场监督管理局参加专项评查${rest}`);
    expect(bulletinParagraph({ ...unit, files: 0 })).toBe('东安区市场监督管理局参加交叉评查，目前尚无案卷形成最后得分。');
  });
});

describe('bulletin title and date', () => {
  it('titles the bulletin after the campaign and dates it like an official document', () => {
    expect(bulletinTitle('2026年度行政执法案卷交叉评查')).toBe('关于2026年度行政执法案卷交叉评查情况的通报');
    expect(documentDate('2026-03-05')).toBe('2026年3月5日');
    expect(documentDate('2026-11-23')).toBe('2026年11月23日');
    expect(documentDate('不是日期')).toBe('不是日期');
  });
});
