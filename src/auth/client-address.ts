import type { Context } from 'hono';
import type { AppEnv } from '../app-env.js';

/**
 * The address a request came from, for per-address sign-in limits. On Node it is the socket's
 * peer; with TRUST_PROXY=N proxies in front, each appending the address it saw to
 * X-Forwarded-For, the client is the Nth address from the right: everything to the left of it was
 * written by the client itself and may be anything. On Workers it is Cloudflare's
 * CF-Connecting-IP, which a client cannot set there.
 */
export function clientAddress(c: Context<AppEnv>): string {
  return addressOf(c, c.var.config.trustProxy ?? 0);
}

/** The same, with the number of proxies given (before the request's variables are set). */
export function addressOf(c: Context, hops: number): string {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  if (hops > 0) {
    const forwarded = (c.req.header('x-forwarded-for') ?? '')
      .split(',')
      .map((a) => a.trim())
      .filter(Boolean);
    // Fewer entries than proxies: the request did not come through them all, so the header is the
    // sender's own words and only the socket's peer can be trusted.
    const client = forwarded[forwarded.length - hops];
    if (client) return client;
  }
  if (incoming) return incoming.socket?.remoteAddress ?? 'unknown';
  return c.req.header('cf-connecting-ip') ?? 'unknown';
}
