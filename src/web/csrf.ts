// Synchroniser-token CSRF protection: one token per session, sent back in a hidden `_csrf` field
// (or an X-CSRF-Token header). Upload routes check theirs once multer has parsed the body (see upload.ts).
import crypto from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { AppError } from './app-error.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Routes that take a file. Their multipart body can only be read by multer, so singleUpload (upload.ts) checks
 * the token once it is parsed. Anywhere else a multipart body is checked here like any other, and so refused:
 * no parser reads it, and skipping the check would let a cross-site multipart form through.
 */
const UPLOAD_PATHS = new Set(['/units/import', '/users/import', '/rubrics/upload']);
/** Upload routes with an id in the path: matched whole, ids only. */
const UPLOAD_PATTERNS: readonly RegExp[] = [
  /^\/campaigns\/[1-9]\d{0,9}\/files\/import$/,
  /^\/rectification\/measures\/[1-9]\d{0,9}\/attachments$/,
];

const isUploadPath = (path: string): boolean => UPLOAD_PATHS.has(path) || UPLOAD_PATTERNS.some((p) => p.test(path));

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
  if (SAFE_METHODS.has(req.method) || (req.is('multipart/form-data') && isUploadPath(req.path))) return next();
  verifyCsrf(req);
  next();
}
