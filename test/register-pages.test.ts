import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { pagesAs } from './helpers/pages.js';
import { makeTestApp, seedGroup, type TestApp } from './helpers/test-app.js';

/** Four enrolled in the Tuesday walk, two more in the practice; the clock at 10:05 on the walk's day. */
async function setup(t: TestApp) {
  const { group } = await seedGroup(t);
  const id: Record<string, number> = {};
  for (const name of ['Amira', 'Brian', 'Chloe', 'Dev', 'Eve', 'Finn']) {
    id[name] = (await t.request('POST', '/api/v1/participants', { token: t.clp.token, body: { givenName: name, smsConsent: false } })).body.id;
    if (['Amira', 'Brian', 'Chloe', 'Dev'].includes(name))
      await t.request('POST', `/api/v1/groups/${group.id}/enrolments`, { token: t.clp.token, body: { participantId: id[name] } });
  }
  const session = (await t.request('GET', `/api/v1/groups/${group.id}/sessions?from=2027-03-02&to=2027-03-02`, { token: t.clp.token })).body.items[0].id;
  t.clock.set('2027-03-02T10:05:00Z');
  const statuses = async () =>
    Object.fromEntries(
      (await t.request('GET', `/api/v1/sessions/${session}/register`, { token: t.clp.token })).body.entries.map(
        (e: { givenName: string; status: string | null }) => [e.givenName, e.status],
      ),
    );
  return { id, session, statuses };
}

