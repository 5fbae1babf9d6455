// Synchroniser-token CSRF protection: one token per session, sent back in a hidden `_csrf` field
// (or an X-CSRF-Token header). Multipart bodies are checked after multer has parsed them (see upload.ts).
import crypto from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { AppError } from './app-error.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function csrfToken(req: Request): string {
  if (!req.session.csrfToken) req.session.csrfToken = crypto.randomBytes(32).toString('base64url');
  return req.session.csrfToken;
}

export function verifyCsrf(req: Request): void {
  const expected = req.session?.csrfToken;
  const sent = (req.body as Record<string, unknown> | undefined)?._csrf ?? req.get('x-csrf-token');
  const ok = typeof sent === 'string' && expected !== undefined && sent.length === expected.length &&
    crypto.timingSafeEqual(Buffer.from(sent), Buffer.from(expected));
  if (!ok) throw new AppError(403, '页面已过期或请求来源无法验证，请刷新页面后重新提交', { code: 'csrf_failed' });
}

export function csrfProtection(req: Request, res: Response, next: NextFunction): void {
  // Made on first use (when a page with a form renders), so redirects and assets create no session.
  Object.defineProperty(res.locals, 'csrfToken', { enumerable: true, configurable: true, get: () => csrfToken(req) });
  if (SAFE_METHODS.has(req.method) || req.is('multipart/form-data')) return next();
  verifyCsrf(req);
  next();
}
