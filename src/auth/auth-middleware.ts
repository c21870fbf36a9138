import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../app-env.js';
import type { Role } from '../db/schema.js';
import { AppError, forbidden } from '../lib/errors.js';
import { authenticate } from './auth-service.js';

export const SESSION_COOKIE = 'clg_session';

/** The session cookie: HttpOnly, SameSite=Lax, Secure behind https, as long-lived as the session. */
export function setSessionCookie(c: Context<AppEnv>, token: string): void {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: c.var.config.publicBaseUrl.startsWith('https://'),
    path: '/',
    maxAge: c.var.config.sessionTtlHours * 3600,
  });
}

/** Finds the caller from `Authorization: Bearer` or the session cookie; 401 otherwise. */
export const requireUser = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header('authorization');
  const bearer = header?.match(/^Bearer\s+(\S+)$/i)?.[1];
  const token = bearer ?? getCookie(c, SESSION_COOKIE);
  const user = token ? await authenticate(c.var.db, c.var.clock, token) : null;
  if (!user) throw new AppError('unauthorized', 'Sign in first');
  c.set('user', user);
  await next();
});

/** Lets only the given roles through; staff never reach participant data this way. */
export const requireRole = (...roles: Role[]) =>
  createMiddleware<AppEnv>(async (c, next) => {
    if (!roles.includes(c.var.user.role)) throw forbidden();
    await next();
  });

/** Roles that may change groups, sessions and venues. */
export const canManage = requireRole('admin', 'clp');
export const adminOnly = requireRole('admin');
