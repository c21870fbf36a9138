/**
 * offline.js: what JavaScript adds to the server-rendered pages. Register saves are kept on the
 * phone (IndexedDB) with an idempotency key and the time each mark was taken, and sent whenever
 * there is signal: on every page load, when the browser says it is online, and every 30 s while
 * some wait (Safari and Firefox have no Background Sync, and a park gate's signal comes and goes
 * without an `online` event). Nothing here is needed for the pages to work.
 */
export const OFFLINE_JS = String.raw`(() => {
  'use strict';
  const DB = 'clg-offline';
  const STORE = 'saves';
  const PROBLEMS = 'clg-sync-problems';
  const open = () =>
    new Promise((resolve, reject) => {
      const r = indexedDB.open(DB, 1);
      r.onupgradeneeded = () => r.result.createObjectStore(STORE, { keyPath: 'key' });
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
  const run = async (mode, fn) => {
    const db = await open();
    return new Promise((resolve, reject) => {
      const t = db.transaction(STORE, mode);
      const req = fn(t.objectStore(STORE));
      t.oncomplete = () => { db.close(); resolve(req && req.result); };
      t.onerror = () => { db.close(); reject(t.error); };
    });
  };
  const all = () => run('readonly', (s) => s.getAll());
  const put = (item) => run('readwrite', (s) => s.put(item));
  const drop = (key) => run('readwrite', (s) => s.delete(key));
  const csrf = () => (document.querySelector('meta[name="csrf-token"]') || {}).content || '';
  const statusBox = document.getElementById('sync-status');
  const problems = () => JSON.parse(localStorage.getItem(PROBLEMS) || '[]');
  const addProblems = (more) => localStorage.setItem(PROBLEMS, JSON.stringify(problems().concat(more).slice(-20)));

  async function show(note) {
    if (!statusBox) return;
    const waiting = await all();
    const lines = [];
    if (waiting.length > 0) {
      const n = waiting.length === 1 ? '1 register waiting to send' : waiting.length + ' registers waiting to send';
      lines.push(waiting.some((i) => i.needsSignIn) ? n + ': sign in again to send.' : n + ': it goes when there is signal.');
    }
    if (note) lines.push(note);
    const listed = problems();
    statusBox.replaceChildren();
    for (const line of lines) statusBox.append(Object.assign(document.createElement('p'), { textContent: line }));
    if (waiting.some((i) => i.needsSignIn)) {
      const a = Object.assign(document.createElement('a'), { href: '/login?next=' + encodeURIComponent(location.pathname), textContent: 'Sign in again' });
      statusBox.append(a);
    }
    if (listed.length > 0) {
      const ul = document.createElement('ul');
      for (const p of listed) ul.append(Object.assign(document.createElement('li'), { textContent: p }));
      const ok = Object.assign(document.createElement('button'), { type: 'button', className: 'secondary', textContent: 'I have seen these' });
      ok.addEventListener('click', () => { localStorage.removeItem(PROBLEMS); show(); });
      statusBox.append(Object.assign(document.createElement('p'), { textContent: 'Not saved as marked:' }), ul, ok);
    }
    statusBox.hidden = statusBox.childElementCount === 0;
    document.documentElement.dataset.waiting = String(waiting.length);
  }

  const json = (key) => ({ 'content-type': 'application/json', 'idempotency-key': key, 'x-csrf-token': csrf() });
  const errorOf = async (res) => { try { return (await res.json()).error.message; } catch { return 'the server said ' + res.status; } };

  /** Sends one saved register; true when it is done with (sent, or refused for good and reported). */
  async function send(item) {
    for (const [i, person] of (item.newPeople || []).entries()) {
      if (person.id) continue;
      const res = await fetch('/api/v1/participants', {
        method: 'POST',
        credentials: 'same-origin',
        headers: json(item.key + ':new:' + i),
        body: JSON.stringify({ givenName: person.givenName, familyName: person.familyName || null, smsConsent: false }),
      });
      if (res.status === 401) return signInNeeded(item);
      if (res.status >= 500) return false;
      if (!res.ok) {
        addProblems([item.title + ': ' + person.givenName + ' was not added (' + (await errorOf(res)) + ').']);
        person.failed = true;
      } else person.id = (await res.json()).id;
      await put(item);
    }
    const entries = item.entries.concat(
      (item.newPeople || []).filter((p) => p.id).map((p) => ({ participantId: p.id, status: 'present', dropIn: true, recordedAt: p.recordedAt })),
    );
    const body = { entries };
    if (item.headcount !== undefined) body.headcount = item.headcount;
    const res = await fetch('/api/v1/sessions/' + item.sessionId + '/register', {
      method: 'PUT',
      credentials: 'same-origin',
      headers: json(item.key),
      body: JSON.stringify(body),
    });
    if (res.status === 401) return signInNeeded(item);
    if (res.status >= 500 || res.status === 409 && res.headers.get('retry-after')) return false;
    if (!res.ok) {
      addProblems([item.title + ': the register was not saved (' + (await errorOf(res)) + ').']);
      await drop(item.key);
      return true;
    }
    const saved = await res.json();
    const names = item.names || {};
    const notes = (saved.results || [])
      .filter((r) => r.outcome === 'refused' || r.outcome === 'newer_kept')
      .map((r) => item.title + ': ' + (names[r.participantId] || 'someone') + ' was not changed: ' + r.reason + '.');
    if (notes.length) addProblems(notes);
    await drop(item.key);
    item.saved = saved;
    return true;
  }

  async function signInNeeded(item) {
    item.needsSignIn = true;
    await put(item);
    return false;
  }

  let syncing = null;
  function sync() {
    syncing = syncing || (async () => {
      const sent = [];
      try {
        for (const item of await all()) {
          try {
            if (await send(item)) sent.push(item);
          } catch {
            // No signal: it stays for the next try.
          }
        }
      } finally {
        syncing = null;
      }
      await show(sent.length ? (sent.length === 1 ? '1 register sent.' : sent.length + ' registers sent.') : undefined);
      return sent;
    })();
    return syncing;
  }

  // --- The register page --------------------------------------------------------------------
  const form = document.getElementById('register');
  if (form) {
    const opensAt = Number(form.dataset.opensAt || 0);
    if (opensAt && Date.now() >= opensAt) {
      form.hidden = false;
      const closed = document.getElementById('register-closed');
      if (closed) closed.hidden = true;
    }
    const markedAt = {};
    const rows = () => Array.from(form.querySelectorAll('fieldset.mark'));
    const valueOf = (row) => (row.querySelector('input[type=radio]:checked') || { value: 'clear' }).value;
    const seenOf = (row) => row.querySelector('input[name^="seen_"]').value;
    const count = () => {
      const all = rows();
      document.getElementById('marked-count').textContent = all.filter((r) => valueOf(r) !== 'clear').length + ' of ' + all.length + ' marked';
    };
    form.addEventListener('change', (e) => {
      const row = e.target.closest('fieldset.mark');
      if (row) markedAt[row.dataset.participantId] = Date.now();
      count();
    });
    document.getElementById('everyone-present').addEventListener('click', (e) => {
      e.preventDefault();
      for (const row of rows()) {
        if (valueOf(row) === 'clear' && seenOf(row) === 'clear') {
          row.querySelector('input[value=present]').checked = true;
          markedAt[row.dataset.participantId] = Date.now();
        }
      }
      count();
    });
    const from = Number(form.dataset.markFrom);
    const to = Number(form.dataset.markTo);
    const when = (ms) => (ms >= from && ms <= to ? new Date(ms).toISOString() : undefined);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const now = Date.now();
      const entries = [];
      const names = {};
      for (const row of rows()) {
        const id = Number(row.dataset.participantId);
        names[id] = row.dataset.name;
        const value = valueOf(row);
        if (value === seenOf(row)) continue;
        entries.push({ participantId: id, status: value === 'clear' ? null : value, recordedAt: when(markedAt[id] || now) });
      }
      for (const o of form.querySelector('#dropIn').selectedOptions) {
        names[o.value] = o.textContent;
        entries.push({ participantId: Number(o.value), status: 'present', dropIn: true, recordedAt: when(now) });
      }
      const given = form.newGivenName.value.trim();
      const newPeople = given ? [{ givenName: given, familyName: form.newFamilyName.value.trim(), recordedAt: when(now) }] : [];
      const hc = form.headcount.value.trim();
      if (hc !== '' && !/^\d{1,4}$/.test(hc)) {
        form.headcount.focus();
        return show('The headcount must be a whole number.');
      }
      const item = { key: crypto.randomUUID(), sessionId: Number(form.dataset.sessionId), title: form.dataset.title, entries, newPeople, names, createdAt: now };
      if (hc !== form.seen_headcount.value) item.headcount = hc === '' ? undefined : Number(hc);
      if (entries.length === 0 && newPeople.length === 0 && item.headcount === undefined) return show('Nothing has changed since the register was last saved.');
      await put(item);
      // What was sent is now what the page shows: a second save sends only later changes.
      for (const row of rows()) row.querySelector('input[name^="seen_"]').value = valueOf(row);
      form.seen_headcount.value = hc;
      form.newGivenName.value = '';
      form.newFamilyName.value = '';
      for (const o of form.querySelector('#dropIn').selectedOptions) o.selected = false;
      const sent = await sync();
      const mine = sent.find((s) => s.key === item.key);
      if (mine && mine.saved) {
        const marked = mine.saved.entries.filter((x) => x.status !== null).length;
        location.assign('/sessions/' + item.sessionId + '/register?done=' + encodeURIComponent('Register saved: ' + marked + ' of ' + mine.saved.entries.length + ' marked.'));
      } else await show('Saved on this phone.');
    });
    count();
  }

  // --- Keeping pages for no signal, and signing out ---------------------------------------------
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/sw.js').then(() => navigator.serviceWorker.ready).then((reg) => {
      if (location.pathname !== '/today' || !navigator.onLine) return;
      const urls = ['/today'].concat(Array.from(document.querySelectorAll('a[href$="/register"]'), (a) => new URL(a.href).pathname));
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
  setInterval(() => { if (document.documentElement.dataset.waiting !== '0') sync(); }, 30000);
  sync();
})();
`;
