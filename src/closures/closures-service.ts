import type { Db, DbOrTx } from '../db/schema.js';
import type { Clock } from '../lib/time/clock.js';
import { conflict, notFound } from '../lib/errors.js';
import { atomic } from '../db/atomic.js';
import { addDays, startOfLocalDate } from '../lib/time/time.js';
import { syncGroupSessions, closureReason } from '../sessions/session-sync.js';
import { previewSessionNotice, queueSessionNotice, type Queued, type TextPreview } from '../sms/outbox/outbox.js';
import type { TemplateLibrary } from '../sms/wording/templates.js';

interface Scope {
  practiceId: number;
  timezone: string;
  horizonDays: number;
  /** Closing or re-opening a day texts everyone whose session it changes. */
  templates: TemplateLibrary;
  userId?: number;
}

/** The practice's sessions still to come on one local date, with their status. */
function sessionsOn(db: DbOrTx, scope: Scope, date: string, now: number) {
  return db
    .selectFrom('sessions')
    .select(['id', 'sequence', 'status', 'cancel_reason'])
    .where('practice_id', '=', scope.practiceId)
    .where('starts_at', '>=', Math.max(now, startOfLocalDate(date, scope.timezone)))
    .where('starts_at', '<', startOfLocalDate(addDays(date, 1), scope.timezone))
    .execute();
}

/** Texts the people of every session whose status the closure changed (cancelled, or back on); says how many. */
async function tellChanged(db: DbOrTx, scope: Scope, date: string, before: { id: number; status: string }[], now: number) {
  const was = new Map(before.map((s) => [s.id, s.status]));
  const told = { sessions: 0, queued: 0, skipped: 0 };
  for (const s of await sessionsOn(db, scope, date, now)) {
    if (was.get(s.id) === s.status) continue;
    const kind = s.status === 'cancelled' ? 'cancellation' : 'back_on';
    if (kind === 'back_on' && !was.has(s.id)) continue; // a slot that simply appeared: nobody was told it was off
    const q: Queued = await queueSessionNotice(db, scope.templates, kind, s.id, now, { userId: scope.userId });
    told.sessions++;
    told.queued += q.queued;
    told.skipped += q.skipped;
  }
  return told;
}

/**
 * What closing a day would do, before it is done: the sessions still to come on it that would be
 * cancelled, and every cancellation text as it would go (with who cannot be texted).
 */
export async function closurePreview(db: Db, scope: Scope, date: string, reason: string | null, now: number) {
  const sessions = await db
    .selectFrom('sessions as s')
    .innerJoin('community_groups as g', 'g.id', 's.group_id')
    .select(['s.id', 's.starts_at', 'g.name as group_name'])
    .where('s.practice_id', '=', scope.practiceId)
    .where('s.status', '=', 'scheduled')
    .where('s.starts_at', '>=', Math.max(now, startOfLocalDate(date, scope.timezone)))
    .where('s.starts_at', '<', startOfLocalDate(addDays(date, 1), scope.timezone))
    .orderBy('s.starts_at')
    .execute();
  const texts: TextPreview = { send: [], cannot: [] };
  for (const s of sessions) {
    const one = await previewSessionNotice(db, scope.templates, 'cancellation', s.id, { cancel_reason: closureReason(reason) });
    texts.send.push(...one.send);
    texts.cannot.push(...one.cannot);
  }
  return { sessions, texts };
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
    const before = await sessionsOn(tx, scope, date, now);
    const row = await tx
      .insertInto('closures')
      .values({ practice_id: scope.practiceId, date, reason, created_at: now })
      .returning(['id', 'date', 'reason'])
      .executeTakeFirstOrThrow();
    await resyncPractice(tx, scope, now);
    const stillOn = (await sessionsOn(tx, scope, date, now)).filter((s) => s.status === 'scheduled');
    for (const s of stillOn) {
      await tx
        .updateTable('sessions')
        .set({
          status: 'cancelled',
          cancel_reason: closureReason(reason),
          edited: 1,
          sequence: s.sequence + 1,
          updated_at: now,
        })
        .where('id', '=', s.id)
        .execute();
    }
    const told = await tellChanged(tx, scope, date, before, now);
    return { closure: row, cancelled: told.sessions, texted: { queued: told.queued, skipped: told.skipped } };
  });
}

export async function removeClosure(db: Db, clock: Clock, scope: Scope, id: number) {
  const now = clock.now().getTime();
  await atomic(db, async (tx) => {
    const closure = await tx
      .selectFrom('closures')
      .select(['date', 'reason'])
      .where('practice_id', '=', scope.practiceId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!closure) throw notFound('Closure');
    const before = await sessionsOn(tx, scope, closure.date, now);
    await tx.deleteFrom('closures').where('id', '=', id).execute();
    await resyncPractice(tx, scope, now);
    // The schedule brings back its own slots; one-offs and sessions moved onto the day were cancelled
    // by the closure by hand (addClosure), so they come back by the same mark: the closure's reason.
    for (const s of await sessionsOn(tx, scope, closure.date, now)) {
      if (s.status !== 'cancelled' || s.cancel_reason !== closureReason(closure.reason)) continue;
      await tx
        .updateTable('sessions')
        .set({ status: 'scheduled', cancel_reason: null, sequence: s.sequence + 1, updated_at: now })
        .where('id', '=', s.id)
        .execute();
    }
    await tellChanged(tx, scope, closure.date, before, now);
  });
}
