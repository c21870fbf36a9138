import { Hono } from 'hono';
import { deleteCookie } from 'hono/cookie';
import { z } from 'zod';
import type { AppEnv } from '../app-env.js';
import { Id, Secret, Text } from '../lib/schemas.js';
import { validate } from '../lib/validate.js';
import { requireUser, SESSION_COOKIE, signIn } from './auth-middleware.js';
import { changePassword, endSessions, logout, membershipsOf, switchPractice } from './auth-service.js';
import type { AuthUser } from '../app-env.js';
import { ROLES, type Db } from '../db/schema.js';
import { finishPasswordReset } from '../users/password-reset.js';
import { toUserDto, UserDto } from '../users/user-dto.js';
import { documented } from '../openapi/describe.js';

const Membership = z.object({ id: z.number().int(), name: z.string(), code: z.string().nullable(), role: z.enum(ROLES) });
const SessionView = z.object({ user: UserDto, practice: Membership, practices: z.array(Membership) });
const LoginAnswer = SessionView.extend({ token: z.string(), expiresAt: z.string() });
const doc = documented('Signing in');

const LoginBody = z.object({
  email: Text(320),
  password: Secret(1000),
});

/** Who is signed in, the practice this session acts in, and every practice they may switch to. */
async function sessionView(db: Db, user: AuthUser) {
  const practices = await membershipsOf(db, user.id);
  const view = (p: (typeof practices)[number]) => ({ id: p.id, name: p.name, code: p.code, role: p.role });
  return { user: toUserDto(user), practice: view(practices.find((p) => p.id === user.practiceId)!), practices: practices.map(view) };
}

const PasswordBody = z.object({
  currentPassword: Secret(1000),
  newPassword: Secret(1000, 10).refine((p) => p.length >= 10, 'must be at least 10 characters'),
});

export const authRoutes = new Hono<AppEnv>()
  .post(
    '/login',
    doc('Sign in: a bearer token (and a session cookie for pages)', { 200: LoginAnswer }, { public: true }),
    validate('json', LoginBody),
    async (c) => {
      const { email, password } = c.req.valid('json');
      const result = await signIn(c, email, password);
      return c.json({ token: result.token, expiresAt: new Date(result.expiresAt).toISOString(), ...(await sessionView(c.var.db, result.user)) });
    },
  )
  /** A session acts in one practice at a time; this moves it to another the user belongs to. */
  .put(
    '/practice',
    doc('Act in another practice this user belongs to', { 200: SessionView }),
    requireUser,
    validate('json', z.object({ practiceId: Id })),
    async (c) => {
      const user = await switchPractice(c.var.db, c.var.user, c.req.valid('json').practiceId);
      return c.json(await sessionView(c.var.db, user));
    },
  )
  .post('/logout', doc('Sign out this session', { 204: 'none' }), requireUser, async (c) => {
    await logout(c.var.db, c.var.user.tokenHash);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.body(null, 204);
  })
  .get('/me', doc('Who is signed in, and where', { 200: UserDto.extend(SessionView.shape) }), requireUser, async (c) =>
    c.json({ ...toUserDto(c.var.user), ...(await sessionView(c.var.db, c.var.user)) }),
  )
  /** Sign out everywhere: every session of this user ends, this one included (a lost phone). */
  .post(
    '/logout-everywhere',
    doc('End every session of this user (a lost phone)', { 200: z.object({ endedSessions: z.number().int() }) }),
    requireUser,
    async (c) => {
      const ended = await endSessions(c.var.db, c.var.user.id);
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      return c.json({ endedSessions: ended });
    },
  )
  /** Setting a password with the one-time code an admin handed over (no sign-in needed). */
  .post(
    '/password-reset',
    doc('Set a password with the one-time code an admin handed over', { 204: 'none' }, { public: true }),
    validate('json', z.object({ code: Text(100), newPassword: PasswordBody.shape.newPassword })),
    async (c) => {
      const { code, newPassword } = c.req.valid('json');
      await finishPasswordReset(c.var.db, c.var.clock, code, newPassword, c.var.config.passwordIterations);
      return c.body(null, 204);
    },
  )
  /** A new password; every other session of this user ends. */
  .put('/password', doc('Change your password; other sessions end', { 204: 'none' }), requireUser, validate('json', PasswordBody), async (c) => {
    const { currentPassword, newPassword } = c.req.valid('json');
    await changePassword(c.var.db, c.var.config, c.var.user, currentPassword, newPassword, c.var.hashing);
    return c.body(null, 204);
  });
