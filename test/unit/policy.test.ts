import { describe, expect, it } from 'vitest';
import { can, unitScope, type Action, type Actor } from '../../src/domain/policy.ts';

const admin: Actor = { id: 1, role: 'admin', unitId: 1 };
const leader: Actor = { id: 2, role: 'leader', unitId: 1 };
const reviewer: Actor = { id: 3, role: 'reviewer', unitId: 5 };
const dept: Actor = { id: 4, role: 'department', unitId: 7 };

describe('policy', () => {
  const table: [Action, boolean, boolean, boolean, boolean][] = [
    // action              admin  leader reviewer dept
    ['dashboard.view', true, true, true, true],
    ['unit.list', true, true, false, true],
    ['unit.manage', true, false, false, false],
    ['user.list', true, true, false, true],
    ['user.manage', true, false, false, false],
    ['audit.view', true, true, false, false],
    ['rating.view', true, true, false, true],
    ['rating.publish', true, false, false, false],
  ];
  it.each(table)('%s', (action, a, l, r, d) => {
    expect([admin, leader, reviewer, dept].map((actor) => can(actor, action))).toEqual([a, l, r, d]);
  });

  it('lets a department user read only its own unit', () => {
    expect(can(dept, 'unit.view', { unitId: 7 })).toBe(true);
    expect(can(dept, 'unit.view', { unitId: 8 })).toBe(false);
    expect(can(dept, 'user.view', { userId: 99, unitId: 8 })).toBe(false);
    expect(can(leader, 'unit.view', { unitId: 8 })).toBe(true);
    expect(can(dept, 'rating.view', { unitId: 7 })).toBe(true);
    expect(can(dept, 'rating.view', { unitId: 8 })).toBe(false);
  });
  it('lets everyone read their own user record and nobody else’s unless allowed', () => {
    expect(can(reviewer, 'user.view', { userId: 3, unitId: 5 })).toBe(true);
    expect(can(reviewer, 'user.view', { userId: 9, unitId: 5 })).toBe(false);
  });
  it('scopes lists by unit for everyone but the bureau', () => {
    expect(unitScope(admin)).toEqual({ kind: 'all' });
    expect(unitScope(leader)).toEqual({ kind: 'all' });
    expect(unitScope(dept)).toEqual({ kind: 'units', unitIds: [7] });
    expect(unitScope(reviewer)).toEqual({ kind: 'units', unitIds: [5] });
  });
});
