import { runReminders } from '../../src/sms/outbox/run-reminders.js';
import type { SmsTransport } from '../../src/sms/twilio/transport.js';
import { seedGroup, type TestApp } from './test-app.js';

export interface PersonSpec {
  givenName: string;
  phone?: string;
  smsConsent?: boolean;
  doNotText?: boolean;
}

/** A Tuesday 10:00 walk (capacity 12) with the given people enrolled; returns ids and upcoming sessions. */
export async function groupWithPeople(t: TestApp, people: PersonSpec[], groupOverrides: Record<string, unknown> = {}) {
  const { group } = await seedGroup(t, groupOverrides);
  const ids: number[] = [];
  for (const [i, p] of people.entries()) {
    const res = await t.request('POST', '/api/v1/participants', {
      token: t.clp.token,
      body: { phone: `07700 900${String(i + 1).padStart(3, '0')}`, smsConsent: true, ...p },
    });
    if (res.status !== 201) throw new Error(res.text);
    ids.push(res.body.id);
    await t.request('POST', `/api/v1/groups/${group.id}/enrolments`, { token: t.clp.token, body: { participantId: res.body.id } });
  }
  const sessions: { id: number; startsAt: string }[] = (
    await t.request('GET', `/api/v1/groups/${group.id}/sessions?from=2027-03-01&to=2027-12-31`, { token: t.clp.token })
  ).body.items;
  return { group, ids, sessions };
}

export function pass(t: TestApp, sms: SmsTransport = t.sms) {
  return runReminders({
    db: t.db,
    sms,
    clock: t.clock,
    templates: t.templates,
    statusCallbackUrl: 'https://groups.example.org/webhooks/twilio/status',
    auditArchive: t.auditArchive,
  });
}

export async function outbox(t: TestApp, kind?: string) {
  let q = t.db.selectFrom('messages').selectAll().where('direction', '=', 'outbound');
  if (kind) q = q.where('kind', '=', kind as 'reminder');
  return q.orderBy('due_at').orderBy('id').execute();
}
