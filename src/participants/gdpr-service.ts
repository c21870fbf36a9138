import { eraseReferralWords } from '../referrals/referrals-service.js';
import { readReferrals } from '../referrals/referral-reads.js';
import { toReferralDto } from '../referrals/referral-dto.js';
import { sql } from 'kysely';
import type { Db, DbOrTx } from '../db/schema.js';
import { conflict } from '../lib/errors.js';
import { readConcerns, unresolvedConcernsAbout } from '../concerns/concerns-service.js';
import { toConcernDto } from '../concerns/concern-dto.js';
import { audit, type Actor } from '../audit/audit-service.js';
import { archivedEvents } from '../audit/archived-events.js';
import type { ArchiveStore } from '../audit/archive-store.js';
import { atomic } from '../db/atomic.js';
import { checkpoint } from '../db/durability.js';
import { toZonedIso } from '../lib/time/time.js';
import { withdrawEnrolment } from '../enrolments/enrolments-service.js';
import { findParticipant, requireLiveParticipant, toParticipantDto } from './participants-service.js';

/** Everything held about one person (a subject access request), in one document; audited as an export. */
export async function exportParticipant(db: Db, actor: Actor, now: number, id: number, archive?: ArchiveStore) {
  const doc = await participantRecord(db, actor, now, id, { archive });
  await audit(db, actor, now, { action: 'export', entity: 'participant', entityId: id, participantId: id });
  return doc;
}

/** A person's details, groups, attendance and access log, for the export and the participant page. */
export async function participantRecord(db: Db, actor: Actor, now: number, id: number, older?: { archive?: ArchiveStore }) {
  const p = await findParticipant(db, actor.practiceId, id);
  const enrolments = await db
    .selectFrom('enrolments')
    .innerJoin('community_groups as g', 'g.id', 'enrolments.group_id')
    .select([
      'g.name as group_name',
      'enrolments.group_id',
      'enrolments.status',
      'enrolments.referral_source',
      'enrolments.referral_reason',
      'enrolments.requested_at',
      'enrolments.enrolled_at',
      'enrolments.withdrawn_at',
    ])
    .where('enrolments.participant_id', '=', p.id)
    .orderBy('enrolments.requested_at')
    .execute();
  const attendance = await db
    .selectFrom('attendance')
    .innerJoin('sessions as s', 's.id', 'attendance.session_id')
    .innerJoin('community_groups as g', 'g.id', 's.group_id')
    .select(['g.name as group_name', 's.starts_at', 'attendance.status', 'attendance.drop_in', 'attendance.recorded_at'])
    .where('attendance.participant_id', '=', p.id)
    .orderBy('s.starts_at')
    .execute();
  const messages = await db
    .selectFrom('messages')
    .select(['direction', 'kind', 'body', 'status', 'to_number', 'from_number', 'created_at', 'sent_at'])
    .where('practice_id', '=', actor.practiceId)
    .where((eb) => eb.or([eb('participant_id', '=', p.id), ...(p.phone ? [eb('from_number', '=', p.phone)] : [])]))
    .orderBy('id')
    .execute();
  const auditTrail = await accessLogOf(db, actor.practiceId, p.id, older);
  // As a CLP reads them: whoever asks for the export, the referrals are the practice's record of the person.
  const referrals = await readReferrals(db, { ...actor, role: 'clp' }, { participantId: p.id });
  const concerns = await readConcerns(db, { ...actor, role: 'clp' }, { participantId: p.id });
  const iso = (ms: number | null) => (ms === null ? null : toZonedIso(ms, actor.timezone));
  return {
    exportedAt: iso(now),
    participant: toParticipantDto(p, actor.timezone),
    enrolments: enrolments.map((e) => ({
      groupId: e.group_id,
      groupName: e.group_name,
      status: e.status,
      referralSource: e.referral_source,
      referralReason: e.referral_reason,
      requestedAt: iso(e.requested_at),
      enrolledAt: iso(e.enrolled_at),
      withdrawnAt: iso(e.withdrawn_at),
    })),
    attendance: attendance.map((a) => ({
      groupName: a.group_name,
      sessionStartsAt: iso(a.starts_at),
      status: a.status,
      dropIn: a.drop_in === 1,
      recordedAt: iso(a.recorded_at),
    })),
    messages: messages.map((m) => ({
      direction: m.direction,
      kind: m.kind,
      text: m.body,
      status: m.status,
      number: m.direction === 'inbound' ? m.from_number : m.to_number,
      at: iso(m.sent_at ?? m.created_at),
    })),
    concerns: concerns.map((c) => toConcernDto(c, actor.timezone)),
    referrals: referrals.map((r) => {
      const { givenName: _g, familyName: _f, participantId: _p, ...rest } = toReferralDto(r, actor.timezone);
      return rest;
    }),
    accessLog: auditTrail.map((a) => ({ action: a.action, at: iso(a.at), byUserId: a.user_id })),
  };
}

/**
 * Right to erasure: identifying details go, enrolments end (freeing places for the waitlist),
 * and the anonymous attendance rows stay so funders' counts remain true.
 */
/**
 * Erases a person. With concerns about them still open (or acknowledged, not closed) it asks
 * first: the CLP acting on one would no longer see who it was about. `openConcerns: 'erase'` is the answer.
 */
