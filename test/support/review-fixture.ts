// A cross-review campaign in the "评查中" stage, ready to be scored: three departments under the city bureau,
// one reviewer in each (plus a fourth for re-checks), two reviewers per file, a department user per unit and a
// leader. Sheets can be saved through the real service (saveAs) so tests of other pages need no form posting.
import type { Ctx } from '../../src/context.ts';
import { createLogger } from '../../src/logger.ts';
import type { SheetInput } from '../../src/domain/review-sheet.ts';
import type { Role } from '../../src/domain/vocabulary.ts';
import { transitionCampaign } from '../../src/features/campaigns/service.ts';
import { saveSheet, type SaveResult } from '../../src/features/reviews/service.ts';
import { addUnit, addUser, rootUnitId, type TestApp } from './app.ts';

export interface ReviewFixture {
  campaignId: number;
  units: { a: number; b: number; c: number; d: number };
  /** reviewer user ids: ra (unit A), rb, rc, rd (unit D, free for re-checks) */
  reviewers: { ra: number; rb: number; rc: number; rd: number };
  /** department user ids per unit, and a leader */
  departments: { a: number; b: number; c: number };
  leader: number;
  /** files: a1, a2 (unit A, reviewed by rb + rc), b1 (unit B, ra + rc), c1 (unit C, ra + rb) */
  files: { a1: number; a2: number; b1: number; c1: number };
  usernames: Record<string, string>;
}

/** Every fixture user's password. */
export const FIXTURE_PASSWORD = 'Passw0rd1';

