import { sql } from 'kysely';
import type { Db, NewMessage } from '../../db/schema.js';
import { jsonRowChunks, type JsonRows, statementRows } from '../../db/chunks.js';
import { yielder } from '../../lib/yielder.js';
import { allowance, inTurn, type Allowance } from '../../db/query-budget.js';
import { SENDABLE_SQL, sessionText } from '../wording/message-context.js';
import { insertMessages, outboundMessage } from './outbox.js';
import { shiftEarlier } from './quiet-hours.js';
import { templateSource } from '../wording/practice-templates.js';
import type { TemplateLibrary } from '../wording/templates.js';

const LOOKAHEAD_MS = 15 * 24 * 3_600_000;
/** Two reminders closer than this after a quiet-hours shift: the later one is pointless. */
const TOO_CLOSE_MS = 3 * 3_600_000;

interface Candidate {
  session_id: number;
  starts_at: number;
  sequence: number;
  group_id: number;
  reminder_offsets: string;
  sms_label: string | null;
  sms_labels: string | null;
  weekdays: string;
  venue_name: string;
  practice_id: number;
  practice_name: string;
  timezone: string;
  participant_id: number;
  given_name: string;
  preferred_language: string | null;
  phone: string;
}

/**
 * Reminders for every textable, enrolled participant of upcoming sessions, one per
 * (session, participant, offset). None for a time already past (enrolled after the 24 h mark →
 * only the 2 h one), none after apologies; a time in quiet hours moves to the evening before,
 * or is dropped when that would land next to another reminder. Each is keyed by the session's
 * SEQUENCE: a moved, restored or re-timed session gets fresh reminders, and the old ones go stale.
 */
export async function planReminders(db: Db, templates: TemplateLibrary, now: number, signal?: AbortSignal, share = allowance()): Promise<number> {
  const windowEnd = now + LOOKAHEAD_MS;
  if (!share.has(1 + PRACTICE_PLAN_QUERIES)) return 0;
  const practices = await sql<{
    id: number;
    data_version: number;
    plan_version: number;
    seen_data: number | null;
    seen_plan: number | null;
    planned_to: number | null;
  }>`
    SELECT pr.id, pr.data_version, pr.plan_version, rp.data_version AS seen_data, rp.plan_version AS seen_plan, rp.planned_to
    FROM practices pr LEFT JOIN reminder_plans rp ON rp.practice_id = pr.id
    -- Least recently planned first: a pass that cannot reach every practice (a query budget) goes round them.
    ORDER BY rp.planned_to IS NOT NULL, rp.planned_to, pr.id`.execute(db);
  let changed = 0;
  const breather = yielder();
  for (const p of practices.rows) {
    // Shutting down: what is planned stays planned, the rest waits for the next start.
    if (signal?.aborted || !share.has(PRACTICE_PLAN_QUERIES)) break;
    // Nothing a reminder depends on changed here since the last pass: only sessions that have
    // come inside the window since need planning. Otherwise the whole window, again.
    const unchanged = p.planned_to !== null && Number(p.seen_data) === Number(p.data_version) && Number(p.seen_plan) === Number(p.plan_version);
    const from = unchanged ? Math.max(now, Number(p.planned_to)) : now;
    if (from < windowEnd) {
      const planned = await planPractice(db, templates, Number(p.id), from, windowEnd, now, breather, share);
      // Too many to write within this pass's queries: left unplanned, and first in line next time.
      if (planned === undefined) break;
      changed += planned;
    }
    // The versions read before planning: a change made during the pass is planned again next time.
    await db
      .insertInto('reminder_plans')
      .values({ practice_id: Number(p.id), data_version: Number(p.data_version), plan_version: Number(p.plan_version), planned_to: windowEnd })
      .onConflict((oc) =>
        oc.column('practice_id').doUpdateSet({ data_version: Number(p.data_version), plan_version: Number(p.plan_version), planned_to: windowEnd }),
      )
      .execute();
    // The pass shares the server's one thread on Node: let requests in as it goes.
    await breather();
  }
  return changed;
}

