import { z } from 'zod';
import { isValidDate } from './time/time.js';

/** A row id in a path or body: a positive integer, also accepted as a numeric string. */
export const Id = z
  .union([
    z.number(),
    z
      .string()
      .regex(/^\d{1,15}$/, 'must be a numeric id')
      .transform(Number),
  ])
  .pipe(z.number().int().positive().max(Number.MAX_SAFE_INTEGER));
export const IdParam = z.object({ id: Id });
export const LocalDate = z.string().refine(isValidDate, 'must be a date like 2027-03-16');
export const LocalTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a 24-hour time like 10:00');
/** C0 and C1 control characters; a multi-line field may hold newlines (and tabs). */
const CONTROL_ONE_LINE = /[\u0000-\u001f\u007f-\u009f]/;
const CONTROL_MULTI_LINE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/**
 * Joiners where a script needs them: ZWNJ and ZWJ inside Arabic-script words (Farsi, Urdu, Kurdish,
 * Pashto: "می‌خواهم") and Indic ones, ZWJ inside an emoji sequence, and the tags of a flag such as
 * Scotland's. Everywhere else an invisible character only makes text read differently.
 */
const NEEDED_FORMAT_CHARACTERS =
  /(?<=[\p{sc=Arabic}\p{sc=Syriac}\p{sc=Devanagari}\p{sc=Bengali}\p{sc=Gurmukhi}\p{sc=Gujarati}\p{sc=Oriya}\p{sc=Tamil}\p{sc=Telugu}\p{sc=Kannada}\p{sc=Malayalam}\p{sc=Sinhala}\p{Mn}])[\u200c\u200d](?=[\p{L}\p{Mn}])|(?<=[\p{Extended_Pictographic}\u{fe0f}\u{1f3fb}-\u{1f3ff}])\u200d(?=\p{Extended_Pictographic})|(?<=\u{1f3f4}[\u{e0020}-\u{e007e}]*)[\u{e0020}-\u{e007f}]/gu;
/** Unicode format characters: bidi overrides and isolates (U+202E), zero-width spaces and joiners, BOMs. */
const FORMAT_CHARACTER = /\p{Cf}/u;

/** Whether text holds an invisible or direction-changing character that no script it is written in needs. */
export function hasHiddenFormatting(v: string): boolean {
  return FORMAT_CHARACTER.test(v) && FORMAT_CHARACTER.test(v.replace(NEEDED_FORMAT_CHARACTERS, ''));
}

/**
 * Every text a person types is checked here: invalid Unicode (a lone surrogate), control
 * characters and hidden formatting (bidi overrides, zero-width characters) are refused with a 400,
 * because such a string ends up in texts, calendar feeds, CSV exports and HTTP headers, where it
 * breaks or forges what others read ("Amira\u202Eexe" shows as something else).
 */
function plainText(multiLine: boolean) {
  return (v: string, ctx: z.RefinementCtx) => {
    if (LONE_SURROGATE.test(v)) ctx.addIssue({ code: 'custom', message: 'contains characters that are not valid text' });
    else if (hasHiddenFormatting(v))
      ctx.addIssue({ code: 'custom', message: 'contains invisible or direction-changing characters (such as U+202E or a zero-width space): type it again' });
    else if ((multiLine ? CONTROL_MULTI_LINE : CONTROL_ONE_LINE).test(v))
      ctx.addIssue({ code: 'custom', message: multiLine ? 'contains control characters' : 'must be one line, without control characters' });
  };
}

/** One line of text, trimmed, between min and max characters. */
export const Text = (max: number, min = 1) => z.string().trim().min(min).max(max).superRefine(plainText(false));
/** Text that may run over several lines (descriptions, notes, a text message). */
export const MultilineText = (max: number, min = 1) => z.string().trim().min(min).max(max).superRefine(plainText(true));
/** A secret typed by a person: any characters but NUL and invalid Unicode, never trimmed. */
export const Secret = (max: number, min = 1) =>
  z
    .string()
    .min(min)
    .max(max)
    .refine((v) => !LONE_SURROGATE.test(v) && !v.includes('\u0000'), 'contains characters that are not valid text');

export const OptionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .superRefine(plainText(false))
    .nullish()
    .transform((v) => (v ? v : null));
export const OptionalMultilineText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .superRefine(plainText(true))
    .nullish()
    .transform((v) => (v ? v : null));

/** A UK postcode in any spacing or case, kept as Royal Mail writes it: "G22 5EJ"; null when left out. */
export const UkPostcode = OptionalText(10).transform((v, ctx) => {
  if (v === null) return null;
  const m = /^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$/.exec(v.toUpperCase().replace(/\s+/g, ' ').trim());
  if (!m) {
    ctx.addIssue({ code: 'custom', message: 'must be a UK postcode, like G22 5EJ' });
    return z.NEVER;
  }
  return `${m[1]} ${m[2]}`;
});
