// A campaign's issues (共性问题 / 个性问题) and the merging of 其他问题.
import { Router } from 'express';
import type { Deps } from '../../context.ts';

export function issueRoutes(deps: Deps): Router {
  void deps;
  return Router();
}
