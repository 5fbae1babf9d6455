// Score sheet pages (一卷一表): a reviewer's or rechecker's own sheet, saving, submitting, printing.
import { Router } from 'express';
import type { Deps } from '../../context.ts';

export function sheetRoutes(deps: Deps): Router {
  void deps;
  return Router();
}
