// A change made from a button on a page: its outcome, success or a refusal the user can act on (invalid input,
// a conflict with the record's state, a guard), becomes a flash message, and the user goes back to the page.
import type { Request, Response } from 'express';
import { AppError, ValidationError } from './app-error.ts';
import { flash } from './flash.ts';

const GENERIC = '提交的内容有误，请按提示修改';

export async function changeAndRedirect(req: Request, res: Response, target: string, run: () => Promise<string>): Promise<void> {
  try {
    flash(req, 'success', await run());
  } catch (e) {
    if (e instanceof ValidationError) {
      const detail = e.problems.map((p) => p.message).join('；');
      // A service that already put the problems into its message must not have them shown twice.
      flash(req, 'error', e.message === GENERIC ? detail : e.message.includes(detail) ? e.message : `${e.message}：${detail}`);
    } else if (e instanceof AppError && [404, 409, 422].includes(e.status)) {
      flash(req, 'error', e.message);
    } else {
      throw e;
    }
  }
  res.redirect(target);
}
