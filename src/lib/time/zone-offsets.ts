import { IANAZone } from 'luxon';

/**
 * A zone's UTC offset at an instant, in minutes, remembered per quarter hour. Every real zone
 * changes its offset on a quarter hour, so an instant's bucket shares its offset; asking Intl
 * (through luxon) cost 1.3 s of the 10 s it took to materialise 1,000 groups a year ahead.
 */
const QUARTER_HOUR = 15 * 60_000;
const MAX_REMEMBERED = 200_000;
const byZone = new Map<string, { zone: IANAZone; offsets: Map<number, number> }>();

export function offsetMinutes(zoneName: string, ms: number): number {
  let z = byZone.get(zoneName);
  if (!z) byZone.set(zoneName, (z = { zone: IANAZone.create(zoneName), offsets: new Map() }));
  const bucket = Math.floor(ms / QUARTER_HOUR);
  let offset = z.offsets.get(bucket);
  if (offset === undefined) {
    if (z.offsets.size >= MAX_REMEMBERED) z.offsets.clear();
    offset = z.zone.offset(ms);
    z.offsets.set(bucket, offset);
  }
  return offset;
}

const ianaZones = new Map<string, boolean>();

/** Whether luxon reads the name as an IANA zone (the fast paths apply only to those); asked per call, so remembered. */
export function isIanaZone(zoneName: string): boolean {
  let yes = ianaZones.get(zoneName);
  if (yes === undefined) ianaZones.set(zoneName, (yes = IANAZone.isValidZone(zoneName) && !/^(utc|gmt|etc\/utc|etc\/gmt)$/i.test(zoneName)));
  return yes;
}
