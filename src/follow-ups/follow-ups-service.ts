import { sql } from 'kysely';
import type { Db, FollowUpAction } from '../db/schema.js';
import { audit, type Actor } from '../audit/audit-service.js';
import { facilitatesAny, missedLastTwo } from '../attendance/check-ins.js';
import { invalid, notFound } from '../lib/errors.js';
import { localDate } from '../lib/time/time.js';

export type FollowUpReason = 'missed_first' | 'never_came' | 'stopped_coming' | 'waitlisted_long';

/** Someone given a place (or waiting for one) 28 days ago without coming is someone to call. */
const LONG_MS = 28 * 86_400_000;

export interface FollowUp {
  participantId: number;
  givenName: string | null;
  familyName: string | null;
  groupId: number;
  groupName: string;
  reason: FollowUpReason;
  /** Since when: the first session they missed, the day they were given a place, the last of two missed, or the day they asked. */
  since: number;
  lastAction: { action: FollowUpAction; note: string | null; at: number; by: { id: number; name: string } | null } | null;
  /** The referral that brought them to this group, still open: where the CLP records the call too. */
  referralId: number | null;
  /** Their mobile, to call from the list with one tap. */
  phone: string | null;
  /** The CLP or admin taking them on, and when to call again (a local date): about the person, across groups. */
  takenOnBy: { id: number; name: string } | null;
  callAgainOn: string | null;
}

interface Found {
  participantId: number;
  groupId: number;
  reason: FollowUpReason;
  since: number;
}

interface Caller extends Actor {
  role: string;
}

/**
 * Everyone who needs a word from a CLP, so no one is lost between referral and coming: given a
 * place and their first session held without them (missed_first), given a place 28+ days ago with
 * two or more sessions held and never came (never_came), came before but missed the last two
 * registered sessions without apologies (stopped_coming, today's check-ins), or waiting for a place
 * 28+ days (waitlisted_long). Coming takes them off by itself; a "closed" follow-up does until
 * something new happens. A CLP who facilitates groups sees those groups (as on Today).
 */
async function whoNeedsAWord(db: Db, actor: Caller, now: number): Promise<Found[]> {
  const mine = actor.role === 'clp' && (await facilitatesAny(db, actor.id));
  const onlyMine = mine ? sql`AND EXISTS (SELECT 1 FROM group_facilitators f WHERE f.group_id = e.group_id AND f.user_id = ${actor.id})` : sql``;
  const placed = (
    await sql<{ participant_id: number; group_id: number; enrolled_at: number; first_held: number | null; held: number; came: number }>`
      SELECT e.participant_id, e.group_id, e.enrolled_at,
        (SELECT min(s.starts_at) FROM sessions s WHERE s.group_id = e.group_id AND s.status = 'scheduled' AND s.starts_at >= e.enrolled_at AND s.ends_at <= ${now}) AS first_held,
        (SELECT count(*) FROM sessions s WHERE s.group_id = e.group_id AND s.status = 'scheduled' AND s.starts_at >= e.enrolled_at AND s.ends_at <= ${now}) AS held,
        EXISTS (SELECT 1 FROM attendance a JOIN sessions s ON s.id = a.session_id
                WHERE a.participant_id = e.participant_id AND s.group_id = e.group_id AND a.status IN ('present', 'late')) AS came
      FROM enrolments e JOIN participants p ON p.id = e.participant_id
      WHERE e.practice_id = ${actor.practiceId} AND e.status = 'active' AND e.enrolled_at IS NOT NULL AND p.erased_at IS NULL ${onlyMine}`.execute(db)
  ).rows;
  const found = new Map<string, { participantId: number; groupId: number; reason: FollowUpReason; since: number }>();
  const add = (participantId: number, groupId: number, reason: FollowUpReason, since: number) =>
    found.set(`${participantId}|${groupId}`, { participantId, groupId, reason, since });
  for (const e of placed) {
    if (Number(e.came) || e.first_held === null) continue;
    if (e.enrolled_at <= now - LONG_MS && Number(e.held) >= 2) add(e.participant_id, e.group_id, 'never_came', e.enrolled_at);
    else add(e.participant_id, e.group_id, 'missed_first', e.first_held);
  }
  const cameBefore = new Set(placed.filter((e) => Number(e.came)).map((e) => `${e.participant_id}|${e.group_id}`));
  for (const r of await missedLastTwo(db, actor, now)) {
    if (cameBefore.has(`${r.participant_id}|${r.group_id}`)) add(r.participant_id, r.group_id, 'stopped_coming', r.last_missed);
  }
  const waiting = await db
    .selectFrom('enrolments as e')
    .innerJoin('participants as p', 'p.id', 'e.participant_id')
    .select(['e.participant_id', 'e.group_id', 'e.requested_at'])
    .where('e.practice_id', '=', actor.practiceId)
    .where('e.status', '=', 'waitlisted')
    .where('e.requested_at', '<=', now - LONG_MS)
    .where('p.erased_at', 'is', null)
    .$if(mine, (q) =>
      q.where((eb) =>
        eb.exists(eb.selectFrom('group_facilitators as f').select('f.group_id').whereRef('f.group_id', '=', 'e.group_id').where('f.user_id', '=', actor.id)),
      ),
    )
    .execute();
  for (const w of waiting) add(w.participant_id, w.group_id, 'waitlisted_long', w.requested_at);
  return [...found.values()];
}

