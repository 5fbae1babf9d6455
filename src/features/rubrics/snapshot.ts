// A rubric version is stored as canonical JSON (keys sorted) with its sha256, so reformatting a file is
// not a change, and any real change to a stored version is detected.
import crypto from 'node:crypto';

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
  }
  return value;
}

export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

export function contentHash(canonical: string): string {
  return crypto.createHash('sha256').update(canonical, 'utf8').digest('hex');
}
