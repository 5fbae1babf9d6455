// The bureau's progress board and a campaign's result list.
import { Router } from 'express';
import type { Deps } from '../../context.ts';

export function progressRoutes(deps: Deps): Router {
  void deps;
  return Router();
}