export async function eraseParticipant(db: Db, actor: Actor, now: number, id: number, opts: { openConcerns?: 'erase' } = {}): Promise<void> {
  if (opts.openConcerns !== 'erase') {
    const open = await unresolvedConcernsAbout(db, actor.practiceId, id);
    if (open > 0) {
      throw conflict(
        `${open === 1 ? 'A concern' : `${open} concerns`} about this person ${open === 1 ? 'is' : 'are'} still open. Close ${open === 1 ? 'it' : 'them'} first, or confirm the erasure (openConcerns=erase): the record stays, their name goes from it.`,
        { openConcerns: open },
      );
    }
  }
  await atomic(db, async (tx) => {
    const p = await requireLiveParticipant(tx, actor.practiceId, id);
    const open = await tx
      .selectFrom('enrolments')
      .select('group_id')
      .where('participant_id', '=', p.id)
      .where('status', 'in', ['active', 'waitlisted'])
      .execute();
    for (const e of open) await withdrawEnrolment(tx, actor, now, e.group_id, p.id);
    await tx
      .updateTable('participants')
      .set({
        given_name: null,
        family_name: null,
        phone: null,
        sms_consent: 0,
        sms_consent_at: null,
        sms_consent_method: null,
        do_not_text: 1,
        preferred_language: null,
        interpreter_needed: 0,
        access_needs: null,
        gender: null,
        chi_number: null,
        programme_id: null,
        interpreter_language: null,
        mobility: null,
        transport_arranged: 0,
        first_session_support: null,
        emergency_contact: null,
        emergency_contact_for_leaders: 0,
        outcome_text_consent: 0,
        erased_at: now,
        updated_at: now,
      })
      .where('id', '=', p.id)
      .execute();
    await tx.updateTable('enrolments').set({ referral_reason: null }).where('participant_id', '=', p.id).execute();
    await eraseReferralWords(tx, actor.practiceId, p.id);
    // The CHI number identifies the person: their appointment counts go with it.
    if (p.chi_number) await tx.deleteFrom('gp_appointments').where('practice_id', '=', actor.practiceId).where('chi_number', '=', p.chi_number).execute();
    // Texts carry a name and a number: keep that a text was sent (and its status), not what it said.
    await tx
      .updateTable('messages')
      .set({ body: '[erased]', to_number: null, from_number: null, updated_at: now })
      .where('practice_id', '=', actor.practiceId)
      .where((eb) => eb.or([eb('participant_id', '=', p.id), ...(p.phone ? [eb('from_number', '=', p.phone), eb('to_number', '=', p.phone)] : [])]))
      .execute();
    await tx
      .updateTable('messages')
      .set({ status: 'skipped', status_reason: 'erased', updated_at: now })
      .where('participant_id', '=', p.id)
      .where('status', '=', 'pending')
      .execute();
    // A concern's record is kept (what was seen, when, what was done); the person's name goes from its words.
    await blankNamesInConcerns(tx, actor.practiceId, p.id, [p.given_name, p.family_name]);
    // Replayable answers (Idempotency-Key) may hold the person's details: they go too.
    for (const trace of [p.given_name, p.family_name, p.phone, p.access_needs].filter((v): v is string => !!v && v.length >= 2)) {
      await tx
        .deleteFrom('idempotency_keys')
        .where(sql<boolean>`instr(response_body, ${trace}) > 0`)
        .execute();
    }
    await audit(tx, actor, now, { action: 'erase', entity: 'participant', entityId: p.id, participantId: p.id });
  });
  // With secure_delete the old rows are zeroed in the file; emptying the WAL removes its copies too.
  checkpoint(db);
}

/** Replaces a person's names in the words of concerns about them (whole words, any case). */
async function blankNamesInConcerns(tx: DbOrTx, practiceId: number, participantId: number, names: (string | null)[]) {
  const rows = await tx
    .selectFrom('concerns')
    .select(['id', 'text', 'note'])
    .where('practice_id', '=', practiceId)
    .where('participant_id', '=', participantId)
    .execute();
  const words = names.filter((n): n is string => !!n && n.trim().length >= 2).map((n) => n.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  if (rows.length === 0 || words.length === 0) return;
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(?:${words.join('|')})(?![\\p{L}\\p{N}])`, 'giu');
  for (const r of rows) {
    const text = r.text.replace(pattern, '[name erased]');
    const note = r.note?.replace(pattern, '[name erased]') ?? null;
    if (text !== r.text || note !== r.note) await tx.updateTable('concerns').set({ text, note }).where('id', '=', r.id).execute();
  }
}

/** Every audit event naming the person, oldest first; with `older`, those in the archive too. */
async function accessLogOf(db: Db, practiceId: number, id: number, older?: { archive?: ArchiveStore }) {
  const live = await db
    .selectFrom('audit_events')
    .select(['action', 'entity', 'at', 'user_id'])
    .where('practice_id', '=', practiceId)
    .where('participant_id', '=', id)
    .orderBy('id')
    .execute();
  if (!older) return live;
  // Reads older than the audit retention are in the archive: a subject-access copy holds them too.
  const found = await archivedEvents(db, older.archive, practiceId, { participantId: id, only: 'named', limit: Number.MAX_SAFE_INTEGER });
  const archived = found.reverse().map((e) => ({ action: e.action, entity: e.entity, at: e.at, user_id: e.userId }));
  // A concern's reads stay in the database, among the archived ones' dates.
  return [...archived, ...live].sort((a, b) => a.at - b.at);
}
