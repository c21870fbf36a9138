import type { Db } from '../db/schema.js';
import type { ProviderMessage, SmsTransport } from '../sms/twilio/transport.js';
import { recordRestore, SKEW_MS } from './restore-settlement.js';
import { knownSids } from '../sms/outbox/known-sids.js';
import { plural } from '../lib/numbers.js';

/** The account's newest texts asked for: if the database is behind, the newest are the ones it lacks. */
const PAGE_SIZE = 100;

export type OutboxCheck =
  | { kind: 'current' }
  /** Nothing to check with (no Twilio log), or nothing ever sent to compare. */
  | { kind: 'unchecked'; why: string }
  | { kind: 'unreachable'; error: string }
  | { kind: 'behind'; restoreId: number; unknownSids: string[]; since: number };

/**
 * Whether this database is behind the world: a file copied back (a disk or VM snapshot, `sqlite3
 * .backup`, a host's restore) carries no mark of it, but Twilio's log does. A text from one of our
 * senders, sent after the last send this database knows of, under a SID it has never seen, was
 * sent by a later state of this database: then everything since is settled exactly as after
 * `npm run restore` (every sign-in ends; each text that may have gone is looked up before it goes).
 */
export async function checkOutboxIsCurrent(db: Db, sms: SmsTransport, now: number): Promise<OutboxCheck> {
  // One of our own backup files copied into place still says when it was taken: no log needed.
  const copied = await db
    .selectFrom('backup_taken')
    .select((eb) => eb.fn.max('taken_at').as('t'))
    .executeTakeFirst();
  if (copied?.t) {
    const restoreId = await recordRestore(db, now, Number(copied.t), 'detected at start-up: a backup file was put in place without npm run restore');
    return { kind: 'behind', restoreId, unknownSids: [], since: Number(copied.t) };
  }
  if (!sms.recentSent) return { kind: 'unchecked', why: 'no Twilio log to compare with (texts are recorded locally)' };
  // A restore already being settled checks every text that may have gone: a second one would add nothing.
  if (await db.selectFrom('restores').select('id').where('settled_at', 'is', null).limit(1).executeTakeFirst()) return { kind: 'current' };
  const last = await db
    .selectFrom('messages')
    .select((eb) => [eb.fn.max('sent_at').as('sent'), eb.fn.max('send_started_at').as('started'), eb.fn.max('created_at').as('made')])
    .where('direction', '=', 'outbound')
    .executeTakeFirst();
  const lastPass = await db.selectFrom('last_pass').select('at').executeTakeFirst();
  // The last moment this database knew anything about its texts: a later text of ours it lacks came from a later copy of it.
  const knownUntil = Math.max(lastPass?.at ?? 0, Number(last?.sent ?? 0), Number(last?.started ?? 0), Number(last?.made ?? 0));
  if (!knownUntil) return { kind: 'unchecked', why: 'this database has no texts to compare' };
  let recent: ProviderMessage[];
  try {
    recent = await sms.recentSent({ since: knownUntil - SKEW_MS, pageSize: PAGE_SIZE });
  } catch (e) {
    return { kind: 'unreachable', error: e instanceof Error ? e.message : String(e) };
  }
  const ours = await ourSenders(db, sms);
  const later = recent.filter(
    (m) =>
      (m.direction ?? 'outbound').startsWith('outbound') &&
      m.createdAt > knownUntil + SKEW_MS &&
      ((m.from && ours.numbers.has(m.from)) || (m.messagingServiceSid && ours.services.has(m.messagingServiceSid))),
  );
  if (later.length === 0) return { kind: 'current' };
  const known = await knownSids(
    db,
    later.map((m) => m.sid),
  );
  const unknownSids = later.filter((m) => !known.has(m.sid)).map((m) => m.sid);
  if (unknownSids.length === 0) return { kind: 'current' };
  const since = knownUntil;
  const restoreId = await recordRestore(
    db,
    now,
    since,
    `detected at start-up: Twilio has ${plural(unknownSids.length, 'text')} from us that this database does not know`,
  );
  return { kind: 'behind', restoreId, unknownSids, since };
}

/** The server's default sender and every practice's own number and messaging service. */
async function ourSenders(db: Db, sms: SmsTransport): Promise<{ numbers: Set<string>; services: Set<string> }> {
  const numbers = new Set<string>();
  const services = new Set<string>();
  if (sms.defaultSender?.from) numbers.add(sms.defaultSender.from);
  if (sms.defaultSender?.messagingServiceSid) services.add(sms.defaultSender.messagingServiceSid);
  for (const p of await db.selectFrom('practices').select(['sms_from', 'messaging_service_sid']).execute()) {
    if (p.sms_from) numbers.add(p.sms_from);
    if (p.messaging_service_sid) services.add(p.messaging_service_sid);
  }
  return { numbers, services };
}

/** Each pass marks the database as current to its moment: what a later copy of it would know. */
async function markPass(db: Db, now: number): Promise<void> {
  await db
    .insertInto('last_pass')
    .values({ id: 1, at: now })
    .onConflict((oc) => oc.column('id').doUpdateSet({ at: now }))
    .execute();
}

/**
 * Run before a process's first pass: true once the outbox is known to be current (or was found
 * behind and a restore recorded), false while Twilio's log cannot be read, so nothing is sent
 * from a database that may be behind. Says what it found on the console.
 */
export async function outboxCheckedBeforeSending(db: Db, sms: SmsTransport, now: number, log: (line: string) => void = console.log): Promise<boolean> {
  const r = await checkOutboxIsCurrent(db, sms, now);
  if (r.kind === 'unreachable') {
    log(`Texts held: Twilio's message log could not be read to check this database is not behind (${r.error}); trying again at the next pass`);
    return false;
  }
  if (r.kind === 'behind')
    log(
      r.unknownSids.length
        ? `This database is behind: Twilio has ${r.unknownSids.length} text(s) from us it does not know. Treated as restored; every text that may have gone is checked with Twilio first, and everyone is signed out.`
        : 'This database is a backup put in place without npm run restore: treated as restored; every text that may have gone is checked with Twilio first, and everyone is signed out.',
    );
  return true;
}

/**
 * What a Node process does before each reminder pass: the first time, check the outbox is current
 * (nothing is sent while Twilio's log cannot say); every time, mark the pass, so a later copy of
 * this database shows how far it knew. Workers needs neither: it has no start-up, and its restores
 * are D1 Time Travel, recorded by an admin.
 */
export function nodePassGate(db: Db, sms: SmsTransport, log?: (line: string) => void): (now: number) => Promise<boolean> {
  let checked = false;
  return async (now) => {
    checked ||= await outboxCheckedBeforeSending(db, sms, now, log);
    if (checked) await markPass(db, now);
    return checked;
  };
}
