import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.js';
import { adminOnly } from '../auth/auth-middleware.js';
import { audit } from '../audit/audit-service.js';
import { Id } from '../lib/schemas.js';
import { toZonedIso } from '../lib/time/time.js';
import { validate } from '../lib/validate.js';
import { eraseInactive, inactiveParticipants } from './retention-service.js';
import { documented, itemsOf, ZonedTime } from '../openapi/describe.js';

const doc = documented('Retention');
const InactiveDto = z.object({ participantId: z.number().int(), givenName: z.string().nullable(), familyName: z.string().nullable(), lastActivity: ZonedTime });

const EraseBody = z.object({ participantIds: z.array(Id).min(1).max(1000) });

/** `/retention`: who has had no activity for the practice's period, for an admin to erase in one confirmed step. */
export const retentionRoutes = new Hono<AppEnv>()
  .use(adminOnly)
  .get('/inactive', doc("People with no activity for the practice's retention period (admins; audited)", { 200: itemsOf(InactiveDto) }), async (c) => {
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
  .post(
    '/erase-inactive',
    doc('Erase the people listed, all or none: 409 if anyone is no longer inactive', { 200: z.object({ erased: z.number().int() }) }),
    validate('json', EraseBody),
    async (c) => c.json(await eraseInactive(c.var.db, c.var.user, c.var.clock.now().getTime(), [...new Set(c.req.valid('json').participantIds)])),
  );
