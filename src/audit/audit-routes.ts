import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.js';
import { adminOnly } from '../auth/auth-middleware.js';
import { Id } from '../lib/schemas.js';
import { toZonedIso } from '../lib/time/time.js';
import { validate } from '../lib/validate.js';
import { auditLog } from './archived-events.js';
import { documented, itemsOf, ZonedTime } from '../openapi/describe.js';

const doc = documented('Audit');
const AuditEventDto = z.object({
  id: z.number().int(),
  at: ZonedTime,
  user: z.object({ id: z.number().int(), name: z.string().nullable() }).nullable(),
  action: z.string(),
  entity: z.string(),
  entityId: z.number().int().nullable(),
  participantId: z.number().int().nullable(),
  detail: z.string().nullable(),
  archived: z.boolean().describe("Read back from the audit archive: older than the practice's audit retention"),
});

const AuditQuery = z.object({ participantId: Id.optional(), before: Id.optional(), limit: z.coerce.number().int().min(1).max(500).default(100) });

/** `/audit-events`: who touched patient data, for admins. */
export const auditRoutes = new Hono<AppEnv>().get(
  '/',
  doc('Who read or changed patient data, newest first (admins)', { 200: itemsOf(AuditEventDto) }),
  adminOnly,
  validate('query', AuditQuery),
  async (c) => {
    const rows = await auditLog(c.var.db, c.var.auditArchive, c.var.user.practiceId, c.req.valid('query'));
    return c.json({
      items: rows.map((r) => ({
        id: r.id,
        at: toZonedIso(r.at, c.var.user.timezone),
        user: r.user_id === null ? null : { id: r.user_id, name: r.user_name },
        action: r.action,
        entity: r.entity,
        entityId: r.entity_id,
        participantId: r.participant_id,
        detail: r.detail,
        archived: r.archived,
      })),
    });
  },
);
