import { sql } from 'kysely';
import type { z } from 'zod';
import type { ParticipantDto } from './participant-schemas.js';
import type { Db, DbOrTx, Participant } from '../db/schema.js';
import { audit, type Actor } from '../audit/audit-service.js';
import { atomic } from '../db/atomic.js';
import { conflict, notFound } from '../lib/errors.js';
import { toZonedIso } from '../lib/time/time.js';

export interface ParticipantInput {
  givenName: string;
  familyName: string | null;
  phone: string | null;
  smsConsent: boolean;
  smsConsentMethod: string | null;
  doNotText: boolean;
  preferredLanguage: string | null;
  interpreterNeeded: boolean;
  accessNeeds: string | null;
  gender: string | null;
  chiNumber?: string | null;
  programmeId?: string | null;
  interpreterLanguage?: string | null;
  mobility?: string | null;
  transportArranged?: boolean;
  firstSessionSupport?: string | null;
  emergencyContact?: string | null;
  emergencyContactForLeaders?: boolean;
  outcomeTextConsent?: boolean;
}

/** Someone added at a group by name only (a drop-in): no number, no consent to texts yet. */
export function dropInPerson(givenName: string, familyName: string | null): ParticipantInput {
  return {
    givenName,
    familyName,
    phone: null,
    smsConsent: false,
    smsConsentMethod: null,
    doNotText: false,
    preferredLanguage: null,
    interpreterNeeded: false,
    accessNeeds: null,
    gender: null,
  };
}

export function toParticipantDto(p: Participant, zone: string): z.input<typeof ParticipantDto> {
  const iso = (ms: number | null) => (ms === null ? null : toZonedIso(ms, zone));
  if (p.erased_at !== null) return { id: p.id, erased: true, erasedAt: iso(p.erased_at) };
  return {
    id: p.id,
    givenName: p.given_name,
    familyName: p.family_name,
    phone: p.phone,
    smsConsent: p.sms_consent === 1,
    smsConsentAt: iso(p.sms_consent_at),
    smsConsentMethod: p.sms_consent_method,
    doNotText: p.do_not_text === 1,
    optedOutAt: iso(p.opted_out_at),
    phoneStatus: p.phone_status,
    preferredLanguage: p.preferred_language,
    interpreterNeeded: p.interpreter_needed === 1,
    accessNeeds: p.access_needs,
    gender: p.gender,
    chiNumber: p.chi_number,
    programmeId: p.programme_id,
    interpreterLanguage: p.interpreter_language,
    mobility: p.mobility,
    transportArranged: p.transport_arranged === 1,
    firstSessionSupport: p.first_session_support,
    emergencyContact: p.emergency_contact,
    emergencyContactForLeaders: p.emergency_contact_for_leaders === 1,
    outcomeTextConsent: p.outcome_text_consent === 1,
    createdAt: iso(p.created_at),
  };
}

/** A participant of the actor's practice (erased ones included), or 404. */
export async function findParticipant(db: DbOrTx, practiceId: number, id: number): Promise<Participant> {
  const row = await db.selectFrom('participants').selectAll().where('practice_id', '=', practiceId).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Participant');
  return row;
}

export async function requireLiveParticipant(db: DbOrTx, practiceId: number, id: number): Promise<Participant> {
  const p = await findParticipant(db, practiceId, id);
  if (p.erased_at !== null) throw conflict("This participant's details have been erased");
  return p;
}

/** One person per CHI number in a practice: a second record with the same CHI is a 409, not a silent duplicate. */
async function assertChiFree(db: DbOrTx, practiceId: number, chi: string | null | undefined, exceptId?: number) {
  if (!chi) return;
  let q = db.selectFrom('participants').select('id').where('practice_id', '=', practiceId).where('chi_number', '=', chi);
  if (exceptId !== undefined) q = q.where('id', '!=', exceptId);
  if (await q.executeTakeFirst()) throw conflict('Another participant in this practice already has that CHI number');
}

/** One person per programme ID in a practice: the programme's returns rely on it. */
async function assertProgrammeIdFree(db: DbOrTx, practiceId: number, programmeId: string | null | undefined, exceptId?: number) {
  if (!programmeId) return;
  let q = db.selectFrom('participants').select('id').where('practice_id', '=', practiceId).where('programme_id', '=', programmeId);
  if (exceptId !== undefined) q = q.where('id', '!=', exceptId);
  if (await q.executeTakeFirst())
    throw conflict(`Another participant in this practice already has programme ID ${programmeId}`, [
      { path: 'programmeId', message: 'already used in this practice' },
    ]);
}

/** The structured access needs and the rest of this round's fields, as columns (undefined: unchanged). */
function moreColumns(input: Partial<ParticipantInput>) {
  return {
    ...(input.programmeId !== undefined && { programme_id: input.programmeId }),
    ...(input.interpreterLanguage !== undefined && { interpreter_language: input.interpreterLanguage }),
    ...(input.mobility !== undefined && { mobility: input.mobility }),
    ...(input.transportArranged !== undefined && { transport_arranged: input.transportArranged ? 1 : 0 }),
    ...(input.firstSessionSupport !== undefined && { first_session_support: input.firstSessionSupport }),
    ...(input.emergencyContact !== undefined && { emergency_contact: input.emergencyContact }),
    ...(input.emergencyContactForLeaders !== undefined && { emergency_contact_for_leaders: input.emergencyContactForLeaders ? 1 : 0 }),
    ...(input.outcomeTextConsent !== undefined && { outcome_text_consent: input.outcomeTextConsent ? 1 : 0 }),
  };
}

