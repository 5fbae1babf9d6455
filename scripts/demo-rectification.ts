// Demo: the rectification loop of the finished 2025 cross review (campaign 3). Notices go out to every unit
// with issues, due five days from today so deadlines show on the home pages; units are at every stage of the
// loop: verified, awaiting verification, returned with a reason, or not started. Everything goes through the
// real services as the bureau and the department users, so the audit log and the ledger read like real use.
import type { Ctx } from '../src/context.ts';
import { prngFromText } from '../src/domain/prng.ts';
import { addDays, beijingDate, type MeasureStatus } from '../src/domain/rectification.ts';
import { addAttachment, addMeasure, issueNotices, reviewMeasure, submitReport } from '../src/features/rectification/service.ts';
import { userCtx } from './demo-scores.ts';

export const RECTIFICATION_SEED = 'MDJ-2025-ZGZG';

export interface DemoRectificationSummary {
  notices: number;
  issuedOn: string;
  deadline: string;
  byStage: [label: string, count: number][];
  measures: [label: string, count: number][];
}

/** A few lines any bureau would accept as a measure, worded from the issue's category. */
const MEASURE_TEMPLATES = [
  (category: string, wording: string) => `针对“${wording}”，组织本单位执法人员专题学习${category}相关法律规定和文书规范，逐卷对照自查`,
  (category: string) => `修订本单位${category}环节的办案流程和审核要点，由法制审核机构在结案前逐项把关`,
  (_category: string, wording: string) => `对涉及“${wording}”的案卷逐一补正，完善卷内材料并重新归档`,
];
const RESPONSIBLE = ['法制科 王建华', '执法大队 刘志强', '办公室 陈晓燕', '法规科 赵立新'];
// Smallest valid PDF header: the attachment check reads the content, not only the name.
const EVIDENCE_PDF = Buffer.from('%PDF-1.4\n% 整改佐证材料（演示）\n%%EOF\n');

export async function buildDemoRectification(admin: Ctx, campaignId: number): Promise<DemoRectificationSummary> {
  const prng = prngFromText(RECTIFICATION_SEED);
  const today = beijingDate(admin.clock.now());
  const issuedOn = addDays(today, -25);
  const deadline = addDays(today, 5);
  await issueNotices(admin, campaignId, { issuedOn, deadline, requirements: '' });
  const notices = await admin.db.selectFrom('rectification_notices').select(['id', 'unit_id', 'doc_number'])
    .where('campaign_id', '=', campaignId).orderBy('seq').execute();

  const stages = { verified: 0, submitted: 0, returned: 0, notStarted: 0 };
  for (const [n, notice] of notices.entries()) {
    // Every unit's department user works its own list; units without one (county bureaus) have not started.
    const user = await admin.db.selectFrom('users').select('id').where('unit_id', '=', notice.unit_id).where('role', '=', 'department').executeTakeFirst();
    const stage = !user ? 'notStarted' : (['verified', 'verified', 'submitted', 'returned', 'notStarted'] as const)[n % 5]!;
    stages[stage] += 1;
    if (stage === 'notStarted') continue;
    const dept = await userCtx(admin, user!.id);
    const items = await admin.db.selectFrom('rectification_items').select(['id', 'wording', 'category']).where('notice_id', '=', notice.id).orderBy('position').execute();
    const measureIds: number[] = [];
    for (const item of items) {
      const template = MEASURE_TEMPLATES[prng.nextBelow(MEASURE_TEMPLATES.length)]!;
      const id = await addMeasure(dept, item.id, {
        description: template(item.category, item.wording),
        responsible: RESPONSIBLE[prng.nextBelow(RESPONSIBLE.length)]!,
        completedOn: addDays(issuedOn, 7 + prng.nextBelow(14)),
        evidence: '学习记录、自查台账及补正后的案卷目录',
      });
      measureIds.push(id);
    }
    await addAttachment(dept, measureIds[0]!, `整改佐证-${notice.doc_number}.pdf`, EVIDENCE_PDF);
    await submitReport(dept, notice.id);
    if (stage === 'submitted') continue;
    for (const [i, id] of measureIds.entries()) {
      if (stage === 'returned' && i === 0) await reviewMeasure(admin, id, 'return', '佐证材料只有学习记录，请补充补正后的案卷材料');
      else await reviewMeasure(admin, id, 'verify', '');
    }
  }
  const measures = await admin.db.selectFrom('rectification_measures').select(({ fn }) => ['status', fn.countAll<number>().as('n')])
    .where('notice_id', 'in', notices.map((x) => x.id)).where('deleted_at', 'is', null).groupBy('status').execute();
  const label: Record<MeasureStatus, string> = { verified: '已验收', submitted: '待验收', returned: '已退回', draft: '待报送' };
  return {
    notices: notices.length, issuedOn, deadline,
    byStage: [['全部验收', stages.verified], ['待验收', stages.submitted], ['有措施被退回', stages.returned], ['尚未报送', stages.notStarted]],
    measures: measures.map((m) => [label[m.status as MeasureStatus], Number(m.n)]),
  };
}
