import { DateTime } from 'luxon';
import { apiCaller, line } from './bench-lib.js';
import { WORKERD_BENCH_VARS, workerdCpuMs } from './workerd-cpu.js';
import { stopWranglerDev, wranglerDev } from '../test/helpers/wrangler-dev.js';

/**
 * Issue 25, item 6: CPU per request on Workers, measured as the CPU the local workerd (the worker
 * and its local D1 together, so an upper bound of the worker's own) spends over many requests of
 * one kind, one at a time. Workers Free allows 10 ms of CPU an invocation, Paid 30 s by default.
 */
export async function workersBench(): Promise<void> {
  const vars = {
    ...WORKERD_BENCH_VARS,
    D1_QUERY_BUDGET: '1000',
  };
  const { dev, base } = await wranglerDev(vars);
  try {
    const api = apiCaller(base);
    const signIn = () => api('POST', '/api/v1/auth/login', undefined, { email: vars.ADMIN_EMAIL, password: vars.ADMIN_PASSWORD });
    const { token } = await signIn();
    const venue = await api('POST', '/api/v1/venues', token, { name: 'Springburn Park' });
    const group = await api('POST', '/api/v1/groups', token, {
      name: 'Health Walk',
      kind: 'health_walk',
      venueId: venue.id,
      capacity: 30,
      schedule: { frequency: 'weekly', weekdays: ['tue'], startTime: '10:00', durationMinutes: 60, startDate: DateTime.now().toISODate()! },
    });
    const ids: number[] = [];
    for (let i = 0; i < 30; i++) {
      const p = await api('POST', '/api/v1/participants', token, { givenName: `Walker${i}`, smsConsent: false });
      await api('POST', `/api/v1/groups/${group.id}/enrolments`, token, { participantId: p.id });
      ids.push(p.id);
    }
    const session = await api('POST', `/api/v1/groups/${group.id}/sessions`, token, { startsAt: DateTime.now().plus({ hours: 1 }).toUTC().toISO()! });
    const feeds: string[] = [];
    for (let i = 0; i < 20; i++)
      feeds.push(new URL((await api('POST', '/api/v1/calendar-feeds', token, { scope: 'practice', name: `Feed ${i}` })).url).pathname);
    const pgid = dev.pid!;
    let flip = 0;
    const measure = async (name: string, runs: number, one: (i: number) => Promise<unknown>, note = '') => {
      await one(0);
      const before = workerdCpuMs(pgid);
      const t0 = performance.now();
      for (let i = 1; i <= runs; i++) await one(i);
      const cpu = (workerdCpuMs(pgid) - before) / runs;
      const wall = (performance.now() - t0) / runs;
      line(name, `${cpu.toFixed(1)} ms CPU`, 'of Workers Free 10 ms', cpu / 10, `wall ${wall.toFixed(1)} ms, ${runs} runs${note ? `; ${note}` : ''}`);
    };
    console.log('\nWorkers (workerd + local D1, CPU of the worker and its database together, one request at a time)');
    await measure('sign-in (PBKDF2, 100,000 rounds)', 10, () => signIn());
    await measure('register save, 30 people', 50, () => {
      flip++;
      return api('PUT', `/api/v1/sessions/${session.id}/register`, token, {
        entries: ids.map((participantId, i) => ({ participantId, status: (i + flip) % 2 ? 'present' : 'late' })),
      });
    });
    await measure('register read, 30 people (unchanged)', 100, () => api('GET', `/api/v1/sessions/${session.id}/register`, token));
    await measure('cold feed (first render of a feed)', feeds.length - 1, (i) => fetch(`${base}${feeds[i]}`).then((r) => r.text()));
    await measure('impact report, a year', 20, () =>
      api('GET', `/api/v1/reports/impact?from=${DateTime.now().minus({ years: 1 }).toISODate()}&to=${DateTime.now().toISODate()}`, token),
    );
    await measure('cron pass (reminders, nothing new)', 20, () => fetch(`${base}/__scheduled?cron=*+*+*+*+*`).then((r) => r.text()));
  } finally {
    stopWranglerDev(dev);
  }
}
