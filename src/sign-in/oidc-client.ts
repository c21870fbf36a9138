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
    // The ID token's signature is checked against the issuer's keys even though it came straight from
    // the token endpoint (openid-client leaves that to TLS unless asked): a proxy or a mis-issued
    // certificate between us and the issuer cannot hand us a person.
    const execute = [client.enableNonRepudiationChecks, ...(loopback ? [client.allowInsecureRequests] : [])];
    found = client.discovery(new URL(s.issuer), s.clientId, s.clientSecret, undefined, { execute });
    found.catch(() => discovered.delete(key));
    discovered.set(key, found);
  }
  return found;
}

export { client };
