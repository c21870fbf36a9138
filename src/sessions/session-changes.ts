import type { Db, Session } from '../db/schema.js';
import type { Clock } from '../lib/time/clock.js';
import { queueSessionNotice, type Queued } from '../sms/outbox/outbox.js';
import type { TemplateLibrary } from '../sms/wording/templates.js';
import { cancelSession, getSession, moveSession, restoreSession, type MoveInput, type Scope } from './sessions-service.js';

export type SessionChange = { kind: 'cancel'; reason: string } | { kind: 'restore' } | ({ kind: 'move' } & MoveInput);

export interface ChangeOptions {
  templates: TemplateLibrary;
  userId: number;
  /** Text everyone enrolled (default). Off: the change is silent, but stale reminders still go. */
  notify: boolean;
}

/**
 * Cancels, restores or moves a session and queues the one text each enrolled person should get
 * about it (cancelled, back on, moved), whichever page or API route asked. A repeat of the same
 * change (a retry on a bad connection) changes nothing and texts nobody.
 */
export async function changeSession(db: Db, clock: Clock, scope: Scope, id: number, change: SessionChange, opts: ChangeOptions) {
  const before = await getSession(db, scope.practiceId, id);
  let row: Session;
  if (change.kind === 'cancel') row = await cancelSession(db, clock, scope, id, change.reason);
  else if (change.kind === 'restore') row = await restoreSession(db, clock, scope, id);
  else row = await moveSession(db, clock, scope, id, change);
  let texted: Queued = { queued: 0, skipped: 0 };
  if (row.sequence !== before.sequence) {
    const kind = change.kind === 'cancel' ? 'cancellation' : change.kind === 'restore' ? 'back_on' : 'moved';
    texted = await queueSessionNotice(db, opts.templates, kind, row.id, clock.now().getTime(), { userId: opts.userId, silent: !opts.notify });
  }
  return { session: row, texted };
}
