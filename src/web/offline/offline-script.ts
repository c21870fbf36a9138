/**
 * offline.js: what JavaScript adds to the server-rendered pages. On every page: the error summary
 * takes focus (GOV.UK), and on a phone the menu folds behind a Menu button. Signed in: register
 * saves are kept on the phone (IndexedDB) with an idempotency key and the time each mark was taken,
 * and sent whenever there is signal: on every page load, when the browser says it is online, and
 * every 30 s while some wait (Safari and Firefox have no Background Sync, and a park gate's signal
 * comes and goes without an `online` event). A save answered by the server is shown in place from
 * its answer: one round trip, no reload. Nothing here is needed for the pages to work.
 */
import { EVERY_PAGE_JS } from './offline-queue.js';
import { KEEPING_JS } from './offline-keeping.js';
import { REGISTER_PAGE_JS } from './offline-register.js';

/** One function, so the parts share their scope (the queue, the register page's view of it). */
export const OFFLINE_JS = `(() => {
  'use strict';
${EVERY_PAGE_JS}
${REGISTER_PAGE_JS}
${KEEPING_JS}
})();
`;
