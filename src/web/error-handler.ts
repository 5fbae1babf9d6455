// One error middleware: AppError → its status and Chinese message; anything else → a 500 page that
// names no internals. JSON for API calls, a page for everyone else.
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import type { Logger } from '../logger.ts';
import { AppError, notFound } from './app-error.ts';

const TITLES: Record<number, string> = {
  400: '请求有误', 401: '请先登录', 403: '没有权限', 404: '页面不存在', 409: '操作冲突',
  413: '文件过大', 422: '内容有误', 429: '操作过于频繁', 500: '系统错误',
};

const wantsJson = (req: Request): boolean =>
  req.path.startsWith('/api/') || (req.accepts(['html', 'json']) === 'json');

export const notFoundHandler: RequestHandler = () => {
  throw notFound();
};

/** Errors from body parsers and other libraries carry a status; map the ones users can cause. */
function normalize(err: unknown): AppError | null {
  if (err instanceof AppError) return err;
  const e = err as { status?: number; type?: string; code?: string };
  if (e?.type === 'entity.too.large') return new AppError(413, '提交的内容过大');
  if (e?.type === 'entity.parse.failed') return new AppError(400, '请求内容不是有效的 JSON');
  if (e?.code === 'EBADCSRFTOKEN') return new AppError(403, '页面已过期，请刷新后重试');
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) return new AppError(e.status, TITLES[e.status] ?? '请求有误');
  return null;
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const known = normalize(err);
    const error = known ?? new AppError(500, '系统内部错误，请稍后重试；如果问题持续，请联系管理员');
    if (!known) logger.error({ err, method: req.method, url: req.originalUrl }, 'unhandled error');
    // Part of the answer is out (a streamed download): it cannot become an error page, so end the connection
    // rather than leave the client waiting for the rest.
    if (res.headersSent) {
      res.destroy(err instanceof Error ? err : undefined);
      return;
    }
    res.status(error.status);
    if (wantsJson(req)) {
      res.json({ error: { code: error.code, message: error.message, details: error.details ?? null } });
      return;
    }
    res.render('errors/error', {
      title: TITLES[error.status] ?? '出错了',
      status: error.status,
      message: error.message,
      problems: Array.isArray(error.details) ? error.details : undefined,
      signedIn: Boolean(req.user),
    });
  };
}
