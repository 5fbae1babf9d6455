// express-session store over kysely: sessions live in the application database, so several
// processes behind one proxy share them, and an administrator can end a user's sessions.
import session from 'express-session';
import type { Clock } from '../clock.ts';
import type { Db, DbOrTrx } from '../db/connection.ts';

type Callback<T = void> = (err?: unknown, value?: T) => void;

export class KyselySessionStore extends session.Store {
  private lastPrune = 0;
  private readonly db: Db;
  private readonly clock: Clock;
  private readonly fallbackTtlMs: number;
  constructor(db: Db, clock: Clock, fallbackTtlMs: number) {
    super();
    this.db = db;
    this.clock = clock;
    this.fallbackTtlMs = fallbackTtlMs;
  }

  private expiresAt(sess: session.SessionData): string {
    const expires = sess.cookie?.expires ? new Date(sess.cookie.expires) : new Date(this.clock.now().getTime() + this.fallbackTtlMs);
    return expires.toISOString();
  }

  override get(sid: string, cb: Callback<session.SessionData | null>): void {
    this.db.selectFrom('sessions').select(['data', 'expires_at']).where('sid', '=', sid).executeTakeFirst()
      .then((row) => {
        if (!row || row.expires_at <= this.clock.now().toISOString()) return cb(null, null);
        cb(null, JSON.parse(row.data) as session.SessionData);
      }, cb);
  }

  override set(sid: string, sess: session.SessionData, cb?: Callback): void {
    const row = { sid, data: JSON.stringify(sess), user_id: sess.userId ?? null, expires_at: this.expiresAt(sess) };
    this.db.insertInto('sessions').values(row)
      .onConflict((oc) => oc.column('sid').doUpdateSet({ data: row.data, user_id: row.user_id, expires_at: row.expires_at }))
      .execute()
      .then(() => this.pruneNowAndThen())
      .then(() => cb?.(), (e) => cb?.(e));
  }

  override touch(sid: string, sess: session.SessionData, cb?: Callback): void {
    this.db.updateTable('sessions').set({ expires_at: this.expiresAt(sess) }).where('sid', '=', sid).execute()
      .then(() => cb?.(), (e) => cb?.(e));
  }

  override destroy(sid: string, cb?: Callback): void {
    this.db.deleteFrom('sessions').where('sid', '=', sid).execute().then(() => cb?.(), (e) => cb?.(e));
  }

  /** Expired rows are removed at most once a minute, on a write, so no timer keeps the process alive. */
  private async pruneNowAndThen(): Promise<void> {
    const now = this.clock.now();
    if (now.getTime() - this.lastPrune < 60_000) return;
    this.lastPrune = now.getTime();
    await this.db.deleteFrom('sessions').where('expires_at', '<=', now.toISOString()).execute();
  }
}

/** Ends every session of a user (on deactivation, password reset), optionally keeping the current one. */
export async function destroyUserSessions(db: DbOrTrx, userId: number, exceptSid?: string): Promise<void> {
  let q = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (exceptSid) q = q.where('sid', '!=', exceptSid);
  await q.execute();
}
