import * as client from 'openid-client';
import type { OidcSettings } from '../config.js';

/**
 * The provider's configuration, discovered once per process (an isolate on Workers) and kept: its
 * endpoints and the JWKS openid-client caches to check ID token signatures. A failed discovery is
 * not kept, so the next sign-in tries again.
 */
const discovered = new Map<string, Promise<client.Configuration>>();

export function oidcConfiguration(s: OidcSettings): Promise<client.Configuration> {
  const key = `${s.issuer}|${s.clientId}`;
  let found = discovered.get(key);
  if (!found) {
    const loopback = new URL(s.issuer).protocol === 'http:';
    found = client.discovery(new URL(s.issuer), s.clientId, s.clientSecret, undefined, loopback ? { execute: [client.allowInsecureRequests] } : undefined);
    found.catch(() => discovered.delete(key));
    discovered.set(key, found);
  }
  return found;
}

export { client };
