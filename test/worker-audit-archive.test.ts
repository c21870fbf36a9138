import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchJson } from './helpers/http.js';
import { runWrangler, stopWranglerDev, wranglerDev } from './helpers/wrangler-dev.js';

let dev: ChildProcess | undefined;
let base = '';
let persist = '';
let config: string[] = [];
let log = '';

beforeAll(async () => {
  const vars = {
    ADMIN_EMAIL: 'admin@archive.test',
    ADMIN_PASSWORD: 'archive admin password',
    PRACTICE_NAME: 'Archive Practice',
    PUBLIC_BASE_URL: 'https://groups.example.org',
    D1_QUERY_BUDGET: '50',
  };
  ({ dev, base, persist, config } = await wranglerDev(vars, (text) => (log += text), { auditArchive: true }));
}, 90_000);

afterAll(() => {
  if (process.env.DEBUG_WORKER) console.log(log);
  stopWranglerDev(dev);
});

const api = (method: string, path: string, token?: string, body?: unknown) => fetchJson(base, method, path, token, body);
const d1 = (command: string) => runWrangler(['d1', 'execute', 'DB', '--local', '--persist-to', persist, ...config, '--json', '--command', command]);

interface Event {
  id: number;
  action: string;
  archived: boolean;
}

describe('the audit archive on Workers: R2 beside D1', { timeout: 90_000 }, () => {
  it("moves audit events past the retention from D1 to the bucket in the cron pass, within Workers Free's 50 queries, and reads them back", async () => {
    const token = (await api('POST', '/api/v1/auth/login', undefined, { email: 'admin@archive.test', password: 'archive admin password' })).body
      .token as string;
    const amira = (await api('POST', '/api/v1/participants', token, { givenName: 'Amira', smsConsent: false })).body.id as number;
    const brian = (await api('POST', '/api/v1/participants', token, { givenName: 'Brian', smsConsent: false })).body.id as number;
    await api('GET', '/api/v1/participants', token);
    await api('GET', `/api/v1/participants/${amira}`, token);
    const trail = async () => (await api('GET', `/api/v1/audit-events?participantId=${amira}`, token)).body.items as Event[];
    const before = await trail();
    expect(before.length).toBeGreaterThanOrEqual(3);
    // The Workers clock cannot be moved: the events are made three years old instead.
    await d1('UPDATE audit_events SET at = at - 3 * 365 * 86400000');
    await api('GET', `/api/v1/participants/${brian}`, token); // a read of today

    for (let i = 0; i < 3 && !(await trail()).some((e) => e.archived); i++) expect((await fetch(`${base}/__scheduled?cron=*+*+*+*+*`)).status).toBe(200);
    const after = await trail();
    expect(after.map((e) => e.id)).toEqual(before.map((e) => e.id));
    expect(after.every((e) => e.archived)).toBe(true);
    const listed = JSON.parse(await d1('SELECT count(*) AS n, sum(events) AS events FROM audit_archives'))[0].results[0];
    expect(listed.n).toBeGreaterThanOrEqual(1);
    const live = JSON.parse(await d1('SELECT count(*) AS n FROM audit_events WHERE at < unixepoch() * 1000 - 2 * 365 * 86400000'))[0].results[0];
    expect(live.n).toBeLessThanOrEqual(1); // the newest event anywhere stays, so its id is never given again

    const exported = await api('GET', `/api/v1/participants/${amira}/export`, token);
    expect(exported.status).toBe(200);
    expect(exported.body.accessLog.map((a: { action: string }) => a.action).slice(0, 2)).toEqual(['create', 'read']);
  });
});
