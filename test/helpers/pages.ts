import { csrfFor } from '../../src/auth/csrf.js';
import { sha256Hex } from '../../src/lib/crypto.js';
import type { TestApp } from './test-app.js';

/** Pages as a signed-in person sees them without JavaScript: GETs, and form posts carrying the CSRF field. */
export async function pagesAs(t: TestApp, token: string) {
  const csrf = await csrfFor(await sha256Hex(token));
  const headers = { cookie: `clg_session=${token}`, origin: 'http://localhost', accept: 'text/html' };
  const read = async (res: Response) => ({ status: res.status, location: res.headers.get('location'), html: await res.text() });
  return {
    csrf,
    get: async (path: string) => read(await t.app.request(path, { headers })),
    /** A field given a list is sent once per value, as a form with repeated names sends it. */
    post: async (path: string, fields: Record<string, string | string[]> = {}) =>
      read(
        await t.app.request(path, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams([['_csrf', csrf], ...Object.entries(fields).flatMap(([k, v]) => [v].flat().map((x) => [k, x]))]).toString(),
        }),
      ),
  };
}
