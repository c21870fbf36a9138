import type { DbOrTx } from '../db/schema.js';

/**
 * What Twilio told us about a number holds for every text to it: the people with that number are
 * marked (opted out, invalid or landline) and their queued texts are skipped at once, with the
 * reason shown on their page, instead of each failing in turn.
 */
export async function markNumber(db: DbOrTx, phone: string, state: 'opted_out' | 'invalid' | 'landline', now: number): Promise<void> {
  if (state === 'opted_out') {
    await db.updateTable('participants').set({ opted_out_at: now, updated_at: now }).where('phone', '=', phone).where('opted_out_at', 'is', null).execute();
  } else {
    await db.updateTable('participants').set({ phone_status: state, phone_status_at: now, updated_at: now }).where('phone', '=', phone).execute();
  }
  await db
    .updateTable('messages')
    .set({ status: 'skipped', status_reason: state === 'opted_out' ? 'opted_out' : `number_${state}`, updated_at: now })
    .where('status', '=', 'pending')
    .where('direction', '=', 'outbound')
    .where('participant_id', 'in', (eb) => eb.selectFrom('participants').select('id').where('phone', '=', phone))
    .execute();
}
