// Rubric versions: registering a validated rubric as an immutable snapshot, from the rubrics/ folder at
// start-up or from an administrator's upload. A version's content never changes once stored: a file whose
// content differs under the same id and version is refused, whatever the reason.
import type { Clock } from '../../clock.ts';
import type { Ctx } from '../../context.ts';
import { nowIso } from '../../context.ts';
import type { DbOrTrx } from '../../db/connection.ts';
import { type RubricProblem, validateRubric } from '../../domain/rubric/validate.ts';
import type { Rubric } from '../../domain/rubric/types.ts';
import { ValidationError } from '../../web/app-error.ts';
import { auditActor, recordAudit, type AuditActor } from '../audit/record.ts';
import { findVersion } from './queries.ts';
import { canonicalJson, contentHash } from './snapshot.ts';

export type RegisterOutcome =
  | { kind: 'created'; id: number }
  | { kind: 'unchanged'; id: number }
  | { kind: 'conflict'; id: number; message: string };

export function versionConflictMessage(rubric: Pick<Rubric, 'id' | 'version' | 'title'>, existingSource: string): string {
  return `评查标准“${rubric.title}”（${rubric.id}）的 ${rubric.version} 版已经载入（来源：${existingSource}），` +
    '但本文件内容与已载入的版本不同。已载入的版本不能修改：如需调整，请把 version 改为新的版本号后作为新版本载入。';
}

export async function registerRubric(
  db: DbOrTrx, clock: Clock, actor: AuditActor, rubric: Rubric, source: 'file' | 'upload', sourceName: string,
): Promise<RegisterOutcome> {
  const content = canonicalJson(rubric);
  const hash = contentHash(content);
  const existing = await findVersion(db, rubric.id, rubric.version);
  if (existing) {
    if (existing.content_hash === hash) return { kind: 'unchanged', id: existing.id };
    return { kind: 'conflict', id: existing.id, message: versionConflictMessage(rubric, existing.source_name) };
  }
  const { id } = await db.insertInto('rubric_versions').values({
    rubric_key: rubric.id, version: rubric.version, title: rubric.title, case_types: JSON.stringify(rubric.caseTypes),
    effective_from: rubric.effectiveFrom, effective_to: rubric.effectiveTo ?? null, content, content_hash: hash,
    source, source_name: sourceName, created_at: nowIso(clock), created_by: actor.id,
  }).returning('id').executeTakeFirstOrThrow();
  await recordAudit(db, clock, actor, {
    action: 'rubric.load', entityType: 'rubric', entityId: id,
    summary: `载入评查标准“${rubric.title}”${rubric.version} 版（${source === 'file' ? '标准文件' : '上传'}：${sourceName}）`,
    after: { rubric: rubric.id, version: rubric.version, hash },
  });
  return { kind: 'created', id };
}

/** An administrator's upload: the same checks as the command line, then the same snapshot rules. */
export async function uploadRubric(ctx: Ctx, text: string, sourceName: string): Promise<RegisterOutcome> {
  const result = validateRubric(text);
  if (!result.ok) throw new ValidationError(result.problems.map(toFieldProblem), `评查标准有 ${result.problems.length} 处问题，未载入`);
  const outcome = await ctx.db.transaction().execute((trx) =>
    registerRubric(trx, ctx.clock, auditActor(ctx), result.rubric, 'upload', sourceName));
  if (outcome.kind === 'conflict') throw new ValidationError([{ field: '', message: outcome.message }], '版本号重复，未载入');
  return outcome;
}

const toFieldProblem = (p: RubricProblem) => ({ field: p.path || '（整个文件）', message: p.message });
