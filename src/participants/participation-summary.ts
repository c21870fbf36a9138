import { DateTime } from 'luxon';
import type { Db } from '../db/schema.js';
import { audit, type Actor } from '../audit/audit-service.js';
import { requireLiveParticipant } from './participants-service.js';
import { plural } from '../lib/numbers.js';

export interface ParticipationSummary {
  name: string;
  chiNumber: string | null;
  practiceName: string;
  producedOn: string;
  groups: {
    name: string;
    referred: string;
    started: string | null;
    ended: string | null;
    status: string;
    attended: number;
    first: string | null;
    last: string | null;
  }[];
  wellbeing: { measure: string; takenOn: string; score: string }[];
}

const ONS4_WORDS = ['life satisfaction', 'worthwhile', 'happiness', 'anxiety'];

/**
 * What a person took part in, for their GP record: groups with dates and sessions attended, and
 * wellbeing scores with dates. Never a note, a reason for referral or a text: only what is safe to
 * paste into a clinical system. Audited as an export.
 */
export async function participationSummary(db: Db, actor: Actor & { name?: string }, now: number, id: number): Promise<ParticipationSummary> {
  const p = await requireLiveParticipant(db, actor.practiceId, id);
  const day = (ms: number | null) => (ms === null ? null : DateTime.fromMillis(ms, { zone: actor.timezone }).setLocale('en-GB').toFormat('d LLL yyyy'));
  const practice = await db.selectFrom('practices').select('name').where('id', '=', actor.practiceId).executeTakeFirstOrThrow();
  // The sessions they came to in each group, counted once rather than three times over.
  const came = db
    .selectFrom('attendance as a')
    .innerJoin('sessions as s', 's.id', 'a.session_id')
    .select((x) => ['s.group_id', x.fn.countAll<number>().as('attended'), x.fn.min('s.starts_at').as('first'), x.fn.max('s.starts_at').as('last')])
    .where('a.participant_id', '=', p.id)
    .where('a.status', 'in', ['present', 'late'])
    .groupBy('s.group_id')
    .as('came');
  const enrolments = await db
    .selectFrom('enrolments as e')
    .innerJoin('community_groups as g', 'g.id', 'e.group_id')
    .leftJoin(came, 'came.group_id', 'e.group_id')
    .select(['g.name', 'e.status', 'e.requested_at', 'e.enrolled_at', 'e.withdrawn_at', 'came.attended', 'came.first', 'came.last'])
    .where('e.participant_id', '=', p.id)
    .orderBy('e.requested_at')
    .execute();
  const outcomes = await db
    .selectFrom('outcomes')
    .select(['measure', 'taken_on', 'answers', 'raw_score', 'metric_score'])
    .where('participant_id', '=', p.id)
    .orderBy('taken_on')
    .orderBy('id')
    .execute();
  await audit(db, actor, now, { action: 'export', entity: 'participation_summary', entityId: p.id, participantId: p.id });
  return {
    name: [p.given_name, p.family_name].filter(Boolean).join(' '),
    chiNumber: p.chi_number,
    practiceName: practice.name,
    producedOn: day(now)!,
    groups: enrolments.map((e) => ({
      name: e.name,
      referred: day(e.requested_at)!,
      started: day(e.enrolled_at),
      ended: day(e.withdrawn_at),
      status: e.status === 'active' ? 'taking part' : e.status === 'waitlisted' ? 'waiting for a place' : 'left',
      attended: Number(e.attended ?? 0),
      first: day(e.first === null ? null : Number(e.first)),
      last: day(e.last === null ? null : Number(e.last)),
    })),
    wellbeing: outcomes.map((o) => ({
      measure: o.measure === 'swemwbs' ? 'SWEMWBS' : 'ONS4',
      takenOn: DateTime.fromISO(o.taken_on).setLocale('en-GB').toFormat('d LLL yyyy'),
      score:
        o.measure === 'swemwbs'
          ? `${o.metric_score} (raw ${o.raw_score}, of 35)`
          : (JSON.parse(o.answers) as number[]).map((a, i) => `${ONS4_WORDS[i]} ${a}`).join(', '),
    })),
  };
}

/** The same as plain text to paste into the practice's clinical system: short lines, no notes. */
export function summaryText(s: ParticipationSummary): string {
  const lines = [`Community Links groups: participation summary (${s.practiceName}, ${s.producedOn})`];
  if (s.groups.length === 0) lines.push('No groups.');
  for (const g of s.groups) {
    const when = g.started ? `given a place ${g.started}${g.ended ? `, left ${g.ended}` : ''}` : `referred ${g.referred}, ${g.status}`;
    const came = g.attended ? `attended ${plural(g.attended, 'session')} (${g.first}${g.last !== g.first ? ` to ${g.last}` : ''})` : 'attended no sessions';
    lines.push(`- ${g.name}: ${when}; ${came}.`);
  }
  if (s.wellbeing.length) {
    lines.push('Wellbeing measures:');
    for (const w of s.wellbeing) lines.push(`- ${w.measure} ${w.takenOn}: ${w.score}`);
  }
  return lines.join('\n');
}