export async function setUpReviewCampaign(t: TestApp, options: { reviewersPerFile?: number; thresholdTenths?: number; status?: string } = {}): Promise<ReviewFixture> {
  const db = t.db;
  const root = await rootUnitId(db);
  const units = {
    a: await addUnit(db, 'DA', '东安区市场监督管理局', 'department', root),
    b: await addUnit(db, 'DB', '阳明区生态环境局', 'department', root),
    c: await addUnit(db, 'DC', '爱民区交通运输局', 'department', root),
    d: await addUnit(db, 'DD', '西安区司法局', 'bureau', root),
  };
  const user = (username: string, role: Role, unitId: number, displayName: string) => addUser(db, { username, role, unitId, displayName });
  const reviewers = {
    ra: await user('rev-a', 'reviewer', units.a, '甲评查员'),
    rb: await user('rev-b', 'reviewer', units.b, '乙评查员'),
    rc: await user('rev-c', 'reviewer', units.c, '丙评查员'),
    rd: await user('rev-d', 'reviewer', units.d, '丁复核员'),
  };
  const departments = {
    a: await user('dept-a', 'department', units.a, '东安市监'),
    b: await user('dept-b', 'department', units.b, '阳明生态'),
    c: await user('dept-c', 'department', units.c, '爱民交通'),
  };
  const leader = await user('leader', 'leader', root, '局领导');
  const now = new Date().toISOString();
  const { id: campaignId } = await db.insertInto('campaigns').values({
    name: '2026年度行政执法案卷交叉评查', year: 2026, kind: 'cross', status: options.status ?? 'reviewing', description: null,
    period_from: null, period_to: null, reviewers_per_file: options.reviewersPerFile ?? 2,
    disagreement_threshold_tenths: options.thresholdTenths ?? 50, common_issue_threshold: 3, objection_window_days: 5,
    rectification_days: 30, doc_number_pattern: '案评整改〔{year}〕{seq}号', created_at: now, created_by: null, updated_at: now, status_changed_at: now,
  }).returning('id').executeTakeFirstOrThrow();
  for (const unitId of [units.a, units.b, units.c]) await db.insertInto('campaign_units').values({ campaign_id: campaignId, unit_id: unitId }).execute();
  const versions = await db.selectFrom('rubric_versions').select(['id', 'case_types']).orderBy('id').execute();
  for (const caseType of ['penalty', 'license', 'inspection', 'coercion']) {
    const version = versions.find((v) => (JSON.parse(v.case_types) as string[]).includes(caseType));
    if (version) await db.insertInto('campaign_rubrics').values({ campaign_id: campaignId, case_type: caseType, rubric_version_id: version.id }).execute();
  }
  for (const id of Object.values(reviewers)) await db.insertInto('reviewer_pool').values({ campaign_id: campaignId, user_id: id, added_at: now }).execute();
  const file = async (unitId: number, fileNumber: string, reviewerIds: number[]) => {
    const { id } = await db.insertInto('case_files').values({
      campaign_id: campaignId, unit_id: unitId, file_number: fileNumber, case_type: 'penalty', cause: '未取得营业执照从事经营活动',
      handlers: '张三、李四', is_major: 0, closed_on: '2026-03-01', pages: 46, source: 'import', created_at: now, created_by: null,
      field: '市场监管', party: '某商行',
    }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('sampled_files').values({
      campaign_id: campaignId, case_file_id: id, origin: 'draw', draw_id: null, added_at: now, added_by: null, added_reason: null,
      removed_at: null, removed_by: null, removed_reason: null,
    }).execute();
    for (const reviewerId of reviewerIds.slice(0, options.reviewersPerFile ?? 2)) {
      await db.insertInto('assignments').values({
        campaign_id: campaignId, case_file_id: id, reviewer_id: reviewerId, origin: 'auto', assigned_at: now, assigned_by: null,
        removed_at: null, removed_by: null, removed_reason: null,
      }).execute();
    }
    return id;
  };
  const files = {
    a1: await file(units.a, 'DA-2026-001', [reviewers.rb, reviewers.rc]),
    a2: await file(units.a, 'DA-2026-002', [reviewers.rb, reviewers.rc]),
    b1: await file(units.b, 'DB-2026-001', [reviewers.ra, reviewers.rc]),
    c1: await file(units.c, 'DC-2026-001', [reviewers.ra, reviewers.rb]),
  };
  return {
    campaignId, units, reviewers, departments, leader, files,
    usernames: { ra: 'rev-a', rb: 'rev-b', rc: 'rev-c', rd: 'rev-d', da: 'dept-a', db: 'dept-b', dc: 'dept-c', leader: 'leader' },
  };
}

/** A request context for a user, as a page would build it, for calling services directly. */
export async function ctxFor(t: TestApp, userId: number): Promise<Ctx> {
  const u = await t.db.selectFrom('users').innerJoin('units', 'units.id', 'users.unit_id')
    .select(['users.id', 'users.username', 'users.display_name', 'users.role', 'users.unit_id', 'units.name as unit_name'])
    .where('users.id', '=', userId).executeTakeFirstOrThrow();
  return {
    db: t.db, config: t.config, clock: t.clock, logger: createLogger(t.config), ip: '127.0.0.1',
    actor: { id: u.id, username: u.username, displayName: u.display_name, role: u.role as Role, unitId: u.unit_id, unitName: u.unit_name, mustChangePassword: false },
  };
}

/**
 * Saves (and by default submits) a reviewer's sheet through the service. `deductions` as { code: count } for
 * per-occurrence items or { code: 'points' } with a string for range items; vetoes as codes (a note is added).
 */
export async function saveAs(
  t: TestApp, fx: ReviewFixture, reviewerId: number, fileId: number,
  marks: { deductions?: Record<string, number | string>; vetoes?: string[] } = {}, submit = true,
): Promise<SaveResult> {
  const ctx = await ctxFor(t, reviewerId);
  const existing = await t.db.selectFrom('reviews').select('revision').where('case_file_id', '=', fileId).where('reviewer_id', '=', reviewerId).executeTakeFirst();
  const input: SheetInput = {
    deductions: Object.entries(marks.deductions ?? {}).map(([itemCode, v]) => (typeof v === 'number'
      ? { itemCode, count: v, note: `${itemCode} 问题说明`, document: '行政处罚决定书', page: '3' }
      : { itemCode, points: v, note: `${itemCode} 问题说明`, document: '调查终结报告', page: '12' })),
    vetoes: (marks.vetoes ?? []).map((code) => ({ code, note: `${code} 具体问题` })),
    opinion: '',
  };
  return saveSheet(ctx, fx.campaignId, fileId, input, existing?.revision ?? 0, submit, true);
}

/** The administrator's context. */
export async function adminCtxOf(t: TestApp): Promise<Ctx> {
  return ctxFor(t, (await t.db.selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow()).id);
}

/**
 * Scores every file with agreeing sheets: S1-01 in all three units (common at threshold 3), S3-01 in unit A
 * only (individual); each file gets a final result. With `release`, the campaign moves on to 结果已发布.
 */
export async function scoreAllAgreeing(t: TestApp, fx: ReviewFixture, release = false): Promise<void> {
  await saveAs(t, fx, fx.reviewers.rb, fx.files.a1, { deductions: { 'S1-01': 1, 'S3-01': 1 } });
  await saveAs(t, fx, fx.reviewers.rc, fx.files.a1, { deductions: { 'S1-01': 1 } });
  await saveAs(t, fx, fx.reviewers.rb, fx.files.a2, { deductions: { 'S1-01': 1 } });
  await saveAs(t, fx, fx.reviewers.rc, fx.files.a2, {});
  await saveAs(t, fx, fx.reviewers.ra, fx.files.b1, { deductions: { 'S1-01': 2 } });
  await saveAs(t, fx, fx.reviewers.rc, fx.files.b1, { deductions: { 'S1-01': 2 } });
  await saveAs(t, fx, fx.reviewers.ra, fx.files.c1, { deductions: { 'S1-01': 1 } });
  await saveAs(t, fx, fx.reviewers.rb, fx.files.c1, {});
  if (!release) return;
  const admin = await adminCtxOf(t);
  await transitionCampaign(admin, fx.campaignId, 'rechecking');
  await transitionCampaign(admin, fx.campaignId, 'released');
}

/**
 * An earlier year's campaign with final results inserted directly (trend and history read only campaigns,
 * case_files and final_results): 2025, unit A 80 and 90, unit B 70 — region average 80.
 */
export async function insertPastYear(t: TestApp, fx: ReviewFixture, status: 'released' | 'closed', withUnits = false): Promise<number> {
  const now = new Date().toISOString();
  const { id } = await t.db.insertInto('campaigns').values({
    name: '2025年度行政执法案卷交叉评查', year: 2025, kind: 'cross', status, description: null, period_from: null, period_to: null,
    reviewers_per_file: 2, disagreement_threshold_tenths: 50, common_issue_threshold: 3, objection_window_days: 5, rectification_days: 30,
    doc_number_pattern: '案评整改〔{year}〕{seq}号', created_at: now, created_by: null, updated_at: now, status_changed_at: now,
  }).returning('id').executeTakeFirstOrThrow();
  if (withUnits) for (const unitId of [fx.units.a, fx.units.b]) await t.db.insertInto('campaign_units').values({ campaign_id: id, unit_id: unitId }).execute();
  const result = async (unitId: number, fileNumber: string, tenths: number, grade: [string, string]) => {
    const file = (await t.db.insertInto('case_files').values({
      campaign_id: id, unit_id: unitId, file_number: fileNumber, case_type: 'penalty', cause: '往年案卷', handlers: '张三、李四', is_major: 0,
      closed_on: '2025-03-01', pages: 20, source: 'import', created_at: now, created_by: null, field: null, party: null,
    }).returning('id').executeTakeFirstOrThrow()).id;
    await t.db.insertInto('final_results').values({
      campaign_id: id, case_file_id: file, revision: 1, supersedes_id: null, method: 'average', total_tenths: tenths, grade_code: grade[0],
      grade_label: grade[1], passing: 1, sheets: '[]', basis: '[]', withdrawn: '{"deductions":[],"vetoes":[]}', objection_id: null,
      explanation: '', created_at: now, created_by: null, superseded_at: null,
    }).execute();
  };
  await result(fx.units.a, 'DA-2025-001', 800, ['good', '良好']);
  await result(fx.units.a, 'DA-2025-002', 900, ['excellent', '优秀']);
  await result(fx.units.b, 'DB-2025-001', 700, ['pass', '合格']);
  return id;
}
