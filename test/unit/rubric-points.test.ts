import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatPoints, formatTenths, parsePoints, tenthsOf, toTenths } from '../../src/domain/rubric/points.ts';

describe('points as integer tenths', () => {
  it.each([[0, 0], [0.1, 1], [0.3, 3], [0.5, 5], [2, 20], [87.5, 875], [100, 1000], [-0.5, -5], [-0, 0]])('%d → %i tenths', (value, tenths) => {
    expect(toTenths(value)).toBe(tenths);
  });
  it.each([0.25, 0.05, 1 / 3, 0.1 + 0.2, Number.NaN, Number.POSITIVE_INFINITY, 100_000.1])('%d is not a whole number of tenths', (value) => {
    expect(toTenths(value)).toBeNull();
  });
  it('round-trips every tenth through its JSON text', () => {
    fc.assert(fc.property(fc.integer({ min: -1_000_000, max: 1_000_000 }), (tenths) => {
      expect(toTenths(JSON.parse(formatTenths(tenths)) as number)).toBe(tenths);
      expect(parsePoints(formatTenths(Math.abs(tenths)))).toBe(Math.abs(tenths));
    }));
  });
  it('formats for display without trailing zeros', () => {
    expect([875, 900, 5, 0, -5, -120].map(formatTenths)).toEqual(['87.5', '90', '0.5', '0', '-0.5', '-12']);
    expect(formatPoints(2.5)).toBe('2.5');
    expect(() => tenthsOf(0.25)).toThrow('0.25');
    expect(() => formatTenths(0.5)).toThrow(RangeError);
  });
  it('parses what people type', () => {
    expect(['2', '0.5', ' 1.0 ', '.5', '１.５', '3．5', '1.50'].map(parsePoints)).toEqual([20, 5, 10, 5, 15, 35, 15]);
    expect(['', '.', '1.25', '-1', 'abc', '1,5', '1.'].map(parsePoints)).toEqual([null, null, null, null, null, null, null]);
  });
});
