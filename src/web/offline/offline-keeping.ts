/**
 * offline.js, its last part: Today and the week's registers kept through the service worker, sign-out
 * clearing what the phone keeps, and the timers and events that start a sync.
 */
export const KEEPING_JS = String.raw`  // --- Keeping pages for no signal, and signing out ---------------------------------------------
  if ('serviceWorker' in navigator) {
    // Today itself came through the worker (and was kept) unless this is the visit that installed
    // it. Asked now, as the page loads: the new worker claims the page once it is active, which
    // may be before it is ready to be asked, and then this visit's Today was never kept.
    const cameThroughWorker = Boolean(navigator.serviceWorker.controller);
    // updateViaCache 'all': the browser's check for a new sw.js goes through its HTTP cache, so it
    // sends the ETag it holds and an unchanged worker is a 304, not the whole script on a slow link.
    navigator.serviceWorker.register('/sw.js', { updateViaCache: 'all' }).then(() => navigator.serviceWorker.ready).then((reg) => {
      if (location.pathname !== '/today' || !navigator.onLine) return;
      const registers = Array.from(document.querySelectorAll('a[href$="/register"]'), (a) => new URL(a.href).pathname);
      const urls = (cameThroughWorker ? [] : ['/today']).concat(registers);
      navigator.serviceWorker.addEventListener('message', (e) => {
        if (e.data && e.data.type === 'kept') document.documentElement.dataset.offlineReady = String(e.data.count);
      });
      reg.active.postMessage({ type: 'keep', urls });
    }).catch(() => {});
  }
  for (const out of document.querySelectorAll('form[action="/logout"]')) {
    out.addEventListener('submit', async (e) => {
      e.preventDefault();
      const waiting = await all().catch(() => []);
      if (waiting.length > 0 && !confirm(waiting.length + ' register(s) have not been sent yet and will be lost. Sign out anyway?')) return;
      // Nothing about patients stays on a shared phone once its user signs out.
      await run('readwrite', (s) => s.clear()).catch(() => {});
      localStorage.removeItem(PROBLEMS);
      if (navigator.serviceWorker && navigator.serviceWorker.controller) navigator.serviceWorker.controller.postMessage({ type: 'forget' });
      out.submit();
    });
  }
  addEventListener('online', () => sync());
  if (tabs) tabs.onmessage = () => show();
  setInterval(() => { if (document.documentElement.dataset.waiting !== '0') sync(); }, 30000);
  sync();
`;
