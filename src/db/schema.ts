// Table types as the application sees them today. Migrations do not import these: they are frozen in time.
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** 0/1 stored as integer so the schema stays portable across SQLite and PostgreSQL. */
export type Flag = 0 | 1;

export interface UnitTable {
  id: Generated<number>;
  code: string;
  name: string;
  kind: string; // UnitKind
  parent_id: number | null;
  active: ColumnType<Flag, Flag | undefined, Flag>;
  created_at: string;
  updated_at: string;
}

export interface UserTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  password_hash: string;
  role: string; // Role
  unit_id: number;
  pool_type: string | null; // ReviewerPool, reviewers only
  case_types: string; // JSON array of CaseType, reviewers only
  phone: string | null;
  active: ColumnType<Flag, Flag | undefined, Flag>;
  must_change_password: ColumnType<Flag, Flag | undefined, Flag>;
  failed_logins: ColumnType<number, number | undefined, number>;
  locked_until: string | null;
  last_login_at: string | null;
  password_changed_at: string;
  created_at: string;
  updated_at: string;
}

export interface SessionTable {
  sid: string;
  data: string;
  user_id: number | null;
  expires_at: string;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actor_id: number | null;
  actor_name: string;
  action: string;
  entity_type: string;
  entity_id: string | null;
  summary: string;
  before_json: string | null;
  after_json: string | null;
  ip: string | null;
}

export interface AppSettingTable {
  key: string;
  value: string;
}

export interface RubricVersionTable {
  id: Generated<number>;
  rubric_key: string; // the rubric's "id"; stable across versions
  version: string;
  title: string;
  case_types: string; // JSON array of CaseType
  effective_from: string;
  effective_to: string | null;
  content: string; // the validated rubric as canonical JSON; never updated
  content_hash: string; // sha256 of content
  source: string; // 'file' (rubrics/ folder) | 'upload'
  source_name: string;
  created_at: string;
  created_by: number | null;
}

export interface RubricLoadProblemTable {
  id: Generated<number>;
  source_name: string;
  problems: string; // JSON array of { path, message }
  checked_at: string;
}

