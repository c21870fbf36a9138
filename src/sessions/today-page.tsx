import type { AuthUser } from '../app-env.js';
import { Layout } from '../web/layout.js';
import { DateTime } from 'luxon';
import { EARLIEST_BEFORE_START_MS } from '../attendance/register-service.js';

export interface TodaySession {
  id: number;
  starts_at: number;
  status: string;
  group_name: string;
  venue_name: string;
  register_taken_at: number | null;
}

const time = (ms: number, zone: string, fmt: string) => DateTime.fromMillis(ms, { zone }).setLocale('en-GB').toFormat(fmt);

function SessionList({ items, zone, now }: { items: TodaySession[]; zone: string; now: number }) {
  if (items.length === 0) return <p class="muted">No sessions.</p>;
  return (
    <ul class="cards">
      {items.map((s) => (
        <li>
          <strong>{time(s.starts_at, zone, 'ccc d LLL, HH:mm')}</strong> · {s.group_name} · {s.venue_name}{' '}
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

/** A CLP's day at a glance: today's sessions first, each one tap from its register. */
export function TodayPage(p: { user: AuthUser; csrf: string; today: TodaySession[]; week: TodaySession[]; mineOnly: boolean; now: number; followUps: number }) {
  return (
    <Layout title="Today" user={p.user} csrf={p.csrf}>
      <p class="muted">{p.mineOnly ? 'Sessions of the groups you facilitate.' : 'All sessions in the practice.'}</p>
      {p.followUps > 0 && (
        <p>
          <a class="button secondary" href="/follow-ups">
            Follow-ups: {p.followUps} {p.followUps === 1 ? 'person needs' : 'people need'} a word
          </a>
        </p>
      )}
      <h2>Today</h2>
      <SessionList items={p.today} zone={p.user.timezone} now={p.now} />
      <h2>Rest of this week</h2>
      <SessionList items={p.week} zone={p.user.timezone} now={p.now} />
    </Layout>
  );
}
