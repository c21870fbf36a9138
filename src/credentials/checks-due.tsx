import { DateTime } from 'luxon';
import type { CredentialKind } from '../db/schema.js';

/** What each kind of check is called where people read it. */
export const CHECK_WORDS: Record<CredentialKind, string> = {
  first_aid: 'First aid',
  walk_leader: 'Walk leader training',
  pvg: 'PVG membership',
  other: 'Other check or training',
};

/** A check that runs out, in words: "Sam Reid: First aid runs out on 4 January 2027". */
export function dueWords(d: { user_name: string; kind: CredentialKind; label: string | null; expires_on: string | null; expired: boolean }): string {
  const on = d.expires_on ? DateTime.fromISO(d.expires_on).setLocale('en-GB').toFormat('d LLLL yyyy') : '';
  return `${d.user_name}: ${CHECK_WORDS[d.kind]}${d.label ? ` (${d.label})` : ''} ${d.expired ? 'ran out' : 'runs out'} on ${on}`;
}

/** Checks run out or running out, where an admin or CLP looks (Today, the users page), with the way to renew. */
export function ChecksDue(p: { due: Parameters<typeof dueWords>[0][] }) {
  if (p.due.length === 0) return null;
  return (
    <div id="checks-due">
      <h2>Checks and training to renew</h2>
      <ul>
        {p.due.map((d) => (
          <li>{dueWords(d)}</li>
        ))}
      </ul>
      <p>
        <a href="/leaders#record">Record a renewal</a>
      </p>
    </div>
  );
}

/** A leader's own checks on Today: what they hold and until when, so nothing runs out unnoticed. */
export function MyChecks(p: { checks: { kind: CredentialKind; label: string | null; valid_from: string; expires_on: string | null }[]; today: string }) {
  const day = (d: string) => DateTime.fromISO(d).setLocale('en-GB').toFormat('d LLLL yyyy');
  return (
    <section aria-labelledby="my-checks">
      <h2 id="my-checks">Your checks</h2>
      {p.checks.length === 0 ? (
        <p>None recorded: ask a CLP to record your PVG membership and training.</p>
      ) : (
        <ul>
          {p.checks.map((c) => (
            <li>
              {CHECK_WORDS[c.kind]}
              {c.label ? ` (${c.label})` : ''}:{' '}
              {c.expires_on === null ? 'no end date' : c.expires_on < p.today ? `ran out on ${day(c.expires_on)}` : `until ${day(c.expires_on)}`}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
