import type { DbOrTx, Message } from '../../db/schema.js';
import { setBudgetStatus } from './budget.js';
import {
  sessionContext,
  sessionText,
  toldItWasOff,
  whyNotSendable,
  type SessionTextContext,
  type SessionTextKind,
  type Wording,
} from '../wording/message-context.js';
import type { PracticeTemplates } from '../wording/practice-templates.js';
import { nextSendableTime } from './quiet-hours.js';
import type { Sender } from '../twilio/transport.js';

/** What the dispatcher does with a claimed row: send these words to this number, skip it, or wait. */
export type Composed = ({ to: string; sender: Sender } & Wording) | { skip: string } | { deferTo: number };

const skip = (reason: string): Composed => ({ skip: reason });

async function enrolled(db: DbOrTx, groupId: number | null, participantId: number): Promise<boolean> {
  if (groupId === null) return false;
  const e = await db
    .selectFrom('enrolments')
    .select('id')
    .where('group_id', '=', groupId)
    .where('participant_id', '=', participantId)
    .where('status', '=', 'active')
    .executeTakeFirst();
  return e !== undefined;
}

/** The offset in minutes a reminder was planned for, from its key `reminder:session:participant:offset:sequence`. */
function reminderOffset(key: string | null): number {
  return Number(key?.split(':')[3] ?? NaN);
}

/** Catching up after downtime: an older reminder is pointless once a later one for the same session is due too. */
async function laterReminderDue(db: DbOrTx, m: Message, ctx: SessionTextContext, now: number): Promise<boolean> {
  const mine = reminderOffset(m.dedupe_key);
  const others = await db
    .selectFrom('messages')
    .select(['dedupe_key'])
    .where('session_id', '=', ctx.session_id)
    .where('participant_id', '=', m.participant_id)
    .where('kind', '=', 'reminder')
    .where('id', '!=', m.id)
    .where('about_sequence', '=', ctx.sequence)
    .where('status', 'not in', ['skipped', 'failed'])
    .execute();
  return others.some((o) => {
    const offset = reminderOffset(o.dedupe_key);
    return offset < mine && ctx.starts_at - offset * 60_000 <= now;
  });
}

/** The group's next session still to come, for welcomes and offers that name it. */
export async function nextSessionOf(db: DbOrTx, groupId: number, now: number): Promise<number | undefined> {
  const s = await db
    .selectFrom('sessions')
    .select('id')
    .where('group_id', '=', groupId)
    .where('status', '=', 'scheduled')
    .where('starts_at', '>', now)
    .orderBy('starts_at')
    .limit(1)
    .executeTakeFirst();
  return s?.id;
}

/**
 * A queued text checked against the truth at the moment it leaves, and worded from it: the
 * participant's current number and consent, their enrolment, the session's current status,
 * time and place. A row carries intent only; nothing it says is trusted from when it was planned.
 */
export async function composeAtSend(db: DbOrTx, wordingOf: (practiceId: number) => Promise<PracticeTemplates>, m: Message, now: number): Promise<Composed> {
  if (m.participant_id === null) return skip('erased');
  const p = await db.selectFrom('participants').selectAll().where('id', '=', m.participant_id).executeTakeFirst();
  if (!p) return skip('erased');
  const why = whyNotSendable(p);
  if (why) return skip(why);

  let wording: Wording;
  let ctx: SessionTextContext | undefined;
  if (m.kind === 'outcome_question') {
    // Asked only while the person still agrees and the practice still asks.
    const asks = await db.selectFrom('practices').select('outcome_texts').where('id', '=', p.practice_id).executeTakeFirst();
    if (p.outcome_text_consent !== 1 || asks?.outcome_texts !== 1) return skip('outcome_texts_off');
    wording = { body: m.body, language: m.language ?? 'en', fell_back_to_english: m.fell_back_to_english };
  } else if (m.kind === 'adhoc' || m.kind === 'help') {
    // A HELP answer is for whoever asked, enrolled or not; a CLP's words are for the group's people.
    if (m.kind === 'adhoc' && !(await enrolled(db, m.group_id, p.id))) return skip('not_enrolled');
    wording = { body: m.body, language: m.language ?? 'en', fell_back_to_english: m.fell_back_to_english };
  } else {
    // A welcome or an offer names the group's next session as it is now, not as it was when queued.
    const sessionId =
      m.kind === 'welcome' || m.kind === 'waitlist_offer' ? (m.group_id === null ? undefined : await nextSessionOf(db, m.group_id, now)) : m.session_id;
    if (sessionId === null || sessionId === undefined) return skip(m.kind === 'reminder' ? 'session_changed' : 'no_upcoming_session');
    ctx = await sessionContext(db, sessionId);
    if (!ctx) return skip('session_changed');
    if (ctx.group_status !== 'active') return skip('group_inactive');
    if (!(await enrolled(db, ctx.group_id, p.id))) return skip('not_enrolled');
    const stale = m.about_sequence !== null && m.about_sequence !== ctx.sequence;
    switch (m.kind) {
      case 'reminder':
        if (ctx.status === 'cancelled') return skip('session_cancelled');
        if (stale) return skip('session_changed');
        if (await hasApologies(db, ctx.session_id, p.id)) return skip('apologies_given');
        if (ctx.starts_at > now && (await laterReminderDue(db, m, ctx, now))) return skip('later_reminder_due');
        // Only reminders wait on the budget: a cancellation or a change must still reach people.
        if ((await setBudgetStatus(db, ctx.practice_id, now))?.state === 'paused') return skip('budget_paused');
        break;
      case 'cancellation':
        if (ctx.status !== 'cancelled' || stale) return skip('superseded');
        break;
      case 'moved':
        if (ctx.status === 'cancelled') return skip('session_cancelled');
        if (stale) return skip('superseded');
        break;
      case 'back_on':
        if (ctx.status === 'cancelled') return skip('session_cancelled');
        if (stale) return skip('superseded');
        if (!(await toldItWasOff(db, ctx.session_id, p.id)).has(p.id)) return skip('never_told_off');
        break;
      case 'apologies_confirmed':
        if (ctx.status === 'cancelled') return skip('session_cancelled');
        if (!(await hasApologies(db, ctx.session_id, p.id))) return skip('no_apologies');
        break;
    }
    wording = sessionText(await wordingOf(p.practice_id), m.kind as SessionTextKind, ctx, p);
  }

  // A text about a session is worth sending until the session starts; anything else until its own expiry.
  const expires = ctx ? ctx.starts_at : m.expires_at;
  if (expires !== null && expires <= now) return skip('too_late');
  const practice = await db
    .selectFrom('practices')
    .select(['timezone', 'sms_from', 'messaging_service_sid'])
    .where('id', '=', p.practice_id)
    .executeTakeFirstOrThrow();
  const sendable = nextSendableTime(now, practice.timezone);
  if (sendable > now) {
    if (expires !== null && sendable >= expires) return skip('quiet_hours');
    return { deferTo: sendable };
  }
  return { to: p.phone!, ...wording, sender: { from: practice.sms_from, messagingServiceSid: practice.messaging_service_sid } };
}

async function hasApologies(db: DbOrTx, sessionId: number, participantId: number): Promise<boolean> {
  const a = await db
    .selectFrom('attendance')
    .select('status')
    .where('session_id', '=', sessionId)
    .where('participant_id', '=', participantId)
    .where('status', '=', 'apologies')
    .executeTakeFirst();
  return a !== undefined;
}
