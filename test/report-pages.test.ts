import { describe, expect, it } from 'vitest';
import { pagesAs } from './helpers/pages.js';
import { makeTestApp, seedGroup } from './helpers/test-app.js';

describe('the reports page', () => {
  it('makes a quarterly return from a chosen period and group, and its downloads cover the same', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const { group } = await seedGroup(t);
    await seedGroup(t, { name: 'Chair Yoga', kind: 'chair_yoga' });
    const clp = await pagesAs(t, t.clp.token);
    const page = await clp.get(`/reports?from=2027-01-01&to=2027-03-31&groupId=${group.id}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('1 Jan 2027 to 31 Mar 2027, Tuesday Health Walk');
    expect(page.html).toContain(`/api/v1/reports/attendance.csv?from=2027-01-01&amp;to=2027-03-31&amp;groupId=${group.id}`);
    expect(page.html).toContain('data-label="Group">Tuesday Health Walk');
    expect(page.html).not.toContain('data-label="Group">Chair Yoga');
    // Ready-made periods: quarters and the April-to-March financial year.
    expect(page.html).toContain(`href="/reports?from=2026-04-01&amp;to=2027-03-31&amp;groupId=${group.id}">This financial year`);
    expect(page.html).toContain('href="/reports?from=2026-10-01&amp;to=2026-12-31');
    // Without a choice: the last six months, all groups, in UK dates.
    expect((await clp.get('/reports')).html).toContain('1 Oct 2026 to 1 Mar 2027, all groups');
  });

  it('a period that cannot be read comes back with the problem beside the field', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    await seedGroup(t);
    const clp = await pagesAs(t, t.clp.token);
    // Dates are typed as day, month and year (GOV.UK); 31 February comes back as typed, beside its field.
    const bad = await clp.get('/reports?from-day=31&from-month=2&from-year=2027&to-day=31&to-month=3&to-year=2027');
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('There is a problem');
    expect(bad.html).toContain('href="#from"');
    expect(bad.html).toContain('Enter the first day as day, month and year, like 1 4 2026');
    expect(bad.html).toMatch(/id="from" name="from-day"[^>]*value="31"/);
    expect(bad.html).toMatch(/id="from-month" name="from-month"[^>]*value="2"/);
    for (const box of ['from-day', 'from-month', 'from-year', 'to-day', 'to-month', 'to-year']) expect(bad.html).toContain(`name="${box}"`);
    expect(bad.html).not.toContain('type="date"');
    // A link with whole dates (This quarter, Last quarter) still reads.
    expect((await clp.get('/reports?from=2027-01-01&to=2027-03-31')).status).toBe(200);
    const backwards = await clp.get('/reports?from=2027-03-31&to=2027-01-01');
    expect(backwards.status).toBe(400);
    expect(backwards.html).toContain('The first day must be on or before the last day');
    expect((await clp.get('/reports?groupId=99999')).html).toContain('Choose a group from the list');
  });
});

describe('practice settings', () => {
  it('an admin sets the practice code and the attendance threshold there; a wrong code is refused beside its field', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const admin = await pagesAs(t, t.admin.token);
    const form = await admin.get('/practice/settings');
    expect(form.status).toBe(200);
    const bad = await admin.post('/practice/settings', { name: 'Possilpark Health Centre', code: 'GP 123!', threshold: '50' });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('href="#code"');
    expect(bad.html).toContain('value="GP 123!"');
    const badThreshold = await admin.post('/practice/settings', { name: 'Possilpark Health Centre', code: 'GP-123', threshold: '150' });
    expect(badThreshold.html).toContain('whole number from 0 to 100');
    const ok = await admin.post('/practice/settings', { name: 'Possilpark Health Centre', code: 'GP-123', threshold: '60' });
    expect(ok.status).toBe(303);
    const p = await t.request('GET', '/api/v1/practice', { token: t.admin.token });
    expect(p.body).toMatchObject({ code: 'GP-123', attendanceThreshold: 0.6 });
    expect((await (await pagesAs(t, t.clp.token)).get('/practice/settings')).status).toBe(403);
  });
});
