// Who is asking: loads the signed-in user on every request (so a deactivated account or a changed role
// takes effect at once), enforces the idle timeout, and guards routes with the policy.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Ctx, Deps } from '../context.ts';
import { asActor } from '../context.ts';
import { can, type Action, type Target } from '../domain/policy.ts';
import { isRole } from '../domain/vocabulary.ts';
import { findSessionUser } from '../features/auth/queries.ts';
import { AppError, forbidden } from './app-error.ts';
import { navigationFor } from './navigation.ts';
import type { CurrentUser } from './types.ts';

function endSession(req: Request, notice: string): Promise<void> {
  return new Promise((resolve, reject) => {
    req.session.regenerate((err) => {
      if (err) return reject(err);
      req.session.notice = notice;
      resolve();
    });
  });
}

export function loadCurrentUser(deps: Deps): RequestHandler {
  const idleMs = deps.config.sessionIdleMinutes * 60_000;
  return async (req: Request, res: Response, next: NextFunction) => {
    const userId = req.session?.userId;
    if (userId === undefined) return next();
    const now = deps.clock.now();
    const lastSeen = req.session.lastSeenAt ? new Date(req.session.lastSeenAt).getTime() : 0;
    if (now.getTime() - lastSeen > idleMs) {
      await endSession(req, `超过 ${deps.config.sessionIdleMinutes} 分钟未操作，已自动退出，请重新登录`);
      return next();
    }
    const row = await findSessionUser(deps.db, userId);
    if (!row || !row.active || !isRole(row.role)) {
      await endSession(req, '账户已停用或不存在，请联系管理员');
      return next();
    }
    req.session.lastSeenAt = now.toISOString();
    const user: CurrentUser = {
      id: row.id, username: row.username, displayName: row.display_name, role: row.role,
      unitId: row.unit_id, unitName: row.unit_name, mustChangePassword: row.must_change_password === 1,
    };
    req.user = user;
    // Pages for signed-in users hold personal and case data (and sometimes a one-time password):
    // never keep them in a browser or proxy cache, so the back button after logout shows nothing.
    res.set('Cache-Control', 'no-store');
    res.locals.currentUser = user;
    res.locals.nav = navigationFor(user, req.path);
    next();
  };
}

/** Anonymous requests go to the login page (pages) or get 401 (everything else). */
export function requireLogin(req: Request, res: Response, next: NextFunction): void {
  if (!req.user) {
    if (req.method === 'GET' && req.accepts(['html', 'json']) === 'html') {
      return res.redirect(`/login?next=${encodeURIComponent(req.originalUrl)}`);
    }
    throw new AppError(401, '请先登录');
  }
  // A first-time or reset password must be changed before anything else.
  if (req.user.mustChangePassword && !['/account/password', '/logout'].includes(req.path)) {
    if (req.method === 'GET') return res.redirect('/account/password');
    throw new AppError(403, '请先修改初始密码');
  }
  next();
}

/** Route guard for actions that do not depend on a particular record. */
export function permit(action: Action): RequestHandler {
  return (req, _res, next) => {
    if (!req.user || !can(asActor(req.user), action)) throw forbidden();
    next();
  };
}

/** For record-level checks inside a handler, once the record's unit is known. */
export function assertCan(req: Request, action: Action, target?: Target): void {
  if (!req.user || !can(asActor(req.user), action, target)) throw forbidden();
}

export function ctxOf(req: Request, deps: Deps): Ctx {
  if (!req.user) throw new AppError(401, '请先登录');
  return { ...deps, actor: req.user, ip: req.ip ?? null };
}
