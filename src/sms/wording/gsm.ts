/** GSM 03.38 basic set (1 septet) and extension set (2 septets, an escape plus the character). */
const BASIC = '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const EXTENDED = '^{}\\[~]|€\f';
const basic = new Set(BASIC);
const extended = new Set(EXTENDED);

export interface SegmentCount {
  encoding: 'GSM-7' | 'UCS-2';
  /** septets for GSM-7, UTF-16 code units for UCS-2 */
  units: number;
  segments: number;
}

/**
 * Packs characters of the given sizes into segments of `per` units. A character never straddles
 * two segments (an escape and its character, or a surrogate pair, stay together), which is how
 * handsets and Twilio count: "[" at septet 153 starts a new segment.
 */
function pack(sizes: number[], per: number): number {
  let segments = 1;
  let used = 0;
  for (const size of sizes) {
    if (used + size > per) {
      segments++;
      used = 0;
    }
    used += size;
  }
  return segments;
}

/** How many SMS a text costs, as Twilio bills it: one character outside GSM-7 turns the whole text into UCS-2. */
export function countSegments(text: string): SegmentCount {
  const chars = [...text];
  const gsm = chars.every((ch) => basic.has(ch) || extended.has(ch));
  const sizes = gsm ? chars.map((ch) => (extended.has(ch) ? 2 : 1)) : chars.map((ch) => ch.length);
  const units = sizes.reduce((a, b) => a + b, 0);
  const [single, per] = gsm ? [160, 153] : [70, 67];
  return { encoding: gsm ? 'GSM-7' : 'UCS-2', units, segments: units <= single ? 1 : pack(sizes, per) };
}
