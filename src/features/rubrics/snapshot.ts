// A rubric version is stored as canonical JSON with its sha256, so reformatting a file is not a change,
// and any real change to a stored version is detected.
import crypto from 'node:crypto';

export { canonicalJson } from '../../domain/rubric/canonical.ts';

export function contentHash(canonical: string): string {
  return crypto.createHash('sha256').update(canonical, 'utf8').digest('hex');
}
