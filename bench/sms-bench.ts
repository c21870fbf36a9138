import { ManualClock } from '../src/lib/time/clock.js';
import { claimDue, dispatchDue } from '../src/sms/outbox/dispatcher.js';
import { loadTemplates } from '../src/sms/wording/node-templates.js';
import { TwilioTransport } from '../src/sms/twilio/twilio-transport.js';
import { TwilioDouble } from '../test/helpers/twilio-double.js';
import { benchDb, line, medianMs } from './bench-lib.js';

const DISPATCH = 10_000;

/**
 * Issue 4: dispatch 10,000 due texts through the Twilio transport against the local double
 * (floor: the same sends with no outbox around them), and the claim query's cost as the
 * outbox grows from 10k to 1M rows (floor: a primary-key lookup on the same table).
 */
export async function smsBench(): Promise<void> {
  const double = await new TwilioDouble().start();
  const sms = new TwilioTransport({ accountSid: double.accountSid, authToken: double.authToken, from: '+447700900999', apiBaseUrl: double.baseUrl });
  try {
    const { db, sqlite } = await benchDb();
    const now = Date.parse('2027-03-02T10:00:00Z');
    sqlite.exec(`INSERT INTO practices (id, name, timezone, created_at) VALUES (1, 'Bench', 'Europe/London', ${now});
      INSERT INTO venues (id, practice_id, name, created_at, updated_at) VALUES (1, 1, 'Park', ${now}, ${now});
      INSERT INTO community_groups (id, practice_id, name, kind, venue_id, frequency, weekdays, start_time, duration_minutes, start_date, created_at, updated_at)
        VALUES (1, 1, 'Walk', 'health_walk', 1, 'weekly', 'tue', '10:00', 60, '2027-03-02', ${now}, ${now});`);
    // The dispatcher checks each text against its person and enrolment at send time: 1,000 people, all enrolled.
    const person = sqlite.prepare(
      `INSERT INTO participants (id, practice_id, given_name, phone, sms_consent, created_at, updated_at) VALUES (?, 1, 'P', ?, 1, ${now}, ${now})`,
    );
    const enrol = sqlite.prepare(
      `INSERT INTO enrolments (practice_id, group_id, participant_id, status, requested_at, created_at, updated_at) VALUES (1, 1, ?, 'active', ${now}, ${now}, ${now})`,
    );
    const insert =
      sqlite.prepare(`INSERT INTO messages (practice_id, direction, kind, dedupe_key, to_number, body, status, due_at, created_at, updated_at, participant_id, group_id)
      VALUES (1, 'outbound', 'adhoc', ?, ?, ?, ?, ?, ${now}, ${now}, ?, 1)`);
    sqlite.transaction(() => {
      for (let i = 0; i < 1000; i++) {
        person.run(i + 1, `+447700${String(900000 + i)}`);
        enrol.run(i + 1);
      }
      for (let i = 0; i < DISPATCH; i++)
        insert.run(
          `bench:${i}`,
          `+447700${String(900000 + (i % 1000))}`,
          `Bench reminder ${i}: your Tuesday group is Tue 2 Mar at 10:00.`,
          'pending',
          now - 1000,
          (i % 1000) + 1,
        );
    })();

    const floorStart = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < DISPATCH) {
          const i = next++;
          await sms.send({ to: '+447700900001', body: `floor ${i}` });
        }
      }),
    );
    const floorS = (performance.now() - floorStart) / 1000;

    const clock = new ManualClock(new Date(now));
    const t0 = performance.now();
    const r = await dispatchDue({ db, sms, clock, templates: loadTemplates(), budgetMs: 10 * 60_000 });
    const dispatchS = (performance.now() - t0) / 1000;
    console.log(`\nSMS dispatch: ${DISPATCH} due texts, Twilio SDK transport → local Twilio double, 8 in flight`);
    line('floor: bare transport sends, no outbox', `${(DISPATCH / floorS).toFixed(0)} msg/s`, 'floor', 1);
    line(
      'dispatcher: claim, check, send, record',
      `${(r.sent / dispatchS).toFixed(0)} msg/s`,
      'floor',
      floorS / dispatchS,
      `${r.sent} sent, ${r.retried + r.failed + r.unknown} not`,
    );

    // Claim cost as history grows: pending rows stay few, sent rows pile up.
    const pk = sqlite.prepare('SELECT id FROM messages WHERE id = ?');
    const sizes = [10_000, 100_000, 1_000_000];
    let rows = Number((sqlite.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n);
    console.log(`\nClaim query (claim 8 due of 100 pending) as the outbox grows`);
    let firstClaim = 0;
    for (const size of sizes) {
      sqlite.transaction(() => {
        for (; rows < size; rows++) insert.run(`hist:${rows}`, '+447700900001', 'old text', 'sent', now - 86_400_000 - rows, 1);
      })();
      sqlite.exec(`UPDATE messages SET status = 'sent' WHERE status <> 'sent'`);
      sqlite.exec(`UPDATE messages SET status = 'pending', due_at = ${now - 1000} WHERE id IN (SELECT id FROM messages ORDER BY id DESC LIMIT 100)`);
      sqlite.exec('ANALYZE');
      const claim = await medianMs(
        async () => {
          const claimed = await claimDue(db, now, 8);
          sqlite.prepare(`UPDATE messages SET status = 'pending' WHERE id IN (${claimed.map((c) => c.id).join(',') || 0})`).run();
        },
        200,
        20,
      );
      const floor = await medianMs(() => pk.get(Math.floor(Math.random() * size) + 1), 200, 20);
      if (!firstClaim) firstClaim = claim;
      line(
        `claim at ${size.toLocaleString('en-GB')} rows`,
        `${(claim * 1000).toFixed(0)} µs`,
        'pk lookup',
        claim / floor,
        `${(claim / firstClaim).toFixed(2)}× the 10k figure`,
      );
    }
    const plan = sqlite.prepare(`EXPLAIN QUERY PLAN SELECT id FROM messages WHERE status = 'pending' AND due_at <= ? ORDER BY due_at LIMIT 8`).all(now) as {
      detail: string;
    }[];
    console.log(`claim plan: ${plan.map((p) => p.detail).join('; ')}`);
    await db.destroy();
  } finally {
    await double.stop();
  }
}
