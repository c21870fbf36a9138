/**
 * What a patient's reply means. A whole message that is an opt-out word (with politeness and
 * punctuation around it) opts out, and so does a clear request in their own words ("stop texting
 * me please", "no more texts"): consent is withdrawn by any clear means (PECR). "Can't stop",
 * "don't stop" and "cancel tuesday please" do not. "C" and the everyday ways of saying "I can't
 * come" give apologies, and so does "cancel" with words round it ("cancel sorry"). HELP is answered.
 */
export type ReplyIntent = 'stop' | 'stop_request' | 'start' | 'apologies' | 'help' | 'maybe_stop' | 'other';

// Twilio's opt-out and opt-in words; Twilio also acts on them itself, but only on the word alone.
const STOP_WORDS = new Set(['stop', 'stopall', 'unsubscribe', 'cancel', 'end', 'quit', 'optout', 'revoke']);
/** Words that make a stop word no less of one: "STOP ALL", "stop it", "STOP STOP", "stop now". */
const STOP_TAIL = new Set(['all', 'it', 'stop', 'that', 'this', 'them', 'now', 'everything']);
const HELP_WORDS = new Set(['help', 'info']);
/**
 * "Stop" in the languages our texts go in (and their common spellings without accents): flagged
 * for a CLP to read and act on, never obeyed on their own, since a word alone may mean something else.
 */
const OTHER_STOP_WORDS = new Set([
  'توقف', // ar, fa
  'أوقف',
  'اوقف',
  'الغاء',
  'إلغاء',
  'لغو', // fa
  'بس',
  'بند', // ur, ps
  'روکیں',
  'ودروئ', // ps
  'وەستان', // ckb
  'بوەستە',
  'ደው', // ti
  'стоп', // uk
  'зупинити',
  'відписатися',
  'dość', // pl
  'dosc',
  'wypisz',
  'opriti', // ro
  'opriți',
  'opreste',
  'oprește',
  'dezabonare',
  'zastav', // sk
  'zastaviť',
  'zastavit',
  'odhlásiť',
  'odhlasit',
]);
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

const TEXTS = String.raw`(?:texts?|txts?|text messages?|messages?|msgs?|sms|reminders?)`;
const AGAIN = String.raw`(?: (?:anymore|any more|again|at all))?`;
/** Clear requests to stop texts, in the words left once politeness is taken out. */
const STOP_REQUESTS = [
  // "stop texting me", "quit sending me these messages", "stop messaging"
  new RegExp(
    String.raw`^(?:stop|quit) (?:texting|txting|messaging|msging|contacting|sending|sending me)(?: me)?(?: (?:these|the|any|your|all|them))?(?: ${TEXTS})?${AGAIN}$`,
  ),
  // "don't text me", "do not message me again"
  new RegExp(String.raw`^(?:i )?(?:dont|do not) (?:text|txt|message|msg|contact|send) me(?: (?:any |these |your )?${TEXTS})?${AGAIN}$`),
  // "no more texts", "stop these messages", "stop all texts to me"
  new RegExp(String.raw`^(?:no more|stop(?: the| these| all| your| sending)?) ${TEXTS}(?: (?:to me|for me))?${AGAIN}$`),
  // "remove me from the list", "take me off your texts", "unsubscribe me"
  new RegExp(String.raw`^(?:unsubscribe|remove|take) me(?: (?:off|from|off of))?(?: (?:the|your|this|these))?(?: (?:list|mailing list|text list|${TEXTS}))?$`),
  // "I don't want any more texts", "I no longer want these messages"
  new RegExp(String.raw`^i (?:dont|do not|no longer) want (?:any more |anymore |any |these |your |the |more )?${TEXTS}${AGAIN}$`),
  /^opt (?:me )?out$/,
];

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
  // CANCEL alone is Twilio's opt-out, and it has already acted; with words round it ("cancel
  // sorry") it answers our "Reply C if you cannot come".
  if (core.length === 1 && core[0] === 'cancel') return all.length === 1 ? 'stop' : 'apologies';
  if (core.length >= 1 && STOP_WORDS.has(core[0]!) && core[0] !== 'cancel' && core.slice(1).every((w) => STOP_TAIL.has(w))) return 'stop';
  if (core.length === 1 && START_WORDS.has(core[0]!)) return 'start';
  if (core.length === 1 && HELP_WORDS.has(core[0]!)) return 'help';
  if (STOP_REQUESTS.some((r) => r.test(core.join(' ')))) return 'stop_request';
  const plain = core.filter((w) => !WHEN.has(w)).join(' ');
  if (APOLOGIES.test(plain)) return 'apologies';
  if (all.some((w) => STOP_WORDS.has(w) || w.startsWith('stop') || w === 'unsubscribe' || OTHER_STOP_WORDS.has(w))) return 'maybe_stop';
  return 'other';
}
