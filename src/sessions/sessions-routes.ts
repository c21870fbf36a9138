import { sessionFlags } from '../leaders/session-flags.js';
import { SessionWarnings } from '../leaders/session-warnings-schema.js';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.js';
import { canManage } from '../auth/auth-middleware.js';
import { assertLeads, leadersGroups } from '../leaders/leader-access.js';
import { invalid } from '../lib/errors.js';
import { Id, IdParam, LocalDate, Text } from '../lib/schemas.js';
import { addDays, localDate, parseInstant } from '../lib/time/time.js';
import { validate } from '../lib/validate.js';
import { getGroup } from '../groups/groups-service.js';
import { changeSession, type SessionChange } from './session-changes.js';
import { addOneOffSession, getSession, listSessions, SessionDto, toSessionDto } from './sessions-service.js';
import { documented, itemsOf } from '../openapi/describe.js';
import { versionedAnswer } from '../answers/answer-cache.js';

const SessionWithWarnings = SessionDto.extend({ warnings: SessionWarnings });
const doc = documented('Sessions');

const RangeQuery = z.object({ from: LocalDate.optional(), to: LocalDate.optional(), groupId: Id.optional() });

const Instant = z.string().min(10).max(40);

const PatchBody = z
  .object({
    status: z.enum(['scheduled', 'cancelled']).optional(),
    reason: Text(500).optional(),
    startsAt: Instant.optional(),
    endsAt: Instant.optional(),
    venueId: Id.optional(),
    /** Text everyone enrolled about the change (default yes). */
    notify: z.boolean().optional(),
  })
  .superRefine((b, ctx) => {
    const moving = b.startsAt !== undefined || b.endsAt !== undefined || b.venueId !== undefined;
    if (b.status === 'cancelled' && !b.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'say why the session is cancelled' });
    if (b.status !== undefined && moving) ctx.addIssue({ code: 'custom', path: ['status'], message: 'cancel or move a session, not both at once' });
    if (b.status === undefined && !moving)
      ctx.addIssue({ code: 'custom', path: [], message: 'give { status: "cancelled", reason } or { startsAt, endsAt?, venueId? }' });
  });

const OneOffBody = z.object({ startsAt: Instant, endsAt: Instant.optional(), venueId: Id.optional() });

/** Reads a client's instant in the practice's zone, or fails with a 400 naming the field. */
function instant(text: string | undefined, zone: string, field: string): number | undefined {
  if (text === undefined) return undefined;
  const parsed = parseInstant(text, zone);
  if (!parsed.ok) throw invalid(parsed.reason === 'skipped' ? parsed.message : `Invalid ${field}`, [{ path: field, message: parsed.message }]);
  return parsed.ms;
}

function defaultRange(clockMs: number, zone: string, q: { from?: string; to?: string }) {
  const from = q.from ?? localDate(clockMs, zone);
  return { from, to: q.to ?? addDays(from, 7 * 12) };
}

/** `/groups/:id/sessions`: a group's sessions, and one-offs added to it. */
export const groupSessionRoutes = new Hono<AppEnv>()
  .get(
    '/:id/sessions',
    doc("A group's sessions between two local dates (default: today and 12 weeks on)", { 200: itemsOf(SessionDto) }),
    // From memory before anything else: an address answered before was valid then, and the practice's data is unchanged.
    versionedAnswer,
    validate('param', IdParam),
    validate('query', RangeQuery.omit({ groupId: true })),
    async (c) => {
      const { practiceId, timezone } = c.var.user;
      const group = await getGroup(c.var.db, practiceId, c.req.valid('param').id);
      await assertLeads(c.var.db, c.var.user, group.id);
      const range = defaultRange(c.var.clock.now().getTime(), timezone, c.req.valid('query'));
      const rows = await listSessions(c.var.db, { practiceId, timezone }, { ...range, groupId: group.id });
      return c.json({ items: rows.map((s) => toSessionDto(s, timezone)) });
    },
  )
  .post(
    '/:id/sessions',
    doc('Add a one-off session to a group', { 201: SessionDto }),
    canManage,
    validate('param', IdParam),
    validate('json', OneOffBody),
    async (c) => {
      const { practiceId, timezone } = c.var.user;
      const body = c.req.valid('json');
      const row = await addOneOffSession(c.var.db, c.var.clock, { practiceId, timezone }, c.req.valid('param').id, {
        startsAt: instant(body.startsAt, timezone, 'startsAt')!,
        endsAt: instant(body.endsAt, timezone, 'endsAt'),
        venueId: body.venueId,
      });
      return c.json(toSessionDto(row, timezone), 201);
    },
  );

/** `/sessions`: the practice's sessions across groups, one session, cancel / restore / move. */
export const sessionRoutes = new Hono<AppEnv>()
  .get('/', doc("The practice's sessions between two local dates", { 200: itemsOf(SessionDto) }), validate('query', RangeQuery), async (c) => {
    const { practiceId, timezone } = c.var.user;
    const q = c.req.valid('query');
    const range = defaultRange(c.var.clock.now().getTime(), timezone, q);
    const rows = await listSessions(c.var.db, { practiceId, timezone }, { ...range, groupId: q.groupId });
    const led = await leadersGroups(c.var.db, c.var.user);
    return c.json({ items: rows.filter((s) => !led || led.has(s.group_id)).map((s) => toSessionDto(s, timezone)) });
  })
  .get(
    '/:id',
    doc('One session, with what stands in the way of running it safely (warnings)', { 200: SessionWithWarnings }),
    validate('param', IdParam),
    async (c) => {
      const { practiceId, timezone } = c.var.user;
      const session = await getSession(c.var.db, practiceId, c.req.valid('param').id);
      await assertLeads(c.var.db, c.var.user, session.group_id, 'Session');
      const flags = await sessionFlags(c.var.db, c.var.user, [session], c.var.clock.now().getTime());
      return c.json({ ...toSessionDto(session, timezone), warnings: flags.get(session.id) ?? [] });
    },
  )
  .patch(
    '/:id',
    doc('Cancel, restore or move a session; texts everyone enrolled unless notify is false', { 200: SessionDto }),
    canManage,
    validate('param', IdParam),
    validate('json', PatchBody),
    async (c) => {
      const { practiceId, timezone } = c.var.user;
      const scope = { practiceId, timezone };
      const id = c.req.valid('param').id;
      const body = c.req.valid('json');
      const { db, clock } = c.var;
      const change: SessionChange =
        body.status === 'cancelled'
          ? { kind: 'cancel', reason: body.reason! }
          : body.status === 'scheduled'
            ? { kind: 'restore' }
            : { kind: 'move', startsAt: instant(body.startsAt, timezone, 'startsAt'), endsAt: instant(body.endsAt, timezone, 'endsAt'), venueId: body.venueId };
      const { session: row } = await changeSession(db, clock, scope, id, change, {
        templates: c.var.templates,
        userId: c.var.user.id,
        notify: body.notify !== false,
      });
      return c.json(toSessionDto(row, timezone));
    },
  );
