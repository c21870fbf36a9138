import type { Context } from 'hono';
import type { AppEnv } from '../app-env.js';

/**
 * The address a request came from, for per-address sign-in limits. On Node it is the socket's
 * peer (or the first X-Forwarded-For hop when TRUST_PROXY says a proxy in front sets it); on
 * Workers, Cloudflare's CF-Connecting-IP, which a client cannot set there.
 */
export function clientAddress(c: Context<AppEnv>): string {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  if (c.var.config.trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  if (incoming) return incoming.socket?.remoteAddress ?? 'unknown';
  return c.req.header('cf-connecting-ip') ?? 'unknown';
}
