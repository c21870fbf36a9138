import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { ManualClock } from '../src/lib/time/clock.js';
import { loadTemplates } from '../src/sms/wording/node-templates.js';
import { bootstrapAdmin } from '../src/users/users-service.js';
import { freshDb, testConfig } from './helpers/test-app.js';

const CODE = 'a-setup-code-long-enough';

async function emptyServer() {
  const { db } = await freshDb();
  const clock = new ManualClock('2027-03-01T09:00:00Z');
  const app = createApp({ db, clock, config: { ...testConfig, setupCode: CODE }, templates: loadTemplates() });
  const submit = (email: string, practiceName = 'Possilpark Health Centre') =>
    app.request('/setup', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost' },
      body: new URLSearchParams({ code: CODE, practiceName, name: 'First Admin', email, password: 'a long first password' }).toString(),
    });
  const counts = async () => ({
    practices: (await db.selectFrom('practices').select('id').execute()).length,
    programmeAdmins: (await db.selectFrom('users').select('id').where('programme_role', '=', 'programme_admin').execute()).length,
    users: (await db.selectFrom('users').select('id').execute()).length,
  });
  return { db, clock, app, submit, counts };
}

describe('the first run happens once', () => {
  it('20 setup submissions at once make one practice and one programme admin; the double-clicker is simply signed in', async () => {
    const s = await emptyServer();
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => s.submit(i % 2 ? 'first@possil.test' : `someone${i}@possil.test`, `Practice ${i}`)));
    expect(await s.counts()).toEqual({ practices: 1, programmeAdmins: 1, users: 1 });
    const winner = (await s.db.selectFrom('users').select('email').executeTakeFirstOrThrow()).email;
    for (const [i, res] of answers.entries()) {
      const email = i % 2 ? 'first@possil.test' : `someone${i}@possil.test`;
      // Only the one who made it is signed in; anyone else is told it is set up (or, in this flood, to wait).
      if (email !== winner) expect([404, 429]).toContain(res.status);
      else expect([303, 429]).toContain(res.status);
    }
    expect(answers.some((res) => res.status === 303)).toBe(true);
    // The link is dead afterwards.
    expect((await s.app.request(`/setup?code=${CODE}`)).status).toBe(404);
  });

  it('a double click on the setup form makes one practice and signs the person in, twice', async () => {
    const s = await emptyServer();
    const [a, b] = await Promise.all([s.submit('first@possil.test'), s.submit('first@possil.test')]);
    expect([a.status, a.headers.get('location'), b.status, b.headers.get('location')]).toEqual([303, '/today', 303, '/today']);
    expect(await s.counts()).toEqual({ practices: 1, programmeAdmins: 1, users: 1 });
  });

  it('ADMIN_EMAIL bootstraps racing each other (Workers isolates) make one admin, and never a second later', async () => {
    const s = await emptyServer();
    const made = await Promise.all(
      Array.from({ length: 8 }, () => bootstrapAdmin(s.db, s.clock, { email: 'boot@possil.test', password: 'a long first password' }, 1000)),
    );
    expect(made.filter(Boolean)).toHaveLength(1);
    expect(await s.counts()).toEqual({ practices: 1, programmeAdmins: 1, users: 1 });
    expect(await bootstrapAdmin(s.db, s.clock, { email: 'other@possil.test', password: 'a long first password' }, 1000)).toBe(false);
    expect(await s.counts()).toEqual({ practices: 1, programmeAdmins: 1, users: 1 });
  });
});

describe('the first screen a practice manager sees', () => {
  it('a short password comes back as the GOV.UK pattern: "Error:" in the title, a summary linking to the field, the message beside it once, values kept but not the password', async () => {
    const s = await emptyServer();
    const res = await s.app.request('/setup', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost' },
      body: new URLSearchParams({
        code: CODE,
        practiceName: 'Possilpark Health Centre',
        name: 'First Admin',
        email: 'first@possil.test',
        password: 'short',
      }).toString(),
    });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toMatch(/<title>Error: Set up Community Links Groups/);
    expect(html).toContain('<a href="#password">Enter a password of at least 10 characters</a>');
    expect(html).toMatch(/id="password-error"[^>]*>.*Enter a password of at least 10 characters/s);
    expect(html).toContain('aria-describedby="password-error"');
    expect(html.split('at least 10 characters</').length - 1).toBe(2); // the summary and beside the field, no more
    expect(html).not.toMatch(/Too small|expected string|password:/);
    expect(html).toContain('value="Possilpark Health Centre"');
    expect(html).not.toContain('value="short"');
    expect(await s.counts()).toEqual({ practices: 0, programmeAdmins: 0, users: 0 });
  });

  it('without a setup code (Workers before the secret is set) the page says to set SETUP_CODE, not to look for a printed link', async () => {
    const { db } = await freshDb();
    const app = createApp({ db, clock: new ManualClock('2027-03-01T09:00:00Z'), config: testConfig, templates: loadTemplates() });
    const res = await app.request('/setup?code=anything');
    expect(res.status).toBe(403);
    const html = await res.text();
    expect(html).toContain('SETUP_CODE');
    expect(html).not.toContain('printed');
  });
});
