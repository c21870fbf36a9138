import { describe, expect, it } from 'vitest';
import { makeTestApp } from './helpers/test-app.js';

const amira = {
  givenName: 'Amira',
  familyName: 'Haddad',
  phone: '07700 900123',
  smsConsent: true,
  smsConsentMethod: 'verbal',
  preferredLanguage: 'Arabic',
  interpreterNeeded: true,
};

describe('participants', () => {
  it('a CLP records someone with their mobile in E.164 and when and how they consented', async () => {
    const t = await makeTestApp();
    const res = await t.request('POST', '/api/v1/participants', { token: t.clp.token, body: amira });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      id: expect.any(Number),
      givenName: 'Amira',
      familyName: 'Haddad',
      phone: '+447700900123',
      smsConsent: true,
      smsConsentAt: '2027-03-01T09:00:00+00:00',
      smsConsentMethod: 'verbal',
      doNotText: false,
      preferredLanguage: 'ar',
      interpreterNeeded: true,
    });
    expect(Object.keys(res.body)).not.toContain('diagnosis');
    const found = await t.request('GET', '/api/v1/participants?q=hadd', { token: t.clp.token });
    expect(found.body.items.map((p: { id: number }) => p.id)).toEqual([res.body.id]);
    const byNumber = await t.request('GET', '/api/v1/participants?q=900123', { token: t.clp.token });
    expect(byNumber.body.items).toHaveLength(1);
  });

  it('changing one field leaves the others; withdrawing consent clears when it was given', async () => {
    const t = await makeTestApp();
    const { body: p } = await t.request('POST', '/api/v1/participants', { token: t.clp.token, body: amira });
    const res = await t.request('PATCH', `/api/v1/participants/${p.id}`, { token: t.clp.token, body: { smsConsent: false } });
    expect(res.body).toMatchObject({ givenName: 'Amira', familyName: 'Haddad', phone: '+447700900123', smsConsent: false, smsConsentAt: null });
    const dnt = await t.request('PATCH', `/api/v1/participants/${p.id}`, { token: t.clp.token, body: { doNotText: true } });
    expect(dnt.body).toMatchObject({ doNotText: true, preferredLanguage: 'ar' }); // a language's name is kept as its tag
  });

  it('rejects a malformed phone, wrong types and consent without a number, writing nothing', async () => {
    const t = await makeTestApp();
    const cases = [
      { ...amira, phone: '0141 552 1234' },
      { ...amira, phone: 'my mum has it' },
      { ...amira, smsConsent: 'yes' },
      { ...amira, givenName: '' },
      { givenName: 'Bob', smsConsent: true },
      { ...amira, gender: 'unknown-word' },
      { ...amira, preferredLanguage: 'the one with the curly letters' },
      { ...amira, preferredLanguage: 'fa_IR' },
    ];
    for (const body of cases) {
      const res = await t.request('POST', '/api/v1/participants', { token: t.clp.token, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    const phone = await t.request('POST', '/api/v1/participants', { token: t.clp.token, body: cases[0] });
    expect(phone.body.error.details[0]).toMatchObject({ path: 'phone', message: expect.stringMatching(/not a UK mobile/) });
    expect(await t.db.selectFrom('participants').selectAll().execute()).toEqual([]);
  });

  it('staff never see participant data', async () => {
    const t = await makeTestApp();
    const { body: p } = await t.request('POST', '/api/v1/participants', { token: t.clp.token, body: amira });
    for (const path of [
      '/api/v1/participants',
      `/api/v1/participants/${p.id}`,
      `/api/v1/participants/${p.id}/export`,
      '/api/v1/reports/attendance',
      '/api/v1/check-ins',
    ]) {
      expect((await t.request('GET', path, { token: t.staff.token })).status, path).toBe(403);
    }
  });

  it("another practice's participants are a 404 and never listed", async () => {
    const t = await makeTestApp();
    const { body: theirs } = await t.request('POST', '/api/v1/participants', { token: t.otherAdmin.token, body: amira });
    expect((await t.request('GET', `/api/v1/participants/${theirs.id}`, { token: t.admin.token })).status).toBe(404);
    expect((await t.request('PATCH', `/api/v1/participants/${theirs.id}`, { token: t.admin.token, body: { givenName: 'X' } })).status).toBe(404);
    expect((await t.request('GET', `/api/v1/participants/${theirs.id}/export`, { token: t.admin.token })).status).toBe(404);
    expect((await t.request('POST', `/api/v1/participants/${theirs.id}/erase`, { token: t.admin.token })).status).toBe(404);
    expect((await t.request('GET', '/api/v1/participants', { token: t.admin.token })).body.items).toEqual([]);
    expect((await t.request('GET', `/api/v1/participants/${theirs.id}`, { token: t.otherAdmin.token })).body.givenName).toBe('Amira');
  });

  it('every read and change of participant data is in the audit log, which only admins can see', async () => {
    const t = await makeTestApp();
    const { body: p } = await t.request('POST', '/api/v1/participants', { token: t.clp.token, body: amira });
    await t.request('GET', `/api/v1/participants/${p.id}`, { token: t.clp.token });
    await t.request('PATCH', `/api/v1/participants/${p.id}`, { token: t.clp.token, body: { accessNeeds: 'Uses a walking stick' } });
    const log = await t.request('GET', `/api/v1/audit-events?participantId=${p.id}`, { token: t.admin.token });
    expect(log.body.items.map((e: { action: string }) => e.action)).toEqual(['update', 'read', 'create']);
    expect(log.body.items[0].user).toEqual({ id: t.clp.id, name: expect.any(String) });
    expect((await t.request('GET', '/api/v1/audit-events', { token: t.clp.token })).status).toBe(403);
  });
});
