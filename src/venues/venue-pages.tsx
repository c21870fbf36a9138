import { Hono } from 'hono';
import { invalid } from '../lib/errors.js';
import { Csrf, Layout } from '../web/layout.js';
import { form, pageRoles, str, type WebEnv } from '../web/web-auth.js';
import { createVenue, listVenues } from './venues-service.js';

const manage = pageRoles('admin', 'clp');

/** Venues: the places groups meet, with their meeting point and access. */
export const venuePages = new Hono<WebEnv>()
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
  });
