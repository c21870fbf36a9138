import ICAL from 'ical.js';

export interface ParsedEvent {
  uid: string;
  summary: string;
  start: string;
  end: string;
  sequence: number;
  status: string | null;
  description: string;
  location: string;
}

/** Parses a feed the way Thunderbird does, resolving TZIDs through the feed's own VTIMEZONE. */
export function parseFeed(text: string) {
  const cal = new ICAL.Component(ICAL.parse(text));
  for (const tz of cal.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(new ICAL.Timezone(tz));
  const events: ParsedEvent[] = cal.getAllSubcomponents('vevent').map((v) => {
    const e = new ICAL.Event(v);
    return {
      uid: e.uid,
      summary: e.summary,
      start: e.startDate.toJSDate().toISOString(),
      end: e.endDate.toJSDate().toISOString(),
      sequence: e.sequence,
      status: v.getFirstPropertyValue('status') as string | null,
      description: e.description,
      location: e.location,
    };
  });
  return { cal, events };
}
