// The bulletin's summary paragraph (通报), written from a campaign's figures in the style of the bureaus' reports:
// "组织 X 个单位开展交叉评查，累计评查案卷 N 件，其中行政处罚 a 件、行政许可 b 件；评查结果为优秀 A 件、良好 G 件、合格 B 件、
// 不合格 C 件，合格率 P%；发现共性问题 M 个、个性问题 K 个，落实整改措施 R 项。" Pure: the caller gathers the figures.
//
// Wording rules:
// - the opening names the campaign kind: 组织 X 个单位开展交叉评查 / 开展自查 / 开展专项评查, 对 X 个单位开展抽查; a bulletin
//   for one unit (a department's copy) opens with the unit instead: 东安区市场监督管理局参加交叉评查 …;
// - case types and grades with no file are left out; one case type only reads "均为行政处罚案卷";
// - the pass rate follows the grades; with no final result yet the paragraph says so and stops there;
// - issues: both kinds, one kind, or "未发现问题";
// - rectification only once notices were issued: "落实整改措施 R 项" counts verified measures; none verified yet
//   reads "已下发整改通知书 n 份，整改正在进行".
import type { CampaignKind } from './campaigns.ts';

export interface BulletinCount {
  label: string;
  count: number;
}

export interface BulletinFacts {
  kind: CampaignKind;
  /** The unit the bulletin is narrowed to (a department's copy), or null for the whole campaign. */
  unitName: string | null;
  /** Units taking part in the campaign. */
  unitCount: number;
  /** Files with a final result. */
  files: number;
  /** Files per case type, in the order to name them. */
  byCaseType: readonly BulletinCount[];
  /** Files per grade, best first (the rubric's bands). */
  grades: readonly BulletinCount[];
  /** The pass rate as shown ("87.5%"). */
  passRate: string;
  commonIssues: number;
  individualIssues: number;
  /** Rectification: notices issued and verified measures; null when no notice has been issued. */
  rectification: { notices: number; verifiedMeasures: number } | null;
}

const OPENING: Record<CampaignKind, (units: number) => string> = {
  cross: (n) => `组织 ${n} 个单位开展交叉评查`,
  self: (n) => `组织 ${n} 个单位开展自查`,
  spot: (n) => `对 ${n} 个单位开展抽查`,
  special: (n) => `组织 ${n} 个单位开展专项评查`,
};

const UNIT_OPENING: Record<CampaignKind, (unit: string) => string> = {
  cross: (u) => `${u}参加交叉评查`,
  self: (u) => `${u}开展自查`,
  spot: (u) => `${u}接受抽查`,
  special: (u) => `${u}参加专项评查`,
};

const counted = (items: readonly BulletinCount[]): string => items.filter((i) => i.count > 0).map((i) => `${i.label} ${i.count} 件`).join('、');

export function bulletinParagraph(f: BulletinFacts): string {
  const whole = f.unitName === null;
  const opening = whole ? OPENING[f.kind](f.unitCount) : UNIT_OPENING[f.kind](f.unitName!);
  if (f.files === 0) return `${opening}，目前尚无案卷形成最后得分。`;

  const types = f.byCaseType.filter((t) => t.count > 0);
  const files = `${whole ? '累计评查案卷' : '评查案卷'} ${f.files} 件`
    + (types.length === 1 ? `，均为${types[0]!.label}案卷` : types.length > 1 ? `，其中${counted(types)}` : '');
  const results = `评查结果为${counted(f.grades)}，合格率 ${f.passRate}`;

  const issues = f.commonIssues > 0 && f.individualIssues > 0 ? `发现共性问题 ${f.commonIssues} 个、个性问题 ${f.individualIssues} 个`
    : f.commonIssues > 0 ? `发现共性问题 ${f.commonIssues} 个`
      : f.individualIssues > 0 ? `发现个性问题 ${f.individualIssues} 个`
        : '未发现问题';
  const r = f.rectification;
  const rectification = r === null || r.notices === 0 ? ''
    : r.verifiedMeasures > 0 ? `，落实整改措施 ${r.verifiedMeasures} 项`
      : `，已下发整改通知书 ${r.notices} 份，整改正在进行`;

  return `${opening}，${files}；${results}；${issues}${rectification}。`;
}

/** The bulletin's title: 关于<campaign name>情况的通报. */
export const bulletinTitle = (campaignName: string): string => `关于${campaignName}情况的通报`;

/** A case-world date (YYYY-MM-DD) the way an official document dates itself: 2026年11月23日. */
export function documentDate(date: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : date;
}
