import { DateTime, Info } from 'luxon';
import { WEEKDAYS } from '../../groups/recurrence.js';
import type { DbOrTx, PhoneStatus } from '../../db/schema.js';
import type { PracticeTemplates } from './practice-templates.js';
import { renderTemplate, type TemplateKind } from './templates.js';

/** Every text but the ad-hoc one is about a session. */
export type SessionTextKind = Exclude<TemplateKind, 'adhoc' | 'help'>;

/** Whether someone may be texted at all: a working mobile, consent, and no do-not-text, STOP or erasure. */
export const SENDABLE_SQL = `p.phone IS NOT NULL AND p.phone_status IS NULL AND p.sms_consent = 1 AND p.do_not_text = 0 AND p.opted_out_at IS NULL AND p.erased_at IS NULL`;

export interface TextablePerson {
  phone: string | null;
  phone_status?: PhoneStatus | null;
  sms_consent: number;
  do_not_text: number;
  opted_out_at: number | null;
  erased_at: number | null;
}

export function whyNotSendable(p: TextablePerson): string | null {
  if (p.erased_at !== null) return 'erased';
  if (!p.phone) return 'no_mobile';
  if (p.opted_out_at !== null) return 'opted_out';
  if (p.phone_status === 'invalid') return 'number_invalid';
  if (p.phone_status === 'landline') return 'number_landline';
  if (p.do_not_text) return 'do_not_text';
  if (!p.sms_consent) return 'no_consent';
  return null;
}

/** Why a text was not sent, in words a CLP can act on. */
export const SKIP_REASON_WORDS: Record<string, string> = {
  erased: 'their details were erased',
  no_mobile: 'no mobile number',
  opted_out: 'they replied STOP',
  number_invalid: 'Twilio says the number is not valid or not in use',
  number_landline: 'Twilio says the number is a landline or cannot take texts',
  do_not_text: 'marked "do not text"',
  no_consent: 'no consent to texts',
  not_enrolled: 'no longer in the group',
  session_cancelled: 'the session is cancelled',
  session_changed: 'the session changed since; a new text was planned',
  superseded: 'a newer text about this session replaced it',
  never_told_off: 'they were never told it was off, so there is no news to give',
  restored_unverifiable:
    'the server was restored from a backup and, without Twilio credentials, whether it had already gone could not be checked: held rather than sent twice',
  already_sent_before_restore: "found in Twilio's log: it had already gone before the server was restored from a backup",
  apologies_given: 'they sent apologies',
  later_reminder_due: 'a later reminder for the same session went instead',
  too_late: 'the session had started before it could go',
  quiet_hours: 'it would have gone during quiet hours (21:00-08:00)',
  no_upcoming_session: 'the group has no upcoming session',
  no_apologies: 'the apologies were changed on the register',
  group_inactive: 'the group is paused or archived',
  budget_paused: "the practice's monthly text budget is used up, so reminders are paused",
  outcome_texts_off: 'they no longer agree to be asked by text, or the practice stopped asking',
};

export function skipReasonWords(reason: string | null): string | null {
  if (reason === null) return null;
  return SKIP_REASON_WORDS[reason] ?? reason;
}

const WHEN_FORMAT = { weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } as const;

/**
 * "Tue 30 Mar at 10:00" in English; in another language its own words and digits ("środa,
 * 30 września 10:00", "چهارشنبه ۳۰ سپتامبر ساعت ۱۰:۰۰"), always in the practice's zone and the
 * Gregorian calendar a UK appointment is kept in (Farsi and Pashto default to the Solar Hijri one).
 */
export function formatWhen(ms: number, zone: string, lang = 'en'): string {
  const dt = DateTime.fromMillis(ms, { zone });
  // en-US month abbreviations ("Sep", not en-GB's "Sept"): the same width on every ICU build.
  if (lang === 'en') return dt.setLocale('en-US').toFormat("ccc d LLL 'at' HH:mm");
  return dt.reconfigure({ locale: lang, outputCalendar: 'gregory' }).toLocaleString(WHEN_FORMAT);
}

const WEEKDAY_INDEX: Record<string, number> = Object.fromEntries(WEEKDAYS.map((d, i) => [d, i]));

/** "Tuesday", "wtorek", "الثلاثاء". */
const weekdayNames = new Map<string, string[]>();

export function weekdayName(day: string, lang: string): string | undefined {
  const i = WEEKDAY_INDEX[day];
  if (i === undefined) return undefined;
  // The planner names a group's day for every reminder it plans: ask ICU once per language.
  let names = weekdayNames.get(lang);
  if (!names) weekdayNames.set(lang, (names = Info.weekdays('long', { locale: lang === 'en' ? 'en-GB' : lang })));
  return names[i];
}

/**
 * The name a text uses for a group: its discreet label in the text's language (`sms_label` is the
 * English one, `sms_labels` the others'), or that language's own neutral words. The neutral words
 * name the group's day ("your Tuesday group") only when it meets on one day and the session named
 * is on it, so a label never contradicts the date beside it (a one-off on a Monday is "your
 * group"); a move names the day it moved from. Other languages' neutral words leave the day to the
 * date. Never another language's label, and never the group's own name.
 */
export function groupLabel(g: GroupNaming, t: PracticeTemplates, lang: string, opts: { namesUsualDay?: boolean } = {}): string {
  const own = lang === 'en' ? g.sms_label?.trim() : labelsOf(g.sms_labels)[lang]?.trim();
  if (own) return own;
  const days = g.weekdays.split(',').filter(Boolean);
  const usual = days.length === 1 ? days[0]! : undefined;
  const onIt = g.starts_at === null || opts.namesUsualDay || WEEKDAYS[DateTime.fromMillis(g.starts_at, { zone: g.timezone }).weekday - 1] === usual;
  // A language without this phrase borrows the English one, day and all: never "your Talaado group".
  const phraseLang = t.own('group_label', lang) ? lang : 'en';
  const day = usual && onIt ? weekdayName(usual, phraseLang) : undefined;
  return day ? renderTemplate(t.body('group_label', phraseLang), { day }) : renderTemplate(t.body('group_label_any', lang), {});
}

