import { sql } from 'kysely';
import { DateTime } from 'luxon';
import type { Db, Session } from '../db/schema.js';
import { covers, firstAidSpans } from '../credentials/credentials-service.js';
import { riskReviewOverdue, riskReviewWords } from '../venues/risk-review.js';
import { plural } from '../lib/numbers.js';
import { localDate } from '../lib/time/time.js';

export type SessionFlagKind = 'ratio' | 'first_aid' | 'risk_review' | 'pvg';

/** Something to put right before a session: said in words, and which rule it comes from. */
export interface SessionFlag {
  kind: SessionFlagKind;
  message: string;
}

const FOUR_WEEKS_MS = 28 * 86_400_000;

/** Who counts as expected at a session: people likely to come, not everyone who ever had a place. */
export const EXPECTED_METHOD =
  "people with a place who came (present or late) to one of the group's last four sessions before it, or were given their place in the four weeks before it, less those who sent apologies";

/**
 * What stands in the way of running these sessions safely: more people expected (likely to come:
 * EXPECTED_METHOD) than the group's leaders may take at its ratio; a volunteer leader with no PVG
 * record current on the day; no leader with first aid valid
 * on the day where the group requires it; the venue's (route's) risk review overdue. Cancelled
 * sessions have none. A handful of queries, whatever the number of sessions.
 */
export async function sessionFlags(
  db: Db,
  scope: { practiceId: number; timezone: string },
  sessions: Pick<Session, 'id' | 'group_id' | 'venue_id' | 'starts_at' | 'status'>[],
  now: number,
): Promise<Map<number, SessionFlag[]>> {
  const out = new Map<number, SessionFlag[]>();
  const live = sessions.filter((s) => s.status !== 'cancelled');
  if (live.length === 0) return out;
  const facts = await flagFacts(db, scope, live, now);
  for (const s of live) {
    const flags = flagsFor(s, facts, scope.timezone);
    if (flags.length > 0) out.set(s.id, flags);
  }
  return out;
}

type Live = Pick<Session, 'id' | 'group_id' | 'venue_id' | 'starts_at' | 'status'>;
type Facts = Awaited<ReturnType<typeof flagFacts>>;

/** What the rules need, read once for all the sessions: each group's rules and leaders, who is expected, checks held, venues overdue. */
async function flagFacts(db: Db, scope: { practiceId: number; timezone: string }, live: Live[], now: number) {
  const groupIds = [...new Set(live.map((s) => s.group_id))];
  const groups = await db
    .selectFrom('community_groups')
    .select(['id', 'participants_per_leader', 'requires_first_aid'])
    .where('practice_id', '=', scope.practiceId)
    .where('id', 'in', groupIds)
    .execute();
  const rules = new Map(groups.map((g) => [g.id, g]));
  const leaders = await db
    .selectFrom('group_facilitators as f')
    .innerJoin('memberships as m', (j) => j.onRef('m.user_id', '=', 'f.user_id').on('m.practice_id', '=', scope.practiceId))
    .innerJoin('users as u', 'u.id', 'f.user_id')
    .select(['f.group_id', 'f.user_id', 'm.role', 'u.name'])
    .where('f.group_id', 'in', groupIds)
    .where('m.disabled_at', 'is', null)
    .execute();
  const rated = live.filter((s) => rules.get(s.group_id)?.participants_per_leader != null);
  const expected = await expectedAt(db, rated);
  const needFirstAid = live.filter((s) => rules.get(s.group_id)?.requires_first_aid === 1);
  const venueIds = [...new Set(live.map((s) => s.venue_id))];
  const venues = await db
    .selectFrom('venues')
    .select(['id', 'name', 'risk_assessed_on', 'risk_review_months'])
    .where('practice_id', '=', scope.practiceId)
    .where('id', 'in', venueIds)
    .execute();
  const today = localDate(now, scope.timezone);
  const overdue = new Map(venues.filter((v) => riskReviewOverdue(v, today)).map((v) => [v.id, riskReviewWords(v)]));
  const firstAid = needFirstAid.length > 0 ? await firstAidSpans(db, scope.practiceId, [...new Set(leaders.map((l) => l.user_id))]) : [];
  const volunteers = [...new Set(leaders.filter((l) => l.role === 'leader').map((l) => l.user_id))];
  const pvg = volunteers.length
    ? await db
        .selectFrom('credentials')
        .select(['user_id', 'valid_from', 'expires_on'])
        .where('practice_id', '=', scope.practiceId)
        .where('kind', '=', 'pvg')
        .where('user_id', 'in', volunteers)
        .execute()
    : [];
  return { rules, leaders, expected, overdue, firstAid, pvg };
}

