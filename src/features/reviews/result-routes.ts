// A file's review result page: sheets (blind rules), reconciliation, re-check, final result history, objections.
import { Router } from 'express';
import type { Deps } from '../../context.ts';

export function resultRoutes(deps: Deps): Router {
  void deps;
  return Router();
}
