import type { Db } from '../db/schema.js';
import { audit, type Actor } from '../audit/audit-service.js';
import { invalid } from '../lib/errors.js';
import { addDays, localDate, startOfLocalDate } from '../lib/time/time.js';

/** The SNOMED CT concepts GP systems code a social-prescribing referral with (UK edition). */
export const SNOMED = {
  accepted: { code: '871731000000106', term: 'Referral to social prescribing service' },
  declined: { code: '871711000000103', term: 'Social prescribing declined' },
} as const;

export const EVENT_COLUMNS = ['date', 'chiNumber', 'snomedCode', 'term'];

/**
 * Coded events for the GP record: each referral accepted or declined in the period (the practice's
 * local dates), with the person's CHI number, so a practice can bulk-code its clinical system.
 * A person with no CHI number (or erased) has an empty CHI cell: the practice codes them by hand.
 * Audited as an export of everyone it names.
 */
export async function referralEvents(db: Db, actor: Actor, now: number, range: { from?: string; to?: string }) {
  const to = range.to ?? localDate(now, actor.timezone);
  const from = range.from ?? addDays(to, -30);
  if (to < from) throw invalid('"to" must not be before "from"');
  const rows = await db
    .selectFrom('referral_steps as s')
    .innerJoin('referrals as r', 'r.id', 's.referral_id')
    .innerJoin('participants as p', 'p.id', 'r.participant_id')
    .select(['s.status', 's.at', 'p.chi_number', 'r.participant_id'])
    .where('r.practice_id', '=', actor.practiceId)
    .where('s.status', 'in', ['accepted', 'declined'])
    .where('s.at', '>=', startOfLocalDate(from, actor.timezone))
    .where('s.at', '<', startOfLocalDate(addDays(to, 1), actor.timezone))
    .orderBy('s.at')
    .orderBy('s.id')
    .execute();
  await audit(db, actor, now, { action: 'export', entity: 'referral_events', detail: `${from}..${to}`, shown: rows.map((r) => r.participant_id) });
  return {
    from,
    to,
    rows: rows.map((r) => {
      const code = SNOMED[r.status as 'accepted' | 'declined'];
      return { date: localDate(r.at, actor.timezone), chiNumber: r.chi_number ?? '', snomedCode: code.code, term: code.term };
    }),
  };
}