/** A practice's candidates, its wording, one insert and its plan record: the usual cost of planning it. */
const PRACTICE_PLAN_QUERIES = 4;

/** Reminders for one practice's sessions starting in (from, to]; undefined when `share` cannot write them all. */
async function planPractice(
  db: Db,
  templates: TemplateLibrary,
  practiceId: number,
  from: number,
  to: number,
  now: number,
  breather: () => Promise<void>,
  share: Allowance,
): Promise<number | undefined> {
  const wordingOf = templateSource(db, templates);
  const candidates = await reminderCandidates(db, practiceId, from, to);
  const rows: NewMessage[] = [];
  for (const c of candidates.rows) {
    await breather();
    rows.push(...remindersFor(c, sessionText(await wordingOf(c.practice_id), 'reminder', c, c), now));
  }
  // A few hundred upserts a statement: a thousand held the server's thread for 60 ms.
  const chunks = [...jsonRowChunks(rows, statementRows(db))];
  // The inserts and the practice's plan record, all or none.
  if (!share.has(chunks.length + 1)) return undefined;
  return upsertReminders(db, chunks, now, breather);
}

/** Every active person with a place in a group's scheduled sessions starting in (from, to], who can be texted and sent no apologies. */
function reminderCandidates(db: Db, practiceId: number, from: number, to: number) {
  return sql<Candidate>`
    SELECT s.id AS session_id, s.starts_at, s.sequence, g.id AS group_id, g.reminder_offsets, g.sms_label, g.sms_labels, g.weekdays,
           v.name AS venue_name, pr.id AS practice_id, pr.name AS practice_name, pr.timezone,
           p.id AS participant_id, p.given_name, p.preferred_language, p.phone
    FROM sessions s
    JOIN community_groups g ON g.id = s.group_id AND g.status = 'active'
    JOIN venues v ON v.id = s.venue_id
    JOIN practices pr ON pr.id = s.practice_id
    JOIN enrolments e ON e.group_id = s.group_id AND e.status = 'active'
    JOIN participants p ON p.id = e.participant_id
    WHERE s.practice_id = ${practiceId} AND s.status = 'scheduled' AND s.starts_at > ${from} AND s.starts_at <= ${to}
      AND ${sql.raw(SENDABLE_SQL)}
      AND NOT EXISTS (SELECT 1 FROM attendance a WHERE a.session_id = s.id AND a.participant_id = p.id AND a.status = 'apologies')`.execute(db);
}

/** One person's reminders for one session, at each of the group's offsets; one that would come too close after another is skipped. */
function remindersFor(c: Candidate, wording: ReturnType<typeof sessionText>, now: number): NewMessage[] {
  const rows: NewMessage[] = [];
  const offsets = (JSON.parse(c.reminder_offsets) as number[]).sort((a, b) => b - a);
  const dues = offsets.map((o) => ({ offset: o, due: shiftEarlier(c.starts_at - o * 60_000, c.timezone) }));
  for (const [i, d] of dues.entries()) {
    if (d.due < now - 60_000) continue;
    const earlier = dues[i - 1];
    const pointless = earlier !== undefined && earlier.due >= now - 60_000 && d.due - earlier.due < TOO_CLOSE_MS;
    rows.push(
      outboundMessage(now, {
        practice_id: c.practice_id,
        kind: 'reminder',
        dedupe_key: `reminder:${c.session_id}:${c.participant_id}:${d.offset}:${c.sequence}`,
        about_sequence: c.sequence,
        participant_id: c.participant_id,
        session_id: c.session_id,
        group_id: c.group_id,
        to_number: c.phone,
        ...wording,
        due_at: d.due,
        expires_at: c.starts_at,
        ...(pointless && { status: 'skipped' as const, status_reason: 'quiet_hours' }),
      }),
    );
  }
  return rows;
}

