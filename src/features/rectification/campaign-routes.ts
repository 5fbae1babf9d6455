// Rectification pages (campaign side); filled in by its own change.
import { Router } from 'express';
import type { Deps } from '../../context.ts';

export function campaignRectificationRoutes(deps: Deps): Router {
  void deps;
  return Router();
}
