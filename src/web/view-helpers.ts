// Template helpers. A helper that returns HTML escapes its inputs and returns a SafeString.
import type HandlebarsNS from 'handlebars';
import { formatDate, formatDateTime } from './format.ts';
import { CAMPAIGN_STATUS_LABELS, type CampaignStatus } from '../domain/campaigns.ts';
import {
  CASE_TYPE_LABELS, REVIEWER_POOL_LABELS, ROLE_LABELS, UNIT_KIND_LABELS,
  type CaseType, type ReviewerPool, type Role, type UnitKind,
} from '../domain/vocabulary.ts';

type Hbs = typeof HandlebarsNS;

export function registerHelpers(hbs: Hbs): void {
  const lookup = <K extends string>(labels: Record<K, string>) => (code: unknown) =>
    typeof code === 'string' && code in labels ? labels[code as K] : (code ?? '');

  hbs.registerHelper({
    eq: (a: unknown, b: unknown) => a === b || (a != null && b != null && String(a) === String(b)),
    ne: (a: unknown, b: unknown) => String(a) !== String(b),
    not: (a: unknown) => !a,
    and: (...args: unknown[]) => args.slice(0, -1).every(Boolean),
    or: (...args: unknown[]) => args.slice(0, -1).some(Boolean),
    gt: (a: number, b: number) => a > b,
    add: (a: number, b: number) => Number(a) + Number(b),
    includes: (list: unknown, value: unknown) => Array.isArray(list) && list.map(String).includes(String(value)),
    /** A value from a data structure, readable in a table cell (escaped by the caller's {{…}}). */
    json: (value: unknown) => (value === null || value === undefined ? '（无）' : typeof value === 'string' ? value : JSON.stringify(value)),
    dateTime: (iso: string) => formatDateTime(iso),
    date: (value: string) => formatDate(value),
    roleLabel: lookup<Role>(ROLE_LABELS),
    unitKindLabel: lookup<UnitKind>(UNIT_KIND_LABELS),
    poolLabel: lookup<ReviewerPool>(REVIEWER_POOL_LABELS),
    caseTypeLabel: lookup<CaseType>(CASE_TYPE_LABELS),
    campaignStatusLabel: lookup<CampaignStatus>(CAMPAIGN_STATUS_LABELS),
    caseTypeLabels: (codes: unknown) =>
      Array.isArray(codes) ? codes.map((c) => CASE_TYPE_LABELS[c as CaseType] ?? String(c)).join('、') : '',
    /** Builds a query string from the current filters plus overrides, for pagination links. */
    queryWith: (query: Record<string, unknown>, key: string, value: unknown) => {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== '' && k !== key) params.set(k, String(v));
      params.set(key, String(value));
      return `?${params.toString()}`;
    },
    /** Non-breaking indentation for tree rows; returns markup, so it is built from a number only. */
    indent: (depth: number) => new hbs.SafeString('<span class="tree-indent"></span>'.repeat(Math.max(0, Math.min(10, Number(depth) || 0)))),
  });
}
