import { describe, expect, it } from 'vitest';
import { pagesAs } from './helpers/pages.js';
import { makeTestApp, seedGroup, TEST_PASSWORD, type TestApp } from './helpers/test-app.js';

const CHI = '0101901232';

async function person(t: TestApp, givenName: string, extra: object = {}) {
  return (await t.request('POST', '/api/v1/participants', { token: t.clp.token, body: { givenName, smsConsent: false, ...extra } })).body.id as number;
}

describe('impact pages without JavaScript', () => {
  it('a CLP takes a SWEMWBS on the participant page: errors beside the missing answers, then the score', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { group } = await seedGroup(t);
    const id = await person(t, 'Amira');
    await t.request('POST', `/api/v1/groups/${group.id}/enrolments`, { token: t.clp.token, body: { participantId: id } });
    const clp = await pagesAs(t, t.clp.token);
    expect((await clp.get('/reports')).html).toContain('baseline (enrolled 1 Mar 2027)');
    expect((await clp.get(`/participants/${id}`)).html).toContain('Take SWEMWBS');
    const form = await clp.get(`/participants/${id}/outcomes/new?measure=swemwbs`);
    expect(form.html).toContain('been feeling optimistic about the future');
    const answers = { item0: '4', item1: '3', item2: '3', item3: '3', item4: '3', item5: '3', takenOn: '2027-03-01' };
    const missing = await clp.post(`/participants/${id}/outcomes?measure=swemwbs`, answers);
    expect(missing.status).toBe(422);
    expect(missing.html).toContain('There is a problem');
    expect(missing.html).toContain('<title>Error: SWEMWBS');
    expect(missing.html).toContain('href="#item6"');
    expect(missing.html).toMatch(/value="4" checked/); // what was chosen is kept
    const saved = await clp.post(`/participants/${id}/outcomes?measure=swemwbs`, { ...answers, item6: '3' });
    expect(saved.status).toBe(303);
    expect(decodeURIComponent(saved.location!)).toContain('SWEMWBS saved: 19.98 (raw 22).');
    expect((await clp.get(`/participants/${id}`)).html).toContain('1 Mar 2027: SWEMWBS 19.98 (raw 22)');
    expect((await clp.get('/reports')).html).not.toContain('baseline (enrolled 1 Mar 2027)');
    expect((await clp.get('/reports/impact?from=2027-01-01&to=2027-03-01')).html).toContain('Who was reached');
  });

  it('an admin uploads a GP export with its own column names, sees row errors, and imports only the people in the service', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    await person(t, 'Amira', { chiNumber: CHI });
    const admin = await pagesAs(t, t.admin.token);
    const upload = async (csv: string, fields: Record<string, string>) => {
      const body = new FormData();
      body.set('_csrf', admin.csrf);
      body.set('file', new File([csv], 'export.csv', { type: 'text/csv' }));
      for (const [k, v] of Object.entries(fields)) body.set(k, v);
      const res = await t.app.request('/reports/gp-appointments', {
        method: 'POST',
        headers: { cookie: `clg_session=${t.admin.token}`, origin: 'http://localhost' },
        body,
      });
      return { status: res.status, html: await res.text(), location: res.headers.get('location') };
    };
    const bad = await upload(`CHI No,Start Date,End Date,Appts\n${CHI},2026-01-01,2025-01-01,4\n`, { action: 'preview' });
    expect(bad.status).toBe(422);
    expect(bad.html).toContain('to is before from');
    expect(bad.html).toContain('<title>Error: Check the GP appointment counts');
    const good = `CHI No,Start Date,End Date,Appts\n${CHI},2026-01-01,2026-12-31,4\n2002751234,2026-01-01,2026-12-31,9\n`;
    const preview = await upload(good, { action: 'preview' });
    expect(preview.status).toBe(200);
    expect(preview.html).toContain('2 rows: 2 correct, of which 1 are for people in this service (1 for others will not be stored)');
    expect(preview.html).toContain('Import 1 rows');
    const body = new FormData();
    body.set('_csrf', admin.csrf);
    body.set('csv', good);
    body.set('action', 'import');
    const res = await t.app.request('/reports/gp-appointments', {
      method: 'POST',
      headers: { cookie: `clg_session=${t.admin.token}`, origin: 'http://localhost' },
      body,
    });
    expect(res.status).toBe(303);
    expect(await t.db.selectFrom('gp_appointments').select(['chi_number', 'appointments']).execute()).toEqual([{ chi_number: CHI, appointments: 4 }]);
  });

  it('retention settings are saved, and inactive people are erased only after a confirmation page', async () => {
    const t = await makeTestApp('2025-01-01T09:00:00Z');
    const id = await person(t, 'Old');
    t.clock.set('2027-02-01T09:00:00Z');
    const token = (await t.request('POST', '/api/v1/auth/login', { body: { email: 'admin@possil.test', password: TEST_PASSWORD } })).body.token;
    const admin = await pagesAs(t, token);
    const page = await admin.get('/retention');
    expect(page.html).toContain('Erase these 1 people');
    expect(page.html).toContain('No archive is connected to this server, so audit events stay in the database.');
    const settings = { retentionTextMonths: '3', retentionInactiveMonths: '24', retentionAuditMonths: '36', attendanceThreshold: '60' };
    expect((await admin.post('/retention/settings', { ...settings, retentionTextMonths: '0' })).status).toBe(400);
    const tooSoon = await admin.post('/retention/settings', { ...settings, retentionAuditMonths: '5' });
    expect(tooSoon.status).toBe(400);
    expect(tooSoon.html).toContain('href="#retentionAuditMonths"');
    expect((await admin.post('/retention/settings', settings)).status).toBe(303);
    expect((await t.request('GET', '/api/v1/practice', { token })).body).toMatchObject({
      retentionTextMonths: 3,
      retentionAuditMonths: 36,
      attendanceThreshold: 0.6,
    });
    const confirm = await admin.post('/retention/confirm', { participantId: String(id) });
    expect(confirm.html).toContain('cannot be undone');
    expect((await t.db.selectFrom('participants').select('erased_at').where('id', '=', id).executeTakeFirstOrThrow()).erased_at).toBeNull();
    expect((await admin.post('/retention/erase', { participantId: String(id) })).status).toBe(303);
    expect((await t.db.selectFrom('participants').select('erased_at').where('id', '=', id).executeTakeFirstOrThrow()).erased_at).not.toBeNull();
  });
});

describe('the printed impact report', () => {
  it('the dose table has a caption; with no band to draw, the chart is a sentence, not an empty frame', async () => {
    const t = await makeTestApp('2027-06-30T12:00:00Z');
    await seedGroup(t);
    const page = await t.app.request('/reports/impact?from=2027-03-01&to=2027-06-30', { headers: { cookie: `clg_session=${t.clp.token}` } });
    const html = await page.text();
    expect(html).toMatch(/<table class="reflow dose"><caption>What changed for people in each band/);
    expect(html).not.toContain('<svg role="img" aria-labelledby="dose-chart-title');
    expect(html).toContain('Mean change in SWEMWBS with its 95% interval: no band has enough pairs of measures to draw yet.');
  });
});
