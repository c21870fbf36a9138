import type { AppConfig, OidcSettings } from '../config.js';
import type { Db } from '../db/schema.js';
import { membershipsOf, openSession } from '../auth/auth-service.js';
import { sha256Hex } from '../lib/crypto.js';
import { client, oidcConfiguration } from './oidc-client.js';

/** A sign-in left with the provider this long is forgotten: its state can no longer be used. */
const SIGN_IN_TTL_MS = 10 * 60_000;

export const NOT_SET_UP = 'Your NHS account is not set up here: ask your practice admin to add you';
export const FAILED = 'Signing in with your NHS account did not work: please try again';

/** Why an NHS sign-in was refused: said plainly on the sign-in page, logged in full. */
export class NhsSignInRefused extends Error {
  constructor(
    readonly said: string,
    readonly why: string,
  ) {
    super(why);
  }
}

export const callbackUrl = (config: AppConfig) => `${config.publicBaseUrl}/auth/oidc/callback`;

/** Starts a sign-in: the code flow with PKCE (S256), a state and a nonce kept for one use; where to send the browser. */
export async function startNhsSignIn(db: Db, config: AppConfig, s: OidcSettings, now: number, next: string): Promise<string> {
  const oidc = await oidcConfiguration(s);
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  await db
    .deleteFrom('oidc_sign_ins')
    .where('created_at', '<', now - SIGN_IN_TTL_MS)
    .execute();
  await db
    .insertInto('oidc_sign_ins')
    .values({ state_hash: await sha256Hex(state), nonce, verifier, next, created_at: now })
    .execute();
  const url = client.buildAuthorizationUrl(oidc, {
    redirect_uri: callbackUrl(config),
    scope: 'openid email profile',
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  return url.href;
}

/**
 * Finishes a sign-in: the state must be one we issued and not used (it is used up here), then
 * openid-client checks the code exchange, the ID token's signature against the issuer's JWKS, its
 * issuer, audience, expiry and nonce. The account is the one linked to (issuer, subject), or the
 * first time the invited account with the token's email, which is then linked. Never creates one.
 */
export async function finishNhsSignIn(db: Db, config: AppConfig, s: OidcSettings, now: number, query: string) {
  const state = new URLSearchParams(query).get('state') ?? '';
  const pending = state
    ? await db
        .deleteFrom('oidc_sign_ins')
        .where('state_hash', '=', await sha256Hex(state))
        .returningAll()
        .executeTakeFirst()
    : undefined;
  if (!pending || pending.created_at < now - SIGN_IN_TTL_MS) throw new NhsSignInRefused(FAILED, 'unknown, used or expired state');
  let claims: Record<string, unknown>;
  try {
    const oidc = await oidcConfiguration(s);
    const tokens = await client.authorizationCodeGrant(oidc, new URL(`${callbackUrl(config)}?${query}`), {
      pkceCodeVerifier: pending.verifier,
      expectedState: state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
    claims = (tokens.claims() ?? {}) as Record<string, unknown>;
  } catch (err) {
    throw new NhsSignInRefused(FAILED, `token refused: ${(err as Error).message}`);
  }
  const sub = String(claims.sub ?? '');
  const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : '';
  if (s.allowedTenants.length && !s.allowedTenants.includes(String(claims.tid ?? '')))
    throw new NhsSignInRefused(NOT_SET_UP, `tenant ${String(claims.tid)} not allowed`);
  const user = await accountFor(db, s.issuer, sub, email);
  if (!user) throw new NhsSignInRefused(NOT_SET_UP, `no invited account for ${email || 'a token without an email'}`);
  const practices = user.disabled_at === null ? await membershipsOf(db, user.id) : [];
  if (practices.length === 0) throw new NhsSignInRefused(NOT_SET_UP, `account ${user.id} is disabled`);
  if (user.oidc_subject === null)
    await db.updateTable('users').set({ oidc_issuer: s.issuer, oidc_subject: sub, updated_at: now }).where('id', '=', user.id).execute();
  return { ...(await openSession(db, config, now, user, practices)), next: pending.next };
}

/** The account linked to this subject; or, not yet linked to any, the invited account with this email. */
async function accountFor(db: Db, issuer: string, sub: string, email: string) {
  const columns = ['id', 'name', 'email', 'programme_role', 'disabled_at', 'oidc_subject'] as const;
  const linked = await db.selectFrom('users').select(columns).where('oidc_issuer', '=', issuer).where('oidc_subject', '=', sub).executeTakeFirst();
  if (linked) return linked;
  if (!email) return undefined;
  // Linked to another subject already: a new person given a recycled address is not them.
  return db.selectFrom('users').select(columns).where('email', '=', email).where('oidc_subject', 'is', null).executeTakeFirst();
}
