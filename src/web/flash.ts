// One-time messages carried across a redirect; taken from the session only when a page is rendered,
// so a redirect in between does not swallow them.
import type { NextFunction, Request, Response } from 'express';
import type { Flash } from './types.ts';

export function flash(req: Request, type: Flash['type'], message: string): void {
  (req.session.flash ??= []).push({ type, message });
}

export function flashMessages(req: Request, res: Response, next: NextFunction): void {
  const render = res.render.bind(res) as (view: string, options?: object, callback?: (err: Error, html: string) => void) => void;
  res.render = ((view: string, options?: object, callback?: (err: Error, html: string) => void) => {
    if (req.session?.flash?.length) {
      res.locals.flash = req.session.flash;
      delete req.session.flash;
    }
    render(view, options, callback);
  }) as Response['render'];
  next();
}
