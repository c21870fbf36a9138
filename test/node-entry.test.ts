import { describe, expect, it } from 'vitest';
import { runScript, spawnServer, tempDbPath } from './helpers/spawn-server.js';

describe('npm start (the Node entry point)', () => {
  it('migrates a new SQLite file, creates the first admin and serves the API on 127.0.0.1', async () => {
    const dbPath = tempDbPath();
    const server = await spawnServer('src/entry/node.ts', {
      DATABASE_PATH: dbPath,
      ADMIN_EMAIL: 'manager@possil.test',
      ADMIN_PASSWORD: 'a long admin password',
      PRACTICE_NAME: 'Possilpark Health Centre',
    });
    try {
      expect(server.output()).toContain('Created practice "Possilpark Health Centre" and admin manager@possil.test');
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

  it('user:create makes an account that can sign in', async () => {
    const dbPath = tempDbPath();
    const made = await runScript('src/cli/user-create.ts', { DATABASE_PATH: dbPath }, [
      '--email',
      'clp@possil.test',
      '--name',
      'Jo Bloggs',
      '--role',
      'clp',
      '--password',
      'another long password',
    ]);
    expect(made.output).toContain('Created clp clp@possil.test');
    const server = await spawnServer('src/entry/node.ts', { DATABASE_PATH: dbPath });
    try {
      const login = await fetch(`${server.baseUrl}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'clp@possil.test', password: 'another long password' }),
      });
      expect(login.status).toBe(200);
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
