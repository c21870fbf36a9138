import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.js';
import { canManage, requireRole } from '../auth/auth-middleware.js';
import { Id, IdParam, MultilineText, OptionalMultilineText } from '../lib/schemas.js';
import { toZonedIso } from '../lib/time.js';
import { validate } from '../lib/validate.js';
import { documented, itemsOf, ZonedTime } from '../openapi/describe.js';
import {
  CONCERN_KINDS,
  CONCERN_STATUSES,
  CONCERN_URGENCIES,
  getConcern,
  listConcerns,
  raiseConcern,
  updateConcern,
  type ConcernView,
} from './concerns-service.js';

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
    status: z.enum(['acknowledged', 'closed']),
    note: OptionalMultilineText(2000)
      .optional()
      .transform((v) => v ?? null),
  })
  .superRefine((b, ctx) => {
    if (b.status === 'closed' && !b.note) ctx.addIssue({ code: 'custom', path: ['note'], message: 'a note is needed to close a concern: say what was done' });
  });

const Person = z.object({ id: z.number().int(), name: z.string() }).nullable();

export const ConcernDto = z.object({
  id: z.number().int(),
  participantId: z.number().int().nullable(),
  participantName: z.string().nullable().describe('As the reader may see it: a leader reads the given name and family initial; null once erased'),
  sessionId: z.number().int().nullable(),
  sessionStartsAt: ZonedTime.nullable(),
  groupName: z.string().nullable(),
  kind: z.enum(CONCERN_KINDS),
  urgency: z.enum(CONCERN_URGENCIES),
  text: z.string(),
  status: z.enum(CONCERN_STATUSES),
  raisedBy: Person,
  raisedAt: ZonedTime,
  acknowledgedBy: Person,
  acknowledgedAt: ZonedTime.nullable(),
  closedBy: Person,
  closedAt: ZonedTime.nullable(),
  note: z.string().nullable(),
});

const at = (ms: number | null, zone: string) => (ms === null ? null : toZonedIso(ms, zone));

export const toConcernDto = (c: ConcernView, zone: string): z.input<typeof ConcernDto> => ({
  ...c,
  sessionStartsAt: at(c.sessionStartsAt, zone),
  raisedAt: toZonedIso(c.raisedAt, zone),
  acknowledgedAt: at(c.acknowledgedAt, zone),
  closedAt: at(c.closedAt, zone),
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
  .get('/:id', doc('One concern (audited)', { 200: ConcernDto }), validate('param', IdParam), async (c) => {
    const { db, user, clock } = c.var;
    return c.json(toConcernDto(await getConcern(db, user, clock.now().getTime(), c.req.valid('param').id), user.timezone));
  })
  .post('/', doc('Raise a concern or report an incident, from the register or a session', { 201: ConcernDto }), validate('json', NewConcernBody), async (c) => {
    const { db, user, clock } = c.var;
    const row = await raiseConcern(db, user, clock.now().getTime(), c.req.valid('json'));
    return c.json(toConcernDto(row, user.timezone), 201);
  })
  .patch(
    '/:id',
    doc('Acknowledge a concern, or close it with a note saying what was done', { 200: ConcernDto }),
    canManage,
    validate('param', IdParam),
    validate('json', ConcernPatch),
    async (c) => {
      const { db, user, clock } = c.var;
      const row = await updateConcern(db, user, clock.now().getTime(), c.req.valid('param').id, c.req.valid('json'));
      return c.json(toConcernDto(row, user.timezone));
    },
  );
