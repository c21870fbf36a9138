import { DateTime } from 'luxon';
import type { DbOrTx } from '../db/schema.js';

/** Whether someone may be texted at all: a number, consent, and no do-not-text, STOP or erasure. */
export const SENDABLE_SQL = `p.phone IS NOT NULL AND p.sms_consent = 1 AND p.do_not_text = 0 AND p.opted_out_at IS NULL AND p.erased_at IS NULL`;

export function whyNotSendable(p: {
  phone: string | null;
  sms_consent: number;
  do_not_text: number;
  opted_out_at: number | null;
  erased_at: number | null;
}): string | null {
  if (p.erased_at !== null) return 'erased';
  if (!p.phone) return 'no_mobile';
  if (p.opted_out_at !== null) return 'opted_out';
  if (p.do_not_text) return 'do_not_text';
  if (!p.sms_consent) return 'no_consent';
  return null;
}

/** "Tue 30 Mar at 10:00", in the practice's zone: short, plain and unambiguous. */
export function formatWhen(ms: number, zone: string): string {
  // en-US month abbreviations ("Sep", not en-GB's "Sept"): the same width on every ICU build.
  return DateTime.fromMillis(ms, { zone }).setLocale('en-US').toFormat("ccc d LLL 'at' HH:mm");
}

export interface SessionTextContext {
  session_id: number;
  starts_at: number;
  status: string;
  group_id: number;
  group_label: string;
  venue_name: string;
  practice_id: number;
  practice_name: string;
  timezone: string;
}

/** Everything a text about a session says; the discreet SMS label stands in for the group's name. */
export async function sessionContext(db: DbOrTx, sessionId: number): Promise<SessionTextContext | undefined> {
  return db
    .selectFrom('sessions as s')
    .innerJoin('community_groups as g', 'g.id', 's.group_id')
    .innerJoin('venues as v', 'v.id', 's.venue_id')
    .innerJoin('practices as pr', 'pr.id', 's.practice_id')
    .select((eb) => [
      's.id as session_id',
      's.starts_at',
      's.status',
      'g.id as group_id',
      eb.fn.coalesce('g.sms_label', 'g.name').as('group_label'),
      'v.name as venue_name',
      'pr.id as practice_id',
      'pr.name as practice_name',
      'pr.timezone',
    ])
    .where('s.id', '=', sessionId)
    .executeTakeFirst();
}
