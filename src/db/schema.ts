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

export interface Database {
  units: UnitTable;
  users: UserTable;
  sessions: SessionTable;
  audit_log: AuditLogTable;
  app_settings: AppSettingTable;
  rubric_versions: RubricVersionTable;
  rubric_load_problems: RubricLoadProblemTable;
}

export type UnitRow = Selectable<UnitTable>;
export type NewUnit = Insertable<UnitTable>;
export type UnitUpdate = Updateable<UnitTable>;
export type UserRow = Selectable<UserTable>;
export type NewUser = Insertable<UserTable>;
export type AuditRow = Selectable<AuditLogTable>;
export type RubricVersionRow = Selectable<RubricVersionTable>;
