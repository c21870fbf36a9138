/**
 * offline.js: what JavaScript adds to the server-rendered pages. On every page: the error summary
 * takes focus (GOV.UK), and on a phone the menu folds behind a Menu button. Signed in: register
 * saves are kept on the phone (IndexedDB) with an idempotency key and the time each mark was taken,
 * and sent whenever there is signal: on every page load, when the browser says it is online, and
 * every 30 s while some wait (Safari and Firefox have no Background Sync, and a park gate's signal
 * comes and goes without an `online` event). A save answered by the server is shown in place from
 * its answer: one round trip, no reload. Nothing here is needed for the pages to work.
 */
export const OFFLINE_JS = String.raw`(() => {
  'use strict';
  // --- Every page ---------------------------------------------------------------------------
  const summary = document.querySelector('.error-summary');
  if (summary) summary.focus();
  const nav = document.querySelector('header nav');
  const navList = nav && nav.querySelector('ul');
  if (navList) {
    navList.id = 'main-menu';
    const toggle = Object.assign(document.createElement('button'), { type: 'button', className: 'menu-toggle', textContent: 'Menu' });
    toggle.setAttribute('aria-controls', 'main-menu');
    toggle.setAttribute('aria-expanded', 'false');
    toggle.addEventListener('click', () => {
      const open = nav.classList.toggle('open');
      toggle.setAttribute('aria-expanded', String(open));
    });
    nav.prepend(toggle);
    nav.classList.add('foldable');
  }
  // Print buttons (an inline onclick would be refused by the page's CSP).
  for (const b of document.querySelectorAll('[data-print]')) b.addEventListener('click', () => window.print());
  // A feed link's Copy button, where the browser can copy.
  const copy = document.getElementById('copyFeed');
  if (copy && navigator.clipboard) {
    const link = document.getElementById('feedUrl');
    const said = document.getElementById('copied');
    copy.hidden = false;
    copy.addEventListener('click', () =>
      navigator.clipboard.writeText(link.value).then(() => { said.textContent = 'Copied.'; }, () => { link.select(); said.textContent = 'Select the link and copy it.'; }),
    );
  }
  // A text being written: its characters and how many texts (segments) it makes, as Twilio counts them.
  const counted = document.getElementById('count');
  const written = counted && document.getElementById('body');
  if (written) {
    const gsm = /^[@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&'()*+,\-./0-9:;<=>?¡A-ZÄÖÑÜ§¿a-zäöñüà^{}\\\[~\]|€]*$/;
    const update = () => {
      const v = written.value, isGsm = gsm.test(v);
      const units = isGsm ? [...v].reduce((n, ch) => n + ('^{}\\[~]|€'.includes(ch) ? 2 : 1), 0) : v.length;
      const single = isGsm ? 160 : 70, multi = isGsm ? 153 : 67;
      const segments = units === 0 ? 0 : units <= single ? 1 : Math.ceil(units / multi);
      counted.textContent = units + ' characters, ' + segments + ' text' + (segments === 1 ? '' : 's') + (isGsm ? '' : ' (special characters make texts shorter)');
    };
    written.addEventListener('input', update);
    update();
  }
  if (!document.querySelector('meta[name="csrf-token"]')) return;

  // A practice's own wording: the preview follows typing (without JavaScript the Preview button does it).
  const template = document.getElementById('template-form');
  if (template) {
    const wording = document.getElementById('body');
    const group = document.getElementById('groupId');
    let timer;
    const preview = async () => {
      const res = await fetch('/api/v1/sms-templates/preview', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrf() },
        body: JSON.stringify({ language: template.dataset.language, name: template.dataset.name, body: wording.value, groupId: group.value ? Number(group.value) : undefined }),
      });
      if (!res.ok) return;
      const p = await res.json();
      const box = document.querySelector('#preview .sms-preview');
      const dd = document.querySelectorAll('#preview dd');
      box.textContent = p.preview.problems.length ? p.preview.text + '\n\n' + p.preview.problems.join('. ') : p.preview.text;
      dd[1].textContent = p.preview.segments.units + ' characters: ' + p.preview.segments.segments + (p.preview.segments.segments === 1 ? ' text' : ' texts') + ' (segments)';
    };
    const later = () => { clearTimeout(timer); timer = setTimeout(() => preview().catch(() => {}), 300); };
    wording.addEventListener('input', later);
    group.addEventListener('change', later);
  }

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
  // Other tabs of this app learn at once when a save is kept or sent, so none shows a stale "waiting".
  const tabs = 'BroadcastChannel' in self ? new BroadcastChannel('clg-offline') : null;
  const changed = () => tabs && tabs.postMessage('changed');
  const put = (item) => run('readwrite', (s) => s.put(item)).then((r) => (changed(), r));
  const drop = (key) => run('readwrite', (s) => s.delete(key)).then((r) => (changed(), r));
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
    // New people go in the register's own save: one request, applied once however often it is sent.
    // (A save queued by an older page may hold people already added: they go as drop-in marks.)
    const people = item.newPeople || [];
    const entries = item.entries.concat(
      people.filter((p) => p.id).map((p) => ({ participantId: p.id, status: 'present', dropIn: true, recordedAt: p.recordedAt })),
    );
    const newPeople = people.filter((p) => !p.id && !p.failed).map((p) => ({ givenName: p.givenName, familyName: p.familyName || null, recordedAt: p.recordedAt }));
    const body = { entries };
    if (newPeople.length) body.newPeople = newPeople;
    if (item.headcount !== undefined) body.headcount = item.headcount;
    const res = await fetch('/api/v1/sessions/' + item.sessionId + '/register', {
      method: 'PUT',
      credentials: 'same-origin',
      headers: json(item.key),
      body: JSON.stringify(body),
    });
    if (res.status === 401) return signInNeeded(item);
    if (res.status === 409 && res.headers.get('retry-after')) {
      // The same save is being applied from another tab: look again shortly, not in 30 s.
      setTimeout(sync, Number(res.headers.get('retry-after')) * 1000 + 200);
      return false;
    }
    if (res.status >= 500) return false;
    if (!res.ok) {
      // Refused for good (a cancelled session, a register that is not open): never retried, and said.
      item.refused = await errorOf(res);
      addProblems([item.title + ': the register was not saved (' + item.refused + ').']);
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

  /** The register page open here, if any: told what became of its session's saves, whichever sync sent them. */
  let registerView = null;
  async function tellRegisterView(sent) {
    if (!registerView) return;
    for (const s of sent) {
      if (s.sessionId !== registerView.sessionId) continue;
      if (s.saved) registerView.saved(s);
      else if (s.refused) registerView.refused(s);
    }
    if ((await all()).some((i) => i.sessionId === registerView.sessionId && i.needsSignIn)) registerView.signInNeeded();
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
      await tellRegisterView(sent);
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
    const rows = () => Array.from(form.querySelectorAll('#register-rows fieldset.mark'));
    const valueOf = (row) => (row.querySelector('input[type=radio]:checked') || { value: 'clear' }).value;
    const seenOf = (row) => row.querySelector('input[name^="seen_"]').value;
    const saveStatus = document.getElementById('save-status');
    /** Says what became of a save beside the Save button, where the CLP is looking. */
    const say = (lines, link) => {
      saveStatus.replaceChildren();
      for (const line of lines) saveStatus.append(Object.assign(document.createElement('span'), { textContent: line + ' ' }));
      if (link) saveStatus.append(Object.assign(document.createElement('a'), link));
    };
    /** Everyone on the register as the CLP sees it now: drop-ins ticked and a new person typed count before Save too. */
    const count = () => {
      const all = rows();
      const added = form.querySelectorAll('input[name=dropIn]:checked').length + (form.newGivenName && form.newGivenName.value.trim() ? 1 : 0);
      const marked = all.filter((r) => valueOf(r) !== 'clear').length + added;
      document.getElementById('marked-count').textContent = marked + ' of ' + (all.length + added) + ' marked';
    };
    form.addEventListener('input', (e) => {
      if (e.target.name === 'newGivenName') count();
    });
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

    /** A row for someone the server has on the register but this page does not (a drop-in just saved). */
    const addRow = (entry, name) => {
      const row = document.getElementById('row-template').content.firstElementChild.cloneNode(true);
      const id = entry.participantId;
      row.dataset.participantId = String(id);
      row.dataset.name = name;
      row.querySelector('legend').textContent = name + (entry.dropIn ? ' (drop-in)' : '');
      for (const input of row.querySelectorAll('input')) input.name = input.name.replace(/_0$/, '_' + id);
      document.getElementById('register-rows').append(row);
      return row;
    };
    /** The register as the server saved it: every mark (a later one kept there included), the drop-ins and the headcount. */
    const showSaved = (saved) => {
      const byId = new Map(rows().map((r) => [Number(r.dataset.participantId), r]));
      for (const entry of saved.entries) {
        // A leader's answer has the family initial only.
        const name = [entry.givenName, entry.familyName || entry.familyInitial].filter(Boolean).join(' ') || 'Erased participant';
        const row = byId.get(entry.participantId) || addRow(entry, name);
        byId.delete(entry.participantId);
        const value = entry.status || 'clear';
        const radio = row.querySelector('input[type=radio][value="' + value + '"]');
        if (radio) radio.checked = true;
        row.querySelector('input[name^="seen_"]').value = value;
      }
      // A drop-in taken off the register is no longer on it.
      for (const row of byId.values()) row.remove();
      const hc = saved.headcount === null ? '' : String(saved.headcount);
      form.headcount.value = hc;
      form.seen_headcount.value = hc;
      count();
    };

    // The drop-in search with signal: only the matches change, so nothing marked is lost.
    const findMatches = async () => {
      const url = '/sessions/' + form.dataset.sessionId + '/register?find=' + encodeURIComponent(form.find.value.trim());
      const box = document.getElementById('drop-in-matches');
      try {
        const res = await fetch(url, { credentials: 'same-origin' });
        if (!res.ok) throw new Error(String(res.status));
        const found = new DOMParser().parseFromString(await res.text(), 'text/html').getElementById('drop-in-matches');
        if (found) box.replaceWith(found);
      } catch {
        // No signal: the group's recent drop-ins came with the page, so a regular is still found by name.
        const needle = form.find.value.trim().toLocaleLowerCase('en-GB');
        const kept = document.getElementById('recent-drop-ins');
        const onPage = new Set(rows().map((r) => r.dataset.participantId));
        const found = kept && needle
          ? Array.from(kept.content.querySelectorAll('label')).filter((l) => l.textContent.toLocaleLowerCase('en-GB').includes(needle) && !onPage.has(l.querySelector('input').value))
          : [];
        if (found.length === 0) {
          box.replaceChildren(Object.assign(document.createElement('p'), { className: 'muted', textContent: 'No signal to search, and nobody who came lately matches: add them as a new person below.' }));
        } else {
          const set = document.createElement('fieldset');
          set.append(Object.assign(document.createElement('legend'), { textContent: 'Came today (saved as present)' }), ...found.map((l) => l.cloneNode(true)));
          box.replaceChildren(set);
        }
      }
    };
    form.find.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        findMatches();
      }
    });

    const from = Number(form.dataset.markFrom);
    const to = Number(form.dataset.markTo);
    const when = (ms) => (ms >= from && ms <= to ? new Date(ms).toISOString() : undefined);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      if (e.submitter && e.submitter.value === 'find') return findMatches();
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
      const ticked = Array.from(form.querySelectorAll('input[name=dropIn]:checked'));
      for (const box of ticked) {
        names[box.value] = box.parentElement.textContent.trim();
        entries.push({ participantId: Number(box.value), status: 'present', dropIn: true, recordedAt: when(now) });
      }
      const given = form.newGivenName.value.trim();
      const newPeople = given ? [{ givenName: given, familyName: form.newFamilyName.value.trim(), recordedAt: when(now) }] : [];
      const hc = form.headcount.value.trim();
      if (hc !== '' && !/^\d{1,4}$/.test(hc)) {
        form.headcount.focus();
        return say(['The headcount must be a whole number.']);
      }
      const item = { key: crypto.randomUUID(), sessionId: Number(form.dataset.sessionId), title: form.dataset.title, entries, newPeople, names, createdAt: now };
      if (hc !== form.seen_headcount.value) item.headcount = hc === '' ? undefined : Number(hc);
      if (entries.length === 0 && newPeople.length === 0 && item.headcount === undefined) return say(['Nothing has changed since the register was last saved.']);
      await put(item);
      // What was sent is now what the page shows: a second save sends only later changes.
      for (const row of rows()) row.querySelector('input[name^="seen_"]').value = valueOf(row);
      form.seen_headcount.value = hc;
      form.newGivenName.value = '';
      form.newFamilyName.value = '';
      for (const box of ticked) box.closest('label').remove();
      say(['Saving…']);
      // What became of it is told by the sync that sends it (tellRegisterView): now, or when signal returns.
      await sync();
      const waiting = (await all()).find((i) => i.key === item.key);
      if (waiting && !waiting.needsSignIn) say(['Saved on this phone: it goes when there is signal.']);
    });
    registerView = {
      sessionId: Number(form.dataset.sessionId),
      // The server's register replaces the phone's, marks kept there included, whenever the save went.
      saved: (item) => {
        showSaved(item.saved);
        const names = item.names || {};
        const marked = item.saved.entries.filter((x) => x.status !== null).length;
        const lines = ['Register saved: ' + marked + ' of ' + item.saved.entries.length + ' marked.'];
        for (const r of item.saved.results || []) {
          if (r.outcome === 'newer_kept') lines.push((names[r.participantId] || 'Someone') + ': a later mark was already saved, and is shown.');
          if (r.outcome === 'refused') lines.push((names[r.participantId] || 'Someone') + ' was not changed: ' + r.reason + '.');
        }
        say(lines);
      },
      refused: (item) => say(['Not saved: ' + item.refused + '.']),
      // In the bar, where the CLP is looking, not only at the top of the page.
      signInNeeded: () =>
        say(['Saved on this phone. Your sign-in has ended: sign in again to send it.'], { href: '/login?next=' + encodeURIComponent(location.pathname), textContent: 'Sign in again' }),
    };
    count();
  }

  // --- Keeping pages for no signal, and signing out ---------------------------------------------
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
})();
`;
