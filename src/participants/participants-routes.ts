import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.js';
import { adminOnly, canManage } from '../auth/auth-middleware.js';
import { IdParam, Text } from '../lib/schemas.js';
import { validate } from '../lib/validate.js';
import { eraseParticipant, exportParticipant } from './gdpr-service.js';
import { NewParticipantBody, ParticipantDto, ParticipantPatchBody } from './participant-schemas.js';
import { ParticipantExport } from './participant-export-schema.js';
import { documented, itemsOf } from '../openapi/describe.js';

const doc = documented('Participants');
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
  .get(
    '/',
    doc('Find participants by name or number (CLPs and admins; audited)', { 200: itemsOf(ParticipantDto) }),
    validate('query', SearchQuery),
    async (c) => {
      const q = c.req.valid('query');
      const rows = await searchParticipants(c.var.db, c.var.user, now(c), { search: q.q, limit: q.limit, offset: q.offset });
      return c.json({ items: rows.map((p) => toParticipantDto(p, c.var.user.timezone)) });
    },
  )
  .post('/', doc('Add a participant', { 201: ParticipantDto }), validate('json', NewParticipantBody), async (c) => {
    const row = await createParticipant(c.var.db, c.var.user, now(c), c.req.valid('json'));
    return c.json(toParticipantDto(row, c.var.user.timezone), 201);
  })
  .get('/:id', doc('One participant (audited)', { 200: ParticipantDto }), validate('param', IdParam), async (c) => {
    const row = await readParticipant(c.var.db, c.var.user, now(c), c.req.valid('param').id);
    return c.json(toParticipantDto(row, c.var.user.timezone));
  })
  .patch('/:id', doc('Change a participant', { 200: ParticipantDto }), validate('param', IdParam), validate('json', ParticipantPatchBody), async (c) => {
    const row = await updateParticipant(c.var.db, c.var.user, now(c), c.req.valid('param').id, c.req.valid('json'));
    return c.json(toParticipantDto(row, c.var.user.timezone));
  })
  .get('/:id/export', doc('Everything held about a person (subject access)', { 200: ParticipantExport }), validate('param', IdParam), async (c) => {
    const doc = await exportParticipant(c.var.db, c.var.user, now(c), c.req.valid('param').id, c.var.auditArchive);
    c.header('content-disposition', `attachment; filename="participant-${doc.participant.id}-export.json"`);
    return c.json(doc);
  })
  .post(
    '/:id/erase',
    doc('Erase a person: details go, anonymous counts stay (admins)', { 200: z.object({ id: z.number().int(), erased: z.literal(true) }) }),
    adminOnly,
    validate('param', IdParam),
    validate(
      'query',
      z.object({
        openConcerns: z
          .literal('erase')
          .optional()
          .describe('Confirms the erasure of someone with concerns still open (otherwise 409): the concerns stay, their name goes from them'),
      }),
    ),
    async (c) => {
      const id = c.req.valid('param').id;
      await eraseParticipant(c.var.db, c.var.user, now(c), id, c.req.valid('query'));
      return c.json({ id, erased: true });
    },
  );
