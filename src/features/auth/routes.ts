// Login, logout, and changing one's own password.
import { Router, type Request } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { Deps } from '../../context.ts';
import { ValidationError } from '../../web/app-error.ts';
import { ctxOf, requireLogin } from '../../web/auth.ts';
import { flash } from '../../web/flash.ts';
import { byField, safeLocalPath, text } from '../../web/form.ts';
import { recordAudit } from '../audit/record.ts';
import { attemptLogin, changeOwnPassword } from './service.ts';

function regenerate(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())));
}

export function authRoutes(deps: Deps): Router {
  const router = Router();

  const loginLimiter = rateLimit({
    windowMs: 60_000,
    limit: deps.config.loginRateLimitPerMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (req, res) => {
      res.status(429).render('auth/login', {
        title: '登录', layout: 'bare', username: text(req.body, 'username'), next: safeLocalPath(text(req.body, 'next'), ''),
        error: '登录尝试过于频繁，请一分钟后再试',
      });
    },
  });

  router.get('/login', (req, res) => {
    if (req.user) return res.redirect('/');
    const notice = req.session.notice;
    delete req.session.notice;
    res.render('auth/login', { title: '登录', layout: 'bare', next: safeLocalPath(text(req.query, 'next'), ''), notice });
  });

  router.post('/login', loginLimiter, async (req, res) => {
    const username = text(req.body, 'username');
    const next = safeLocalPath(text(req.body, 'next'), '/');
    const result = await attemptLogin(deps, username, text(req.body, 'password'), req.ip ?? null);
    if (!result.ok) {
      res.status(401).render('auth/login', { title: '登录', layout: 'bare', username, next, error: result.message });
      return;
    }
    // A fresh session id at login, so a planted id is worth nothing (session fixation).
    await regenerate(req);
    req.session.userId = result.userId;
    req.session.lastSeenAt = deps.clock.now().toISOString();
    res.redirect(result.mustChangePassword ? '/account/password' : next);
  });

  router.post('/logout', async (req, res) => {
    if (req.user) {
      await recordAudit(deps.db, deps.clock, { id: req.user.id, name: req.user.displayName, ip: req.ip ?? null }, {
        action: 'auth.logout', entityType: 'user', entityId: req.user.id, summary: `${req.user.displayName}（${req.user.username}）退出登录`,
      });
    }
    await new Promise<void>((resolve, reject) => req.session.destroy((err) => (err ? reject(err) : resolve())));
    res.clearCookie('sid');
    res.redirect('/login');
  });

  router.get('/account/password', requireLogin, (req, res) => {
    res.render('auth/password', { title: '修改密码', forced: req.user!.mustChangePassword, errors: {} });
  });

  router.post('/account/password', requireLogin, async (req, res) => {
    try {
      await changeOwnPassword(ctxOf(req, deps), text(req.body, 'current'), text(req.body, 'next'), text(req.body, 'confirm'), req.sessionID);
      flash(req, 'success', '密码已修改');
      res.redirect('/');
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      res.status(422).render('auth/password', { title: '修改密码', forced: req.user!.mustChangePassword, errors: byField(e.problems) });
    }
  });

  return router;
}