/** The follow-up list as CLPs read it (audited): who, why, since when, with what is known about the calls. */
export async function followUps(db: Db, actor: Caller, now: number, audited = true): Promise<FollowUp[]> {
  const found = await whoNeedsAWord(db, actor, now);
  if (found.length === 0) return [];
  const out = (await withDetails(db, actor, found)).sort((x, y) => x.since - y.since);
  if (audited)
    await audit(db, actor, now, { action: 'list', entity: 'follow_up', detail: `${out.length} to follow up`, shown: out.map((f) => f.participantId) });
  return out;
}

/** Names, numbers, the last action, the open referral and who has taken them on; those closed about this reason since it began left off. */
async function withDetails(db: Db, actor: Caller, found: Found[]): Promise<FollowUp[]> {
  const ids = JSON.stringify([...new Set(found.map((f) => f.participantId))]);
  const people = new Map(
    (
      await db
        .selectFrom('participants')
        .select(['id', 'given_name', 'family_name', 'phone'])
        .where('id', 'in', sql<number>`(SELECT value FROM json_each(${ids}))`)
        .execute()
    ).map((p) => [p.id, p]),
  );
  const groups = new Map(
    (await db.selectFrom('community_groups').select(['id', 'name']).where('practice_id', '=', actor.practiceId).execute()).map((g) => [g.id, g.name]),
  );
  const actions = await db
    .selectFrom('follow_up_actions as a')
    .leftJoin('users as u', 'u.id', 'a.user_id')
    .select(['a.participant_id', 'a.group_id', 'a.action', 'a.reason', 'a.note', 'a.at', 'a.user_id', 'u.name as user_name'])
    .where('a.practice_id', '=', actor.practiceId)
    .where('a.participant_id', 'in', sql<number>`(SELECT value FROM json_each(${ids}))`)
    .orderBy('a.at')
    .orderBy('a.id')
    .execute();
  const last = new Map(actions.map((a) => [`${a.participant_id}|${a.group_id}`, a]));
  const referrals = await db
    .selectFrom('referrals')
    .select(['id', 'participant_id', 'group_id'])
    .where('practice_id', '=', actor.practiceId)
    .where('status', 'in', ['accepted', 'contacted'])
    .where('participant_id', 'in', sql<number>`(SELECT value FROM json_each(${ids}))`)
    .execute();
  const referralOf = new Map(referrals.map((r) => [`${r.participant_id}|${r.group_id}`, r.id]));
  const owners = new Map(
    (
      await db
        .selectFrom('follow_up_people as f')
        .leftJoin('users as u', 'u.id', 'f.taken_on_by')
        .select(['f.participant_id', 'f.taken_on_by', 'f.call_again_on', 'u.name'])
        .where('f.practice_id', '=', actor.practiceId)
        .where('f.participant_id', 'in', sql<number>`(SELECT value FROM json_each(${ids}))`)
        .execute()
    ).map((o) => [o.participant_id, o]),
  );
  const out: FollowUp[] = [];
  for (const f of found) {
    const a = last.get(`${f.participantId}|${f.groupId}`);
    // Closed about this, since it began: off the list until something new happens.
    if (a?.action === 'closed' && a.reason === f.reason && a.at >= f.since) continue;
    const p = people.get(f.participantId);
    const owner = owners.get(f.participantId);
    out.push({
      ...f,
      phone: p?.phone ?? null,
      takenOnBy: owner?.taken_on_by ? { id: owner.taken_on_by, name: owner.name ?? '' } : null,
      callAgainOn: owner?.call_again_on ?? null,
      givenName: p?.given_name ?? null,
      familyName: p?.family_name ?? null,
      groupName: groups.get(f.groupId) ?? '',
      referralId: referralOf.get(`${f.participantId}|${f.groupId}`) ?? null,
      lastAction: a ? { action: a.action, note: a.note, at: a.at, by: a.user_id === null ? null : { id: a.user_id, name: a.user_name ?? '' } } : null,
    });
  }
  return out;
}

