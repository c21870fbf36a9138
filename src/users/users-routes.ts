import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.js';
import { adminOnly, canManage } from '../auth/auth-middleware.js';
import { validate } from '../lib/validate.js';
import { toUserDto } from './user-dto.js';
import { createUser, getUser, listUsers } from './users-service.js';
import { IdParam, Secret, Text } from '../lib/schemas.js';

const NewUserBody = z.object({
  email: z.email().max(320),
  name: Text(200),
  role: z.enum(['admin', 'clp', 'staff']),
  password: Secret(1000, 10).refine((p) => p.length >= 10, 'must be at least 10 characters'),
});

export const userRoutes = new Hono<AppEnv>()
  .get('/', canManage, async (c) => {
    const rows = await listUsers(c.var.db, c.var.user.practiceId);
    return c.json({ items: rows.map(toUserDto) });
  })
  .get('/:id', canManage, validate('param', IdParam), async (c) => {
    return c.json(toUserDto(await getUser(c.var.db, c.var.user.practiceId, c.req.valid('param').id)));
  })
  .post('/', adminOnly, validate('json', NewUserBody), async (c) => {
    const row = await createUser(c.var.db, c.var.clock, c.var.user.practiceId, c.req.valid('json'), c.var.config.passwordIterations);
    return c.json(toUserDto(row), 201);
  });
