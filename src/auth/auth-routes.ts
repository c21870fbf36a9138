import { Hono } from 'hono';
import { deleteCookie } from 'hono/cookie';
import { z } from 'zod';
import type { AppEnv } from '../app-env.js';
import { Secret, Text } from '../lib/schemas.js';
import { validate } from '../lib/validate.js';
import { requireUser, SESSION_COOKIE, setSessionCookie } from './auth-middleware.js';
import { login, logout } from './auth-service.js';
import { toUserDto } from '../users/user-dto.js';

const LoginBody = z.object({
  email: Text(320),
  password: Secret(1000),
});

export const authRoutes = new Hono<AppEnv>()
  .post('/login', validate('json', LoginBody), async (c) => {
    const { email, password } = c.req.valid('json');
    const result = await login(c.var.db, c.var.clock, c.var.config, email, password);
    setSessionCookie(c, result.token);
    return c.json({ token: result.token, expiresAt: new Date(result.expiresAt).toISOString(), user: toUserDto(result.user) });
  })
  .post('/logout', requireUser, async (c) => {
    await logout(c.var.db, c.var.user.tokenHash);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.body(null, 204);
  })
  .get('/me', requireUser, (c) => c.json(toUserDto(c.var.user)));
