import { OFFLINE_JS } from './offline-script.js';
import { fingerprint } from '../../lib/fingerprint.js';

/** A short fingerprint of the shell, so a new deployment replaces what phones keep. */
export const SHELL_VERSION = fingerprint(OFFLINE_JS);

/**
 * sw.js: keeps Today and the registers of the coming week on the phone. Pages come from the
 * network when it answers within a few seconds (and are kept), from the phone otherwise. API
 * calls are never touched: saves go through offline.js's queue, which knows how to retry them.
 */
export const SERVICE_WORKER_JS = String.raw`'use strict';
const CACHE = 'clg-${SHELL_VERSION}';
const SHELL = ['/offline.js', '/manifest.webmanifest', '/icon.svg'];
const KEEP = /^\/(today|sessions\/\d+\/register)$/;
const SLOW_MS = 6000;

self.addEventListener('install', (e) => {
  e.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});
self.addEventListener('activate', (e) => {
  e.waitUntil(
    caches.keys().then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k)))).then(() => self.clients.claim()),
  );
});

const within = (p, ms) =>
  new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('no answer')), ms);
    p.then((v) => { clearTimeout(t); resolve(v); }, (e) => { clearTimeout(t); reject(e); });
  });

async function keepIfPage(cache, path, res) {
  if (res.ok && !res.redirected && (res.headers.get('content-type') || '').includes('text/html')) await cache.put(path, res.clone());
}

/**
 * Asks for a page, sending the validator of the copy the phone keeps: when nothing changed the
 * server answers 304 (a few hundred bytes, nothing read or audited) and the kept copy is used.
 */
async function revalidate(url, kept) {
  const tag = kept && kept.headers.get('etag');
  if (!tag) return fetch(url, { credentials: 'same-origin', redirect: 'manual' });
  return fetch(url, { credentials: 'same-origin', redirect: 'manual', headers: { 'if-none-match': tag } });
}

async function page(request) {
  const path = new URL(request.url).pathname;
  const cache = await caches.open(CACHE);
  const kept = await cache.match(path);
  try {
    const res = await within(revalidate(request.url, kept), SLOW_MS);
    if (res.status === 304 && kept) return kept;
    await keepIfPage(cache, path, res);
    return res;
  } catch {
    if (kept) return kept;
    return new Response(
      '<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>No signal · Community Links Groups</title></head><body><main><h1>No signal</h1><p>This page was not kept on this phone. Today and the registers of the coming week are kept whenever you open Today with signal.</p><p><a href="/today">Today</a></p></main></body></html>',
      { status: 503, headers: { 'content-type': 'text/html; charset=utf-8' } },
    );
  }
}

self.addEventListener('fetch', (e) => {
  const url = new URL(e.request.url);
  if (e.request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (e.request.mode === 'navigate' && KEEP.test(url.pathname)) return e.respondWith(page(e.request));
  if (SHELL.includes(url.pathname)) e.respondWith(caches.match(url.pathname).then((r) => r || fetch(e.request)));
});

/**
 * The kept registers still as the server has them, asked in one request (/offline/stale) instead
 * of one per register: on a slow link each request's headers cost more than its 304. Nothing is
 * taken as unchanged when the question cannot be asked.
 */
async function unchangedOf(cache, paths) {
  const kept = new Map();
  for (const path of paths) {
    const m = path.match(/^\/sessions\/(\d+)\/register$/);
    const res = m && (await cache.match(path));
    const tag = res && res.headers.get('etag');
    if (tag) kept.set(path, tag);
  }
  const asked = paths.filter((p) => kept.has(p));
  if (asked.length === 0) return new Set();
  try {
    const query = asked.map((p) => 's=' + encodeURIComponent(p.split('/')[2] + ':' + kept.get(p))).join('&');
    const res = await fetch('/offline/stale?' + query, { credentials: 'same-origin', redirect: 'manual' });
    if (!res.ok) return new Set();
    const stale = new Set(((await res.json()).stale || []).map(String));
    return new Set(asked.filter((p) => !stale.has(p.split('/')[2])));
  } catch {
    return new Set();
  }
}

self.addEventListener('message', (e) => {
  const data = e.data || {};
  if (data.type === 'keep') {
    e.waitUntil(
      caches.open(CACHE).then(async (cache) => {
        let count = 0;
        const paths = data.urls.filter((u) => KEEP.test(u));
        const fresh = await unchangedOf(cache, paths);
        for (const path of paths) {
          if (fresh.has(path)) {
            count++;
            continue;
          }
          try {
            const kept = await cache.match(path);
            const res = await revalidate(path, kept);
            if (res.status === 304 && kept) count++;
            else {
              await keepIfPage(cache, path, res);
              if (res.ok && res.type !== 'opaqueredirect') count++;
            }
          } catch {}
        }
        if (e.source) e.source.postMessage({ type: 'kept', count });
      }),
    );
  }
  if (data.type === 'forget') e.waitUntil(caches.delete(CACHE));
});
`;
