import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.js';
import { adminOnly } from '../auth/auth-middleware.js';
import { IdParam, LocalDate, OptionalText } from '../lib/schemas.js';
import { validate } from '../lib/validate.js';
import { addClosure, listClosures, removeClosure } from './closures-service.js';

const ClosureBody = z.object({ date: LocalDate, reason: OptionalText(200) });

export const closureRoutes = new Hono<AppEnv>()
  .get('/', async (c) => c.json({ items: await listClosures(c.var.db, c.var.user.practiceId) }))
  .post('/', adminOnly, validate('json', ClosureBody), async (c) => {
    const { practiceId, timezone } = c.var.user;
    const { date, reason } = c.req.valid('json');
    const row = await addClosure(
      c.var.db,
      c.var.clock,
      { practiceId, timezone, horizonDays: c.var.config.horizonDays, templates: c.var.templates, userId: c.var.user.id },
      date,
      reason,
    );
    return c.json(row, 201);
  })
  .delete('/:id', adminOnly, validate('param', IdParam), async (c) => {
    const { practiceId, timezone } = c.var.user;
    await removeClosure(
      c.var.db,
      c.var.clock,
      { practiceId, timezone, horizonDays: c.var.config.horizonDays, templates: c.var.templates, userId: c.var.user.id },
      c.req.valid('param').id,
    );
    return c.body(null, 204);
  });
