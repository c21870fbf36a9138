import { DateTime } from 'luxon';
import { Layout } from '../web/layout.js';
import { eventJsonLd, scriptSafeJson } from './event-json-ld.js';
import type { PublicGroup, PublicSession } from './public-listing.js';
import { WEEKS_AHEAD } from './public-listing.js';
import { sessionWords } from './public-words.js';

function Contact(p: { g: PublicGroup }) {
  const c = p.g.contact;
  return (
    <p>
      To ask about it:{' '}
      {[
        c.phone && (
          <>
            call <a href={`tel:${c.phone.replace(/\s+/g, '')}`}>{c.phone}</a>
          </>
        ),
        c.email && (
          <>
            email <a href={`mailto:${c.email}`}>{c.email}</a>
          </>
        ),
        c.url && <a href={c.url}>{new URL(c.url).host}</a>,
      ]
        .filter(Boolean)
        .map((x, i) => (
          <>
            {i > 0 && ', or '}
            {x}
          </>
        ))}
    </p>
  );
}

function SessionItem(p: { g: PublicGroup; s: PublicSession; pageUrl: string }) {
  const zone = p.g.practice.timezone;
  return (
    <li>
      {p.s.status === 'cancelled' ? (
        <>
          <strong>Cancelled:</strong> <s>{sessionWords(p.s.startsAt, p.s.endsAt, zone)}</s>
        </>
      ) : (
        <>
          {sessionWords(p.s.startsAt, p.s.endsAt, zone)}
          {p.s.previousStartsAt !== null && (
            <> (moved from {DateTime.fromMillis(p.s.previousStartsAt, { zone }).setLocale('en-GB').toFormat('cccc d LLLL, HH:mm')})</>
          )}
        </>
      )}
      <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: scriptSafeJson(eventJsonLd(p.g, p.s, p.pageUrl)) }} />
    </li>
  );
}

export function GroupSection(p: { g: PublicGroup; sessions: PublicSession[]; pageUrl: string }) {
  const { g } = p;
  return (
    <section aria-labelledby={`g-${g.id}`}>
      <h3 id={`g-${g.id}`}>{g.name}</h3>
      <p>{g.summary}</p>
      <p>
        <strong>Where:</strong> {g.venue.name}, {g.venue.address.replace(/\r?\n/g, ', ')}, {g.venue.postcode}
        {g.venue.meetingPoint && <> · meet at {g.venue.meetingPoint}</>}
      </p>
      {g.venue.accessibility && <p>Getting there and access: {g.venue.accessibility}</p>}
      <Contact g={g} />
      {g.status === 'paused' ? (
        <p>This group is taking a break just now.</p>
      ) : p.sessions.length === 0 ? (
        <p>No sessions in the next {WEEKS_AHEAD} weeks.</p>
      ) : (
        <ul>
          {p.sessions.map((s) => (
            <SessionItem g={g} s={s} pageUrl={p.pageUrl} />
          ))}
        </ul>
      )}
      <p>
        <a href={`/whats-on/groups/${g.id}.ics`}>Add {g.name} to your calendar</a>
      </p>
    </section>
  );
}

/** The public page: practice by practice, each public group with its coming sessions. No sign-in, no JavaScript. */
export function WhatsOnPage(p: { groups: PublicGroup[]; sessions: Map<number, PublicSession[]>; baseUrl: string; practiceCode?: string }) {
  const byPractice = new Map<number, PublicGroup[]>();
  for (const g of p.groups) byPractice.set(g.practice.id, [...(byPractice.get(g.practice.id) ?? []), g]);
  const pageUrl = `${p.baseUrl}/whats-on${p.practiceCode ? `?practice=${encodeURIComponent(p.practiceCode)}` : ''}`;
  return (
    <Layout title="What's on">
      <p>
        Free groups run by Community Links Practitioners at GP practices: walks, gardening, book clubs and more. Anyone may come; ask first if a group says so.
        These are the next {WEEKS_AHEAD} weeks.
      </p>
      {p.groups.length === 0 && <p>Nothing is listed here just now.</p>}
      {[...byPractice.values()].map((groups) => (
        <section aria-labelledby={`p-${groups[0]!.practice.id}`}>
          <h2 id={`p-${groups[0]!.practice.id}`}>{groups[0]!.practice.name}</h2>
          {groups.map((g) => (
            <GroupSection g={g} sessions={p.sessions.get(g.id) ?? []} pageUrl={pageUrl} />
          ))}
        </section>
      ))}
    </Layout>
  );
}