describe('the register page without JavaScript', () => {
  it('"Everyone present" marks whoever is unmarked, keeping the exceptions already chosen', async () => {
    const t = await makeTestApp('2027-03-02T09:00:00Z');
    const { id, session, statuses } = await setup(t);
    const clp = await pagesAs(t, t.clp.token);
    const page = await clp.get(`/sessions/${session}/register`);
    expect(page.html).toContain('0 of 4 marked');
    const fields: Record<string, string> = { everyone: 'present' };
    for (const n of ['Amira', 'Brian', 'Chloe', 'Dev']) Object.assign(fields, { [`seen_${id[n]}`]: 'clear', [`status_${id[n]}`]: 'clear' });
    fields[`status_${id.Brian}`] = 'absent';
    const saved = await clp.post(`/sessions/${session}/register`, fields);
    expect(saved.status).toBe(303);
    expect(decodeURIComponent(saved.location!)).toContain('Register saved: 4 of 4 marked.');
    expect(await statuses()).toEqual({ Amira: 'present', Brian: 'absent', Chloe: 'present', Dev: 'present' });
  });

  it('a drop-in is found by name, not picked from everyone in the practice; searching keeps the marks not yet saved', async () => {
    const t = await makeTestApp('2027-03-02T09:00:00Z');
    const { id, session, statuses } = await setup(t);
    const clp = await pagesAs(t, t.clp.token);
    const page = await clp.get(`/sessions/${session}/register`);
    // Nobody outside the group is listed until someone is searched for.
    expect(page.html).not.toContain('>Eve<');
    expect(page.html).not.toContain('name="dropIn"');
    // Amira marked present, then a search for "fi" before saving: the page comes back with Finn to tick, and Amira still present.
    const searched = await clp.post(`/sessions/${session}/register`, {
      [`seen_${id.Amira}`]: 'clear',
      [`status_${id.Amira}`]: 'present',
      headcount: '3',
      seen_headcount: '',
      find: 'fi',
      action: 'find',
    });
    expect(searched.status).toBe(200);
    expect(searched.html).toContain('Not saved yet');
    expect(searched.html).toMatch(new RegExp(`name="status_${id.Amira}" value="present" checked`));
    expect(searched.html).toMatch(new RegExp(`name="dropIn" value="${id.Finn}"`));
    expect(searched.html).not.toMatch(new RegExp(`name="dropIn" value="${id.Eve}"`));
    expect(searched.html).toContain('value="3"');
    expect(await statuses()).toEqual({ Amira: null, Brian: null, Chloe: null, Dev: null });
    // Enrolled people are on the register already, so a search never offers them again.
    expect((await clp.get(`/sessions/${session}/register?find=amira`)).html).toContain('Nobody who is not already on the register matches');
    const saved = await clp.post(`/sessions/${session}/register`, {
      [`seen_${id.Amira}`]: 'clear',
      [`status_${id.Amira}`]: 'present',
      dropIn: String(id.Finn),
      action: 'save',
    });
    expect(saved.status).toBe(303);
    expect(await statuses()).toEqual({ Amira: 'present', Brian: null, Chloe: null, Dev: null, Finn: 'present' });
  });

  it('Enter in a field saves the register; it never presses "Everyone present"', async () => {
    const t = await makeTestApp('2027-03-02T09:00:00Z');
    const { session } = await setup(t);
    const html = (await (await pagesAs(t, t.clp.token)).get(`/sessions/${session}/register`)).html;
    const form = html.slice(html.indexOf('id="register"'));
    // A browser's implicit submission presses the form's first submit button.
    expect(form.match(/<button type="submit"[^>]*>/)![0]).toContain('value="save"');
  });

  it('several drop-ins and a new person join in one save; a mark is cleared and a drop-in removed', async () => {
    const t = await makeTestApp('2027-03-02T09:00:00Z');
    const { id, session, statuses } = await setup(t);
    const clp = await pagesAs(t, t.clp.token);
    const form = new URLSearchParams({
      _csrf: clp.csrf,
      [`seen_${id.Amira}`]: 'clear',
      [`status_${id.Amira}`]: 'present',
      newGivenName: 'Gina',
      newFamilyName: 'New',
    });
    form.append('dropIn', String(id.Eve));
    form.append('dropIn', String(id.Finn));
    const res = await t.app.request(`/sessions/${session}/register`, {
      method: 'POST',
      headers: { cookie: `clg_session=${t.clp.token}`, origin: 'http://localhost', 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    expect(res.status).toBe(303);
    expect(await statuses()).toEqual({ Amira: 'present', Brian: null, Chloe: null, Dev: null, Eve: 'present', Finn: 'present', Gina: 'present' });
    const gina = await t.db.selectFrom('participants').select(['id', 'sms_consent']).where('given_name', '=', 'Gina').executeTakeFirstOrThrow();
    expect(gina.sms_consent).toBe(0);

    t.clock.set('2027-03-02T10:10:00Z');
    const cleared = await clp.post(`/sessions/${session}/register`, {
      [`seen_${id.Amira}`]: 'present',
      [`status_${id.Amira}`]: 'clear',
      [`seen_${id.Eve}`]: 'present',
      [`status_${id.Eve}`]: 'clear',
      [`seen_${id.Finn}`]: 'present',
      [`status_${id.Finn}`]: 'present',
    });
    expect(cleared.status).toBe(303);
    expect(await statuses()).toEqual({ Amira: null, Brian: null, Chloe: null, Dev: null, Finn: 'present', Gina: 'present' });
    const page = await clp.get(`/sessions/${session}/register`);
    expect(page.html).toContain('Remove'); // drop-ins are taken off with "Remove"
    expect(page.html).toContain('2 of 6 marked');
  });

  it("a row the CLP did not touch never overwrites a colleague's mark saved meanwhile", async () => {
    const t = await makeTestApp('2027-03-02T09:00:00Z');
    const { id, session, statuses } = await setup(t);
    const clp = await pagesAs(t, t.clp.token);
    await clp.get(`/sessions/${session}/register`); // the form as it stood: nobody marked
    await t.request('PUT', `/api/v1/sessions/${session}/register`, { token: t.admin.token, body: { entries: [{ participantId: id.Brian, status: 'late' }] } });
    await clp.post(`/sessions/${session}/register`, {
      [`seen_${id.Amira}`]: 'clear',
      [`status_${id.Amira}`]: 'present',
      [`seen_${id.Brian}`]: 'clear',
      [`status_${id.Brian}`]: 'clear',
    });
    expect(await statuses()).toMatchObject({ Amira: 'present', Brian: 'late' });
  });

  it('a session more than a day away shows why, and a cancelled one has no register; the printable register lists everyone', async () => {
    const t = await makeTestApp('2027-03-02T09:00:00Z');
    const { session } = await setup(t);
    const clp = await pagesAs(t, t.clp.token);
    const later = (await t.db.selectFrom('sessions').select('id').where('id', '!=', session).orderBy('starts_at').executeTakeFirstOrThrow()).id;
    const away = await clp.get(`/sessions/${later}/register`);
    expect(away.html).toContain('more than a day away');
    expect(away.html).toMatch(/<form[^>]*id="register"[^>]*hidden/); // offline.js opens it on the day
    const refused = await clp.post(`/sessions/${later}/register`, {});
    expect(refused.status).toBe(422);
    const print = await clp.get(`/sessions/${session}/register/print`);
    for (const n of ['Amira', 'Brian', 'Chloe', 'Dev']) expect(print.html).toContain(n);
    expect(print.html).toContain('People who came but are not named (headcount)');
  });
});

describe('pages on a weak signal', () => {
  it('are sent gzipped to a browser that accepts it: the register is a quarter of its size', async () => {
    const t = await makeTestApp('2027-03-02T09:00:00Z');
    const { session } = await setup(t);
    const clp = await pagesAs(t, t.clp.token);
    const plain = await clp.get(`/sessions/${session}/register`);
    const res = await t.app.request(`/sessions/${session}/register`, { headers: { cookie: `clg_session=${t.clp.token}`, 'accept-encoding': 'gzip, br' } });
    expect(res.headers.get('content-encoding')).toBe('gzip');
    const zipped = Buffer.from(await res.arrayBuffer());
    expect(zipped.length).toBeLessThan(Buffer.byteLength(plain.html) / 3);
    expect(gunzipSync(zipped).toString()).toContain('Register: Tuesday Health Walk');
  });
});

describe('Today', () => {
  it('a register already taken is a quieter "change it" button, and a cancelled session links to its page', async () => {
    const t = await makeTestApp('2027-03-02T09:00:00Z');
    const { session } = await setup(t);
    const later = (await t.db.selectFrom('sessions').select('id').where('id', '!=', session).orderBy('starts_at').executeTakeFirstOrThrow()).id;
    await t.request('PATCH', `/api/v1/sessions/${later}`, { token: t.clp.token, body: { status: 'cancelled', reason: 'Rain' } });
    const clp = await pagesAs(t, t.clp.token);
    expect((await clp.get('/today')).html).toContain('Take register');
    await t.request('PUT', `/api/v1/sessions/${session}/register`, { token: t.clp.token, body: { entries: [] } });
    const today = await clp.get('/today');
    expect(today.html).toContain(`class="button secondary" href="/sessions/${session}/register">Register taken: change it`);
    t.clock.set('2027-03-03T09:00:00Z'); // the cancelled one is next Tuesday, in this week's list from Wednesday
    expect((await clp.get('/today')).html).toContain(`href="/sessions/${later}">Session details (restore)`);
  });

  it('a session later in the week offers no register button that would refuse, only when its register opens', async () => {
    const t = await makeTestApp('2027-03-02T09:00:00Z');
    await setup(t);
    t.clock.set('2027-03-03T09:00:00Z');
    const clp = await pagesAs(t, t.clp.token);
    const html = (await clp.get('/today')).html;
    expect(html).not.toContain('Take register');
    // Still a link, so a phone opening Today keeps that register for a day with no signal.
    expect(html).toMatch(/href="\/sessions\/\d+\/register">Register opens Mon 8 Mar, 10:00</);
    t.clock.set('2027-03-08T10:00:00Z');
    expect((await clp.get('/today')).html).toContain('Take register');
  });
});
