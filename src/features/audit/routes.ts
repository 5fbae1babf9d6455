// The audit log page: every state change, filterable by who, what, which record and when.
import { Router } from 'express';
import type { Deps } from '../../context.ts';
import { permit } from '../../web/auth.ts';
import { text, pageParam } from '../../web/form.ts';
import {
  CASE_TYPE_LABELS, REVIEWER_POOL_LABELS, ROLE_LABELS, UNIT_KIND_LABELS,
  type CaseType, type ReviewerPool, type Role, type UnitKind,
} from '../../domain/vocabulary.ts';
import { CAMPAIGN_KIND_LABELS, CAMPAIGN_STATUS_LABELS, type CampaignKind, type CampaignStatus } from '../../domain/campaigns.ts';
import { AUDIT_ACTION_LABELS, AUDIT_ENTITY_LABELS, AUDIT_FIELD_LABELS, AUDIT_FIELD_LABELS_BY_ENTITY } from './actions.ts';
import { AUDIT_PAGE_SIZE, searchAudit, type AuditFilter } from './queries.ts';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A Shanghai calendar day (UTC+8, no daylight saving) as a UTC instant. */
function shanghaiMidnight(date: string, plusDays = 0): string | undefined {
  if (!DATE.test(date)) return undefined;
  const t = Date.parse(`${date}T00:00:00+08:00`);
  return Number.isNaN(t) ? undefined : new Date(t + plusDays * 86_400_000).toISOString();
}

type Json = Record<string, unknown>;

function parseSnapshot(s: string | null): Json {
  try {
    const v: unknown = s ? JSON.parse(s) : {};
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : { 值: v };
  } catch {
    return {};
  }
}

/** A stored value as a person reads it: codes become their Chinese labels, unit ids the unit's name. */
function describeValue(field: string, value: unknown, unitNames: ReadonlyMap<number, string>): string {
  if (value === undefined || value === null || value === '') return '（空）';
  if (field === 'active') return value === 1 || value === true ? '启用' : '停用';
  if ((field === 'unit_id' || field === 'parent_id') && typeof value === 'number') return unitNames.get(value) ?? `#${value}`;
  if (field === 'kind') return UNIT_KIND_LABELS[value as UnitKind] ?? CAMPAIGN_KIND_LABELS[value as CampaignKind] ?? String(value);
  if (field === 'status') return CAMPAIGN_STATUS_LABELS[value as CampaignStatus] ?? String(value);
  if (field === 'case_type') return CASE_TYPE_LABELS[value as CaseType] ?? String(value);
  if (field === 'is_major') return value === 1 || value === true ? '是' : '否';
  if (field === 'role') return ROLE_LABELS[value as Role] ?? String(value);
  if (field === 'pool_type') return REVIEWER_POOL_LABELS[value as ReviewerPool] ?? String(value);
  if (field === 'case_types') {
    let list: unknown = value;
    try {
      if (typeof value === 'string') list = JSON.parse(value);
    } catch {
      return value as string;
    }
    return Array.isArray(list) && list.length > 0 ? list.map((c) => CASE_TYPE_LABELS[c as CaseType] ?? String(c)).join('、') : '（不限）';
  }
  if (Array.isArray(value)) return value.join('、');
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Before → after, one line per changed field, for the table. */
function changes(entityType: string, beforeJson: string | null, afterJson: string | null, unitNames: ReadonlyMap<number, string>) {
  const before = parseSnapshot(beforeJson);
  const after = parseSnapshot(afterJson);
  return [...new Set([...Object.keys(before), ...Object.keys(after)])].map((field) => ({
    field: AUDIT_FIELD_LABELS_BY_ENTITY[entityType]?.[field] ?? AUDIT_FIELD_LABELS[field] ?? field,
    before: field in before ? describeValue(field, before[field], unitNames) : '',
    after: field in after ? describeValue(field, after[field], unitNames) : '',
  }));
}

export function auditRoutes(deps: Deps): Router {
  const router = Router();
  router.get('/audit', permit('audit.view'), async (req, res) => {
    const form = {
      actor: text(req.query, 'actor').trim().slice(0, 50),
      action: text(req.query, 'action') in AUDIT_ACTION_LABELS ? text(req.query, 'action') : '',
      entityType: text(req.query, 'entityType') in AUDIT_ENTITY_LABELS ? text(req.query, 'entityType') : '',
      entityId: /^\d{1,10}$/.test(text(req.query, 'entityId')) ? text(req.query, 'entityId') : '',
      from: DATE.test(text(req.query, 'from')) ? text(req.query, 'from') : '',
      to: DATE.test(text(req.query, 'to')) ? text(req.query, 'to') : '',
    };
    const filter: AuditFilter = {
      actor: form.actor, action: form.action, entityType: form.entityType, entityId: form.entityId,
      fromIso: shanghaiMidnight(form.from), toIso: shanghaiMidnight(form.to, 1),
    };
    const page = pageParam(req.query);
    const { total, rows } = await searchAudit(deps.db, filter, page);
    const unitNames = new Map((await deps.db.selectFrom('units').select(['id', 'name']).execute()).map((u) => [u.id, u.name]));
    const pages = Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE));
    res.render('audit/index', {
      title: '操作日志',
      entries: rows.map((r) => ({
        ...r,
        actionLabel: AUDIT_ACTION_LABELS[r.action] ?? r.action,
        entityLabel: AUDIT_ENTITY_LABELS[r.entity_type] ?? r.entity_type,
        changes: changes(r.entity_type, r.before_json, r.after_json, unitNames),
      })),
      form, query: form, total, page, pages, hasPrev: page > 1, hasNext: page < pages,
      actionOptions: Object.entries(AUDIT_ACTION_LABELS).map(([value, label]) => ({ value, label })),
      entityOptions: Object.entries(AUDIT_ENTITY_LABELS).map(([value, label]) => ({ value, label })),
    });
  });
  return router;
}
