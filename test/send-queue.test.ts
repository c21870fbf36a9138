import { describe, expect, it } from 'vitest';
import { QueryBudget, withQueryBudget } from '../src/db/query-budget.js';
import { runReminders } from '../src/sms/outbox/run-reminders.js';
import { drainDue, textsPerInvocation, type DrainMessage, type SendQueue } from '../src/sms/outbox/send-queue.js';
import { groupWithPeople, outbox } from './helpers/sms-setup.js';
import { makeTestApp, type TestApp } from './helpers/test-app.js';

/** A queue that keeps what it was asked for, to be delivered by the test as Cloudflare would. */
class HeldQueue implements SendQueue {
  readonly held: DrainMessage[] = [];
  asked = 0;
  async sendBatch(messages: { body: DrainMessage }[]) {
    this.asked += messages.length;
    this.held.push(...messages.map((m) => m.body));
  }
}

const BUDGET = 50; // Workers Free
const deps = (t: TestApp) => ({
  db: t.db,
  sms: t.sms,
  clock: t.clock,
  templates: t.templates,
  statusCallbackUrl: 'https://groups.example.org/webhooks/twilio/status',
});

describe('the send queue (the morning peak on Workers)', () => {
  it('a pass within 50 queries asks for enough invocations for what it cannot send, and their drains send every text once', async () => {
    const t = await makeTestApp('2027-03-01T10:00:00Z');
    const people = Array.from({ length: 30 }, (_, i) => ({ givenName: `Walker ${i}` }));
    await groupWithPeople(t, people, { capacity: 40 });
    const queue = new HeldQueue();
    const result = await withQueryBudget(new QueryBudget(BUDGET), () => runReminders({ ...deps(t), sendQueue: { queue, budget: BUDGET } }));
    // What the pass could not send itself was asked of the queue, a few texts an invocation.
    const left = 30 - result.sent;
    expect(left).toBeGreaterThan(textsPerInvocation(BUDGET));
    expect(result.drains).toBeGreaterThanOrEqual(Math.ceil((left - textsPerInvocation(BUDGET)) / textsPerInvocation(BUDGET)));
    // Delivered as Cloudflare would: each message one invocation with its own budget, in any order, one of them twice.
    let invocations = 0;
    queue.held.push({ drain: true });
    while (queue.held.length > 0 && invocations < 50) {
      queue.held.shift();
      invocations++;
      await withQueryBudget(new QueryBudget(BUDGET), () => drainDue(deps(t), queue));
    }
    const welcomes = await outbox(t, 'welcome');
    expect(welcomes.map((m) => m.status)).toEqual(Array(30).fill('sent'));
    // Each text once: as many sends as texts sent, to as many numbers as people for each kind.
    const sent = (await outbox(t)).filter((m) => m.status === 'sent');
    expect(t.sms.sent).toHaveLength(sent.length);
    expect(new Set(t.sms.sent.map((s) => `${s.to}|${s.body}`)).size).toBe(sent.length);
    // Nothing left to wake for: the last drain found nothing due and asked for no more.
    expect(queue.held).toEqual([]);
  });

  it('a pass with nothing beyond its own share asks the queue for nothing (Workers Free counts queue operations)', async () => {
    const t = await makeTestApp('2027-03-01T10:00:00Z');
    await groupWithPeople(t, [{ givenName: 'Ann' }, { givenName: 'Bea' }]);
    const queue = new HeldQueue();
    const result = await withQueryBudget(new QueryBudget(1000), () => runReminders({ ...deps(t), sendQueue: { queue, budget: 1000 } }));
    expect(result.sent).toBeGreaterThanOrEqual(2);
    expect((await outbox(t)).filter((m) => m.status === 'pending' && m.due_at <= t.clock.now().getTime())).toEqual([]);
    expect(queue.asked).toBe(0);
  });
});
