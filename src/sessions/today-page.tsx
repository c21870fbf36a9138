import type { AuthUser } from '../app-env.js';
import { Layout } from '../web/layout.js';
import { DateTime } from 'luxon';
import { EARLIEST_BEFORE_START_MS } from '../attendance/register-service.js';
import { SessionFlags, type SessionFlag } from '../leaders/session-flags-view.js';

import { ChecksDue, MyChecks, type dueWords } from '../credentials/checks-due.js';
import { localDate } from '../lib/time/time.js';

export interface TodaySession {
  id: number;
  starts_at: number;
  status: 'scheduled' | 'cancelled';
  group_id: number;
  venue_id: number;
  group_name: string;
  venue_name: string;
  register_taken_at: number | null;
}

const time = (ms: number, zone: string, fmt: string) => DateTime.fromMillis(ms, { zone }).setLocale('en-GB').toFormat(fmt);

function SessionList({ items, zone, now, flags }: { items: TodaySession[]; zone: string; now: number; flags: Map<number, SessionFlag[]> }) {
  if (items.length === 0) return <p class="muted">No sessions.</p>;
  return (
    <ul class="cards">
      {items.map((s) => (
        <li>
          <strong>{time(s.starts_at, zone, 'ccc d LLL, HH:mm')}</strong> · {s.group_name} · {s.venue_name}{' '}
          <SessionFlags flags={flags.get(s.id) ?? []} compact />
          {s.status === 'cancelled' ? (
            <span class="row">
              <span class="tag">Cancelled</span>
              <a href={`/sessions/${s.id}`}>Session details (restore)</a>
            </span>
          ) : (
            <span class="row">
              {s.starts_at - EARLIEST_BEFORE_START_MS > now ? (
                // Not yet open: a plain link (the phone keeps it for a day with no signal), not a button that would refuse.
                <a href={`/sessions/${s.id}/register`}>Register opens {time(s.starts_at - EARLIEST_BEFORE_START_MS, zone, 'ccc d LLL, HH:mm')}</a>
              ) : (
                // A register already taken is a quieter button, so the ones still to take stand out.
                <a class={s.register_taken_at ? 'button secondary' : 'button'} href={`/sessions/${s.id}/register`}>
                  {s.register_taken_at ? 'Register taken: change it' : 'Take register'}
                </a>
              )}
              <a href={`/sessions/${s.id}`}>Session details</a>
            </span>
          )}
        </li>
      ))}
    </ul>
  );
}

/** A CLP's (or a leader's) day at a glance: today's sessions first, each one tap from its register. */
export function TodayPage(p: {
  user: AuthUser;
  csrf: string;
  today: TodaySession[];
  week: TodaySession[];
  mineOnly: boolean;
  now: number;
  followUps: number;
  concerns: number;
  referrals: number;
  checksDue: Parameters<typeof dueWords>[0][];
  myChecks?: Parameters<typeof MyChecks>[0]['checks'];
  flags: Map<number, SessionFlag[]>;
}) {
  const leader = p.user.role === 'leader';
  return (
    <Layout title="Today" user={p.user} csrf={p.csrf}>
      <p class="muted">
        {leader ? 'Sessions of the groups you lead.' : p.mineOnly ? 'Sessions of the groups you facilitate.' : 'All sessions in the practice.'}
      </p>
      {(p.followUps > 0 || p.concerns > 0 || p.referrals > 0) && (
        <p class="row">
          {p.referrals > 0 && (
            <a class="button" href="/referrals?status=received">
              New referrals: {p.referrals}
            </a>
          )}
          {p.concerns > 0 && (
            <a class="button" href="/concerns">
              {leader ? `Your concerns still open: ${p.concerns}` : `Concerns to act on: ${p.concerns}`}
            </a>
          )}
          {p.followUps > 0 && (
            <a class="button secondary" href="/follow-ups">
              Follow-ups: {p.followUps} {p.followUps === 1 ? 'person needs' : 'people need'} a word
            </a>
          )}
        </p>
      )}
      <ChecksDue due={p.checksDue} />
      <h2>Today</h2>
      <SessionList items={p.today} zone={p.user.timezone} now={p.now} flags={p.flags} />
      <h2>Rest of this week</h2>
      <SessionList items={p.week} zone={p.user.timezone} now={p.now} flags={p.flags} />
      {p.myChecks && <MyChecks checks={p.myChecks} today={localDate(p.now, p.user.timezone)} />}
    </Layout>
  );
}
