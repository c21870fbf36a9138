import type { DbOrTx } from '../../db/schema.js';

export type NumberState = 'opted_out' | 'invalid' | 'landline';

/**
 * Twilio's errors that say something about the number rather than one text, whether they come back
 * from the send call (21xxx) or later in a delivery report (30005, 30006): every text to that
 * number would fail the same way, and each would still be billed.
 */
const NUMBER_ERRORS: Record<string, NumberState> = {
  '21610': 'opted_out',
  '21211': 'invalid',
  '21614': 'landline',
  // Unknown destination handset: the number is not (or no longer) in use.
  '30005': 'invalid',
  // Landline or unreachable carrier: the network cannot take texts.
  '30006': 'landline',
};

export const numberStateOf = (code: string | null | undefined): NumberState | undefined => (code ? NUMBER_ERRORS[String(code)] : undefined);

/** Twilio's error codes a CLP may see on a text, in words they can act on. */
const TWILIO_ERROR_WORDS: Record<string, string> = {
  '21610': 'they replied STOP',
  '21211': 'the number is not valid',
  '21614': 'the number is not a mobile',
  '30003': 'the phone was off or out of signal until Twilio gave up',
  '30004': 'the phone or its network blocked it',
  '30005': 'the number is not in use (unknown to its network)',
  '30006': 'the number is a landline or its network cannot take texts',
  '30007': 'the network filtered it as spam',
  '30008': 'the phone network could not say why it failed',
};

/** "the number is not in use (Twilio 30005)"; an unlisted code is shown as Twilio's own. */
export function twilioErrorWords(code: string | null | undefined): string | null {
  if (!code) return null;
  const words = TWILIO_ERROR_WORDS[String(code)];
  return words ? `${words} (Twilio ${code})` : `Twilio error ${code}`;
}

/**
 * What Twilio told us about a number holds for every text to it: the people with that number are
 * marked (opted out, invalid or landline) and their queued texts are skipped at once, with the
 * reason shown on their page, instead of each failing in turn.
 */
export async function markNumber(db: DbOrTx, phone: string, state: NumberState, now: number): Promise<void> {
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
