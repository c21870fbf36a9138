import { sql } from 'kysely';
import { DateTime } from 'luxon';
import type { AuthUser } from '../../app-env.js';
import type { needsCheckIn } from '../../attendance/check-ins.js';
import type { Db } from '../../db/schema.js';
import { addDays, isValidDate, startOfLocalDate, ukDate } from '../../lib/time/time.js';
import type { outcomesDue } from '../../outcomes/outcomes-service.js';
import { readDateField } from '../../web/forms/date-input.js';
import type { FieldProblem } from '../../web/forms/form-errors.js';

export interface MonthBar {
  month: string;
  attended: number;
}

/**
 * The period and group asked for on the reports page, each problem beside its field. Unsaid, the
 * period is the last six months to today.
 */
export function readPeriod(typed: Record<string, string>, today: string, groups: { id: number; name: string }[]) {
  const asked = { from: readDateField(typed, 'from'), to: readDateField(typed, 'to'), groupId: typed.groupId ?? '' };
  const problems: FieldProblem[] = [];
  if (asked.from && !isValidDate(asked.from)) problems.push({ field: 'from', message: 'Enter the first day as day, month and year, like 1 4 2026' });
  if (asked.to && !isValidDate(asked.to)) problems.push({ field: 'to', message: 'Enter the last day as day, month and year, like 31 3 2027' });
  const group = asked.groupId ? groups.find((g) => String(g.id) === asked.groupId) : undefined;
  if (asked.groupId && !group) problems.push({ field: 'groupId', message: 'Choose a group from the list' });
  const to = asked.to && isValidDate(asked.to) ? asked.to : today;
  const from = asked.from && isValidDate(asked.from) ? asked.from : DateTime.fromISO(today).minus({ months: 5 }).startOf('month').toISODate()!;
  if (!problems.length && from > to) problems.push({ field: 'from', message: 'The first day must be on or before the last day' });
  return { problems, asked, from, to, group };
}

/** Attendances per group and month, for the bars: at most the last 12 months of the period (the table and CSV cover all of it). */
export async function monthlyBars(db: Db, user: AuthUser, now: number, from: string, to: string) {
  const perSession = await sql<{ group_id: number; starts_at: number; attended: number }>`
    SELECT s.group_id, s.starts_at, (SELECT count(*) FROM attendance a WHERE a.session_id = s.id AND a.status IN ('present', 'late')) + coalesce(s.headcount, 0) AS attended
    FROM sessions s WHERE s.practice_id = ${user.practiceId} AND s.status = 'scheduled' AND s.starts_at >= ${startOfLocalDate(from, user.timezone)} AND s.starts_at < ${Math.min(now, startOfLocalDate(addDays(to, 1), user.timezone))}`.execute(
    db,
  );
  const firstMonth = DateTime.fromISO(from).startOf('month');
  const span = Math.floor(DateTime.fromISO(to).startOf('month').diff(firstMonth, 'months').months) + 1;
  const months = Array.from({ length: Math.min(12, span) }, (_, i) => firstMonth.plus({ months: Math.max(0, span - 12) + i }));
  return (groupId: number): MonthBar[] =>
    months.map((m) => ({
      month: m.setLocale('en-GB').toFormat('LLL'),
      attended: perSession.rows
        .filter((r) => r.group_id === groupId && DateTime.fromMillis(r.starts_at, { zone: user.timezone }).hasSame(m, 'month'))
        .reduce((n, r) => n + Number(r.attended), 0),
    }));
}

/** Who to ring (missed two sessions in a row) and whose wellbeing measure is due. */
export function ToCallOrMeasure(p: { checkIns: Awaited<ReturnType<typeof needsCheckIn>>; due: Awaited<ReturnType<typeof outcomesDue>> }) {
  return (
    <>
      <h2>Needs a check-in</h2>
      {p.checkIns.length === 0 ? (
        <p class="muted">Nobody has missed two sessions in a row.</p>
      ) : (
        <ul class="cards">
          {p.checkIns.map((r) => (
            <li>
              <a href={`/participants/${r.participant_id}`}>{[r.given_name, r.family_name].filter(Boolean).join(' ')}</a> missed the last two sessions of{' '}
              {r.group_name}
              {r.phone && (
                <>
                  {' '}
                  · <a href={`tel:${r.phone}`}>Call {r.phone}</a>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      <h2>Wellbeing measures due</h2>
      {p.due.length === 0 ? (
        <p class="muted">Everyone enrolled has a baseline, and no 12-week follow-up is due.</p>
      ) : (
        <ul class="cards">
          {p.due.map((d) => (
            <li>
              <a href={`/participants/${d.participant_id}/outcomes/new?measure=swemwbs`}>{[d.given_name, d.family_name].filter(Boolean).join(' ')}</a>:{' '}
              {d.due === 'baseline' ? `baseline (enrolled ${ukDate(d.since)})` : `12-week follow-up (baseline ${ukDate(d.since)})`}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
