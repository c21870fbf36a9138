import { sha256Hex } from '../lib/crypto.js';

/** The CSRF token is derived from the session, so it needs no storage and dies with the session. */
export async function csrfFor(tokenHash: string): Promise<string> {
  return (await sha256Hex(`${tokenHash}:csrf`)).slice(0, 40);
}
