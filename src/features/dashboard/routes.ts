// The home page: who you are, and what your role lets you do from here.
import { Router } from 'express';
import type { Deps } from '../../context.ts';
import { asActor } from '../../context.ts';
import { can } from '../../domain/policy.ts';
import { searchAudit } from '../audit/queries.ts';
import { findUser } from '../users/queries.ts';
import { queueOf } from '../assignment/queries.ts';

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
    res.render('dashboard/index', { title: '工作台', profile, previousLogin, overview, recent, queueCount });
  });
  return router;
}
