import { Hono } from 'hono';
import { deleteCookie } from 'hono/cookie';
import { z } from 'zod';
import type { AppEnv } from '../app-env.js';
import { Secret, Text } from '../lib/schemas.js';
import { validate } from '../lib/validate.js';
import { requireUser, SESSION_COOKIE, setSessionCookie } from './auth-middleware.js';
import { changePassword, endSessions, login, logout } from './auth-service.js';
import { clientAddress } from './client-address.js';
import { toUserDto } from '../users/user-dto.js';

const LoginBody = z.object({
  email: Text(320),
  password: Secret(1000),
});

const PasswordBody = z.object({
  currentPassword: Secret(1000),
  newPassword: Secret(1000, 10).refine((p) => p.length >= 10, 'must be at least 10 characters'),
});

export const authRoutes = new Hono<AppEnv>()
  .post('/login', validate('json', LoginBody), async (c) => {
    const { email, password } = c.req.valid('json');
    const result = await login(c.var.db, c.var.clock, c.var.config, email, password, { address: clientAddress(c), hashing: c.var.hashing });
    setSessionCookie(c, result.token);
    return c.json({ token: result.token, expiresAt: new Date(result.expiresAt).toISOString(), user: toUserDto(result.user) });
  })
  .post('/logout', requireUser, async (c) => {
    await logout(c.var.db, c.var.user.tokenHash);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.body(null, 204);
  })
  .get('/me', requireUser, (c) => c.json(toUserDto(c.var.user)))
  /** Sign out everywhere: every session of this user ends, this one included (a lost phone). */
  .post('/logout-everywhere', requireUser, async (c) => {
    const ended = await endSessions(c.var.db, c.var.user.id);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.json({ endedSessions: ended });
  })
  /** A new password; every other session of this user ends. */
  .put('/password', requireUser, validate('json', PasswordBody), async (c) => {
    const { currentPassword, newPassword } = c.req.valid('json');
    await changePassword(c.var.db, c.var.config, c.var.user, currentPassword, newPassword, c.var.hashing);
    return c.body(null, 204);
  });
