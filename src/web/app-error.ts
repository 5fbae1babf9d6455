// The one error type that carries an HTTP status and a Chinese message for users.
import type { FieldProblem, RowProblem } from '../domain/errors.ts';

const CODES: Record<number, string> = {
  400: 'bad_request', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 409: 'conflict',
  413: 'payload_too_large', 422: 'validation_failed', 429: 'too_many_requests', 500: 'internal_error',
};

export class AppError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  constructor(status: number, message: string, options: { code?: string; details?: unknown } = {}) {
    super(message);
    this.name = 'AppError';
    this.status = status;
    this.code = options.code ?? CODES[status] ?? 'error';
    this.details = options.details;
  }
}

/** Input that breaks the rules: carries every problem so the form or the import can show them all. */
export class ValidationError extends AppError {
  readonly problems: (FieldProblem | RowProblem)[];
  constructor(problems: (FieldProblem | RowProblem)[], message = '提交的内容有误，请按提示修改') {
    super(422, message, { details: problems });
    this.problems = problems;
  }
}

export const notFound = (what = '页面'): AppError => new AppError(404, `${what}不存在或已被删除`);
export const forbidden = (): AppError => new AppError(403, '您没有权限访问此页面或执行此操作');
export const conflict = (message: string): AppError => new AppError(409, message);
