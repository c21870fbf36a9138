import { Hono } from 'hono';
import type { AppEnv } from '../../app-env.js';
import { OFFLINE_JS } from './offline-script.js';
import { SERVICE_WORKER_JS, SHELL_VERSION } from './service-worker.js';

const MANIFEST = JSON.stringify({
  name: 'Community Links Groups',
  short_name: 'Groups',
  description: 'Registers, groups and texts for Community Links Practitioners',
  start_url: '/today',
  scope: '/',
  display: 'standalone',
  background_color: '#ffffff',
  theme_color: '#0b3d91',
  icons: [{ src: '/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' }],
});

const ICON =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 96 96"><rect width="96" height="96" rx="18" fill="#0b3d91"/><circle cx="34" cy="40" r="12" fill="#fff"/><circle cx="62" cy="40" r="12" fill="#fff"/><path d="M14 78c2-14 12-22 20-22s18 8 20 22zM42 78c2-14 12-22 20-22s18 8 20 22z" fill="#fff"/></svg>';

const SHELL_TAG = `"${SHELL_VERSION}"`;

/**
 * Whether the browser holds this shell already. If-None-Match compares weakly (RFC 9110 13.1.2):
 * compressed on the way, the tag comes back as W/"…", and an exact comparison sent the whole
 * worker again on every visit.
 */
const holdsShell = (header: string | undefined) => !!header && header.split(',').some((t) => t.trim().replace(/^W\//, '') === SHELL_TAG);

/** The installable, offline shell: served to anyone (no patient data), before sign-in. */
export const offlineRoutes = new Hono<AppEnv>()
  // The browser asks for sw.js on every visit (to find a new deployment): unchanged, it is a 304.
  .get('/sw.js', (c) =>
    holdsShell(c.req.header('if-none-match'))
      ? c.body(null, 304, { etag: SHELL_TAG, 'cache-control': 'no-cache' })
      : c.body(SERVICE_WORKER_JS, 200, {
          'content-type': 'text/javascript; charset=utf-8',
          // Always asked afresh, so a deployment reaches phones on their next visit.
          'cache-control': 'no-cache',
          'service-worker-allowed': '/',
          etag: SHELL_TAG,
        }),
  )
  .get('/offline.js', (c) =>
    holdsShell(c.req.header('if-none-match'))
      ? c.body(null, 304, { etag: SHELL_TAG, 'cache-control': 'no-cache' })
      : c.body(OFFLINE_JS, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache', etag: SHELL_TAG }),
  )
  .get('/manifest.webmanifest', (c) => c.body(MANIFEST, 200, { 'content-type': 'application/manifest+json' }))
  // Pages name no favicon (nothing to fetch on a slow phone), but bookmarks, tabs and other tools
  // still ask for /favicon.ico: they get the icon, never the sign-in page.
  .get('/:icon{icon\\.svg|favicon\\.ico}', (c) => c.body(ICON, 200, { 'content-type': 'image/svg+xml', 'cache-control': 'public, max-age=86400' }));