/** What naming a group in a text needs: its labels, and the session named beside it (none for a text with no date). */
export interface GroupNaming {
  sms_label: string | null;
  sms_labels: string | null;
  weekdays: string;
  starts_at: number | null;
  timezone: string;
}

function labelsOf(json: string | null): Record<string, string> {
  if (!json) return {};
  try {
    return JSON.parse(json) as Record<string, string>;
  } catch {
    return {};
  }
}

export interface SessionTextContext {
  session_id: number;
  starts_at: number;
  status: string;
  cancel_reason: string | null;
  sequence: number;
  group_id: number;
  group_status: string;
  sms_label: string | null;
  sms_labels: string | null;
  weekdays: string;
  venue_name: string;
  practice_id: number;
  practice_name: string;
  timezone: string;
}

/** Everything a text about a session says, read fresh from the database. */
export async function sessionContext(db: DbOrTx, sessionId: number): Promise<SessionTextContext | undefined> {
  return db
    .selectFrom('sessions as s')
    .innerJoin('community_groups as g', 'g.id', 's.group_id')
    .innerJoin('venues as v', 'v.id', 's.venue_id')
    .innerJoin('practices as pr', 'pr.id', 's.practice_id')
    .select([
      's.id as session_id',
      's.starts_at',
      's.status',
      's.cancel_reason',
      's.sequence',
      'g.id as group_id',
      'g.status as group_status',
      'g.sms_label',
      'g.sms_labels',
      'g.weekdays',
      'v.name as venue_name',
      'pr.id as practice_id',
      'pr.name as practice_name',
      'pr.timezone',
    ])
    .where('s.id', '=', sessionId)
    .executeTakeFirst();
}

/** A cancellation text in one of these states may have reached the person; any other never did. */
const MAY_HAVE_ARRIVED = ['sending', 'sent', 'delivered', 'unknown'] as const;

/**
 * The people of a session who may have heard it was off: "good news, it is on after all" is news
 * only to them. A cancellation skipped (restored within one pass), failed or never queued told nobody.
 */
export async function toldItWasOff(db: DbOrTx, sessionId: number, participantId?: number): Promise<Set<number>> {
  let q = db
    .selectFrom('messages')
    .select('participant_id')
    .where('session_id', '=', sessionId)
    .where('kind', '=', 'cancellation')
    .where('status', 'in', MAY_HAVE_ARRIVED);
  if (participantId !== undefined) q = q.where('participant_id', '=', participantId);
  return new Set((await q.execute()).map((m) => m.participant_id!));
}

/** What a text about a session needs to know of it; a planner's row or a fresh context both have it. */
export type SessionFacts = Pick<SessionTextContext, 'starts_at' | 'sms_label' | 'sms_labels' | 'weekdays' | 'venue_name' | 'practice_name' | 'timezone'> & {
  cancel_reason?: string | null;
};

/** A text's words and the language they are in, as an outbox row records them. */
export interface Wording {
  body: string;
  language: string;
  fell_back_to_english: number;
}

export interface Addressee {
  given_name: string | null;
  preferred_language: string | null;
}

/**
 * The words of a text about a session, for one person, in their language where the practice has
 * wording for it: the one place that says what a reminder, welcome, offer, cancellation, move,
 * "back on" or confirmation names, whether it is planned or sent.
 */
export function sessionText(t: PracticeTemplates, kind: SessionTextKind, s: SessionFacts, to: Addressee): Wording {
  const { lang, fellBack } = t.languageFor(kind, to.preferred_language);
  const body = renderTemplate(t.body(kind, lang), {
    givenName: to.given_name ?? '',
    groupLabel: groupLabel(s, t, lang, { namesUsualDay: kind === 'moved' }),
    when: formatWhen(s.starts_at, s.timezone, lang),
    place: s.venue_name,
    practiceName: s.practice_name,
    ...(kind === 'cancellation' && { reason: s.cancel_reason ?? 'sorry for the short notice' }),
  });
  return { body, language: lang, fell_back_to_english: fellBack ? 1 : 0 };
}

/** ONS4's happiness question in the person's language, English where none exists yet. */
export function outcomeQuestionText(t: PracticeTemplates, to: Addressee, practiceName: string): Wording {
  const { lang, fellBack } = t.languageFor('outcome_question', to.preferred_language);
  return {
    body: renderTemplate(t.body('outcome_question', lang), { givenName: to.given_name ?? '', practiceName }),
    language: lang,
    fell_back_to_english: fellBack ? 1 : 0,
  };
}

/** The answer to HELP, in the person's language where the practice has it. */
export function helpText(t: PracticeTemplates, to: Addressee, practiceName: string, practicePhone: string): Wording {
  const { lang, fellBack } = t.languageFor('help', to.preferred_language);
  return { body: renderTemplate(t.body('help', lang), { practiceName, practicePhone }), language: lang, fell_back_to_english: fellBack ? 1 : 0 };
}

/** The ad-hoc wrapper round a CLP's own words: the same for every language. */
export function adhocText(t: PracticeTemplates, message: string, practiceName: string): Wording {
  return { body: renderTemplate(t.body('adhoc', 'en'), { message, practiceName }), language: 'en', fell_back_to_english: 0 };
}
