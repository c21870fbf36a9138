import type { Db, ReferralStatus } from '../db/schema.js';
import { audit } from '../audit/audit-service.js';
import { forbidden } from '../lib/errors.js';
import { localDate, ukDate } from '../lib/time/time.js';
import { getReferralQuietly, type ReferralView } from './referral-reads.js';
import type { Caller } from './referrals-service.js';
import { plural } from '../lib/numbers.js';

export interface ReferralReply {
  status: ReferralStatus;
  statusText: string;
  personName: string | null;
  referrerName: string | null;
  groupName?: string;
  firstSessionOn?: string;
  sessionsAttended: number;
  lastAttendedOn?: string;
  wellbeing?: { measure: 'swemwbs'; first: { takenOn: string; score: number }; latest: { takenOn: string; score: number } | null };
  producedAt: number;
}

/**
 * The message back to the person who referred: where the referral stands in a sentence, the
 * group, the first session, how many they came to and when last, and (only when the person
 * agreed) their first and latest SWEMWBS. Read by its referrer, CLPs and admins; audited.
 */
export async function referralReply(db: Db, actor: Caller, now: number, id: number, read?: ReferralView): Promise<ReferralReply> {
  // The referral's page has read it already: the reply builds on that read, not a second one.
  const r = read ?? (await getReferralQuietly(db, actor, id));
  if (actor.role !== 'admin' && actor.role !== 'clp' && r.referrer.userId !== actor.id)
    throw forbidden('Only the person who referred, CLPs and admins read the reply');
  const zone = actor.timezone;
  const came =
    r.groupId === null
      ? null
      : await db
          .selectFrom('attendance as a')
          .innerJoin('sessions as s', 's.id', 'a.session_id')
          .select((x) => [x.fn.countAll<number>().as('n'), x.fn.min('s.starts_at').as('first'), x.fn.max('s.starts_at').as('last')])
          .where('a.participant_id', '=', r.participantId)
          .where('s.group_id', '=', r.groupId)
          .where('a.status', 'in', ['present', 'late'])
          .where('s.starts_at', '>=', r.receivedAt - 86_400_000)
          .executeTakeFirst();
  const attended = Number(came?.n ?? 0);
  const placed =
    r.groupId === null
      ? undefined
      : await db.selectFrom('enrolments').select('status').where('group_id', '=', r.groupId).where('participant_id', '=', r.participantId).executeTakeFirst();
  // Before they come, "first session" is the next one they have a place at.
  const next =
    attended === 0 && placed?.status === 'active'
      ? await db
          .selectFrom('sessions')
          .select('starts_at')
          .where('group_id', '=', r.groupId!)
          .where('status', '=', 'scheduled')
          .where('starts_at', '>', now)
          .orderBy('starts_at')
          .limit(1)
          .executeTakeFirst()
      : undefined;
  const firstAt = attended > 0 ? Number(came!.first) : next?.starts_at;
  const wellbeing = r.shareWithReferrer ? await swemwbsFirstAndLatest(db, r.participantId) : undefined;
  await audit(db, actor, now, { action: 'read', entity: 'referral_reply', entityId: id, participantId: r.participantId });
  const reply: ReferralReply = {
    status: r.status,
    statusText: '',
    personName: r.givenName === null ? null : [r.givenName, r.familyName].filter(Boolean).join(' '),
    referrerName: r.referrer.name,
    ...(r.groupName !== null && { groupName: r.groupName }),
    ...(firstAt !== undefined && { firstSessionOn: localDate(firstAt, zone) }),
    sessionsAttended: attended,
    ...(attended > 0 && { lastAttendedOn: localDate(Number(came!.last), zone) }),
    ...(wellbeing && { wellbeing }),
    producedAt: now,
  };
  const stepOn = (s: ReferralStatus) => {
    const at = [...r.history].reverse().find((h) => h.status === s)?.at;
    return at === undefined ? '' : ` on ${ukDate(localDate(at, zone))}`;
  };
  const declinedWhy = [...r.history].reverse().find((h) => h.status === 'declined')?.reason;
  reply.statusText = sentenceFor(reply, placed?.status, stepOn, declinedWhy ?? null);
  return reply;
}

function sentenceFor(r: ReferralReply, placed: string | undefined, stepOn: (s: ReferralStatus) => string, declinedWhy: string | null): string {
  const group = r.groupName ?? 'a group';
  const first = r.firstSessionOn ? ukDate(r.firstSessionOn) : null;
  const came = `came to ${plural(r.sessionsAttended, 'session')} of ${group}${r.lastAttendedOn ? `, most recently on ${ukDate(r.lastAttendedOn)}` : ''}`;
  switch (r.status) {
    case 'received':
      return `Referral received${stepOn('received')}: a Community Links Practitioner will be in touch with the person.`;
    case 'declined':
      return `Referral declined${stepOn('declined')}${declinedWhy ? `: ${declinedWhy}` : ''}.`;
    case 'accepted':
    case 'contacted':
      if (placed === 'waitlisted') return `Accepted${stepOn('accepted')}, and waiting for a place at ${group}.`;
      return `Accepted${stepOn('accepted')} and given a place at ${group}${first ? `; their first session is on ${first}` : ''}. Not yet attended.`;
    case 'attended':
      return `Taking part: ${came}.`;
    case 'closed':
      return r.sessionsAttended > 0 ? `Closed${stepOn('closed')}. The person ${came}.` : `Closed${stepOn('closed')}. The person did not come to a session.`;
  }
}

async function swemwbsFirstAndLatest(db: Db, participantId: number): Promise<ReferralReply['wellbeing']> {
  const rows = await db
    .selectFrom('outcomes')
    .select(['taken_on', 'metric_score'])
    .where('participant_id', '=', participantId)
    .where('measure', '=', 'swemwbs')
    .orderBy('taken_on')
    .orderBy('id')
    .execute();
  if (rows.length === 0) return undefined;
  const at = (o: (typeof rows)[number]) => ({ takenOn: o.taken_on, score: Number(o.metric_score) });
  return { measure: 'swemwbs', first: at(rows[0]!), latest: rows.length > 1 ? at(rows[rows.length - 1]!) : null };
}

/** The reply as plain text to paste into the clinical system: no reason, no notes, no numbers. */
export function replyText(r: ReferralReply, practiceName: string, zone: string): string {
  const lines = [
    `Community Links referral update (${practiceName}), ${ukDate(localDate(r.producedAt, zone))}`,
    ...(r.personName ? [`Person: ${r.personName}`] : []),
    r.statusText,
    ...(r.groupName ? [`Group: ${r.groupName}`] : []),
    ...(r.firstSessionOn ? [`First session: ${ukDate(r.firstSessionOn)}`] : []),
    `Sessions attended: ${r.sessionsAttended}${r.lastAttendedOn ? ` (last ${ukDate(r.lastAttendedOn)})` : ''}`,
  ];
  if (r.wellbeing) {
    lines.push(
      `SWEMWBS (wellbeing, 7-35): ${r.wellbeing.first.score} on ${ukDate(r.wellbeing.first.takenOn)}` +
        (r.wellbeing.latest ? `; ${r.wellbeing.latest.score} on ${ukDate(r.wellbeing.latest.takenOn)}` : ''),
    );
  }
  return lines.join('\n');
}
