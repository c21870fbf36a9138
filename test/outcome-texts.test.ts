import { describe, expect, it } from 'vitest';
import { happinessAnswer } from '../src/outcomes/outcome-questions.js';
import { pass } from './helpers/sms-setup.js';
import { pagesAs } from './helpers/pages.js';
import { makeTestApp, seedGroup, type TestApp } from './helpers/test-app.js';
import { inboundText } from './helpers/twilio-webhook.js';

const phone = (i: number) => `+4477009001${String(i).padStart(2, '0')}`;

/** People who agreed to be asked by text, placed in a walk on Monday 1 March 2027 at 11:00 (GMT). */
async function placed(t: TestApp, people: { givenName: string; preferredLanguage?: string; outcomeTextConsent?: boolean }[]) {
  const { group } = await seedGroup(t, { capacity: null });
  const ids: number[] = [];
  for (const [i, p] of people.entries()) {
    const res = await t.request('POST', '/api/v1/participants', {
      token: t.clp.token,
      body: { phone: phone(i), smsConsent: true, outcomeTextConsent: true, ...p },
    });
    expect(res.status).toBe(201);
    ids.push(res.body.id);
    await t.request('POST', `/api/v1/groups/${group.id}/enrolments`, { token: t.clp.token, body: { participantId: res.body.id } });
  }
  return { group, ids };
}

const questions = (t: TestApp) => t.sms.sent.filter((m) => /how happy|szczęśliwy|بالسعادة/.test(m.body));
const outcomes = async (t: TestApp, id: number) => (await t.request('GET', `/api/v1/participants/${id}/outcomes`, { token: t.clp.token })).body.items;
const asks = async (t: TestApp, on: boolean) =>
  expect((await t.request('PATCH', '/api/v1/practice', { token: t.admin.token, body: { outcomeTexts: on } })).status).toBe(200);

