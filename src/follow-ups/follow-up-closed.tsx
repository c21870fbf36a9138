import type { Context } from 'hono';
import { Csrf, Layout } from '../web/layout.js';
import type { WebEnv } from '../web/web-auth.js';

/**
 * After a follow-up is closed: the person may still hold a place nobody uses. Offered, not done:
 * withdrawing goes through the group's own confirmation page, which shows who is offered the place.
 */
export async function ClosedOffer(c: Context<WebEnv>, participantId: number, groupIds: number[]) {
  const { db, user } = c.var;
  const held = groupIds.length
    ? await db
        .selectFrom('enrolments as e')
        .innerJoin('community_groups as g', 'g.id', 'e.group_id')
        .innerJoin('participants as p', 'p.id', 'e.participant_id')
        .select(['g.id', 'g.name', 'e.status', 'p.given_name', 'p.family_name'])
        .where('e.practice_id', '=', user.practiceId)
        .where('e.participant_id', '=', participantId)
        .where('e.group_id', 'in', groupIds)
        .where('e.status', '!=', 'withdrawn')
        .orderBy('g.name')
        .execute()
    : [];
  if (held.length === 0) return c.redirect(`/follow-ups?done=${encodeURIComponent('Closed: saved.')}`, 303);
  const name = [held[0]!.given_name, held[0]!.family_name].filter(Boolean).join(' ') || 'This person';
  return c.html(
    <Layout title={`Closed. Give up ${name}'s ${held.length === 1 ? 'place' : 'places'} too?`} user={user} csrf={c.var.csrf}>
      <p>
        The follow-up is closed. {name} still {held.some((h) => h.status === 'active') ? 'has a place' : 'is waiting for a place'} in{' '}
        {held.map((h) => h.name).join(' and ')}. If they will not come, withdrawing them gives the place to the next person waiting.
      </p>
      {held.map((h) => (
        <form novalidate method="post" action={`/groups/${h.id}/withdraw/${participantId}`}>
          <Csrf token={c.var.csrf} />
          <p>
            <button type="submit" class="secondary">
              Withdraw {name} from {h.name}…
            </button>
          </p>
        </form>
      ))}
      <p class="muted">The next page shows who would be offered the place, and asks before anything changes.</p>
      <p>
        <a href="/follow-ups">Keep their {held.length === 1 ? 'place' : 'places'}, back to follow-ups</a>
      </p>
    </Layout>,
  );
}
