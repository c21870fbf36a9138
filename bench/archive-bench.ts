import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { archiveAuditEvents } from '../src/audit/audit-archiving.js';
import { gunzip, gzip } from '../src/audit/archive-store.js';
import { archivedEvents } from '../src/audit/archived-events.js';
import { directoryArchive } from '../src/node/directory-archive.js';
import { benchDb, line, longestHold } from './bench-lib.js';
import { goal } from './goals.js';

const YEAR = 60_000;
const PEOPLE = 600;
const NOW = Date.parse('2030-06-01T09:00:00Z');
const THEN = Date.parse('2027-01-01T00:00:00Z');

/**
 * Issue 38's data plan: a real practice-year of audit events (60,000: register reads showing 30
 * people, lists showing the practice's 600, reads and changes of one person) moved to the audit
 * archive. What it saves in the database, what the archive holds, how long the move takes against
 * reading the same events once (the floor), and the longest it holds the thread.
 */
export async function archiveBench(): Promise<void> {
  const { db, sqlite, path } = await benchDb();
  seedYear(sqlite);
  const before = auditBytes(sqlite);
  const t0 = performance.now();
  sqlite.prepare('SELECT * FROM audit_events WHERE practice_id = 1').all();
  const floor = performance.now() - t0;

  const dir = mkdtempSync(join(tmpdir(), 'clg-archive-bench-'));
  const store = directoryArchive(dir);
  // Node loads its web streams on first use (a few ms once per process), not what a pass costs.
  await gunzip(await gzip(new Uint8Array([1, 2, 3])));
  let passes = 0;
  const moved = await longestHold(async () => {
    while ((await archiveAuditEvents(db, store, NOW + passes * 60_000)).objects > 0) passes++;
  });
  const after = auditBytes(sqlite);
  const files = readdirSync(join(dir, 'audit', 'practice-1'));
  const archived = files.reduce((n, f) => n + statSync(join(dir, 'audit', 'practice-1', f)).size, 0);
  const person = await longestHold(() => archivedEvents(db, store, 1, { participantId: 7, limit: Number.MAX_SAFE_INTEGER }));

  console.log(`\nAudit archive: one practice-year, ${YEAR.toLocaleString('en-GB')} audit events`);
  line('database, audit tables', `${mib(before)} → ${mib(after)}`, 'of before', after / before, `${kib((before - after) / YEAR)} saved an event`);
  line('archive objects', `${files.length} × ${mib(archived / files.length)}`, 'of the database bytes they replace', archived / (before - after));
  line('moving the year', `${(moved.took / 1000).toFixed(2)} s`, 'one read of the same events', moved.took / floor, `${passes} passes`);
  line('longest hold while moving it', `${moved.longest.toFixed(0)} ms`, 'of 30 ms', moved.longest / 30);
  line("one person's archived trail", `${person.took.toFixed(0)} ms`, 'of moving the year', person.took / moved.took, `hold ${person.longest.toFixed(0)} ms`);
  goal({
    measure: 'audit archive: a practice-year moved out of the database',
    filed: 'not built (60,000 events, ~63 bytes each, stay in D1 for ever)',
    now: `${mib(before)} → ${mib(after)} in the database; ${files.length} objects, ${mib(archived)}; longest hold ${moved.longest.toFixed(0)} ms`,
    goal: 'held ≤ 30 ms; database share at least halved',
    met: moved.longest <= 30 && after <= before / 2,
  });
  await db.destroy();
  rmSync(dir, { recursive: true, force: true });
  rmSync(path, { force: true });
}

/** A year's audit events three years ago, as a real practice writes them. */
function seedYear(sqlite: Database.Database): void {
  sqlite.prepare("INSERT INTO practices (id, name, timezone, created_at) VALUES (1, 'Archive Practice', 'Europe/London', ?)").run(THEN);
  const set = sqlite.prepare('INSERT INTO audit_shown_sets (id, key) VALUES (?, ?)');
  const member = sqlite.prepare('INSERT INTO audit_shown_members (set_id, participant_id) VALUES (?, ?)');
  const event = sqlite.prepare(
    'INSERT INTO audit_events (practice_id, user_id, action, entity, entity_id, participant_id, detail, at, shown_set_id) VALUES (1, NULL, ?, ?, ?, ?, ?, ?, ?)',
  );
  sqlite.transaction(() => {
    // Twenty groups' registers (30 people each) and the practice's list of everyone.
    for (let g = 0; g < 20; g++) {
      set.run(g + 1, `register-${g}`);
      for (let p = 0; p < 30; p++) member.run(g + 1, g * 30 + p + 1);
    }
    set.run(21, 'everyone');
    for (let p = 1; p <= PEOPLE; p++) member.run(21, p);
    for (let i = 0; i < YEAR; i++) {
      const at = THEN + Math.floor((i / YEAR) * 365 * 86_400_000);
      const person = (i % PEOPLE) + 1;
      if (i % 10 < 5) event.run('register_read', 'session', i, null, null, at, (i % 20) + 1);
      else if (i % 10 === 5) event.run('list', 'participant', null, null, `${PEOPLE} shown`, at, 21);
      else if (i % 10 < 8) event.run('read', 'participant', person, person, null, at, null);
      else event.run('update', 'participant', person, person, 'phone', at, null);
    }
    // Today's read: the newest event stays, so archiving reaches every one of the year's.
    event.run('read', 'participant', 1, 1, null, NOW, null);
  })();
}

/** Bytes the audit tables and their indexes take (SQLite's dbstat). */
function auditBytes(sqlite: Database.Database): number {
  const row = sqlite.prepare("SELECT sum(pgsize) AS bytes FROM dbstat WHERE name LIKE 'audit%' OR name LIKE 'sqlite_autoindex_audit%'").get() as {
    bytes: number;
  };
  return row.bytes;
}

const mib = (b: number) => `${(b / 1_048_576).toFixed(2)} MiB`;
const kib = (b: number) => `${b.toFixed(0)} B`;
