import { describe, expect, it } from 'vitest';
import { runScript, spawnServer, tempDbPath } from './helpers/spawn-server.js';

describe('npm start (the Node entry point)', () => {
  it('migrates a new SQLite file, creates the first admin and serves the API on 127.0.0.1', async () => {
    const dbPath = tempDbPath();
    // The real command: it bundles the entry and runs the bundle.
    const server = await spawnServer('npm start', {
      DATABASE_PATH: dbPath,
      ADMIN_EMAIL: 'manager@possil.test',
      ADMIN_PASSWORD: 'a long admin password',
      PRACTICE_NAME: 'Possilpark Health Centre',
    });
    try {
      expect(server.output()).toContain('Created practice "Possilpark Health Centre" and admin manager@possil.test');
      // HOST=127.0.0.1 (spawnServer's): the line names the address it really listens on.
      expect(server.output()).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+ /);
      expect((await fetch(`${server.baseUrl}/healthz`)).status).toBe(200);
      const login = await fetch(`${server.baseUrl}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'manager@possil.test', password: 'a long admin password' }),
      });
      expect(login.status).toBe(200);
      const { token, user } = (await login.json()) as { token: string; user: { role: string } };
      expect(user.role).toBe('admin');
      const venue = await fetch(`${server.baseUrl}/api/v1/venues`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ name: 'Possil Allotments' }),
      });
      expect(venue.status).toBe(201);
    } finally {
      await server.stop();
    }
    // A second start on the same file keeps the data and does not create another admin.
    const again = await spawnServer('src/entry/node.ts', {
      DATABASE_PATH: dbPath,
      ADMIN_EMAIL: 'manager@possil.test',
      ADMIN_PASSWORD: 'a long admin password',
    });
    try {
      expect(again.output()).not.toContain('Created practice');
    } finally {
      await again.stop();
    }
  });

  it('without an admin configured, says how to create one', async () => {
    const server = await spawnServer('src/entry/node.ts', { DATABASE_PATH: tempDbPath(), ADMIN_EMAIL: '', ADMIN_PASSWORD: '' });
    try {
      expect(server.output()).toContain('npm run user:create');
    } finally {
      await server.stop();
    }
  });

  it('stops at start-up with one line naming a bad variable', async () => {
    const { code, output } = await runScript('src/entry/node.ts', { PORT: 'eighty', DATABASE_PATH: tempDbPath() });
    expect(code).toBe(1);
    expect(output.trim().split('\n')).toHaveLength(1);
    expect(output).toMatch(/^Configuration error: PORT .*"eighty"/);
    const mismatch = await runScript('src/entry/node.ts', { ADMIN_EMAIL: 'a@b.test', ADMIN_PASSWORD: '', DATABASE_PATH: tempDbPath() });
    expect(mismatch.code).toBe(1);
    expect(mismatch.output).toMatch(/ADMIN_EMAIL and ADMIN_PASSWORD/);
  });

  it('user:create and practice:create: the first admin, a second practice, a CLP in both; an unknown practice is refused', async () => {
    const dbPath = tempDbPath();
    const run = (script: string, args: string[]) => runScript(script, { DATABASE_PATH: dbPath }, args);
    const addClp = (extra: string[]) =>
      run('src/cli/user-create.ts', ['--email', 'clp@possil.test', '--name', 'Jo', '--role', 'clp', '--password', 'another long password', ...extra]);
    const first = await run('src/cli/user-create.ts', [
      '--email',
      'boss@possil.test',
      '--name',
      'Boss',
      '--password',
      'a long admin password',
      '--practice',
      'Possilpark',
    ]);
    expect(first.output).toContain('programme admin');
    const second = await run('src/cli/practice-create.ts', ['--name', 'Govan Health Centre', '--code', 'G43021', '--admin', 'boss@possil.test']);
    expect(second.output).toMatch(/Created practice "Govan Health Centre" \(G43021\)/);
    const ambiguous = await addClp([]);
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.output).toMatch(/say which with --practice/);
    const unknown = await addClp(['--practice', 'Nowhere']);
    expect(unknown.code).toBe(1);
    expect(unknown.output).toMatch(/No practice with code or name "Nowhere"/);
    expect((await addClp(['--practice', 'possilpark'])).output).toContain('Added clp@possil.test to Possilpark as clp');
    expect((await run('src/cli/user-create.ts', ['--email', 'clp@possil.test', '--name', 'Jo', '--role', 'staff', '--practice', 'G43021'])).output).toContain(
      'Added clp@possil.test to Govan Health Centre as staff',
    );
    const server = await spawnServer('src/entry/node.ts', { DATABASE_PATH: dbPath });
    try {
      const login = await fetch(`${server.baseUrl}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'clp@possil.test', password: 'another long password' }),
      });
      expect(login.status).toBe(200);
      const body = (await login.json()) as { practices: { name: string; role: string }[] };
      expect(body.practices.map((p) => [p.name, p.role])).toEqual([
        ['Govan Health Centre', 'staff'],
        ['Possilpark', 'clp'],
      ]);
    } finally {
      await server.stop();
    }
  });

  it('first run without reading code: a one-time setup link creates the first admin and practice, then is dead', async () => {
    const server = await spawnServer('src/entry/node.ts', { DATABASE_PATH: tempDbPath() });
    try {
      const link = server.output().match(/http:\/\/localhost:\d+(\/setup\?code=[A-Za-z0-9_-]+)/)![1]!;
      const base = server.baseUrl;
      expect((await fetch(`${base}/setup?code=wrong`)).status).toBe(403);
      const page = await fetch(`${base}${link}`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('Practice name');
      const code = new URL(link, base).searchParams.get('code')!;
      const made = await fetch(`${base}/setup`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base },
        body: new URLSearchParams({
          code,
          practiceName: 'Possilpark Health Centre',
          name: 'Ada Admin',
          email: 'ada@possil.test',
          password: 'a long admin password',
        }).toString(),
      });
      expect(made.status).toBe(303);
      expect(made.headers.get('set-cookie')).toMatch(/clg_session=/);
      expect((await fetch(`${base}${link}`)).status).toBe(404);
      const login = await fetch(`${base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'ada@possil.test', password: 'a long admin password' }),
      });
      const body = (await login.json()) as { user: { programmeAdmin?: boolean }; practice: { name: string } };
      expect(body.user.programmeAdmin).toBe(true);
      expect(body.practice.name).toBe('Possilpark Health Centre');
    } finally {
      await server.stop();
    }
  });
});

describe('npm run demo', () => {
  it('starts a demo practice with every group kind and prints logins that work', async () => {
    const server = await spawnServer('src/cli/demo.ts', { DATABASE_PATH: tempDbPath() });
    try {
      const out = server.output();
      expect(out).toContain('clp@demo.test');
      const password = out.match(/password: (\S+)/)![1]!;
      const login = await fetch(`${server.baseUrl}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'clp@demo.test', password }),
      });
      const { token } = (await login.json()) as { token: string };
      const groups = (await (await fetch(`${server.baseUrl}/api/v1/groups`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
        items: { kind: string }[];
      };
      const people = (await (await fetch(`${server.baseUrl}/api/v1/participants?limit=200`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
        items: { phone: string }[];
      };
      expect(people.items.length).toBeGreaterThan(10);
      expect(people.items.every((p) => /^\+447700900\d{3}$/.test(p.phone))).toBe(true);
      const report = (await (await fetch(`${server.baseUrl}/api/v1/reports/attendance`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
        groups: { attendances: number }[];
      };
      expect(report.groups.some((g) => g.attendances > 0)).toBe(true);
      expect(new Set(groups.items.map((g) => g.kind))).toEqual(new Set(['allotment', 'health_walk', 'mindfulness', 'chair_yoga', 'peer_support', 'book_club']));
    } finally {
      await server.stop();
    }
  });
});
