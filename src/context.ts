// What every service gets: the database, configuration, the clock and the logger (Deps), and for a
// request on behalf of a user, who is acting and from where (Ctx).
import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import type { Db } from './db/connection.ts';
import type { Logger } from './logger.ts';
import type { Actor } from './domain/policy.ts';
import type { CurrentUser } from './web/types.ts';

export interface Deps {
  db: Db;
  config: Config;
  clock: Clock;
  logger: Logger;
}

export interface Ctx extends Deps {
  actor: CurrentUser;
  ip: string | null;
}

export const asActor = (u: CurrentUser): Actor => ({ id: u.id, role: u.role, unitId: u.unitId });
export const nowIso = (clock: Clock): string => clock.now().toISOString();
