import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.js';
import { adminOnly } from '../auth/auth-middleware.js';
import { audit } from '../audit/audit-service.js';
import { Id } from '../lib/schemas.js';
import { toZonedIso } from '../lib/time.js';
import { validate } from '../lib/validate.js';
import { eraseInactive, inactiveParticipants } from './retention-service.js';

const EraseBody = z.object({ participantIds: z.array(Id).min(1).max(1000) });

/** `/retention`: who has had no activity for the practice's period, for an admin to erase in one confirmed step. */
export const retentionRoutes = new Hono<AppEnv>()
  .use(adminOnly)
  .get('/inactive', async (c) => {
    const { db, user, clock } = c.var;
    const now = clock.now().getTime();
    const rows = await inactiveParticipants(db, user.practiceId, now);
    await audit(db, user, now, { action: 'list', entity: 'participant', detail: `${rows.length} inactive`, shown: rows.map((r) => r.participant_id) });
    return c.json({
      items: rows.map((r) => ({
        participantId: r.participant_id,
        givenName: r.given_name,
        familyName: r.family_name,
        lastActivity: toZonedIso(r.last_activity, user.timezone),
      })),
    });
  })
  .post('/erase-inactive', validate('json', EraseBody), async (c) =>
    c.json(await eraseInactive(c.var.db, c.var.user, c.var.clock.now().getTime(), [...new Set(c.req.valid('json').participantIds)])),
  );
