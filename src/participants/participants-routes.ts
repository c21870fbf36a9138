import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.js';
import { adminOnly, canManage } from '../auth/auth-middleware.js';
import { IdParam, Text } from '../lib/schemas.js';
import { validate } from '../lib/validate.js';
import { eraseParticipant, exportParticipant } from './gdpr-service.js';
import { NewParticipantBody, ParticipantPatchBody } from './participant-schemas.js';
import { createParticipant, readParticipant, searchParticipants, toParticipantDto, updateParticipant } from './participants-service.js';

const SearchQuery = z.object({
  q: Text(100, 0).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

const now = (c: { var: AppEnv['Variables'] }) => c.var.clock.now().getTime();

/** Participant data: CLPs and admins only; staff never reach it. Every access is audited. */
export const participantRoutes = new Hono<AppEnv>()
  .use(canManage)
  .get('/', validate('query', SearchQuery), async (c) => {
    const q = c.req.valid('query');
    const rows = await searchParticipants(c.var.db, c.var.user, now(c), { search: q.q, limit: q.limit, offset: q.offset });
    return c.json({ items: rows.map((p) => toParticipantDto(p, c.var.user.timezone)) });
  })
  .post('/', validate('json', NewParticipantBody), async (c) => {
    const row = await createParticipant(c.var.db, c.var.user, now(c), c.req.valid('json'));
    return c.json(toParticipantDto(row, c.var.user.timezone), 201);
  })
  .get('/:id', validate('param', IdParam), async (c) => {
    const row = await readParticipant(c.var.db, c.var.user, now(c), c.req.valid('param').id);
    return c.json(toParticipantDto(row, c.var.user.timezone));
  })
  .patch('/:id', validate('param', IdParam), validate('json', ParticipantPatchBody), async (c) => {
    const row = await updateParticipant(c.var.db, c.var.user, now(c), c.req.valid('param').id, c.req.valid('json'));
    return c.json(toParticipantDto(row, c.var.user.timezone));
  })
  .get('/:id/export', validate('param', IdParam), async (c) => {
    const doc = await exportParticipant(c.var.db, c.var.user, now(c), c.req.valid('param').id);
    c.header('content-disposition', `attachment; filename="participant-${doc.participant.id}-export.json"`);
    return c.json(doc);
  })
  .post('/:id/erase', adminOnly, validate('param', IdParam), async (c) => {
    const id = c.req.valid('param').id;
    await eraseParticipant(c.var.db, c.var.user, now(c), id);
    return c.json({ id, erased: true });
  });
