// At start-up, every rubric file in rubrics/ becomes a stored version (or is confirmed unchanged).
// A bad file never stops the app: its problems are kept for the admin rubric page and logged.
import fs from 'node:fs';
import path from 'node:path';
import type { Deps } from '../../context.ts';
import { nowIso } from '../../context.ts';
import { validateRubric, type RubricProblem } from '../../domain/rubric/validate.ts';
import { SYSTEM_ACTOR } from '../audit/record.ts';
import { registerRubric } from './service.ts';

export const RUBRICS_DIR = path.resolve(import.meta.dirname, '../../../rubrics');

export interface LoadReport {
  created: string[];
  unchanged: string[];
  rejected: { file: string; problems: RubricProblem[] }[];
}

export function rubricFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'schema.json').sort();
}

export async function loadRubricDirectory(deps: Deps, dir = RUBRICS_DIR): Promise<LoadReport> {
  const report: LoadReport = { created: [], unchanged: [], rejected: [] };
  await deps.db.transaction().execute(async (trx) => {
    for (const file of rubricFiles(dir)) {
      let text: string;
      try {
        text = fs.readFileSync(path.join(dir, file), 'utf8');
      } catch (e) {
        report.rejected.push({ file, problems: [{ path: '', message: `无法读取文件：${(e as Error).message}` }] });
        continue;
      }
      const result = validateRubric(text);
      if (!result.ok) {
        report.rejected.push({ file, problems: result.problems });
        continue;
      }
      const outcome = await registerRubric(trx, deps.clock, SYSTEM_ACTOR, result.rubric, 'file', file);
      if (outcome.kind === 'conflict') report.rejected.push({ file, problems: [{ path: '/version', message: outcome.message }] });
      else report[outcome.kind === 'created' ? 'created' : 'unchanged'].push(file);
    }
    // The page shows the problems of the latest load only.
    await trx.deleteFrom('rubric_load_problems').execute();
    const checkedAt = nowIso(deps.clock);
    for (const r of report.rejected) {
      await trx.insertInto('rubric_load_problems').values({ source_name: r.file, problems: JSON.stringify(r.problems), checked_at: checkedAt }).execute();
    }
  });
  for (const r of report.rejected) {
    deps.logger.warn({ file: r.file, problems: r.problems }, `评查标准文件 ${r.file} 未载入：${r.problems.length} 处问题`);
  }
  if (report.created.length > 0) deps.logger.info({ files: report.created }, `载入评查标准 ${report.created.length} 个`);
  return report;
}
