import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { DateTime } from 'luxon';
import { invalid } from '../lib/errors.js';
import { Csrf, Layout, PostButton } from '../web/layout.js';
import { form, str, type WebEnv } from '../web/web-auth.js';
import { createFeed, feedUrls, listFeeds, revokeFeed, subscriptionInstructions } from './feeds-service.js';
import { ReflowTable } from '../web/components/reflow-table.js';

/**
 * A new feed's link is shown once, after a redirect (so a reload cannot make a second feed), without
 * ever being in a URL: it rides to the next page in a short-lived cookie read once and deleted.
 */
const SHOW_ONCE = 'clg_new_feed';

/** Calendar feeds for practice staff: create, copy the link, revoke. */
export const feedPages = new Hono<WebEnv>()
  .get('/feeds', (c) => {
    const token = getCookie(c, SHOW_ONCE);
    if (token) deleteCookie(c, SHOW_ONCE, { path: '/feeds' });
    return feedsPage(c, token && /^[A-Za-z0-9_-]{20,100}$/.test(token) ? feedUrls(c.var.config.publicBaseUrl, token).url : undefined);
  })
  .post('/feeds', async (c) => {
    const f = await form(c);
    const scope = str(f.scope);
    if (!['practice', 'group', 'facilitator'].includes(scope)) throw invalid('Choose what the feed shows');
    const { token } = await createFeed(c.var.db, c.var.user, c.var.clock.now().getTime(), {
      scope: scope as 'practice',
      groupId: scope === 'group' ? Number(str(f.groupId)) || undefined : undefined,
      name: str(f.name).slice(0, 100) || undefined,
    });
    setCookie(c, SHOW_ONCE, token, {
      path: '/feeds',
      httpOnly: true,
      sameSite: 'Strict',
      secure: c.var.config.publicBaseUrl.startsWith('https://'),
      maxAge: 300,
    });
    return c.redirect('/feeds', 303);
  })
  .post('/feeds/:id/revoke', async (c) => {
    await form(c);
    await revokeFeed(c.var.db, c.var.user, Number(c.req.param('id')) || 0, c.var.clock.now().getTime());
    return c.redirect('/feeds?done=Revoked: the link stops working at once.', 303);
  });

async function feedsPage(c: Context<WebEnv>, created?: string) {
  const { db, user } = c.var;
  const feeds = await listFeeds(db, user);
  const leader = user.role === 'leader';
  // A leader's feed is of their own sessions: the practice's other groups are not theirs to list.
  const groups = leader
    ? []
    : await db.selectFrom('community_groups').select(['id', 'name']).where('practice_id', '=', user.practiceId).orderBy('name').execute();
  const urls = created ? { url: created, webcalUrl: created.replace(/^https?:\/\//, 'webcal://') } : null;
  const groupName = new Map(groups.map((g) => [g.id, g.name]));
  const canRevoke = (f: { created_by: number | null }) => (user.role !== 'staff' && !leader) || f.created_by === user.id;
  return c.html(
    <Layout title="Calendar feeds" user={user} csrf={c.var.csrf} notice={c.req.query('done')}>
      {urls && <NewFeedLink url={urls.url} webcalUrl={urls.webcalUrl} />}
      <h2>Feeds</h2>
      {feeds.length === 0 ? (
        <p class="muted">No feeds yet.</p>
      ) : (
        <ReflowTable
          rows={feeds}
          columns={[
            { heading: 'Name', cell: (f) => f.name },
            {
              heading: 'Shows',
              cell: (f) =>
                f.scope === 'practice' ? 'All groups' : f.scope === 'group' ? `One group: ${groupName.get(f.group_id!) ?? 'removed'}` : "One CLP's groups",
            },
            {
              heading: 'Last used',
              cell: (f) =>
                f.last_accessed_at ? DateTime.fromMillis(f.last_accessed_at, { zone: user.timezone }).setLocale('en-GB').toFormat('d LLL, HH:mm') : 'Never',
            },
            {
              heading: 'Action',
              unlabelled: true,
              cell: (f) => (canRevoke(f) ? <PostButton action={`/feeds/${f.id}/revoke`} csrf={c.var.csrf} label="Revoke" name={`Revoke ${f.name}`} /> : '–'),
            },
          ]}
        />
      )}
      <NewFeedForm csrf={c.var.csrf} role={user.role} groups={groups} />
    </Layout>,
  );
}

/** A feed's link, shown once: to copy, to subscribe on this device, and how in each calendar. */
function NewFeedLink(p: { url: string; webcalUrl: string }) {
  const urls = p;
  const help = subscriptionInstructions(p.webcalUrl, p.url);
  return (
    <section aria-labelledby="newfeed">
      <h2 id="newfeed">Your new feed link (shown only once)</h2>
      <label for="feedUrl">Link to copy</label>
      <input id="feedUrl" readonly value={urls.url} />
      <p>
        <button type="button" class="secondary" id="copyFeed" hidden>
          Copy the link
        </button>{' '}
        <span id="copied" role="status"></span>
      </p>
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
  );
}

/** A new feed: of the practice, one group or one's own (a leader only their own), with a name. */
function NewFeedForm(p: { csrf: string; role: string; groups: { id: number; name: string }[] }) {
  const leader = p.role === 'leader';
  return (
    <>
      <h2>New feed</h2>
      <form novalidate method="post" action="/feeds">
        <Csrf token={p.csrf} />
        {leader ? (
          <input type="hidden" name="scope" value="facilitator" />
        ) : (
          <>
            <label for="scope">Show</label>
            <select id="scope" name="scope">
              <option value="practice">All groups in the practice</option>
              <option value="group">One group</option>
              {p.role !== 'staff' && <option value="facilitator">My own groups</option>}
            </select>
            <label for="groupId">Group (for "one group")</label>
            <select id="groupId" name="groupId">
              {p.groups.map((g) => (
                <option value={String(g.id)}>{g.name}</option>
              ))}
            </select>
          </>
        )}
        <label for="feedName">Name (optional)</label>
        <input id="feedName" name="name" maxlength={100} />
        <p>
          <button type="submit">Create feed</button>
        </p>
      </form>
    </>
  );
}

// Progressive enhancement: one tap copies the link; without JavaScript the field can be selected and copied.
