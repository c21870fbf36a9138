import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../app-env.js';
import type { Role } from '../db/schema.js';
import { AppError, forbidden } from '../lib/errors.js';
import { authenticate, login, type LoginResult } from './auth-service.js';
import { clientAddress } from './client-address.js';
import { csrfFor } from './csrf.js';

export const SESSION_COOKIE = 'clg_session';
/** OWASP's device cookie: this browser signed in to an account before, so strangers' guesses do not lock it out. */
export const DEVICE_COOKIE = 'clg_device';
const DEVICE_COOKIE_DAYS = 365;

/**
 * Signs in from a page or the API alike: throttled by this client's address and device cookie,
 * then the session cookie, and a device cookie when this browser had none for the account.
 */
export async function signIn(c: Context<AppEnv>, email: string, password: string): Promise<LoginResult> {
  const result = await login(c.var.db, c.var.clock, c.var.config, email, password, {
    address: clientAddress(c),
    hashing: c.var.hashing,
    deviceToken: getCookie(c, DEVICE_COOKIE),
    throttle: c.var.throttle,
  });
  setSessionCookie(c, result.token);
  if (result.deviceToken) {
    setCookie(c, DEVICE_COOKIE, result.deviceToken, {
      httpOnly: true,
      sameSite: 'Lax',
      secure: c.var.config.publicBaseUrl.startsWith('https://'),
      path: '/',
      maxAge: DEVICE_COOKIE_DAYS * 86_400,
    });
  }
  return result;
}

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

/** Whether a request comes from one of our own pages: its Origin is this server or the public URL. */
export function sameOrigin(c: Context<AppEnv>): boolean {
  const origin = c.req.header('origin');
  return origin !== undefined && (origin === new URL(c.req.url).origin || origin === c.var.config.publicBaseUrl);
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Finds the caller from `Authorization: Bearer` or the session cookie; 401 otherwise. A browser
 * sends the cookie with any same-site form, so a write authenticated by the cookie alone must also
 * come from our own origin and carry the session's CSRF token (`X-CSRF-Token`), as page forms do.
 * Bearer calls cannot be forged by another page and need neither.
 */
export const requireUser = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header('authorization');
  const bearer = header?.match(/^Bearer\s+(\S+)$/i)?.[1];
  const token = bearer ?? getCookie(c, SESSION_COOKIE);
  const user = token ? await authenticate(c.get('db'), c.get('clock'), token) : null;
  if (!user) throw new AppError('unauthorized', 'Sign in first');
  if (!bearer && !SAFE_METHODS.has(c.req.method)) {
    if (!sameOrigin(c) || c.req.header('x-csrf-token') !== (await csrfFor(user.tokenHash))) {
      throw forbidden('A change made with the sign-in cookie must come from this site with its CSRF token (or use a bearer token)');
    }
  }
  c.set('user', user);
  await next();
});

/** Lets only the given roles through; staff never reach participant data this way. */
export const requireRole = (...roles: Role[]) =>
  createMiddleware<AppEnv>(async (c, next) => {
    if (!roles.includes(c.get('user').role)) throw forbidden();
    await next();
  });

/** Roles that may change groups, sessions and venues. */
export const canManage = requireRole('admin', 'clp');
export const adminOnly = requireRole('admin');
