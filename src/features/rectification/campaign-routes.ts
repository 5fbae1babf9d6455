// Rectification pages on the campaign side, for the bureau (administrator and leader): issuing the notices
// (整改通知书) once the results are released, the notices' progress, and the rectification ledger (整改台账) with
// its CSV export. The notice page itself (/rectification/notices/:id) belongs to the notice routes.
import { Router, type Request, type Response } from 'express';
import type { Deps } from '../../context.ts';
import { asActor } from '../../context.ts';
import type { CampaignRow } from '../../db/schema.ts';
import { CAMPAIGN_STATUS_LABELS, type CampaignStatus } from '../../domain/campaigns.ts';
import { issuesOfUnit } from '../../domain/issues.ts';
import { ledgerSentence, ledgerTotals, noticeFigures } from '../../domain/ledger.ts';
import { can, unitScope } from '../../domain/policy.ts';
import {
  addDays, beijingDate, ITEM_STATE_LABELS, MEASURE_STATUS_LABELS, MEASURE_STATUSES, type MeasureStatus,
} from '../../domain/rectification.ts';
import { toCsv } from '../../exports/csv.ts';
import { AppError, forbidden, ValidationError } from '../../web/app-error.ts';
import { ctxOf, permit } from '../../web/auth.ts';
import { sendFile } from '../../web/download.ts';
import { flash } from '../../web/flash.ts';
import { byField, idParam, optionalId, text } from '../../web/form.ts';
import { formatDate, formatDateTime } from '../../web/format.ts';
import { visibleCampaign } from '../campaigns/service.ts';
import { campaignIssues } from '../issues/service.ts';
import {
  ISSUE_FILTER_LABELS, ISSUE_FILTERS, LEDGER_HEADERS, ledgerLines, ledgerNotices, ledgerRow, ledgerScopeLabel,
  type IssueFilter, type LedgerFilter, type LedgerNotice,
} from './ledger-queries.ts';
import { DEFAULT_REQUIREMENTS, issueNotices, REQUIREMENTS_MAX } from './service.ts';

export const rectificationUrl = (campaignId: number): string => `/campaigns/${campaignId}/rectification`;
export const ledgerUrl = (campaignId: number): string => `${rectificationUrl(campaignId)}/ledger`;
export const noticeUrl = (noticeId: number): string => `/rectification/notices/${noticeId}`;

const collator = new Intl.Collator('zh-CN');

/**
 * The campaign-wide rectification pages span every unit: open to those who read every unit's rectification (the
 * administrator and the leader). A department reads its own notices at /rectification; a reviewer none.
 */
function bureauReader(req: Request, _res: Response, next: () => void): void {
  const actor = req.user ? asActor(req.user) : null;
  if (!actor || !can(actor, 'rectification.view') || unitScope(actor).kind !== 'all') throw forbidden();
  next();
}

const released = (campaign: CampaignRow): boolean => campaign.status === 'released';

function readLedgerFilter(query: unknown, notices: readonly LedgerNotice[]): LedgerFilter {
  const unitId = optionalId(query, 'unitId');
  const state = text(query, 'state');
  const measure = text(query, 'measure');
  return {
    unitId: notices.some((n) => n.unitId === unitId) ? unitId : null,
    state: (ISSUE_FILTERS as readonly string[]).includes(state) ? (state as IssueFilter) : null,
    measure: (MEASURE_STATUSES as readonly string[]).includes(measure) ? (measure as MeasureStatus) : null,
  };
}

const filterQuery = (filter: LedgerFilter): string => {
  const params = new URLSearchParams();
  if (filter.unitId) params.set('unitId', String(filter.unitId));
  if (filter.state) params.set('state', filter.state);
  if (filter.measure) params.set('measure', filter.measure);
  const qs = params.toString();
  return qs ? `?${qs}` : '';
};

