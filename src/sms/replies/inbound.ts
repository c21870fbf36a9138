import type { Db, Participant } from '../../db/schema.js';
import { normaliseMobile } from '../../lib/phone.js';
import { markNumber } from '../twilio/number-state.js';
import { queueApologiesConfirmed, queueHelpAnswer } from '../outbox/outbox.js';
import { replyIntent, type ReplyIntent } from './reply-words.js';
import type { TemplateLibrary } from '../wording/templates.js';
import { happinessAnswer, recordHappinessReply } from '../../outcomes/outcome-questions.js';

const APOLOGIES_WINDOW_MS = 48 * 3_600_000;

export interface InboundSms {
  from: string;
  to: string;
  body: string;
  sid: string;
  /** Twilio's Advanced Opt-Out verdict (STOP, START, HELP), whatever words were used. */
  optOutType?: string;
}

/**
 * The inboxes a text belongs in: the practice whose own number was texted; else every practice
 * where the sender is a participant (one number can be on two practices' records); else, for an
 * unknown sender on the shared number, the first practice using it. Never nobody.
 */
async function inboxPractices(db: Db, to: string, people: Participant[]): Promise<(number | null)[]> {
  const byNumber = to ? await db.selectFrom('practices').select('id').where('sms_from', '=', to).orderBy('id').executeTakeFirst() : undefined;
  if (byNumber) return [byNumber.id];
  if (people.length > 0) return [...new Set(people.map((p) => p.practice_id))];
  const shared = await db.selectFrom('practices').select('id').where('sms_from', 'is', null).orderBy('id').executeTakeFirst();
  return [shared?.id ?? (await db.selectFrom('practices').select('id').orderBy('id').executeTakeFirst())?.id ?? null];
}

/** The earliest session within 48 h of any of the sender's enrolments (one number can be on several records). */
async function nextSession(db: Db, people: Participant[], now: number) {
  if (people.length === 0) return undefined;
  return db
    .selectFrom('sessions as s')
    .innerJoin('enrolments as e', (j) => j.onRef('e.group_id', '=', 's.group_id').on('e.status', '=', 'active'))
    .select(['s.id', 's.starts_at', 'e.participant_id'])
    .where(
      'e.participant_id',
      'in',
      people.map((p) => p.id),
    )
    .where('s.status', '=', 'scheduled')
    .where('s.starts_at', '>', now)
    .where('s.starts_at', '<=', now + APOLOGIES_WINDOW_MS)
    .orderBy('s.starts_at')
    .limit(1)
    .executeTakeFirst();
}

/**
 * Handles a text from a patient: STOP / START / C acted on, everything kept in the inbox of the
 * practice that was texted (a Twilio retry of the same SID changes nothing).
 */
export async function handleInbound(db: Db, templates: TemplateLibrary, now: number, sms: InboundSms): Promise<{ intent: ReplyIntent; note: string | null }> {
  const intent = replyIntent(sms.body, sms.optOutType);
  const seen = await db.selectFrom('messages').select(['status_reason']).where('provider_sid', '=', sms.sid).executeTakeFirst();
  if (seen) return { intent, note: seen.status_reason };
  const parsed = normaliseMobile(sms.from);
  const phone = parsed.ok ? parsed.e164 : sms.from;
  const people = await peopleAt(db, phone);
  let note: string | null = null;
  const targets = await inboxPractices(db, sms.to, people);

  if ((intent === 'stop' || intent === 'stop_request') && people.length > 0) {
    await markNumber(db, phone, 'opted_out', now);
    note = intent === 'stop' ? 'opted out (STOP): no more texts' : 'opted out: asked in their own words to stop texts; no more texts';
  } else if (intent === 'start' && people.length > 0) {
    await db.updateTable('participants').set({ opted_out_at: null, updated_at: now }).where('phone', '=', phone).execute();
    note = 'opted back in (START)';
  } else if (intent === 'apologies') {
    note = await recordApologies(db, templates, people, now);
  } else if (intent === 'help' && people.length > 0) {
    // One answer, from the practice that was texted (or the sender's first), however many records share the number.
    const p = people.find((x) => x.practice_id === targets[0]) ?? people[0]!;
    await queueHelpAnswer(db, templates, p, sms.to, sms.sid, now);
    note = 'asked for HELP: answered with who is texting and how to stop';
  } else if (intent === 'maybe_stop') {
    note = 'may want to stop texts: read and reply, or mark "do not text"';
  } else if (intent === 'other') {
    // A number answers the happiness question if one is open; otherwise it is words for the inbox.
    const value = happinessAnswer(sms.body);
    if (value !== undefined) note = (await recordHappinessReply(db, people, value, now)) ?? null;
  }

  await keepInInboxes(db, sms, phone, people, targets, note, now);
  return { intent, note };
}

/** "C": apologies for their next session within 48 hours, confirmed by text; what happened, for the inbox. */
async function recordApologies(db: Db, templates: TemplateLibrary, people: Participant[], now: number): Promise<string> {
  const next = await nextSession(db, people, now);
  if (next) {
    const p = people.find((x) => x.id === next.participant_id)!;
    await db
      .insertInto('attendance')
      .values({ session_id: next.id, participant_id: p.id, practice_id: p.practice_id, status: 'apologies', drop_in: 0, recorded_by: null, recorded_at: now })
      .onConflict((oc) => oc.columns(['session_id', 'participant_id']).doUpdateSet({ status: 'apologies', recorded_by: null, recorded_at: now }))
      .execute();
    // Like a register save: a session with attendance is kept by later schedule edits.
    await db.updateTable('sessions').set({ edited: 1 }).where('id', '=', next.id).execute();
    await queueApologiesConfirmed(db, templates, next.id, p, now);
    return `apologies recorded for session ${next.id}`;
  }
  return 'apologies sent, but no session in the next 48 hours';
}

/** One row in each inbox the text belongs to; Twilio's SID marks the first, so a retried webhook changes nothing. */
async function keepInInboxes(db: Db, sms: InboundSms, phone: string, people: Participant[], targets: (number | null)[], note: string | null, now: number) {
  for (const [i, practiceId] of targets.entries()) {
    const sender = people.find((p) => p.practice_id === practiceId) ?? people[0];
    await db
      .insertInto('messages')
      .values({
        practice_id: practiceId,
        direction: 'inbound',
        kind: 'inbound',
        dedupe_key: `inbound:${sms.sid}:${practiceId ?? 'none'}`,
        participant_id: sender?.id ?? null,
        session_id: null,
        group_id: null,
        to_number: sms.to,
        from_number: phone,
        body: sms.body.slice(0, 1600),
        status: 'received',
        status_reason: note ?? (people.length === 0 ? 'unknown number' : null),
        due_at: now,
        expires_at: null,
        lease_until: null,
        transport: 'twilio',
        provider_sid: i === 0 ? sms.sid : null,
        error_code: null,
        sent_at: null,
        delivered_at: null,
        created_by: null,
        read_at: null,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}

/** Everyone (not erased) with this number, in any practice. */
function peopleAt(db: Db, phone: string) {
  return db.selectFrom('participants').selectAll().where('phone', '=', phone).where('erased_at', 'is', null).execute();
}
