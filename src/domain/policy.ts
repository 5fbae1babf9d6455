// The one place that decides who may do what. Routes ask `can`; queries narrow lists with `unitScope`.
import type { Role } from './vocabulary.ts';

export interface Actor {
  id: number;
  role: Role;
  unitId: number;
}

export type Action =
  | 'dashboard.view'
  | 'unit.list'
  | 'unit.view'
  | 'unit.manage'
  | 'user.list'
  | 'user.view'
  | 'user.manage'
  | 'audit.view'
  | 'rubric.view'
  | 'rubric.manage'
  | 'campaign.list'
  | 'campaign.view'
  | 'campaign.manage'
  | 'caseFile.list'
  | 'caseFile.manage'
  | 'queue.view'
  | 'review.write'
  | 'progress.view'
  | 'result.view'
  | 'objection.raise'
  | 'objection.decide'
  | 'rectification.view'
  | 'rectification.edit'
  | 'rectification.verify'
  | 'rating.view'
  | 'rating.publish';

/** What the action is aimed at, when it is aimed at one thing. */
export interface Target {
  unitId?: number;
  userId?: number;
  /** For campaign records: the actor's unit takes part in the campaign (department) or the actor is in its reviewer pool. */
  participant?: boolean;
}

type Rule = (actor: Actor, target: Target | undefined) => boolean;

const anyone: Rule = () => true;
const roles = (...allowed: Role[]): Rule => (actor) => allowed.includes(actor.role);
/** Bureau-wide readers see everything; a department user only its own unit. */
const readScoped: Rule = (actor, target) =>
  actor.role === 'admin' || actor.role === 'leader' ||
  (actor.role === 'department' && (target?.unitId === undefined || target.unitId === actor.unitId));

const rules: Record<Action, Rule> = {
  'dashboard.view': anyone,
  'unit.list': roles('admin', 'leader', 'department'),
  'unit.view': readScoped,
  'unit.manage': roles('admin'),
  'user.list': roles('admin', 'leader', 'department'),
  'user.view': (actor, target) => (target?.userId !== undefined && target.userId === actor.id) || readScoped(actor, target),
  'user.manage': roles('admin'),
  'audit.view': roles('admin', 'leader'),
  // The scoring standard is published: everyone who reviews or is reviewed reads it.
  'rubric.view': anyone,
  'rubric.manage': roles('admin'),
  // Campaigns: the bureau sees all; a department sees those its unit takes part in; a reviewer those whose pool holds them.
  'campaign.list': anyone,
  'campaign.view': (actor, target) =>
    actor.role === 'admin' || actor.role === 'leader' || ((actor.role === 'department' || actor.role === 'reviewer') && target?.participant === true),
  'campaign.manage': roles('admin'),
  // File lists (案卷目录): the bureau reads all; a department reads and enters its own unit's list.
  'caseFile.list': (actor, target) =>
    actor.role === 'admin' || actor.role === 'leader' ||
    (actor.role === 'department' && target?.participant === true && (target.unitId === undefined || target.unitId === actor.unitId)),
  'caseFile.manage': (actor, target) =>
    actor.role === 'admin' ||
    (actor.role === 'department' && target?.participant === true && target.unitId === actor.unitId),
  'queue.view': roles('reviewer'),
  // Score sheets: only reviewers write them, and only on files assigned to them (checked by the service).
  'review.write': roles('reviewer'),
  'progress.view': roles('admin', 'leader'),
  // Final results: the bureau reads all; a department its own unit's (once released, checked by the service).
  'result.view': (actor, target) =>
    actor.role === 'admin' || actor.role === 'leader' ||
    (actor.role === 'department' && target?.participant === true && (target.unitId === undefined || target.unitId === actor.unitId)),
  'objection.raise': (actor, target) => actor.role === 'department' && (target?.unitId === undefined || target.unitId === actor.unitId),
  'objection.decide': roles('admin'),
  // Rectification: the bureau issues notices and verifies; a department works its own unit's list only.
  'rectification.view': readScoped,
  'rectification.edit': (actor, target) => actor.role === 'department' && (target?.unitId === undefined || target.unitId === actor.unitId),
  'rectification.verify': roles('admin'),
  // Annual rating: the bureau reads every unit's row; a department only its own (narrowed by the service).
  'rating.view': readScoped,
  'rating.publish': roles('admin'),
};

export function can(actor: Actor, action: Action, target?: Target): boolean {
  return rules[action](actor, target);
}

/** Which units' records a list may show: every unit, or only these. */
export type UnitScope = { kind: 'all' } | { kind: 'units'; unitIds: number[] };

export function unitScope(actor: Actor): UnitScope {
  if (actor.role === 'admin' || actor.role === 'leader') return { kind: 'all' };
  return { kind: 'units', unitIds: [actor.unitId] };
}
