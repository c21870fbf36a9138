import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.js';
import { canManage, requireRole } from '../auth/auth-middleware.js';
import { Id, IdParam, MultilineText, OptionalMultilineText } from '../lib/schemas.js';
import { toZonedIso } from '../lib/time/time.js';
import { validate } from '../lib/validate.js';
import { documented, itemsOf, ZonedTime } from '../openapi/describe.js';
import { CONCERN_KINDS, CONCERN_STATUSES, CONCERN_URGENCIES, getConcern, listConcerns, raiseConcern, updateConcern } from './concerns-service.js';
import { ConcernDto, Person, toConcernDto } from './concern-dto.js';

import { concernExport, concernReaders } from './concern-export.js';

const doc = documented('Concerns');

export const NewConcernBody = z.object({
  participantId: Id.nullable()
    .optional()
    .transform((v) => v ?? null)
    .describe('Who it is about, if anyone in particular'),
  sessionId: Id.nullable()
    .optional()
    .transform((v) => v ?? null)
    .describe('The session it happened at'),
  kind: z.enum(CONCERN_KINDS),
  urgency: z.enum(CONCERN_URGENCIES).describe('"today": a CLP should act today; "this_week": within the week'),
  text: MultilineText(2000).describe('What was seen or said, in the raiser\u2019s words. Never sent in a text.'),
});

const ConcernPatch = z
  .object({
    status: z.enum(['acknowledged', 'closed', 'open']).optional().describe('"open" reopens a closed concern (with a note); leave it out to add a note alone'),
    note: OptionalMultilineText(2000)
      .optional()
      .transform((v) => v ?? null),
  })
  .superRefine((b, ctx) => {
    if (b.status === 'closed' && !b.note) ctx.addIssue({ code: 'custom', path: ['note'], message: 'a note is needed to close a concern: say what was done' });
    if (b.status === 'open' && !b.note) ctx.addIssue({ code: 'custom', path: ['note'], message: 'a note is needed to reopen a concern: say why' });
    if (b.status === undefined && !b.note) ctx.addIssue({ code: 'custom', path: ['note'], message: 'give a note, a new status, or both' });
  });

const Reader = z.object({ by: Person, at: ZonedTime, action: z.string().describe('read, update or export') });
const ConcernReadDto = ConcernDto.extend({ readBy: z.array(Reader).describe('Who opened, changed or exported it, and when (empty to a leader)') });
const ConcernExportDto = z.object({
  exportedAt: ZonedTime,
  person: z
    .object({
      id: z.number().int(),
      givenName: z.string().nullable(),
      familyName: z.string().nullable(),
      phone: z.string().nullable(),
      chiNumber: z.string().nullable(),
      preferredLanguage: z.string().nullable(),
      interpreterLanguage: z.string().nullable(),
      emergencyContact: z.string().nullable(),
      accessNeeds: z.string().nullable(),
    })
    .nullable(),
  concern: ConcernDto,
  readBy: z.array(Reader),
});

const ListQuery = z.object({ status: z.enum(CONCERN_STATUSES).optional() });

/** `/concerns`: what leaders and CLPs saw at a group, for the practice's CLPs and admins to act on. */
export const concernRoutes = new Hono<AppEnv>()
  // Practice staff (reception) neither raise nor read them: concerns are for those at the group and the CLPs.
  .use(requireRole('admin', 'clp', 'leader'))
  .get(
    '/',
    doc('Concerns and incidents: the practice\u2019s for CLPs and admins, their own for a leader (audited)', { 200: itemsOf(ConcernDto) }),
    validate('query', ListQuery),
    async (c) => {
      const { db, user, clock } = c.var;
      const rows = await listConcerns(db, user, clock.now().getTime(), c.req.valid('query').status);
      return c.json({ items: rows.map((r) => toConcernDto(r, user.timezone)) });
    },
  )
  .get(
    '/:id',
    doc('One concern, with its log and (for CLPs and admins) who read it (audited)', { 200: ConcernReadDto }),
    validate('param', IdParam),
    async (c) => {
      const { db, user, clock } = c.var;
      const concern = await getConcern(db, user, clock.now().getTime(), c.req.valid('param').id);
      const readers = user.role === 'leader' ? [] : await concernReaders(db, user.practiceId, concern.id);
      return c.json({ ...toConcernDto(concern, user.timezone), readBy: readers.map((r) => ({ ...r, at: toZonedIso(r.at, user.timezone) })) });
    },
  )
  .get(
    '/:id/export',
    doc('What an adult-protection referral needs: the person and their contacts, the concern, every action, who read it (CLPs and admins; audited)', {
      200: ConcernExportDto,
    }),
    canManage,
    validate('param', IdParam),
    async (c) => {
      const { db, user, clock } = c.var;
      const e = await concernExport(db, user, clock.now().getTime(), c.req.valid('param').id);
      return c.json({
        exportedAt: toZonedIso(e.exportedAt, user.timezone),
        person: e.person,
        concern: toConcernDto(e.concern, user.timezone),
        readBy: e.readers.map((r) => ({ ...r, at: toZonedIso(r.at, user.timezone) })),
      });
    },
  )
  .post('/', doc('Raise a concern or report an incident, from the register or a session', { 201: ConcernDto }), validate('json', NewConcernBody), async (c) => {
    const { db, user, clock } = c.var;
    const row = await raiseConcern(db, user, clock.now().getTime(), c.req.valid('json'));
    return c.json(toConcernDto(row, user.timezone), 201);
  })
  .patch(
    '/:id',
    doc('Act on a concern: add a note, acknowledge it, close it (with a note) or reopen it (with a note); every action is kept', { 200: ConcernDto }),
    canManage,
    validate('param', IdParam),
    validate('json', ConcernPatch),
    async (c) => {
      const { db, user, clock } = c.var;
      const row = await updateConcern(db, user, clock.now().getTime(), c.req.valid('param').id, c.req.valid('json'));
      return c.json(toConcernDto(row, user.timezone));
    },
  );
