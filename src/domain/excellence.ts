// Excellent files (优秀案卷评选): units nominate files within a per-unit limit, the bureau spot-checks a nomination
// by scoring it again with the rubric (it must reach the top band), selects among the eligible ones with an
// optional tier, and recommends some upward. Pure: states, who may move them, and the counts the reports quote
// ("各单位推荐优秀案卷 N 件……评选出优秀行政处罚案卷 15 件、优秀行政许可案卷 5 件，向上级推荐 5 件").
import type { FieldProblem } from './errors.ts';
import { CASE_TYPE_LABELS, type CaseType } from './vocabulary.ts';

export const NOMINATION_STATUSES = ['nominated', 'eligible', 'ineligible', 'selected', 'withdrawn'] as const;
export type NominationStatus = (typeof NOMINATION_STATUSES)[number];
export const NOMINATION_STATUS_LABELS: Record<NominationStatus, string> = {
  nominated: '已推荐，待抽查',
  eligible: '抽查达标',
  ineligible: '抽查未达标',
  selected: '评为优秀',
  withdrawn: '已撤回',
};

export const TIER_MAX = 20;
export const NOMINATION_REASON_MAX = 500;

export interface NominationRequest {
  campaignStatus: string;
  actorUnitId: number;
  fileUnitId: number;
  /** The unit's nominations still standing (not withdrawn) in this campaign. */
  standing: number;
  limit: number;
  alreadyNominated: boolean;
  reason: string;
}

/** Why a unit may not nominate this file now; empty when it may. */
export function nominationProblems(r: NominationRequest): FieldProblem[] {
  if (r.fileUnitId !== r.actorUnitId) return [{ field: 'file', message: '只能推荐本单位的案卷' }];
  if (r.campaignStatus === 'draft' || r.campaignStatus === 'closed') return [{ field: 'file', message: '活动筹备中或已结束，不能推荐优秀案卷' }];
  const problems: FieldProblem[] = [];
  if (r.alreadyNominated) problems.push({ field: 'file', message: '该案卷已经推荐过' });
  else if (r.standing >= r.limit) problems.push({ field: 'file', message: `本单位已推荐 ${r.standing} 件，达到每单位 ${r.limit} 件的上限；如需更换，请先撤回一件` });
  const reason = r.reason.trim();
  if (reason === '') problems.push({ field: 'reason', message: '请简要写明推荐理由' });
  else if (reason.length > NOMINATION_REASON_MAX) problems.push({ field: 'reason', message: `推荐理由不超过 ${NOMINATION_REASON_MAX} 个字` });
  return problems;
}

export type ExcellenceAction = 'withdraw' | 'spotCheck' | 'select' | 'unselect' | 'recommend' | 'unrecommend';

const FROM: Record<ExcellenceAction, readonly NominationStatus[]> = {
  withdraw: ['nominated'],
  spotCheck: ['nominated', 'eligible', 'ineligible'],
  select: ['eligible'],
  unselect: ['selected'],
  recommend: ['selected'],
  unrecommend: ['selected'],
};
const ACTION_LABELS: Record<ExcellenceAction, string> = {
  withdraw: '撤回', spotCheck: '抽查评分', select: '评为优秀', unselect: '取消评选', recommend: '向上级推荐', unrecommend: '取消推荐',
};

/** Why a nomination in this state cannot take this step; null when it can. */
export function excellenceMoveProblem(status: NominationStatus, action: ExcellenceAction, recommended = false): string | null {
  if (!FROM[action].includes(status)) {
    if (action === 'select' && (status === 'nominated' || status === 'ineligible')) return '须经抽查评分达到最高等次后才能评为优秀';
    return `该推荐${NOMINATION_STATUS_LABELS[status]}，不能${ACTION_LABELS[action]}`;
  }
  if (action === 'recommend' && recommended) return '该案卷已向上级推荐';
  if (action === 'unrecommend' && !recommended) return '该案卷尚未向上级推荐';
  if (action === 'unselect' && recommended) return '已向上级推荐的案卷须先取消推荐';
  return null;
}

/** A spot-check score decides eligibility: the file must reach the rubric's top grade band. */
export const spotCheckStatus = (gradeCode: string, topGradeCode: string): NominationStatus => (gradeCode === topGradeCode ? 'eligible' : 'ineligible');

export function tierProblem(tier: string): string | null {
  const t = tier.trim();
  if (t.length > TIER_MAX) return `等级名称不超过 ${TIER_MAX} 个字`;
  return null;
}

export interface NominationRow {
  caseType: CaseType;
  status: NominationStatus;
  spotChecked: boolean;
  recommended: boolean;
}

export interface ExcellenceCounts {
  nominated: number;
  spotChecked: number;
  eligible: number;
  selected: number;
  selectedByCaseType: { caseType: CaseType; label: string; count: number }[];
  recommended: number;
  sentence: string;
}

/** The figures as the reports state them; withdrawn nominations do not count. */
export function excellenceCounts(rows: readonly NominationRow[]): ExcellenceCounts {
  const standing = rows.filter((r) => r.status !== 'withdrawn');
  const selected = standing.filter((r) => r.status === 'selected');
  const types = [...new Set(selected.map((r) => r.caseType))];
  const selectedByCaseType = types.map((caseType) => ({ caseType, label: CASE_TYPE_LABELS[caseType] ?? caseType, count: selected.filter((r) => r.caseType === caseType).length }))
    .sort((a, b) => b.count - a.count || a.caseType.localeCompare(b.caseType));
  const recommended = selected.filter((r) => r.recommended).length;
  const spotChecked = standing.filter((r) => r.spotChecked).length;
  const parts = [`各单位推荐优秀案卷 ${standing.length} 件`];
  if (spotChecked > 0) parts.push(`抽查评分 ${spotChecked} 件`);
  if (selected.length > 0) parts.push(`评选出${selectedByCaseType.map((t) => `优秀${t.label}案卷 ${t.count} 件`).join('、')}`);
  if (recommended > 0) parts.push(`向上级推荐 ${recommended} 件`);
  return {
    nominated: standing.length, spotChecked, eligible: standing.filter((r) => r.status === 'eligible' || r.status === 'selected').length,
    selected: selected.length, selectedByCaseType, recommended, sentence: parts.join('，'),
  };
}