/** Expected people at each session of a group with a ratio (EXPECTED_METHOD), in one query. */
async function expectedAt(db: Db, rated: Live[]) {
  const expected = new Map<number, number>();
  if (rated.length === 0) return expected;
  const rows = await sql<{ id: number; expected: number }>`
    SELECT s.id, (
      SELECT count(*) FROM enrolments e WHERE e.group_id = s.group_id AND e.status = 'active'
        AND (e.enrolled_at >= s.starts_at - ${FOUR_WEEKS_MS} OR EXISTS (
          SELECT 1 FROM attendance a WHERE a.participant_id = e.participant_id AND a.status IN ('present', 'late') AND a.session_id IN (
            SELECT q.id FROM sessions q WHERE q.group_id = s.group_id AND q.status = 'scheduled' AND q.starts_at < s.starts_at ORDER BY q.starts_at DESC LIMIT 4)))
        AND NOT EXISTS (SELECT 1 FROM attendance a WHERE a.session_id = s.id AND a.participant_id = e.participant_id AND a.status = 'apologies')
    ) AS expected
    FROM sessions s WHERE s.id IN (${sql.join(rated.map((s) => s.id))})`.execute(db);
  for (const r of rows.rows) expected.set(r.id, Number(r.expected));
  return expected;
}

/** One session's flags, judged on its own day. */
function flagsFor(s: Live, { rules, leaders, expected, overdue, firstAid, pvg }: Facts, zone: string): SessionFlag[] {
  const flags: SessionFlag[] = [];
  const rule = rules.get(s.group_id);
  const who = leaders.filter((l) => l.group_id === s.group_id).map((l) => l.user_id);
  const perLeader = rule?.participants_per_leader;
  if (perLeader != null) {
    const people = expected.get(s.id) ?? 0;
    if (people > who.length * perLeader) {
      const needed = Math.ceil(people / perLeader);
      flags.push({
        kind: 'ratio',
        message: `${plural(people, 'person', 'people')} expected with ${plural(who.length, 'leader')}: at most ${perLeader} per leader, so ${plural(needed, 'leader')} needed`,
      });
    }
  }
  // Checked against the session's own day: a certificate running out on Tuesday does not cover Thursday.
  const day = localDate(s.starts_at, zone);
  if (rule?.requires_first_aid === 1) {
    if (!firstAid.some((span) => who.includes(span.user_id) && covers(span, day))) {
      const when = DateTime.fromISO(day).setLocale('en-GB').toFormat('d LLLL yyyy');
      flags.push({ kind: 'first_aid', message: `No leader of this group holds first aid valid on ${when}` });
    }
  }
  // Volunteers lead alone with vulnerable adults: each needs a PVG record current on the day.
  for (const l of leaders.filter((x) => x.group_id === s.group_id && x.role === 'leader')) {
    if (!pvg.some((c) => c.user_id === l.user_id && covers(c, day)))
      flags.push({ kind: 'pvg', message: `${l.name} has no current PVG record: check it before they lead` });
  }
  const risk = overdue.get(s.venue_id);
  if (risk) flags.push({ kind: 'risk_review', message: `Risk review overdue: ${risk}` });
  return flags;
}
