// Reading form fields defensively: a field may be missing, repeated or of the wrong type.
import type { Request } from 'express';
import { notFound } from './app-error.ts';
import type { FieldProblem } from '../domain/errors.ts';

type Body = Record<string, unknown>;

export function text(body: unknown, key: string): string {
  const value = (body as Body | undefined)?.[key];
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return '';
}

/** A whole positive number, or null when empty or not a number. */
export function optionalId(body: unknown, key: string): number | null {
  const raw = text(body, key).trim();
  return /^[1-9]\d{0,9}$/.test(raw) ? Number(raw) : null;
}

export function list(body: unknown, key: string): string[] {
  const value = (body as Body | undefined)?.[key];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

/** The :id of the route; anything but a positive integer is a page that does not exist. */
export function idParam(req: Request, name = 'id'): number {
  const raw = req.params[name];
  if (typeof raw !== 'string' || !/^[1-9]\d{0,9}$/.test(raw)) throw notFound();
  return Number(raw);
}

/** Problems keyed by field, for templates: errors.code, errors.name … */
export function byField(problems: readonly { field?: string; message: string }[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of problems as FieldProblem[]) {
    if (p.field) out[p.field] = out[p.field] ? `${out[p.field]}；${p.message}` : p.message;
  }
  return out;
}

/** Only local paths are followed after login, so a crafted link cannot send users elsewhere. */
export function safeLocalPath(value: unknown, fallback = '/'): string {
  return typeof value === 'string' && /^\/(?![/\\])[^\s]*$/.test(value) ? value : fallback;
}

/** ?page=N for lists: a whole number from 1; anything else (1.5, 1e308, -3, text) is page 1. */
export function pageParam(query: unknown): number {
  const raw = text(query, 'page').trim();
  return /^[1-9]\d{0,5}$/.test(raw) ? Number(raw) : 1;
}