export function campaignRectificationRoutes(deps: Deps): Router {
  const router = Router();
  const today = () => beijingDate(deps.clock.now());

  async function renderOverview(req: Request, res: Response, campaign: CampaignRow, form?: { values: Record<string, string>; errors: Record<string, string> }) {
    const actor = asActor(req.user!);
    const now = today();
    const classification = await campaignIssues(deps.db, campaign);
    const notices = await ledgerNotices(deps.db, { campaignId: campaign.id });
    const noticed = new Set(notices.map((n) => n.unitId));
    const pendingUnits = [...new Map(classification.issues.flatMap((i) => i.units).map((u) => [u.unitId, u.unitName])).entries()]
      .filter(([unitId]) => !noticed.has(unitId))
      .map(([unitId, unitName]) => {
        const issues = issuesOfUnit(classification, unitId);
        return { unitName, issues: issues.length, common: issues.filter((i) => i.scope === 'common').length, individual: issues.filter((i) => i.scope !== 'common').length };
      })
      .sort((a, b) => collator.compare(a.unitName, b.unitName));
    const totals = ledgerTotals(notices, now);
    const canIssue = can(actor, 'campaign.manage') && released(campaign);
    const statusLabel = CAMPAIGN_STATUS_LABELS[campaign.status as CampaignStatus];
    res.render('rectification/campaign', {
      title: `整改 - ${campaign.name}`,
      campaign, statusLabel, today: now,
      sentence: classification.sentence, threshold: classification.threshold,
      stageNotice: campaign.status === 'closed' ? '活动已结束，整改记录只能查阅。'
        : released(campaign) ? null : `评查结果发布后才能下发整改通知书（当前阶段：${statusLabel}）。`,
      canIssue: canIssue && pendingUnits.length > 0,
      allIssued: canIssue && pendingUnits.length === 0 && notices.length > 0,
      form: {
        values: form?.values ?? { issuedOn: now, deadline: '', requirements: DEFAULT_REQUIREMENTS },
        errors: form?.errors ?? {},
        rectificationDays: campaign.rectification_days,
        defaultDeadline: addDays(now, campaign.rectification_days),
        requirementsMax: REQUIREMENTS_MAX,
      },
      totals, ledgerSentence: ledgerSentence(totals),
      notices: notices.map((n) => {
        const f = noticeFigures(n, now);
        return {
          docNumber: n.docNumber, unitName: n.unitName, issuedOn: n.issuedOn, deadline: n.deadline, href: noticeUrl(n.id),
          issues: f.issues, common: f.common, individual: f.individual, rectified: f.rectified,
          measures: f.measures, byStatus: MEASURE_STATUSES.map((s) => ({ status: s, label: MEASURE_STATUS_LABELS[s], count: f.byStatus[s] })),
          overdue: f.overdue, overdueIssues: f.overdueIssues, dueSoon: f.dueSoon,
          reportSubmittedAt: n.reportSubmittedAt ? formatDateTime(n.reportSubmittedAt) : null,
        };
      }),
      statusLabels: MEASURE_STATUSES.map((s) => MEASURE_STATUS_LABELS[s]),
      pendingUnits,
      ledgerHref: ledgerUrl(campaign.id),
    });
  }

  router.get('/campaigns/:id/rectification', bureauReader, async (req, res) => {
    const campaign = await visibleCampaign(ctxOf(req, deps), idParam(req));
    await renderOverview(req, res, campaign);
  });

  router.post('/campaigns/:id/rectification/notices', permit('campaign.manage'), async (req, res) => {
    const ctx = ctxOf(req, deps);
    const campaign = await visibleCampaign(ctx, idParam(req));
    const values = { issuedOn: text(req.body, 'issuedOn'), deadline: text(req.body, 'deadline'), requirements: text(req.body, 'requirements') };
    try {
      const count = await issueNotices(ctx, campaign.id, values);
      flash(req, 'success', `已下发整改通知书 ${count} 份`);
    } catch (e) {
      if (e instanceof ValidationError) {
        res.status(422);
        flash(req, 'error', `整改通知书未下发：${e.problems.map((p) => p.message).join('；')}`);
        return renderOverview(req, res, campaign, { values, errors: byField(e.problems) });
      }
      if (!(e instanceof AppError) || ![404, 409].includes(e.status)) throw e;
      flash(req, 'error', e.message);
    }
    res.redirect(rectificationUrl(campaign.id));
  });

  async function ledgerOf(req: Request) {
    const campaign = await visibleCampaign(ctxOf(req, deps), idParam(req));
    const notices = await ledgerNotices(deps.db, { campaignId: campaign.id });
    const filter = readLedgerFilter(req.query, notices);
    return { campaign, notices, filter, now: today() };
  }

  router.get('/campaigns/:id/rectification/ledger', bureauReader, async (req, res) => {
    const { campaign, notices, filter, now } = await ledgerOf(req);
    const scoped = filter.unitId ? notices.filter((n) => n.unitId === filter.unitId) : notices;
    const totals = ledgerTotals(scoped, now);
    const lines = ledgerLines(notices, filter, now);
    // Group the lines by notice, each issue's cell spanning its measures' rows.
    const groups: { notice: Record<string, unknown>; rows: Record<string, unknown>[] }[] = [];
    lines.forEach((line, i) => {
      let group = groups.at(-1);
      if (!group || (group.notice as { id: number }).id !== line.notice.id) {
        const f = noticeFigures(line.notice, now);
        group = {
          notice: {
            id: line.notice.id, unitName: line.notice.unitName, docNumber: line.notice.docNumber, issuedOn: line.notice.issuedOn,
            deadline: line.notice.deadline, href: noticeUrl(line.notice.id), overdue: f.overdue, dueSoon: f.dueSoon,
            reportSubmittedAt: line.notice.reportSubmittedAt ? formatDateTime(line.notice.reportSubmittedAt) : null,
            figures: `问题 ${f.issues} 个（已整改 ${f.rectified} 个），整改措施 ${f.measures} 项（已验收 ${f.byStatus.verified} 项）`,
          },
          rows: [],
        };
        groups.push(group);
      }
      const previous = lines[i - 1];
      const firstOfItem = !previous || previous.item.id !== line.item.id;
      const span = firstOfItem ? lines.slice(i).findIndex((l) => l.item.id !== line.item.id) : 0;
      const m = line.measure;
      group.rows.push({
        firstOfItem, rowspan: span === -1 ? lines.length - i : span,
        itemNumber: line.itemNumber, wording: line.item.wording, category: line.item.category,
        scope: line.item.scope, scopeLabel: ledgerScopeLabel(line.item.scope), repeated: line.item.repeated,
        files: line.item.files.map((f) => f.fileNumber).join('、'),
        itemState: line.itemState, itemStateLabel: ITEM_STATE_LABELS[line.itemState], itemOverdue: line.itemOverdue,
        measure: m && {
          description: m.description, responsible: m.responsible, completedOn: m.completedOn ?? '', status: m.status, statusLabel: MEASURE_STATUS_LABELS[m.status],
          submittedOn: formatDate(m.submittedAt), verifiedOn: formatDate(m.verifiedAt), returnedOn: formatDate(m.returnedAt), returnReason: m.returnReason ?? '',
          overdue: line.measureOverdue,
        },
      });
    });

    const units = [...new Map(notices.map((n) => [n.unitId, n.unitName])).entries()].map(([id, name]) => ({ id, name }))
      .sort((a, b) => collator.compare(a.name, b.name));
    const described: string[] = [];
    if (filter.unitId) described.push(`单位：${units.find((u) => u.id === filter.unitId)!.name}`);
    if (filter.state) described.push(`问题状态：${ISSUE_FILTER_LABELS[filter.state]}`);
    if (filter.measure) described.push(`措施状态：${MEASURE_STATUS_LABELS[filter.measure]}`);
    res.render('rectification/ledger', {
      title: `整改台账 - ${campaign.name}`,
      campaign, statusLabel: CAMPAIGN_STATUS_LABELS[campaign.status as CampaignStatus], today: now,
      totals, sentence: ledgerSentence(totals),
      completion: totals.completion.percent ?? '—',
      scopeUnitName: filter.unitId ? units.find((u) => u.id === filter.unitId)!.name : null,
      groups, lineCount: lines.length,
      filter, described, clearHref: ledgerUrl(campaign.id),
      unitOptions: units,
      stateOptions: ISSUE_FILTERS.map((s) => ({ value: s, label: ISSUE_FILTER_LABELS[s] })),
      measureOptions: MEASURE_STATUSES.map((s) => ({ value: s, label: MEASURE_STATUS_LABELS[s] })),
      csvHref: `${ledgerUrl(campaign.id)}.csv${filterQuery(filter)}`,
      overviewHref: rectificationUrl(campaign.id),
    });
  });

  router.get('/campaigns/:id/rectification/ledger.csv', bureauReader, async (req, res) => {
    const { campaign, notices, filter, now } = await ledgerOf(req);
    const rows = ledgerLines(notices, filter, now).map(ledgerRow);
    sendFile(res, `整改台账-${campaign.name}-${now}.csv`, 'csv', toCsv(LEDGER_HEADERS, rows));
  });

  return router;
}
