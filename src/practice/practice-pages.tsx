import { Hono } from 'hono';
import { membershipsOf, switchPractice } from '../auth/auth-service.js';
import { Csrf, Layout } from '../web/layout.js';
import { form, str, type WebEnv } from '../web/web-auth.js';

/** The practices a person works in, to switch between: a session acts in one at a time. */
export const practicePages = new Hono<WebEnv>()
  .get('/practices', async (c) => {
    const { db, user } = c.var;
    const rows = await membershipsOf(db, user.id);
    return c.html(
      <Layout title="Your practices" user={user} csrf={c.var.csrf}>
        <p>You are working in {user.practiceName}.</p>
        <ul class="plain">
          {rows.map((p) => (
            <li>
              {p.id === user.practiceId ? (
                <strong>
                  {p.name} ({p.role}, current)
                </strong>
              ) : (
                <form method="post" action="/practices/switch" class="inline">
                  <Csrf token={c.var.csrf} />
                  <input type="hidden" name="practiceId" value={String(p.id)} />
                  <button type="submit" class="secondary">{`Work in ${p.name} (${p.role})`}</button>
                </form>
              )}
            </li>
          ))}
        </ul>
      </Layout>,
    );
  })
  .post('/practices/switch', async (c) => {
    const f = await form(c);
    const user = await switchPractice(c.var.db, c.var.user, Number(str(f.practiceId)) || 0);
    return c.redirect(user.role === 'staff' ? '/groups' : '/today', 303);
  });
