/**
 * offline.js, its first part: on every page the error summary takes focus and the menu folds; for a
 * signed-in person, the queue of register saves kept on the phone (IndexedDB) and the sync that
 * sends them. Joined with the parts after it into one function (offline-script.ts): they share its scope.
 */
export const EVERY_PAGE_JS = String.raw`  // --- Every page ---------------------------------------------------------------------------
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
  // Copy buttons beside read-only fields (a listing for ALISS), where the browser can copy.
  for (const b of document.querySelectorAll('button[data-copy]')) {
    const field = document.getElementById(b.getAttribute('data-copy'));
    if (!field || !navigator.clipboard) continue;
    b.hidden = false;
    b.addEventListener('click', () => navigator.clipboard.writeText(field.value).then(() => { b.textContent = 'Copied'; }, () => field.select()));
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

`;
