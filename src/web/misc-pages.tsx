import { Hono, type Context } from 'hono';
import { DateTime } from 'luxon';
import { audit } from '../audit/audit-service.js';
import { createFeed, feedUrls, listFeeds, revokeFeed, subscriptionInstructions } from '../feeds/feeds-service.js';
import { invalid } from '../lib/errors.js';
import { createVenue, listVenues } from '../venues/venues-service.js';
import { Csrf, Layout, PostButton } from './layout.js';
import { TextBody, textStatus, textWhen } from './message-cells.js';
import { smsUsage } from '../texts/usage-service.js';
import { smsPriceOf } from '../texts/texts-service.js';
import { money } from '../lib/money.js';
import { form, pageRoles, str, type WebEnv } from './web-auth.js';

const manage = pageRoles('admin', 'clp');

/** Messages (outbox and inbox), venues, and calendar feeds. */
export const miscPages = new Hono<WebEnv>()
  .get('/messages', manage, async (c) => {
    const { db, user } = c.var;
    const rows = await db
      .selectFrom('messages')
      .leftJoin('participants as p', 'p.id', 'messages.participant_id')
      .selectAll('messages')
      .select(['p.given_name', 'p.family_name', 'p.preferred_language'])
      .where('messages.practice_id', '=', user.practiceId)
      .orderBy('messages.id', 'desc')
      .limit(200)
      .execute();
    await audit(db, user, c.var.clock.now().getTime(), {
      action: 'list',
      entity: 'message',
      detail: `${rows.length} messages`,
      shown: rows.map((m) => m.participant_id),
    });
    const who = (m: (typeof rows)[number]) =>
      m.given_name ? [m.given_name, m.family_name].filter(Boolean).join(' ') : m.direction === 'inbound' ? (m.from_number ?? 'Unknown') : '–';
    const table = (items: typeof rows, inbound: boolean) =>
      items.length === 0 ? (
        <p class="muted">None yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">{inbound ? 'From' : 'To'}</th>
              <th scope="col">Text</th>
              <th scope="col">{inbound ? 'What happened' : 'Status'}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((m) => (
              <tr>
                <td>{textWhen(m, user.timezone)}</td>
                <td>{m.participant_id ? <a href={`/participants/${m.participant_id}`}>{who(m)}</a> : who(m)}</td>
                <td>
                  <TextBody m={m} preferred={m.preferred_language} />
                </td>
                <td>{textStatus(m)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      );
    const usage = await smsUsage(db, user.practiceId, smsPriceOf(c.var.config), c.var.clock.now().getTime(), {});
    const [month] = usage.months;
    return c.html(
      <Layout title="Messages" user={user} csrf={c.var.csrf} notice={c.req.query('done')}>
        <p>
          This month: {month!.texts} texts sent, {month!.segments} segments ({money(month!.cost, usage.price.currency)})
          {usage.budget.budget !== null && ` of a ${usage.budget.budget}-segment budget`}.{' '}
          {user.role === 'admin' && <a href="/texts">Texts, costs and wording</a>}
        </p>
        <h2>Replies from participants</h2>
        {table(
          rows.filter((m) => m.direction === 'inbound'),
          true,
        )}
        <h2>Sent and queued texts</h2>
        {table(
          rows.filter((m) => m.direction === 'outbound'),
          false,
        )}
      </Layout>,
    );
  })
  .get('/venues', manage, async (c) => {
    const venues = await listVenues(c.var.db, c.var.user.practiceId);
    return c.html(
      <Layout title="Venues" user={c.var.user} csrf={c.var.csrf} notice={c.req.query('done')}>
        <ul class="cards">
          {venues.map((v) => (
            <li>
              <strong>{v.name}</strong> {v.address && <span class="muted">{v.address}</span>}
              {v.meeting_point && (
                <>
                  <br />
                  Meet at: {v.meeting_point}
                </>
              )}
              {v.accessibility && (
                <>
                  <br />
                  Access: {v.accessibility}
                </>
              )}
            </li>
          ))}
        </ul>
        <h2>Add a venue</h2>
        <form method="post" action="/venues">
          <Csrf token={c.var.csrf} />
          <label for="name">Name</label>
          <input id="name" name="name" required maxlength={200} />
          <label for="address">Address</label>
          <input id="address" name="address" maxlength={500} />
          <label for="meetingPoint">Meeting point</label>
          <input id="meetingPoint" name="meetingPoint" maxlength={500} placeholder="e.g. front gate of Knightswood Park" />
          <label for="accessibility">Accessibility notes</label>
          <input id="accessibility" name="accessibility" maxlength={1000} />
          <p>
            <button type="submit">Add venue</button>
          </p>
        </form>
      </Layout>,
    );
  })
  .post('/venues', manage, async (c) => {
    const f = await form(c);
    const name = str(f.name).slice(0, 200);
    if (!name) throw invalid('Give the venue a name');
    const opt = (k: string, max: number) => str(f[k]).slice(0, max) || null;
    await createVenue(c.var.db, c.var.clock, c.var.user.practiceId, {
      name,
      address: opt('address', 500),
      meetingPoint: opt('meetingPoint', 500),
      accessibility: opt('accessibility', 1000),
    });
    return c.redirect(`/venues?done=${encodeURIComponent(`${name} added.`)}`, 303);
  })
  .get('/feeds', (c) => feedsPage(c))
  .post('/feeds', manage, async (c) => {
    const f = await form(c);
    const scope = str(f.scope);
    if (!['practice', 'group', 'facilitator'].includes(scope)) throw invalid('Choose what the feed shows');
    const { token } = await createFeed(c.var.db, c.var.user, c.var.clock.now().getTime(), {
      scope: scope as 'practice',
      groupId: scope === 'group' ? Number(str(f.groupId)) || undefined : undefined,
      name: str(f.name).slice(0, 100) || undefined,
    });
    // Shown in this one response and never again: the link is not put in a URL or stored.
    return feedsPage(c, feedUrls(c.var.config.publicBaseUrl, token).url);
  })
  .post('/feeds/:id/revoke', manage, async (c) => {
    await form(c);
    await revokeFeed(c.var.db, c.var.user.practiceId, Number(c.req.param('id')) || 0, c.var.clock.now().getTime());
    return c.redirect('/feeds?done=Revoked: the link stops working at once.', 303);
  });

async function feedsPage(c: Context<WebEnv>, created?: string) {
  const { db, user } = c.var;
  const feeds = await listFeeds(db, user.practiceId);
  const groups = await db.selectFrom('community_groups').select(['id', 'name']).where('practice_id', '=', user.practiceId).orderBy('name').execute();
  const urls = created ? { url: created, webcalUrl: created.replace(/^https?:\/\//, 'webcal://') } : null;
  const help = urls ? subscriptionInstructions(urls.webcalUrl, urls.url) : null;
  return c.html(
    <Layout title="Calendar feeds" user={user} csrf={c.var.csrf} notice={c.req.query('done')}>
      {urls && help && (
        <section aria-labelledby="newfeed">
          <h2 id="newfeed">Your new feed link (shown only once)</h2>
          <label for="feedUrl">Link to copy</label>
          <input id="feedUrl" readonly value={urls.url} />
          <p>
            <a class="button" href={urls.webcalUrl}>
              Subscribe on this device
            </a>
          </p>
          <ul>
            <li>{help.outlook}</li>
            <li>{help.google}</li>
            <li>{help.apple}</li>
            <li>{help.privacy}</li>
          </ul>
        </section>
      )}
      <h2>Feeds</h2>
      {feeds.length === 0 ? (
        <p class="muted">No feeds yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Shows</th>
              <th scope="col">Last used</th>
              {user.role !== 'staff' && <th scope="col">Action</th>}
            </tr>
          </thead>
          <tbody>
            {feeds.map((f) => (
              <tr>
                <td>{f.name}</td>
                <td>{f.scope === 'practice' ? 'All groups' : f.scope === 'group' ? 'One group' : 'One CLP'}</td>
                <td>
                  {f.last_accessed_at ? DateTime.fromMillis(f.last_accessed_at, { zone: user.timezone }).setLocale('en-GB').toFormat('d LLL, HH:mm') : 'Never'}
                </td>
                {user.role !== 'staff' && (
                  <td>
                    <PostButton action={`/feeds/${f.id}/revoke`} csrf={c.var.csrf} label="Revoke" name={`Revoke ${f.name}`} />
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {user.role !== 'staff' && (
        <>
          <h2>New feed</h2>
          <form method="post" action="/feeds">
            <Csrf token={c.var.csrf} />
            <label for="scope">Show</label>
            <select id="scope" name="scope">
              <option value="practice">All groups in the practice</option>
              <option value="group">One group</option>
              <option value="facilitator">My own groups</option>
            </select>
            <label for="groupId">Group (for "one group")</label>
            <select id="groupId" name="groupId">
              {groups.map((g) => (
                <option value={String(g.id)}>{g.name}</option>
              ))}
            </select>
            <label for="feedName">Name (optional)</label>
            <input id="feedName" name="name" maxlength={100} />
            <p>
              <button type="submit">Create feed</button>
            </p>
          </form>
        </>
      )}
    </Layout>,
  );
}
