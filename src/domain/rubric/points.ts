// Exact point arithmetic. Points are held as integers in tenths (87.5 → 875), never as binary
// floats that drift (0.1 + 0.2 !== 0.3). JSON numbers are converted once, at the edge.

/** Largest point value we accept, in points. Keeps every sum far inside the safe-integer range. */
export const MAX_POINTS = 100_000;

/**
 * The number of tenths in a JSON number, or null if the value is not a whole number of tenths
 * (0.25, NaN, Infinity) or lies outside ±MAX_POINTS.
 *
 * A JSON text such as "87.5" or "0.3" parses to the double nearest to that decimal; the value is
 * accepted exactly when it is that nearest double for some whole number of tenths.
 */
export function toTenths(value: number): number | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  if (Math.abs(value) > MAX_POINTS) return null;
  const tenths = Math.round(value * 10);
  if (tenths / 10 !== value) return null;
  return tenths === 0 ? 0 : tenths; // no -0
}

/** Like toTenths, but throws: for values that have already been validated. */
export function tenthsOf(value: number): number {
  const tenths = toTenths(value);
  if (tenths === null) throw new RangeError(`分值 ${String(value)} 不是 0.1 的整数倍`);
  return tenths;
}

/** Tenths for display: 875 → "87.5", 900 → "90", -5 → "-0.5". */
export function formatTenths(tenths: number): string {
  if (!Number.isSafeInteger(tenths)) throw new RangeError(`不是整数的十分位分值：${String(tenths)}`);
  const sign = tenths < 0 ? '-' : '';
  const abs = Math.abs(tenths);
  const whole = Math.trunc(abs / 10);
  const tenth = abs % 10;
  return tenth === 0 ? `${sign}${whole}` : `${sign}${whole}.${tenth}`;
}

/** A point value (JSON number) for display, through tenths: 87.5 → "87.5". */
export function formatPoints(value: number): string {
  return formatTenths(tenthsOf(value));
}

/** Tenths back to a JSON number, for writing a rubric or an API response: 875 → 87.5. */
export function tenthsToNumber(tenths: number): number {
  return tenths / 10;
}

/**
 * Points typed by a person ("2", "0.5", " 1.0 ", "１.５" with full-width digits) → tenths, or null
 * if the text is not a non-negative number with at most one decimal place.
 */
export function parsePoints(text: string): number | null {
  const normalized = text
    .trim()
    .replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xff10 + 0x30))
    .replace(/[．。]/g, '.');
  const match = /^(\d{0,6})(?:\.(\d)0*)?$/.exec(normalized);
  if (!match || (match[1] === '' && match[2] === undefined)) return null;
  const whole = match[1] === '' ? 0 : Number(match[1]);
  const tenth = match[2] === undefined ? 0 : Number(match[2]);
  const tenths = whole * 10 + tenth;
  return tenths > MAX_POINTS * 10 ? null : tenths;
}
