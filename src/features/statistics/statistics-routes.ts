// Statistics pages (statistics side); filled in by its own change.
import { Router } from 'express';
import type { Deps } from '../../context.ts';

export function statisticsRoutes(deps: Deps): Router {
  void deps;
  return Router();
}
