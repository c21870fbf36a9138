import { userRef } from '../users/user-ref.js';
import type { Db } from '../db/schema.js';
import { audit } from '../audit/audit-service.js';
import { forbidden } from '../lib/errors.js';
import { getConcern, type ConcernView } from './concerns-service.js';

export interface ConcernReader {
  by: { id: number; name: string } | null;
  at: number;
  action: string;
}

/** Who opened, changed or exported a concern, and when: what a safeguarding lead is asked for. */
export async function concernReaders(db: Db, practiceId: number, id: number): Promise<ConcernReader[]> {
  const rows = await db
    .selectFrom('audit_events as e')
    .leftJoin('users as u', 'u.id', 'e.user_id')
    .select(['e.user_id', 'u.name', 'e.at', 'e.action'])
    .where('e.practice_id', '=', practiceId)
    .where('e.entity', '=', 'concern')
    .where('e.entity_id', '=', id)
    .orderBy('e.at')
    .orderBy('e.id')
    .execute();
  return rows.map((r) => ({ by: userRef(r.user_id, r.name), at: r.at, action: r.action }));
}

/**
 * What an adult-protection referral needs, in one document: the person and how to reach them and
 * their emergency contact, the concern, every action on it, and who read it and when. For CLPs and
 * admins; audited as an export of the person.
 */
export async function concernExport(db: Db, actor: Parameters<typeof getConcern>[1], now: number, id: number) {
  if (actor.role !== 'admin' && actor.role !== 'clp') throw forbidden('Only CLPs and admins export a concern');
  const concern: ConcernView = await getConcern(db, actor, now, id);
  const person =
    concern.participantId === null
      ? null
      : ((await db
          .selectFrom('participants')
          .select([
            'id',
            'given_name',
            'family_name',
            'phone',
            'chi_number',
            'preferred_language',
            'interpreter_language',
            'emergency_contact',
            'access_needs',
            'erased_at',
          ])
          .where('practice_id', '=', actor.practiceId)
          .where('id', '=', concern.participantId)
          .executeTakeFirst()) ?? null);
  await audit(db, actor, now, { action: 'export', entity: 'concern', entityId: id, participantId: concern.participantId });
  const readers = await concernReaders(db, actor.practiceId, id);
  return {
    exportedAt: now,
    person:
      person && person.erased_at === null
        ? {
            id: person.id,
            givenName: person.given_name,
            familyName: person.family_name,
            phone: person.phone,
            chiNumber: person.chi_number,
            preferredLanguage: person.preferred_language,
            interpreterLanguage: person.interpreter_language,
            emergencyContact: person.emergency_contact,
            accessNeeds: person.access_needs,
          }
        : null,
    concern,
    readers,
  };
}
