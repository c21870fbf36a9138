import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.js';
import { adminOnly, canManage } from '../auth/auth-middleware.js';
import { validate } from '../lib/validate.js';
import { toUserDto, UserDto } from './user-dto.js';
import { documented, itemsOf } from '../openapi/describe.js';
import { startPasswordReset } from './password-reset.js';
import { createUser, getUser, listUsers, updateUser } from './users-service.js';
import { IdParam, Secret, Text } from '../lib/schemas.js';
import { ROLES } from '../db/schema.js';

export const NewUserBody = z.object({
  email: z.email().max(320),
  name: Text(200),
  role: z.enum(ROLES),
  // Only for a new account: an existing one (a CLP in a second practice) keeps its password.
  password: Secret(1000, 10)
    .refine((p) => p.length >= 10, 'must be at least 10 characters')
    .optional(),
});

const UserChanges = z
  .object({
    role: z.enum(ROLES).optional(),
    disabled: z.boolean().optional(),
    nhsOnly: z.boolean().optional().describe('true: signs in by NHS account only, and the password stops working'),
  })
  .refine((b) => b.role !== undefined || b.disabled !== undefined || b.nhsOnly !== undefined, 'give role, disabled or nhsOnly');

const doc = documented('Users');
const ListQuery = z.object({ disabled: z.enum(['include']).optional().describe('admins: list disabled users too') });

const ResetCode = z.object({ code: z.string(), url: z.string(), expiresAt: z.string() });

export const userRoutes = new Hono<AppEnv>()
  .get('/', doc('Users of this practice', { 200: itemsOf(UserDto) }), canManage, validate('query', ListQuery), async (c) => {
    const rows = await listUsers(c.var.db, c.var.user.practiceId, {
      includeDisabled: c.var.user.role === 'admin' && c.req.valid('query').disabled === 'include',
    });
    return c.json({ items: rows.map(toUserDto) });
  })
  .get('/:id', doc('One user', { 200: UserDto }), canManage, validate('param', IdParam), async (c) => {
    return c.json(toUserDto(await getUser(c.var.db, c.var.user.practiceId, c.req.valid('param').id)));
  })
  .patch(
    '/:id',
    doc('Change a role, or disable (closes the membership in this practice)', { 200: UserDto }),
    adminOnly,
    validate('param', IdParam),
    validate('json', UserChanges),
    async (c) => {
      const row = await updateUser(c.var.db, c.var.clock, c.var.user, c.req.valid('param').id, c.req.valid('json'));
      return c.json(toUserDto(row));
    },
  )
  /** A one-time code for the person to set a new password; the admin never sees a password. */
  .post(
    '/:id/password-reset',
    doc('A one-time code for the person to set a new password', { 201: ResetCode }),
    adminOnly,
    validate('param', IdParam),
    async (c) => {
      const r = await startPasswordReset(c.var.db, c.var.clock, c.var.user, c.req.valid('param').id);
      return c.json({ code: r.code, url: `${c.var.config.publicBaseUrl}/reset-password?code=${r.code}`, expiresAt: new Date(r.expiresAt).toISOString() }, 201);
    },
  )
  .post('/', doc('Add a user, or give an existing account a membership here', { 201: UserDto }), adminOnly, validate('json', NewUserBody), async (c) => {
    const row = await createUser(c.var.db, c.var.clock, c.var.user.practiceId, c.req.valid('json'), c.var.config.passwordIterations);
    return c.json(toUserDto(row), 201);
  });