/** Writes planned reminders; a pending one whose time moved takes the new time and words. How many rows changed. */
async function upsertReminders(db: Db, chunks: JsonRows<NewMessage>[], now: number, breather: () => Promise<void>) {
  let changed = 0;
  for (const chunk of chunks) {
    await breather();
    const res = await db
      .insertInto('messages')
      .columns(chunk.columns)
      .expression(chunk.select)
      .onConflict((oc) =>
        oc
          .column('dedupe_key')
          .doUpdateSet((eb) => ({
            due_at: eb.ref('excluded.due_at'),
            body: eb.ref('excluded.body'),
            language: eb.ref('excluded.language'),
            fell_back_to_english: eb.ref('excluded.fell_back_to_english'),
            expires_at: eb.ref('excluded.expires_at'),
            updated_at: now,
          }))
          .where((eb) => eb.and([eb('messages.status', '=', 'pending'), eb('messages.due_at', '!=', eb.ref('excluded.due_at'))])),
      )
      .executeTakeFirst();
    changed += Number(res.numInsertedOrUpdatedRows ?? 0);
  }
  return changed;
}

/** A welcome on enrolment, or the offer of a waitlist place, telling the next session. */
export async function planEnrolmentTexts(db: Db, templates: TemplateLibrary, now: number, share = allowance()): Promise<number> {
  // The search, one practice's wording and the insert.
  if (!share.has(3)) return 0;
  const wordingOf = templateSource(db, templates);
  const recent = await sql<Candidate & { kind: 'welcome' | 'waitlist_offer'; text_key: string }>`
    SELECT e.kind, e.text_key, g.id AS group_id, g.sms_label, g.sms_labels, g.weekdays,
           pr.id AS practice_id, pr.name AS practice_name, pr.timezone, p.id AS participant_id, p.given_name, p.preferred_language, p.phone,
           s.id AS session_id, s.starts_at, v.name AS venue_name
    FROM (SELECT *, kind || ':' || id || ':' || enrolled_at AS text_key FROM (
            SELECT *, CASE WHEN promoted_at IS NOT NULL THEN 'waitlist_offer' ELSE 'welcome' END AS kind
            FROM enrolments WHERE status = 'active' AND enrolled_at >= ${now - 2 * 24 * 3_600_000})) e
    JOIN community_groups g ON g.id = e.group_id AND g.status = 'active'
    JOIN practices pr ON pr.id = e.practice_id
    JOIN participants p ON p.id = e.participant_id
    JOIN sessions s ON s.id = (SELECT id FROM sessions WHERE group_id = g.id AND status = 'scheduled' AND starts_at > ${now} ORDER BY starts_at LIMIT 1)
    JOIN venues v ON v.id = s.venue_id
    WHERE ${sql.raw(SENDABLE_SQL)}
      -- Already written: every pass for two days would word it again, and a national morning's intake is thousands.
      AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.dedupe_key = e.text_key)`.execute(db);
  const byPractice = new Map<number, typeof recent.rows>();
  for (const r of recent.rows) {
    const mine = byPractice.get(r.practice_id);
    if (mine) mine.push(r);
    else byPractice.set(r.practice_id, [r]);
  }
  const practices = [...byPractice.keys()].sort((a, b) => a - b);
  const rows: NewMessage[] = [];
  const reached: typeof recent.rows = [];
  let wordings = 0;
  // Under a query budget a pass may reach only some practices' wording.
  for (const id of inTurn(practices, now)) {
    const mine = byPractice.get(id)!;
    // Each practice's wording read, then the inserts of every row reached.
    if (!share.has(wordings + 1 + Math.ceil((reached.length + mine.length) / 1_000))) break;
    wordings++;
    reached.push(...mine);
  }
  const breather = yielder();
  for (const r of reached) {
    await breather();
    rows.push(
      outboundMessage(now, {
        practice_id: r.practice_id,
        kind: r.kind,
        dedupe_key: r.text_key,
        participant_id: r.participant_id,
        group_id: r.group_id,
        session_id: r.session_id,
        to_number: r.phone,
        ...sessionText(await wordingOf(r.practice_id), r.kind, r, r),
        expires_at: r.starts_at,
      }),
    );
  }
  return insertMessages(db, rows);
}
