import { describe, expect, it } from 'vitest';
import { outboundMessage } from '../src/sms/outbox/outbox.js';
import { pagesAs } from './helpers/pages.js';
import { makeTestApp } from './helpers/test-app.js';

describe('the messages page', () => {
  it('shows replies, sent and waiting texts apart, 50 to a page, with counts', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    const now = t.clock.now().getTime();
    const sent = Array.from({ length: 60 }, (_, i) =>
      outboundMessage(now, {
        practice_id: t.practice.id,
        kind: 'adhoc',
        dedupe_key: `s${i}`,
        participant_id: null,
        to_number: '+447700900001',
        body: `Sent text ${i}`,
        status: 'sent',
        sent_at: now + i,
      }),
    );
    const queued = Array.from({ length: 3 }, (_, i) =>
      outboundMessage(now, {
        practice_id: t.practice.id,
        kind: 'reminder',
        dedupe_key: `q${i}`,
        participant_id: null,
        to_number: '+447700900001',
        body: `Queued text ${i}`,
        due_at: now + 86_400_000 * (3 - i),
      }),
    );
    await t.db
      .insertInto('messages')
      .values([...sent, ...queued])
      .execute();
    const clp = await pagesAs(t, t.clp.token);
    const replies = await clp.get('/messages');
    expect(replies.html).toContain('No replies yet.');
    expect(replies.html).toContain('Sent texts (60)');
    expect(replies.html).toContain('Texts waiting to go (3)');
    const first = await clp.get('/messages?show=sent');
    expect(first.html).toContain('Sent text 59');
    expect(first.html).not.toContain('Sent text 9<');
    expect(first.html).toContain('Page 1 of 2');
    const second = await clp.get('/messages?show=sent&page=2');
    expect(second.html).toContain('Sent text 9<');
    expect(second.html).not.toContain('Queued text');
    const waiting = await clp.get('/messages?show=queued');
    expect(waiting.html.indexOf('Queued text 2')).toBeLessThan(waiting.html.indexOf('Queued text 0')); // soonest first
    expect((await clp.get('/messages?show=nonsense&page=-4')).status).toBe(200);
  });
});
