/**
 * VTIMEZONE definitions, embedded: Workers has no file system, and the package that ships them
 * (@touch4it/ical-timezones) reads .ics files from disk. Europe/London is the practices' zone;
 * the text is tzurl.org's Outlook-compatible definition (RRULE-based, valid since 1996).
 */
const ZONES: Record<string, string> = {
  'Europe/London': [
    'BEGIN:VTIMEZONE',
    'TZID:Europe/London',
    'TZURL:http://tzurl.org/zoneinfo-outlook/Europe/London',
    'X-LIC-LOCATION:Europe/London',
    'BEGIN:DAYLIGHT',
    'TZOFFSETFROM:+0000',
    'TZOFFSETTO:+0100',
    'TZNAME:BST',
    'DTSTART:19700329T010000',
    'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
    'END:DAYLIGHT',
    'BEGIN:STANDARD',
    'TZOFFSETFROM:+0100',
    'TZOFFSETTO:+0000',
    'TZNAME:GMT',
    'DTSTART:19701025T020000',
    'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
    'END:STANDARD',
    'END:VTIMEZONE',
  ].join('\r\n'),
};

/** The VTIMEZONE generator ical-generator calls for each TZID; null leaves the zone undefined. */
export function vtimezone(zone: string): string | null {
  return ZONES[zone] ?? null;
}
