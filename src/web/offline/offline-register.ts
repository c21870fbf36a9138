/**
 * offline.js, the register page: marks and their times, the count, Everyone present, the drop-in
 * search (with the group's recent drop-ins when there is no signal), Save into the queue, and the
 * register as the server kept it shown in place. Shares the scope of the part before it.
 */
export const REGISTER_PAGE_JS = String.raw`  // --- The register page --------------------------------------------------------------------
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

`;