describe('outcomes by text: the happiness question, from everyone, including those who stop coming', () => {
  it('asked in their language when placed and 8 weeks later (after they left), and a number back is recorded and reported', async () => {
    const t = await makeTestApp('2027-03-01T11:00:00Z');
    await asks(t, true);
    const names = ['Amira', 'Brian', 'Chloe', 'Dev', 'Ewa'];
    const { group, ids } = await placed(
      t,
      names.map((givenName, i) => ({ givenName, ...(i === 4 ? { preferredLanguage: 'pl' } : {}) })),
    );
    await pass(t);
    const first = questions(t);
    expect(first.map((m) => m.to).sort()).toEqual(ids.map((_, i) => phone(i)).sort());
    expect(first.find((m) => m.to === phone(0))!.body).toMatch(/^Hi Amira, .*Overall, how happy did you feel yesterday\? Reply with a number from 0/);
    expect(first.find((m) => m.to === phone(4))!.body).toMatch(/szczęśliwy/);
    // A second pass asks nobody twice.
    await pass(t);
    expect(questions(t)).toHaveLength(5);

    t.clock.set('2027-03-01T15:00:00Z');
    const before = [4, 5, 3, 6, 2];
    for (const [i, v] of before.entries()) await inboundText(t, phone(i), i === 2 ? '٣' : ` ${v} `);
    expect(await outcomes(t, ids[0]!)).toEqual([expect.objectContaining({ measure: 'happiness', value: 4, source: 'sms', takenOn: '2027-03-01' })]);
    // Arabic-Indic digits count as the number they are.
    expect((await outcomes(t, ids[2]!))[0]).toMatchObject({ value: 3 });
    // A second number to the same question is not a second answer: it waits in the inbox.
    await inboundText(t, phone(0), '9');
    expect(await outcomes(t, ids[0]!)).toHaveLength(1);

    // They all stop coming: withdrawn, never marked. Eight weeks on (after the clocks went forward) they are asked again.
    for (const id of ids) await t.request('DELETE', `/api/v1/groups/${group.id}/enrolments/${id}`, { token: t.clp.token });
    t.clock.set('2027-04-26T09:30:00Z'); // 10:30 BST, eight weeks to the hour (local) after 11:00 GMT
    await pass(t);
    expect(questions(t)).toHaveLength(5);
    t.clock.set('2027-04-26T10:00:00Z');
    await pass(t);
    expect(questions(t)).toHaveLength(10);
    t.clock.set('2027-04-27T12:00:00Z');
    const after = [7, 8, 5, 9, 6];
    for (const [i, v] of after.entries()) await inboundText(t, phone(i), String(v));
    expect((await outcomes(t, ids[3]!)).map((o: { value: number }) => o.value)).toEqual([6, 9]);

    const r = (await t.request('GET', '/api/v1/reports/impact?from=2027-03-01&to=2027-05-31', { token: t.clp.token })).body;
    // Changes 3, 3, 2, 3, 4: mean 3; squared deviations 0+0+1+0+1 = 2, / 4 = 0.5, sd 0.7071; se 0.3162; t(4) 2.7764: ±0.878.
    expect(r.byDose.find((b: { band: string }) => b.band === '0').happiness).toEqual({ n: 5, baseline: 4, change: 3, ci95: [2.12, 3.88] });
    expect(r.method.join(' ')).toMatch(/happy did you feel yesterday.*whether or not they still came/);
    const page = await (await pagesAs(t, t.clp.token)).get('/reports/impact?from=2027-03-01&to=2027-05-31');
    expect(page.html).toContain('Happiness by text, 0-10 (95% interval)');
    expect(page.html).toContain('+3 (2.12 to 3.88)');
  });

  it('daytime only: placed in the evening, asked at 10:00 the next day; not without consent or with the practice not asking', async () => {
    const t = await makeTestApp('2027-03-01T19:30:00Z');
    await asks(t, true);
    await placed(t, [{ givenName: 'Amira' }, { givenName: 'Brian', outcomeTextConsent: false }]);
    await pass(t);
    expect(questions(t)).toHaveLength(0);
    t.clock.set('2027-03-02T10:00:00Z');
    await pass(t);
    expect(questions(t).map((m) => m.to)).toEqual([phone(0)]);

    const off = await makeTestApp('2027-03-01T11:00:00Z');
    await placed(off, [{ givenName: 'Chloe' }]);
    await pass(off);
    expect(questions(off)).toHaveLength(0);
  });

  it('C and STOP keep their meanings, other words go to the inbox, and a number after 3 days is not an answer', async () => {
    const t = await makeTestApp('2027-03-01T11:00:00Z');
    await asks(t, true);
    const { ids } = await placed(t, [{ givenName: 'Amira' }, { givenName: 'Brian' }, { givenName: 'Chloe' }]);
    await pass(t);
    await inboundText(t, phone(0), 'STOP');
    await inboundText(t, phone(1), '7 thanks love');
    expect((await t.db.selectFrom('participants').select('opted_out_at').where('id', '=', ids[0]!).executeTakeFirstOrThrow()).opted_out_at).not.toBeNull();
    expect(await outcomes(t, ids[1]!)).toEqual([]);
    const inbox = (await t.request('GET', '/api/v1/messages?direction=inbound', { token: t.clp.token })).body.items;
    expect(inbox.map((m: { body: string }) => m.body)).toContain('7 thanks love');
    t.clock.set('2027-03-04T11:30:00Z');
    await inboundText(t, phone(2), '5');
    expect(await outcomes(t, ids[2]!)).toEqual([]);
  });

  it('reads a reply as an answer only when it is a whole number from 0 to 10', () => {
    for (const [body, value] of [
      ['0', 0],
      ['10', 10],
      [' 7. ', 7],
      ['۸', 8],
      ['١٠', 10],
    ] as const)
      expect(happinessAnswer(body)).toBe(value);
    for (const body of ['11', '7.5', '-1', 'seven', '7 thanks', 'C', '']) expect(happinessAnswer(body)).toBeUndefined();
  });
});
