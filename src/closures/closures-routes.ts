import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.js';
import { adminOnly } from '../auth/auth-middleware.js';
import { IdParam, LocalDate, OptionalText } from '../lib/schemas.js';
import { validate } from '../lib/validate.js';
import { addClosure, listClosures, removeClosure } from './closures-service.js';
import { DateOnly, documented, itemsOf } from '../openapi/describe.js';

const doc = documented('Closures');
const ClosureDto = z.object({ id: z.number().int(), date: DateOnly, reason: z.string().nullable() });

export const ClosureBody = z.object({ date: LocalDate, reason: OptionalText(200) });

export const closureRoutes = new Hono<AppEnv>()
  .get('/', doc('Days the practice is closed', { 200: itemsOf(ClosureDto) }), async (c) =>
    c.json({ items: await listClosures(c.var.db, c.var.user.practiceId) }),
  )
  .post(
    '/',
    doc('Close a day: every session on it is cancelled and people are texted (admins)', { 201: ClosureDto }),
    adminOnly,
    validate('json', ClosureBody),
    async (c) => {
      const { practiceId, timezone } = c.var.user;
      const { date, reason } = c.req.valid('json');
      const { closure } = await addClosure(
        c.var.db,
        c.var.clock,
        { practiceId, timezone, horizonDays: c.var.config.horizonDays, templates: c.var.templates, userId: c.var.user.id },
        date,
        reason,
      );
      return c.json(closure, 201);
    },
  )
  .delete('/:id', doc('Lift a closure: untouched sessions come back (admins)', { 204: 'none' }), adminOnly, validate('param', IdParam), async (c) => {
    const { practiceId, timezone } = c.var.user;
    await removeClosure(
      c.var.db,
      c.var.clock,
      { practiceId, timezone, horizonDays: c.var.config.horizonDays, templates: c.var.templates, userId: c.var.user.id },
      c.req.valid('param').id,
    );
    return c.body(null, 204);
  });
