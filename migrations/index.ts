// The ordered list of migrations. Add a new file (NNNN_name.ts) and one line here; never edit a released one.
// Each migration is written against Kysely<any> so it stays frozen in time, and runs inside one transaction.
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import * as m0001 from './0001_foundation.ts';
import * as m0002 from './0002_rubrics.ts';
import * as m0003 from './0003_campaigns.ts';
import * as m0004 from './0004_sampled_files_history.ts';
import * as m0005 from './0005_reviews.ts';
import * as m0006 from './0006_issue_groups.ts';
import * as m0007 from './0007_rectification.ts';
import * as m0008 from './0008_annual_ratings.ts';

type Step = { up(db: Kysely<any>): Promise<void>; down?(db: Kysely<any>): Promise<void> };

function transactional(step: Step): Migration {
  return {
    up: (db) => db.transaction().execute((trx) => step.up(trx)),
    ...(step.down ? { down: (db: Kysely<any>) => db.transaction().execute((trx) => step.down!(trx)) } : {}),
  };
}

export const migrations: Record<string, Migration> = {
  '0001_foundation': transactional(m0001),
  '0002_rubrics': transactional(m0002),
  '0003_campaigns': transactional(m0003),
  '0004_sampled_files_history': transactional(m0004),
  '0005_reviews': transactional(m0005),
  '0006_issue_groups': transactional(m0006),
  '0007_rectification': transactional(m0007),
  '0008_annual_ratings': transactional(m0008),
};
