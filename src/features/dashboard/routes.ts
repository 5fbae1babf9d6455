// The home page: who you are, what your role lets you do from here, and the deadlines in sight (近期到期与逾期).
import { Router } from 'express';
import type { Deps } from '../../context.ts';
import { asActor } from '../../context.ts';
import { deadlineWords, noticeFigures } from '../../domain/ledger.ts';
import { can } from '../../domain/policy.ts';
import { beijingDate } from '../../domain/rectification.ts';
import type { CurrentUser } from '../../web/types.ts';
import { searchAudit } from '../audit/queries.ts';
import { findUser } from '../users/queries.ts';
import { queueOf } from '../assignment/queries.ts';
import { openCampaignNotices, returnedMeasures } from '../rectification/ledger-queries.ts';
import { recheckQueueOf } from '../reviews/progress-queries.ts';

const noticeHref = (noticeId: number) => `/rectification/notices/${noticeId}`;

/**
 * What this user must act on soon, or should have by now: a department its unit's notices due within 7 days or
 * overdue with issues still open, and measures returned to it; the administrator the measures awaiting
 * verification and the overdue notices; a leader the overdue notices (to read); a reviewer its unsubmitted sheets
 * in campaigns being reviewed and its open re-checks. Today is the Beijing date of the injected clock.
 */
async function deadlinesFor(deps: Deps, user: CurrentUser) {
  const today = beijingDate(deps.clock.now());
  const out = {
    today,
    dueNotices: [] as Record<string, unknown>[],
    returned: [] as Record<string, unknown>[],
    awaiting: [] as Record<string, unknown>[],
    awaitingTotal: 0,
    overdueNotices: [] as Record<string, unknown>[],
    sheets: null as null | { open: number; notStarted: number; drafted: number; campaigns: string[] },
    rechecks: 0,
  };
  const noticeRow = (n: Awaited<ReturnType<typeof openCampaignNotices>>[number], f: ReturnType<typeof noticeFigures>) => ({
    docNumber: n.docNumber, unitName: n.unitName, campaignName: n.campaignName, deadline: n.deadline, href: noticeHref(n.id),
    overdue: f.overdue, words: deadlineWords(n.deadline, today), open: f.open, issues: f.issues,
  });
  const byDeadline = (a: Record<string, unknown>, b: Record<string, unknown>) => String(a.deadline).localeCompare(String(b.deadline));

  if (user.role === 'department') {
    for (const n of await openCampaignNotices(deps.db, user.unitId)) {
      const f = noticeFigures(n, today);
      if (f.overdue || f.dueSoon) out.dueNotices.push(noticeRow(n, f));
    }
    out.dueNotices.sort(byDeadline);
    out.returned = (await returnedMeasures(deps.db, user.unitId)).map((m) => ({
      docNumber: m.doc_number, wording: m.wording, description: m.description, reason: m.return_reason ?? '', returnedAt: m.returned_at,
      href: noticeHref(m.notice_id),
    }));
  } else if (user.role === 'admin' || user.role === 'leader') {
    for (const n of await openCampaignNotices(deps.db, null)) {
      const f = noticeFigures(n, today);
      if (f.overdue) out.overdueNotices.push(noticeRow(n, f));
      if (user.role === 'admin' && f.byStatus.submitted > 0) {
        out.awaiting.push({ docNumber: n.docNumber, unitName: n.unitName, campaignName: n.campaignName, deadline: n.deadline, count: f.byStatus.submitted, href: noticeHref(n.id) });
        out.awaitingTotal += f.byStatus.submitted;
      }
    }
    out.overdueNotices.sort(byDeadline);
    out.awaiting.sort(byDeadline);
  } else if (user.role === 'reviewer') {
    const open = (await queueOf(deps.db, user.id)).filter((i) => i.campaign_status === 'reviewing' && i.sheet_status !== 'submitted');
    if (open.length > 0) {
      out.sheets = {
        open: open.length, notStarted: open.filter((i) => i.sheet_status === null).length, drafted: open.filter((i) => i.sheet_status !== null).length,
        campaigns: [...new Set(open.map((i) => i.campaign_name))],
      };
    }
    out.rechecks = (await recheckQueueOf(deps.db, user.id)).filter((r) => r.resolved_at === null && r.sheet_status !== 'submitted').length;
  }
  const any = out.dueNotices.length + out.returned.length + out.awaiting.length + out.overdueNotices.length + (out.sheets ? 1 : 0) + out.rechecks;
  return { ...out, empty: any === 0 };
}

export function dashboardRoutes(deps: Deps): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const user = req.user!;
    const actor = asActor(user);
    const profile = await findUser(deps.db, user.id);
    let overview: Record<string, number> | null = null;
    if (user.role === 'admin' || user.role === 'leader') {
      const n = (row: { n: number | string }) => Number(row.n);
      const now = deps.clock.now().toISOString();
      overview = {
        units: n(await deps.db.selectFrom('units').select(({ fn }) => fn.countAll<number>().as('n')).where('active', '=', 1).executeTakeFirstOrThrow()),
        users: n(await deps.db.selectFrom('users').select(({ fn }) => fn.countAll<number>().as('n')).where('active', '=', 1).executeTakeFirstOrThrow()),
        locked: n(await deps.db.selectFrom('users').select(({ fn }) => fn.countAll<number>().as('n'))
          .where('active', '=', 1).where('locked_until', '>', now).executeTakeFirstOrThrow()),
      };
    }
    // The login before this one, from the audit log, so a user can spot a login that was not theirs.
    const previousLogin = await deps.db.selectFrom('audit_log').select(['at', 'ip'])
      .where('action', '=', 'auth.login').where('entity_type', '=', 'user').where('entity_id', '=', String(user.id))
      .orderBy('id', 'desc').limit(1).offset(1).executeTakeFirst();
    const recent = can(actor, 'audit.view') ? (await searchAudit(deps.db, {}, 1)).rows.slice(0, 8) : [];
    const queueCount = user.role === 'reviewer' ? (await queueOf(deps.db, user.id)).length : null;
    const deadlines = await deadlinesFor(deps, user);
    res.render('dashboard/index', { title: '工作台', profile, previousLogin, overview, recent, queueCount, deadlines });
  });
  return router;
}