export async function createParticipant(db: Db, actor: Actor, now: number, input: ParticipantInput): Promise<Participant> {
  return atomic(db, async (tx) => {
    await assertChiFree(tx, actor.practiceId, input.chiNumber);
    await assertProgrammeIdFree(tx, actor.practiceId, input.programmeId);
    const row = await tx
      .insertInto('participants')
      .values({
        practice_id: actor.practiceId,
        given_name: input.givenName,
        family_name: input.familyName,
        phone: input.phone,
        sms_consent: input.smsConsent ? 1 : 0,
        sms_consent_at: input.smsConsent ? now : null,
        sms_consent_method: input.smsConsent ? (input.smsConsentMethod ?? 'verbal') : null,
        do_not_text: input.doNotText ? 1 : 0,
        opted_out_at: null,
        preferred_language: input.preferredLanguage,
        interpreter_needed: input.interpreterNeeded ? 1 : 0,
        access_needs: input.accessNeeds,
        gender: input.gender,
        chi_number: input.chiNumber ?? null,
        ...moreColumns(input),
        erased_at: null,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(tx, actor, now, { action: 'create', entity: 'participant', entityId: row.id, participantId: row.id });
    return row;
  });
}

export async function updateParticipant(db: Db, actor: Actor, now: number, id: number, input: Partial<ParticipantInput>): Promise<Participant> {
  return atomic(db, async (tx) => {
    const before = await requireLiveParticipant(tx, actor.practiceId, id);
    await assertChiFree(tx, actor.practiceId, input.chiNumber, id);
    await assertProgrammeIdFree(tx, actor.practiceId, input.programmeId, id);
    const consentChanged = input.smsConsent !== undefined && (input.smsConsent ? 1 : 0) !== before.sms_consent;
    const row = await tx
      .updateTable('participants')
      .set({
        ...(input.givenName !== undefined && { given_name: input.givenName }),
        ...(input.familyName !== undefined && { family_name: input.familyName }),
        // A new number starts with a clean slate: what Twilio said about the old one no longer holds.
        ...(input.phone !== undefined && input.phone !== before.phone && { phone: input.phone, phone_status: null, phone_status_at: null }),
        ...(consentChanged && {
          sms_consent: input.smsConsent ? 1 : 0,
          sms_consent_at: input.smsConsent ? now : null,
          sms_consent_method: input.smsConsent ? (input.smsConsentMethod ?? 'verbal') : null,
        }),
        ...(input.doNotText !== undefined && { do_not_text: input.doNotText ? 1 : 0 }),
        ...(input.preferredLanguage !== undefined && { preferred_language: input.preferredLanguage }),
        ...(input.interpreterNeeded !== undefined && { interpreter_needed: input.interpreterNeeded ? 1 : 0 }),
        ...(input.accessNeeds !== undefined && { access_needs: input.accessNeeds }),
        ...(input.gender !== undefined && { gender: input.gender }),
        ...(input.chiNumber !== undefined && { chi_number: input.chiNumber }),
        ...moreColumns(input),
        updated_at: now,
      })
      .where('id', '=', before.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(tx, actor, now, { action: 'update', entity: 'participant', entityId: id, participantId: id, detail: Object.keys(input).join(',') });
    return row;
  });
}

export async function readParticipant(db: Db, actor: Actor, now: number, id: number): Promise<Participant> {
  const row = await findParticipant(db, actor.practiceId, id);
  await audit(db, actor, now, { action: 'read', entity: 'participant', entityId: id, participantId: id });
  return row;
}

/** Search by name or number; erased people never match. */
export async function searchParticipants(db: Db, actor: Actor, now: number, q: { search?: string; limit: number; offset: number }) {
  let query = db.selectFrom('participants').selectAll().where('practice_id', '=', actor.practiceId).where('erased_at', 'is', null);
  if (q.search) {
    const like = `%${q.search.replace(/[%_\\]/g, (m) => `\\${m}`)}%`;
    const digits = q.search.replace(/\D/g, '');
    query = query.where((eb) =>
      eb.or([
        sql<boolean>`(coalesce(given_name, '') || ' ' || coalesce(family_name, '')) LIKE ${like} ESCAPE '\\'`,
        ...(digits.length >= 4 ? [eb('phone', 'like', `%${digits.slice(-9)}%`)] : []),
      ]),
    );
  }
  const rows = await query.orderBy('family_name').orderBy('given_name').orderBy('id').limit(q.limit).offset(q.offset).execute();
  await audit(db, actor, now, {
    action: 'list',
    entity: 'participant',
    detail: `${rows.length} shown${q.search ? ' for a search' : ''}`,
    shown: rows.map((r) => r.id),
  });
  return rows;
}

/** Everyone in the practice who can be picked for a group or a register (not erased), by name. */
export function pickableParticipants(db: Db, practiceId: number) {
  return db
    .selectFrom('participants')
    .select(['id', 'given_name', 'family_name'])
    .where('practice_id', '=', practiceId)
    .where('erased_at', 'is', null)
    .orderBy('given_name')
    .execute();
}
