import { Hono } from 'hono';
import { form, pageRoles, type WebEnv } from '../web/web-auth.js';
import { acknowledgeRestore } from './operations-notice.js';

/** An admin has read the restore's notice and checked what it lists: it goes for the practice's admins. */
export const restorePages = new Hono<WebEnv>().post('/restores/:id/acknowledge', pageRoles('admin'), async (c) => {
  await form(c);
  const { db, user, clock } = c.var;
  await acknowledgeRestore(db, Number(c.req.param('id')) || 0, user.practiceId, user.id, clock.now().getTime());
  return c.redirect('/today?done=' + encodeURIComponent('Thank you: the notice about the restore is gone for this practice.'), 303);
});
