import type { DbOrTx } from '../../db/schema.js';

/**
 * Which of these Twilio SIDs the outbox already holds: a text in Twilio's log under one of them is
 * one of ours accounted for, never evidence that another text went.
 */
export async function knownSids(db: DbOrTx, sids: readonly string[]): Promise<Set<string>> {
  if (sids.length === 0) return new Set();
  const rows = await db
    .selectFrom('messages')
    .select('provider_sid')
    .where('provider_sid', 'in', [...sids])
    .execute();
  return new Set(rows.map((r) => r.provider_sid!));
}
