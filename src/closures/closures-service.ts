import type { Db, DbOrTx } from '../db/schema.js';
import type { Clock } from '../lib/clock.js';
import { conflict, notFound } from '../lib/errors.js';
import { atomic } from '../db/atomic.js';
import { addDays, startOfLocalDate } from '../lib/time.js';
import { syncGroupSessions, CLOSURE_REASON } from '../sessions/session-sync.js';

interface Scope {
  practiceId: number;
  timezone: string;
  horizonDays: number;
}

export function listClosures(db: Db, practiceId: number) {
  return db.selectFrom('closures').select(['id', 'date', 'reason']).where('practice_id', '=', practiceId).orderBy('date').execute();
}

async function resyncPractice(db: DbOrTx, scope: Scope, now: number) {
  const groups = await db.selectFrom('community_groups').selectAll().where('practice_id', '=', scope.practiceId).execute();
  for (const g of groups) await syncGroupSessions(db, g, scope.timezone, now, scope.horizonDays);
}

/**
 * A closure date cancels every session on it, including ones a CLP had moved there;
 * untouched sessions come back by themselves if the closure is removed.
 */
export async function addClosure(db: Db, clock: Clock, scope: Scope, date: string, reason: string | null) {
  const now = clock.now().getTime();
  return atomic(db, async (tx) => {
    const existing = await tx.selectFrom('closures').select('id').where('practice_id', '=', scope.practiceId).where('date', '=', date).executeTakeFirst();
    if (existing) throw conflict('That date is already a closure');
    const row = await tx
      .insertInto('closures')
      .values({ practice_id: scope.practiceId, date, reason, created_at: now })
      .returning(['id', 'date', 'reason'])
      .executeTakeFirstOrThrow();
    await resyncPractice(tx, scope, now);
    const edited = await tx
      .selectFrom('sessions')
      .select(['id', 'sequence'])
      .where('practice_id', '=', scope.practiceId)
      .where('status', '=', 'scheduled')
      .where('starts_at', '>=', Math.max(now, startOfLocalDate(date, scope.timezone)))
      .where('starts_at', '<', startOfLocalDate(addDays(date, 1), scope.timezone))
      .execute();
    for (const s of edited) {
      await tx
        .updateTable('sessions')
        .set({
          status: 'cancelled',
          cancel_reason: reason ? `${CLOSURE_REASON}: ${reason}` : CLOSURE_REASON,
          edited: 1,
          sequence: s.sequence + 1,
          updated_at: now,
        })
        .where('id', '=', s.id)
        .execute();
    }
    return row;
  });
}

export async function removeClosure(db: Db, clock: Clock, scope: Scope, id: number) {
  const now = clock.now().getTime();
  await atomic(db, async (tx) => {
    const deleted = await tx.deleteFrom('closures').where('practice_id', '=', scope.practiceId).where('id', '=', id).executeTakeFirst();
    if (Number(deleted.numDeletedRows) === 0) throw notFound('Closure');
    await resyncPractice(tx, scope, now);
  });
}
