import type { MiddlewareHandler } from 'hono';
import type { AppDeps, AppEnv } from '../app-env.js';
import { DEVICE_COOKIE } from './auth-middleware.js';
import { addressOf } from './client-address.js';
import { knownWaitUntil, type ThrottleMemory, tooManyMessage } from './login-throttle.js';

/**
 * A sign-in flood from an address already told to wait is refused here, before anything else
 * runs: each refusal then costs a tenth of a read, and other users keep their share of the
 * server. A browser holding a device cookie goes on to be judged by it (it may be the real user).
 */
export function refuseKnownFloods(throttle: ThrottleMemory, deps: Pick<AppDeps, 'clock' | 'config'>): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if ((c.req.header('cookie') ?? '').includes(`${DEVICE_COOKIE}=`)) return next();
    // A body larger than any sign-in is left to the body limit below.
    if (Number(c.req.header('content-length') ?? 0) > 4096) return next();
    // Read from a copy: the route reads the body itself if the attempt goes on.
    const copy = c.req.raw.clone();
    const email = await (
      c.req.path === '/login' ? copy.formData().then((f) => f.get('email')) : copy.json().then((j) => (j as { email?: unknown } | null)?.email)
    ).then(
      (v) => (typeof v === 'string' ? v.trim() : undefined),
      () => undefined,
    );
    const until = knownWaitUntil(throttle, addressOf(c, deps.config.trustProxy ?? 0), email);
    const now = deps.clock.now().getTime();
    if (until <= now) return next();
    // Held a moment before it is answered: a timer costs nothing, and a flooding connection then
    // asks at most once a second instead of as fast as the server can refuse it (which starved others).
    const hold = Math.min(deps.config.refusalHoldMs ?? 1000, until - now);
    if (hold > 0) await new Promise((r) => setTimeout(r, hold));
    const seconds = Math.max(1, Math.ceil((until - deps.clock.now().getTime()) / 1000));
    const headers = { 'Retry-After': String(seconds), 'Cache-Control': 'no-store' };
    if (c.req.path === '/login') {
      return c.html(
        `<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Error: Sign in · Community Links Groups</title></head><body><main><h1>Sign in</h1><p role="alert">${tooManyMessage(seconds)}</p><p><a href="/login">Back to sign in</a></p></main></body></html>`,
        429,
        headers,
      );
    }
    return c.json({ error: { code: 'too_many_requests', message: tooManyMessage(seconds), details: { retryAfterSeconds: seconds } } }, 429, headers);
  };
}
