import type { DbOrTrx } from '../../db/connection.ts';

export function findUserForLogin(db: DbOrTrx, username: string) {
  return db.selectFrom('users')
    .select(['id', 'username', 'display_name', 'password_hash', 'active', 'failed_logins', 'locked_until', 'must_change_password'])
    .where('username', '=', username)
    .executeTakeFirst();
}

export function findSessionUser(db: DbOrTrx, id: number) {
  return db.selectFrom('users')
    .innerJoin('units', 'units.id', 'users.unit_id')
    .select(['users.id', 'users.username', 'users.display_name', 'users.role', 'users.unit_id', 'users.active',
      'users.must_change_password', 'units.name as unit_name'])
    .where('users.id', '=', id)
    .executeTakeFirst();
}
