"""Reads an iCalendar feed on stdin the way Python clients do and prints what each saw as JSON:
icalendar (4.x), recurring-ical-events (through x-wr-timezone, as Google Calendar reads feeds)
and vobject. Times are UTC instants, so the test can compare them with the API's."""
import datetime
import json
import sys

import icalendar
import recurring_ical_events
import vobject

text = sys.stdin.read()
UTC = datetime.timezone.utc


def instant(value):
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            raise ValueError("floating time: %r" % value)
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value.isoformat()


def name_of(cal, prop):
    value = cal.get(prop)
    return None if value is None else str(value)


cal = icalendar.Calendar.from_ical(text)
out = {
    "icalendar": {
        "name": name_of(cal, "NAME"),
        "calname": name_of(cal, "X-WR-CALNAME"),
        "events": sorted(
            (str(e["UID"]), instant(e.decoded("DTSTART")), instant(e.decoded("DTEND")))
            for e in cal.walk("VEVENT")
        ),
    },
}
between = recurring_ical_events.of(icalendar.Calendar.from_ical(text)).between(
    datetime.datetime(2000, 1, 1, tzinfo=UTC), datetime.datetime(2100, 1, 1, tzinfo=UTC)
)
out["recurring_ical_events"] = {
    "events": sorted((str(e["UID"]), instant(e.decoded("DTSTART")), instant(e.decoded("DTEND"))) for e in between)
}
v = vobject.readOne(text)
out["vobject"] = {
    "calname": v.contents["x-wr-calname"][0].value if "x-wr-calname" in v.contents else None,
    "events": sorted(
        (e.uid.value, instant(e.dtstart.value), instant(e.dtend.value)) for e in v.contents.get("vevent", [])
    ),
}
json.dump(out, sys.stdout)
