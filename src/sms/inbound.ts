import type { Db } from '../db/schema.js';
import { normaliseMobile } from '../lib/phone.js';
import { queueApologiesConfirmed } from './outbox.js';
import type { Templates } from './templates.js';

// Twilio's own opt-out and opt-in words; it also answers them itself. We only never text again.
const STOP_WORDS = new Set(['stop', 'stopall', 'unsubscribe', 'cancel', 'end', 'quit', 'optout', 'revoke']);
const START_WORDS = new Set(['start', 'unstop', 'yes']);
const APOLOGIES_WINDOW_MS = 48 * 3_600_000;

export type InboundIntent = 'stop' | 'start' | 'apologies' | 'other';

/** "STOP", "Stop thanks", "stop please", "please stop" opt out; "C" (alone) gives apologies. */
export function inboundIntent(body: string): InboundIntent {
  const words = body
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .split(/\s+/)
    .filter(Boolean);
  if (words.length === 0) return 'other';
  if (words.length <= 4 && (STOP_WORDS.has(words[0]!) || (words.length <= 3 && words.slice(1).some((w) => w === 'stop')))) return 'stop';
  if (words.length === 1 && START_WORDS.has(words[0]!)) return 'start';
  if (words.length === 1 && words[0] === 'c') return 'apologies';
  return 'other';
}

export interface InboundSms {
  from: string;
  to: string;
  body: string;
  sid: string;
}

/**
 * Handles a text from a patient: stored first (a Twilio retry of the same SID changes nothing),
 * then STOP / START / C acted on; anything else waits in the CLP's inbox. Unknown numbers are kept.
 */
export async function handleInbound(db: Db, templates: Templates, now: number, sms: InboundSms): Promise<{ intent: InboundIntent; note: string | null }> {
  const seen = await db.selectFrom('messages').select(['status_reason']).where('provider_sid', '=', sms.sid).executeTakeFirst();
  if (seen) return { intent: inboundIntent(sms.body), note: seen.status_reason };
  const parsed = normaliseMobile(sms.from);
  const phone = parsed.ok ? parsed.e164 : sms.from;
  const people = await db.selectFrom('participants').selectAll().where('phone', '=', phone).where('erased_at', 'is', null).execute();
  const practices = await db.selectFrom('practices').select('id').limit(2).execute();
  const practiceId = people[0]?.practice_id ?? (practices.length === 1 ? practices[0]!.id : null);
  const intent = inboundIntent(sms.body);
  let note: string | null = null;

  if (intent === 'stop' && people.length > 0) {
    await db.updateTable('participants').set({ opted_out_at: now, updated_at: now }).where('phone', '=', phone).where('opted_out_at', 'is', null).execute();
    await db
      .updateTable('messages')
      .set({ status: 'skipped', status_reason: 'opted_out', updated_at: now })
      .where('to_number', '=', phone)
      .where('status', '=', 'pending')
      .execute();
    note = 'opted out (STOP): no more texts';
  } else if (intent === 'start' && people.length > 0) {
    await db.updateTable('participants').set({ opted_out_at: null, updated_at: now }).where('phone', '=', phone).execute();
    note = 'opted back in (START)';
  } else if (intent === 'apologies') {
    for (const p of people) {
      const next = await db
        .selectFrom('sessions as s')
        .innerJoin('enrolments as e', (j) => j.onRef('e.group_id', '=', 's.group_id').on('e.participant_id', '=', p.id).on('e.status', '=', 'active'))
        .select(['s.id', 's.starts_at'])
        .where('s.status', '=', 'scheduled')
        .where('s.starts_at', '>', now)
        .where('s.starts_at', '<=', now + APOLOGIES_WINDOW_MS)
        .orderBy('s.starts_at')
        .executeTakeFirst();
      if (!next) continue;
      await db
        .insertInto('attendance')
        .values({ session_id: next.id, participant_id: p.id, practice_id: p.practice_id, status: 'apologies', drop_in: 0, recorded_by: null, recorded_at: now })
        .onConflict((oc) => oc.columns(['session_id', 'participant_id']).doUpdateSet({ status: 'apologies', recorded_by: null, recorded_at: now }))
        .execute();
      // Like a register save: a session with attendance is kept by later schedule edits.
      await db.updateTable('sessions').set({ edited: 1 }).where('id', '=', next.id).execute();
      await queueApologiesConfirmed(db, templates, next.id, p, now);
      note = `apologies recorded for session ${next.id}`;
    }
    if (!note) note = 'C received, but no session in the next 48 hours';
  }

  await db
    .insertInto('messages')
    .values({
      practice_id: practiceId,
      direction: 'inbound',
      kind: 'inbound',
      dedupe_key: null,
      participant_id: people[0]?.id ?? null,
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
      provider_sid: sms.sid,
      error_code: null,
      sent_at: null,
      delivered_at: null,
      created_by: null,
      read_at: null,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.column('provider_sid').doNothing())
    .execute();
  return { intent, note };
}

const RANK: Record<string, number> = { pending: 0, sending: 1, unknown: 1, sent: 2, queued: 2, accepted: 2, delivered: 3, undelivered: 3, failed: 3, read: 3 };
const FINAL: Record<string, 'sent' | 'delivered' | 'undelivered' | 'failed'> = {
  queued: 'sent',
  accepted: 'sent',
  sending: 'sent',
  sent: 'sent',
  delivered: 'delivered',
  read: 'delivered',
  undelivered: 'undelivered',
  failed: 'failed',
};

/** Twilio's delivery report: moves a message forward only, so repeats and late arrivals change nothing. */
export async function handleStatusCallback(db: Db, now: number, sid: string, twilioStatus: string, errorCode: string | undefined): Promise<boolean> {
  const next = FINAL[twilioStatus];
  if (!next) return false;
  const m = await db.selectFrom('messages').select(['id', 'status']).where('provider_sid', '=', sid).where('direction', '=', 'outbound').executeTakeFirst();
  if (!m) return false;
  if ((RANK[m.status] ?? 0) >= (RANK[next] ?? 0)) return false;
  await db
    .updateTable('messages')
    .set({ status: next, ...(next === 'delivered' && { delivered_at: now }), ...(errorCode && { error_code: errorCode }), updated_at: now })
    .where('id', '=', m.id)
    .where('status', '=', m.status)
    .execute();
  return true;
}