export interface CampaignTable {
  id: Generated<number>;
  name: string;
  year: number;
  kind: string; // CampaignKind
  status: string; // CampaignStatus
  description: string | null;
  period_from: string | null;
  period_to: string | null;
  reviewers_per_file: number;
  disagreement_threshold_tenths: number;
  common_issue_threshold: number;
  objection_window_days: number;
  rectification_days: number;
  doc_number_pattern: string;
  created_at: string;
  created_by: number | null;
  updated_at: string;
  status_changed_at: string;
  released_at: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface CampaignUnitTable {
  campaign_id: number;
  unit_id: number;
  reported_total: number | null; // all files of the period, reported by the unit (for coverage 评查面)
  reported_at: string | null;
  reported_by: number | null;
}

export interface CampaignRubricTable {
  campaign_id: number;
  case_type: string;
  rubric_version_id: number;
}

export interface CaseFileTable {
  id: Generated<number>;
  campaign_id: number;
  unit_id: number;
  file_number: string;
  case_type: string;
  field: string | null; // 执法门类
  cause: string; // 案由
  party: string | null; // 当事人
  handlers: string; // 执法人员, names separated by 、
  is_major: ColumnType<Flag, Flag | undefined, Flag>;
  closed_on: string | null;
  pages: number | null;
  source: string; // 'entry' | 'import'
  created_at: string;
  created_by: number | null;
}

export interface SamplingRuleTable {
  id: Generated<number>;
  campaign_id: number;
  unit_id: number | null;
  case_type: string | null;
  mode: string; // 'count' | 'percent'
  value: number;
  minimum: number | null;
  major_weight: ColumnType<number, number | undefined, number>;
}

export interface SampleDrawTable {
  id: Generated<number>;
  campaign_id: number;
  seed: string;
  inputs_json: string;
  result_json: string;
  drawn_at: string;
  drawn_by: number | null;
  superseded_at: string | null;
}

export interface SampledFileTable {
  id: Generated<number>;
  campaign_id: number;
  case_file_id: number;
  origin: string; // 'draw' | 'manual'
  draw_id: number | null;
  added_at: string;
  added_by: number | null;
  added_reason: string | null;
  removed_at: string | null;
  removed_by: number | null;
  removed_reason: string | null;
}

export interface ReviewerPoolTable {
  campaign_id: number;
  user_id: number;
  added_at: string;
}

export interface ReviewerConflictTable {
  id: Generated<number>;
  campaign_id: number;
  reviewer_id: number;
  unit_id: number | null;
  case_file_id: number | null;
  reason: string;
  declared_at: string;
  declared_by: number | null;
}

export interface AssignmentTable {
  id: Generated<number>;
  campaign_id: number;
  case_file_id: number;
  reviewer_id: number;
  origin: string; // 'auto' | 'manual'
  assigned_at: string;
  assigned_by: number | null;
  removed_at: string | null;
  removed_by: number | null;
  removed_reason: string | null;
}

export interface RecheckTable {
  id: Generated<number>;
  campaign_id: number;
  case_file_id: number;
  reasons: string; // JSON string[]
  created_at: string;
  rechecker_id: number | null;
  assigned_at: string | null;
  assigned_by: number | null;
  resolved_at: string | null;
}

export interface ReviewTable {
  id: Generated<number>;
  campaign_id: number;
  case_file_id: number;
  reviewer_id: number;
  kind: string; // 'review' | 'recheck'
  rubric_version_id: number;
  status: string; // 'draft' | 'submitted'
  revision: number;
  opinion: string | null;
  total_tenths: number;
  points_score_tenths: number;
  grade_code: string;
  grade_label: string;
  passing: Flag;
  deciding_veto: string | null;
  created_at: string;
  updated_at: string;
  submitted_at: string | null;
}

export interface ReviewMarkTable {
  id: Generated<number>;
  review_id: number;
  position: number;
  kind: string; // 'deduction' | 'veto'
  item_code: string;
  count: number | null;
  points_tenths: number | null;
  note: string | null;
  document: string | null;
  page: string | null;
}

export interface FinalResultTable {
  id: Generated<number>;
  campaign_id: number;
  case_file_id: number;
  revision: number;
  supersedes_id: number | null;
  method: string; // 'single' | 'average' | 'recheck'
  total_tenths: number;
  grade_code: string;
  grade_label: string;
  passing: Flag;
  sheets: string; // JSON number[]
  basis: string; // JSON number[]
  withdrawn: string; // JSON { deductions: string[]; vetoes: string[] }
  objection_id: number | null;
  explanation: string;
  created_at: string;
  created_by: number | null;
  superseded_at: string | null;
}

export interface ObjectionTable {
  id: Generated<number>;
  campaign_id: number;
  case_file_id: number;
  unit_id: number;
  final_result_id: number;
  target_kind: string; // 'deduction' | 'veto'
  target_code: string;
  reason: string;
  raised_by: number;
  raised_at: string;
  status: string; // 'open' | 'upheld' | 'rejected'
  decided_by: number | null;
  decided_at: string | null;
  decision_reason: string | null;
  result_id: number | null;
}

export interface IssueGroupTable {
  id: Generated<number>;
  campaign_id: number;
  title: string;
  created_at: string;
  created_by: number | null;
}

export interface IssueGroupMemberTable {
  group_id: number;
  review_mark_id: number;
}

export interface RectificationNoticeTable {
  id: Generated<number>;
  campaign_id: number;
  unit_id: number;
  year: number;
  seq: number;
  doc_number: string;
  issued_on: string;
  deadline: string;
  requirements: string;
  issued_by: number | null;
  created_at: string;
  report_submitted_at: string | null;
  report_submitted_by: number | null;
}

export interface RectificationItemTable {
  id: Generated<number>;
  notice_id: number;
  position: number;
  issue_key: string;
  kind: string; // FindingKind
  code: string;
  wording: string;
  category: string;
  scope: string; // IssueScope
  repeated: Flag;
  files: string; // JSON { fileId: number; fileNumber: string }[]
}

export interface RectificationMeasureTable {
  id: Generated<number>;
  item_id: number;
  notice_id: number;
  description: string;
  responsible: string;
  completed_on: string | null;
  evidence: string;
  status: string; // MeasureStatus
  created_by: number | null;
  created_at: string;
  updated_at: string;
  submitted_at: string | null;
  verified_at: string | null;
  verified_by: number | null;
  returned_at: string | null;
  returned_by: number | null;
  return_reason: string | null;
  deleted_at: string | null;
}

export interface AttachmentTable {
  id: Generated<number>;
  measure_id: number;
  filename: string;
  mime: string;
  size: number;
  sha256: string;
  data: Buffer;
  uploaded_by: number | null;
  uploaded_at: string;
  removed_at: string | null;
}

export interface RatingRuleTable {
  id: Generated<number>;
  year: number;
  rule: string; // JSON RatingRule
  updated_at: string;
  updated_by: number | null;
}

export interface RatingPublicationTable {
  id: Generated<number>;
  year: number;
  revision: number;
  supersedes_id: number | null;
  rule: string; // JSON RatingRule
  rows: string; // JSON RatedUnit[] (src/domain/rating-diff.ts)
  note: string | null;
  published_at: string;
  published_by: number | null;
}

export interface Database {
  units: UnitTable;
  users: UserTable;
  sessions: SessionTable;
  audit_log: AuditLogTable;
  app_settings: AppSettingTable;
  rubric_versions: RubricVersionTable;
  rubric_load_problems: RubricLoadProblemTable;
  campaigns: CampaignTable;
  campaign_units: CampaignUnitTable;
  campaign_rubrics: CampaignRubricTable;
  case_files: CaseFileTable;
  sampling_rules: SamplingRuleTable;
  sample_draws: SampleDrawTable;
  sampled_files: SampledFileTable;
  reviewer_pool: ReviewerPoolTable;
  reviewer_conflicts: ReviewerConflictTable;
  assignments: AssignmentTable;
  rechecks: RecheckTable;
  reviews: ReviewTable;
  review_marks: ReviewMarkTable;
  final_results: FinalResultTable;
  objections: ObjectionTable;
  issue_groups: IssueGroupTable;
  issue_group_members: IssueGroupMemberTable;
  rectification_notices: RectificationNoticeTable;
  rectification_items: RectificationItemTable;
  rectification_measures: RectificationMeasureTable;
  attachments: AttachmentTable;
  rating_rules: RatingRuleTable;
  rating_publications: RatingPublicationTable;
}

export type UnitRow = Selectable<UnitTable>;
export type NewUnit = Insertable<UnitTable>;
export type UnitUpdate = Updateable<UnitTable>;
export type UserRow = Selectable<UserTable>;
export type NewUser = Insertable<UserTable>;
export type AuditRow = Selectable<AuditLogTable>;
export type RubricVersionRow = Selectable<RubricVersionTable>;
export type CampaignRow = Selectable<CampaignTable>;
export type CaseFileRow = Selectable<CaseFileTable>;
export type ReviewRow = Selectable<ReviewTable>;
export type ReviewMarkRow = Selectable<ReviewMarkTable>;
export type FinalResultRow = Selectable<FinalResultTable>;
export type ObjectionRow = Selectable<ObjectionTable>;
export type RecheckRow = Selectable<RecheckTable>;
export type RatingPublicationRow = Selectable<RatingPublicationTable>;
