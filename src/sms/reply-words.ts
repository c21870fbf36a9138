/**
 * What a patient's reply means. Only a whole message that is an opt-out word (with politeness and
 * punctuation around it) opts out: "can't stop", "don't stop" and "cancel tuesday please" do not.
 * "C" and the everyday ways of saying "I can't come" give apologies.
 */
export type ReplyIntent = 'stop' | 'start' | 'apologies' | 'maybe_stop' | 'other';

// Twilio's opt-out and opt-in words; Twilio also acts on them itself for the number texted.
const STOP_WORDS = new Set(['stop', 'stopall', 'unsubscribe', 'cancel', 'end', 'quit', 'optout', 'revoke']);
const START_WORDS = new Set(['start', 'unstop', 'yes']);
const POLITE = new Set([
  'please',
  'pls',
  'plz',
  'thanks',
  'thank',
  'you',
  'thankyou',
  'thx',
  'ta',
  'cheers',
  'ok',
  'okay',
  'now',
  'sorry',
  'hi',
  'hello',
  'x',
  'xx',
  'xxx',
]);
const WHEN = new Set([
  'today',
  'tomorrow',
  'tonight',
  'this',
  'week',
  'morning',
  'afternoon',
  'evening',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
  'mon',
  'tue',
  'tues',
  'wed',
  'thu',
  'thur',
  'thurs',
  'fri',
  'sat',
  'sun',
]);
const APOLOGIES =
  /^(c|(i |im |i am )?(cant|cannot|can not|wont|will not|couldnt|not able to|unable to|am unable to|am not able to) (come|make it|attend|go|be there|be coming|come in|make the group|come to the group)|(im |i am |i will )?not (coming|going|be coming)|(i )?wont be (there|coming))$/;

function words(body: string): string[] {
  return body
    .toLowerCase()
    .replace(/['’‘`]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .split(' ')
    .filter(Boolean);
}

export function replyIntent(body: string, optOutType?: string): ReplyIntent {
  const type = optOutType?.trim().toUpperCase();
  if (type === 'STOP') return 'stop';
  if (type === 'START') return 'start';
  const all = words(body);
  const core = all.filter((w) => !POLITE.has(w));
  if (core.length === 1 && STOP_WORDS.has(core[0]!)) return 'stop';
  if (core.length === 1 && START_WORDS.has(core[0]!)) return 'start';
  const plain = core.filter((w) => !WHEN.has(w)).join(' ');
  if (APOLOGIES.test(plain)) return 'apologies';
  if (all.some((w) => STOP_WORDS.has(w) || w.startsWith('stop') || w === 'unsubscribe')) return 'maybe_stop';
  return 'other';
}
