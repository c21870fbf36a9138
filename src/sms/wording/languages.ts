/** The languages texts are written in, named in English and in their own script, for the forms. */
export interface TextLanguage {
  tag: string;
  english: string;
  own: string;
  rtl: boolean;
}

export const TEXT_LANGUAGES: readonly TextLanguage[] = [
  { tag: 'en', english: 'English', own: 'English', rtl: false },
  { tag: 'ar', english: 'Arabic', own: 'العربية', rtl: true },
  { tag: 'fa', english: 'Farsi (Persian)', own: 'فارسی', rtl: true },
  { tag: 'ckb', english: 'Sorani Kurdish', own: 'کوردیی ناوەندی', rtl: true },
  { tag: 'ti', english: 'Tigrinya', own: 'ትግርኛ', rtl: false },
  { tag: 'ur', english: 'Urdu', own: 'اردو', rtl: true },
  { tag: 'ps', english: 'Pashto', own: 'پښتو', rtl: true },
  { tag: 'pl', english: 'Polish', own: 'polski', rtl: false },
  { tag: 'ro', english: 'Romanian', own: 'română', rtl: false },
  { tag: 'sk', english: 'Slovak', own: 'slovenčina', rtl: false },
  { tag: 'uk', english: 'Ukrainian', own: 'українська', rtl: false },
];

const BY_TAG = new Map(TEXT_LANGUAGES.map((l) => [l.tag, l]));

export function textLanguage(tag: string): TextLanguage | undefined {
  return BY_TAG.get(tag);
}

/** "Farsi (Persian) · فارسی"; a tag we have no name for is shown as it is. */
export function languageName(tag: string | null): string | null {
  if (!tag) return null;
  const l = BY_TAG.get(primarySubtag(tag));
  if (!l) return tag;
  return l.english === l.own ? l.english : `${l.english} · ${l.own}`;
}

/** "fa-IR" and "FA" are both Farsi for choosing a text's language. */
export function primarySubtag(tag: string): string {
  return tag.split('-')[0]!.toLowerCase();
}

/** Names people type for our languages ("Arabic", "Farsi", "Kurdish (Sorani)"), lower-cased. */
const BY_NAME = new Map<string, string>([
  ...TEXT_LANGUAGES.map((l) => [l.english.toLowerCase(), l.tag] as [string, string]),
  ['farsi', 'fa'],
  ['persian', 'fa'],
  ['dari', 'fa'],
  ['sorani', 'ckb'],
  ['kurdish (sorani)', 'ckb'],
  ['central kurdish', 'ckb'],
  ['pashto', 'ps'],
  ['pushto', 'ps'],
]);

/**
 * A BCP 47 tag in its canonical form ("EN-gb" → "en-GB"; "Arabic" → "ar"), or null when it is
 * not a tag at all. Any well-formed tag is kept (Somali, Kurmanji…): texts for it fall back to English, visibly.
 */
export function canonicalTag(input: string): string | null {
  const tag = BY_NAME.get(input.trim().toLowerCase()) ?? input.trim();
  if (!/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(tag)) return null;
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? null;
  } catch {
    return null;
  }
}