/** What a CLP did about someone on the list; "closed" needs a note saying why. Audited. */
export async function recordFollowUp(
  db: Db,
  actor: Caller,
  now: number,
  input: { participantId: number; groupId: number; action?: FollowUpAction; note: string | null; takeOn?: boolean; callAgainOn?: string | null },
) {
  if (input.action === 'closed' && !input.note) throw invalid('Say why this is closed', [{ path: 'note', message: 'a note is needed to close a follow-up' }]);
  const person = await db
    .selectFrom('participants')
    .select('id')
    .where('practice_id', '=', actor.practiceId)
    .where('id', '=', input.participantId)
    .where('erased_at', 'is', null)
    .executeTakeFirst();
  if (!person) throw notFound('Participant');
  const group = await db
    .selectFrom('community_groups')
    .select('id')
    .where('practice_id', '=', actor.practiceId)
    .where('id', '=', input.groupId)
    .executeTakeFirst();
  if (!group) throw notFound('Group');
  if (input.callAgainOn && input.callAgainOn < localDate(now, actor.timezone))
    throw invalid('"Call again on" is a day still to come', [{ path: 'callAgainOn', message: 'today or a later date' }]);
  if (input.takeOn !== undefined || input.callAgainOn !== undefined) await setOwner(db, actor, now, input.participantId, input);
  if (!input.action) {
    await audit(db, actor, now, {
      action: 'update',
      entity: 'follow_up',
      participantId: input.participantId,
      detail: input.takeOn ? 'taken on' : 'call again',
    });
    return { id: null, ...input, action: null, reason: null, at: now };
  }
  // The reason it was about, so a later, different reason shows again.
  const current = (await followUps(db, actor, now, false)).find((f) => f.participantId === input.participantId && f.groupId === input.groupId);
  const row = await db
    .insertInto('follow_up_actions')
    .values({
      practice_id: actor.practiceId,
      participant_id: input.participantId,
      group_id: input.groupId,
      action: input.action,
      reason: current?.reason ?? null,
      note: input.note,
      user_id: actor.id,
      at: now,
    })
    .returning(['id', 'at'])
    .executeTakeFirstOrThrow();
  await audit(db, actor, now, { action: 'update', entity: 'follow_up', entityId: row.id, participantId: input.participantId, detail: input.action });
  return { id: row.id, ...input, action: input.action, reason: current?.reason ?? null, at: row.at };
}

/** Who takes the person on (the caller, or nobody), and when to call them again: kept per person. */
async function setOwner(db: Db, actor: Caller, now: number, participantId: number, input: { takeOn?: boolean; callAgainOn?: string | null }) {
  const set = {
    ...(input.takeOn !== undefined && { taken_on_by: input.takeOn ? actor.id : null }),
    ...(input.callAgainOn !== undefined && { call_again_on: input.callAgainOn }),
    updated_at: now,
  };
  await db
    .insertInto('follow_up_people')
    .values({ practice_id: actor.practiceId, participant_id: participantId, taken_on_by: null, call_again_on: null, ...set })
    .onConflict((oc) => oc.columns(['practice_id', 'participant_id']).doUpdateSet(set))
    .execute();
}
