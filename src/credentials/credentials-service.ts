import type { CredentialKind, Db } from '../db/schema.js';
import type { Actor } from '../audit/audit-service.js';
import { audit } from '../audit/audit-service.js';
import { invalid, notFound } from '../lib/errors.js';
import { addDays, localDate } from '../lib/time/time.js';

export const CREDENTIAL_KINDS = ['first_aid', 'walk_leader', 'pvg', 'other'] as const;

/** How far ahead an expiry is shown as due: time enough to book a first-aid refresher. */
export const DUE_WITHIN_DAYS = 30;

export interface CredentialInput {
  kind: CredentialKind;
  label: string | null;
  reference: string | null;
  validFrom: string;
  expiresOn: string | null;
}

/** Someone holding a membership of the actor's practice, or not found (another practice's people are not ours to see). */
async function memberOf(db: Db, practiceId: number, userId: number) {
  const row = await db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['u.id', 'u.name'])
    .where('m.practice_id', '=', practiceId)
    .where('m.user_id', '=', userId)
    .executeTakeFirst();
  if (!row) throw notFound('User');
  return row;
}

/** Records a check or a training (first aid, walk leader, PVG) a leader holds, with when it runs out. */
export async function addCredential(db: Db, actor: Actor, now: number, userId: number, input: CredentialInput) {
  await memberOf(db, actor.practiceId, userId);
  if (input.expiresOn !== null && input.expiresOn < input.validFrom) {
    throw invalid('A check cannot run out before it starts', [{ path: 'expiresOn', message: 'must be on or after validFrom' }]);
  }
  const row = await db
    .insertInto('credentials')
    .values({
      practice_id: actor.practiceId,
      user_id: userId,
      kind: input.kind,
      label: input.label,
      reference: input.reference,
      valid_from: input.validFrom,
      expires_on: input.expiresOn,
      created_by: actor.id,
      created_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await audit(db, actor, now, { action: 'create', entity: 'credential', entityId: row.id, detail: `${input.kind} for user ${userId}` });
  return row;
}

export async function credentialsOf(db: Db, practiceId: number, userId: number) {
  await memberOf(db, practiceId, userId);
  return credentialsOfUsers(db, practiceId, [userId]);
}

/** Several people's checks in one read, by kind and newest first. */
export function credentialsOfUsers(db: Db, practiceId: number, userIds: number[]) {
  return db
    .selectFrom('credentials')
    .selectAll()
    .where('practice_id', '=', practiceId)
    .where('user_id', 'in', userIds)
    .orderBy('kind')
    .orderBy('valid_from', 'desc')
    .execute();
}

/**
 * Checks that have run out or run out within DUE_WITHIN_DAYS, for people still active in the
 * practice. A check renewed since (a later one of the same kind that runs further) is not due.
 */
export async function credentialsDue(db: Db, scope: { practiceId: number; timezone: string }, now: number) {
  const today = localDate(now, scope.timezone);
  const horizon = addDays(today, DUE_WITHIN_DAYS);
  const rows = await db
    .selectFrom('credentials as c')
    .innerJoin('users as u', 'u.id', 'c.user_id')
    .innerJoin('memberships as m', (j) => j.onRef('m.user_id', '=', 'c.user_id').onRef('m.practice_id', '=', 'c.practice_id'))
    .selectAll('c')
    .select('u.name as user_name')
    .where('c.practice_id', '=', scope.practiceId)
    .where('m.disabled_at', 'is', null)
    .where('c.expires_on', 'is not', null)
    .where('c.expires_on', '<', horizon)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('credentials as later')
            .select('later.id')
            .whereRef('later.user_id', '=', 'c.user_id')
            .whereRef('later.practice_id', '=', 'c.practice_id')
            .whereRef('later.kind', '=', 'c.kind')
            .where('later.valid_from', '<=', horizon)
            .where((eb) => eb.or([eb('later.expires_on', 'is', null), eb('later.expires_on', '>=', horizon)])),
        ),
      ),
    )
    .orderBy('c.expires_on')
    .orderBy('u.name')
    .execute();
  return rows.map((r) => ({ ...r, expired: r.expires_on! < today }));
}

/** When each of these users holds first aid: from, and until (null: no end). */
export async function firstAidSpans(
  db: Db,
  practiceId: number,
  userIds: number[],
): Promise<{ user_id: number; valid_from: string; expires_on: string | null }[]> {
  if (userIds.length === 0) return [];
  return db
    .selectFrom('credentials')
    .select(['user_id', 'valid_from', 'expires_on'])
    .where('practice_id', '=', practiceId)
    .where('kind', '=', 'first_aid')
    .where('user_id', 'in', userIds)
    .execute();
}

/** Whether a span covers a local date (YYYY-MM-DD): valid on its first day and on its last. */
export const covers = (span: { valid_from: string; expires_on: string | null }, day: string) =>
  span.valid_from <= day && (span.expires_on === null || span.expires_on >= day);
