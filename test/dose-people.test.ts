import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { peopleByDose } from '../src/reports/impact/dose-people.js';
import { practiceWith } from './helpers/dose-people.js';
import { makeTestApp } from './helpers/test-app.js';

/** Tuesdays from `from` to `to` (local dates, both included), as a CLP would count them on a calendar. */
function tuesdays(from: string, to: string, except: string[] = []): number {
  let n = 0;
  for (let d = DateTime.fromISO(from); d <= DateTime.fromISO(to); d = d.plus({ days: 1 })) if (d.weekday === 2 && !except.includes(d.toISODate()!)) n++;
  return n;
}

describe("a person's sessions in the report's period", () => {
  it('counts only the sessions inside the period, whichever end they run past, with a cancelled session left out', async () => {
    const t = await makeTestApp('2027-03-01T09:00:00Z');
    // Every Tuesday walk from 2 March 2027 to 29 February 2028: 53 of them.
    await practiceWith(t, t.practice.id, t.clp.token, [{ sessions: 53 }], 1);
    const all = await t.db.selectFrom('sessions').select(['id', 'starts_at']).orderBy('starts_at').execute();
    const cancelled = all.find((s) => new Date(s.starts_at).toISOString().startsWith('2027-06-15'))!;
    await t.db.updateTable('sessions').set({ status: 'cancelled' }).where('id', '=', cancelled.id).execute();
    t.clock.set('2028-03-01T09:00:00Z');
    const practice = { id: t.practice.id, timezone: 'Europe/London' };
    const now = t.clock.now().getTime();
    const sessionsIn = async (from: string, to: string) => (await peopleByDose(t.db, practice, now, { from, to })).map((p) => p.sessions);

    expect(await sessionsIn('2027-03-01', '2028-02-29')).toEqual([tuesdays('2027-03-01', '2028-02-29', ['2027-06-15'])]); // all of them: 52
    // Most of the year: the few weeks outside are what is taken off.
    expect(await sessionsIn('2027-04-01', '2028-01-31')).toEqual([tuesdays('2027-04-01', '2028-01-31', ['2027-06-15'])]);
    // A month: the weeks inside are what is counted.
    expect(await sessionsIn('2027-06-01', '2027-06-30')).toEqual([tuesdays('2027-06-01', '2027-06-30', ['2027-06-15'])]); // 5 Tuesdays, one cancelled: 4
    // Running past the start only, and past the end only.
    expect(await sessionsIn('2027-01-01', '2027-03-31')).toEqual([tuesdays('2027-03-01', '2027-03-31')]);
    expect(await sessionsIn('2028-02-01', '2028-04-30')).toEqual([tuesdays('2028-02-01', '2028-02-29')]);
    expect(await sessionsIn('2027-03-15', '2028-04-30')).toEqual([tuesdays('2027-03-15', '2028-02-29', ['2027-06-15'])]); // two weeks taken off
  });
});
