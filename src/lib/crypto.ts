/**
 * Password hashing and token helpers on WebCrypto only, so Node and Workers share them.
 * PBKDF2-SHA256; Workers caps iterations at 100,000.
 */
const encoder = new TextEncoder();

/** OWASP's figure for PBKDF2-SHA256 (2023). Workers caps PBKDF2 at 100,000 and sets that instead. */
export const DEFAULT_PBKDF2_ITERATIONS = 600_000;
export const WORKERS_PBKDF2_ITERATIONS = 100_000;

function toBase64Url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const s = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

async function pbkdf2(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(password), 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, key, 256);
  return new Uint8Array(bits);
}

export async function hashPassword(password: string, iterations = DEFAULT_PBKDF2_ITERATIONS): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const hash = await pbkdf2(password, salt, iterations);
  return `pbkdf2-sha256$${iterations}$${toBase64Url(salt)}$${toBase64Url(hash)}`;
}

/** The rounds a stored hash was made with (its parameters are stored with it). */
export function hashIterations(stored: string): number {
  const [scheme, iter] = stored.split('$');
  return scheme === 'pbkdf2-sha256' ? Number(iter) || 0 : 0;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, iter, salt, hash] = stored.split('$');
  if (scheme !== 'pbkdf2-sha256' || !iter || !salt || !hash) return false;
  const actual = await pbkdf2(password, fromBase64Url(salt), Number(iter));
  return constantTimeEqual(actual, fromBase64Url(hash));
}

function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** 256 bits of randomness, URL-safe. */
export function randomToken(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
}

/** Tokens are stored only as this hash, so a leaked database does not leak sessions or feeds. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

const tokenHashes = new Map<string, string>();
const MAX_TOKEN_HASHES = 10_000;

/**
 * SHA-256 of a bearer or feed token, remembered: the same token arrives on every request and poll,
 * and WebCrypto's digest was 5–13% of a read (issue 17). Only the hash is remembered against the
 * token, never a decision: every request still looks the hash up, so a revoked or disabled token
 * is refused at once.
 */
export async function tokenHash(token: string): Promise<string> {
  let hash = tokenHashes.get(token);
  if (hash === undefined) {
    hash = await sha256Hex(token);
    if (tokenHashes.size >= MAX_TOKEN_HASHES) tokenHashes.clear();
    tokenHashes.set(token, hash);
  }
  return hash;
}
