import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.js';
import { adminOnly, canManage } from '../auth/auth-middleware.js';
import { validate } from '../lib/validate.js';
import { toUserDto } from './user-dto.js';
import { startPasswordReset } from './password-reset.js';
import { createUser, getUser, listUsers, updateUser } from './users-service.js';
import { IdParam, Secret, Text } from '../lib/schemas.js';

export const NewUserBody = z.object({
  email: z.email().max(320),
  name: Text(200),
  role: z.enum(['admin', 'clp', 'staff']),
  // Only for a new account: an existing one (a CLP in a second practice) keeps its password.
  password: Secret(1000, 10)
    .refine((p) => p.length >= 10, 'must be at least 10 characters')
    .optional(),
});

const UserChanges = z
  .object({ role: z.enum(['admin', 'clp', 'staff']).optional(), disabled: z.boolean().optional() })
  .refine((b) => b.role !== undefined || b.disabled !== undefined, 'give role or disabled');

export const userRoutes = new Hono<AppEnv>()
  .get('/', canManage, async (c) => {
    const rows = await listUsers(c.var.db, c.var.user.practiceId, { includeDisabled: c.var.user.role === 'admin' && c.req.query('disabled') === 'include' });
    return c.json({ items: rows.map(toUserDto) });
  })
  .get('/:id', canManage, validate('param', IdParam), async (c) => {
    return c.json(toUserDto(await getUser(c.var.db, c.var.user.practiceId, c.req.valid('param').id)));
  })
  .patch('/:id', adminOnly, validate('param', IdParam), validate('json', UserChanges), async (c) => {
    const row = await updateUser(c.var.db, c.var.clock, c.var.user, c.req.valid('param').id, c.req.valid('json'));
    return c.json(toUserDto(row));
  })
  /** A one-time code for the person to set a new password; the admin never sees a password. */
  .post('/:id/password-reset', adminOnly, validate('param', IdParam), async (c) => {
    const r = await startPasswordReset(c.var.db, c.var.clock, c.var.user, c.req.valid('param').id);
    return c.json({ code: r.code, url: `${c.var.config.publicBaseUrl}/reset-password?code=${r.code}`, expiresAt: new Date(r.expiresAt).toISOString() }, 201);
  })
  .post('/', adminOnly, validate('json', NewUserBody), async (c) => {
    const row = await createUser(c.var.db, c.var.clock, c.var.user.practiceId, c.req.valid('json'), c.var.config.passwordIterations);
    return c.json(toUserDto(row), 201);
  });
