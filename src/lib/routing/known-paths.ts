import type { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { TrieRouter } from 'hono/router/trie-router';
import { MemoRouter } from './memo-router.js';
import type { AppEnv } from '../../app-env.js';
import { AppError } from '../errors.js';

/**
 * Answers 404 for a path no API route has, before the sign-in check: an unknown address is not
 * found whoever asks (a 401 would tell a client to sign in and try again, for ever). A known path
 * with another method still goes through sign-in, and is refused after it.
 */
export function knownPathsOnly(api: Hono<AppEnv>) {
  let router: MemoRouter<true> | undefined;
  const build = () => {
    const r = new MemoRouter<true>(new TrieRouter<true>());
    // Middlewares are registered for every method ('ALL'); routes for their own.
    for (const route of api.routes) if (route.method !== 'ALL') r.add('ALL', route.path, true);
    return r;
  };
  return createMiddleware<AppEnv>(async (c, next) => {
    // Built at the first request, once every route has been added.
    router ??= build();
    const path = c.req.path.replace(/^\/api\/v1/, '') || '/';
    if (router.match('GET', path)[0].length === 0) throw new AppError('not_found', `No route for ${c.req.method} ${c.req.path}`);
    await next();
  });
}
