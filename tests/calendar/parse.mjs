// Parse an .ics file with Mozilla's ical.js (Thunderbird's parser) and print,
// as JSON, the calendar's METHOD and each VEVENT's UID, SEQUENCE, STATUS and
// start/end as UTC instants, and whether it is all-day with its date.
// Usage: node tests/calendar/parse.mjs FILE.ics
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const text = readFileSync(process.argv[2], "utf8");
const calendar = new ICAL.Component(ICAL.parse(text));
// TZIDs resolve against registered zones only: register the file's VTIMEZONEs.
for (const vtimezone of calendar.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(vtimezone);
}
const utc = (time) => new Date(time.toUnixTime() * 1000).toISOString();
const events = calendar.getAllSubcomponents("vevent").map((vevent) => {
  const event = new ICAL.Event(vevent);
  return {
    uid: event.uid,
    sequence: event.sequence,
    status: vevent.getFirstPropertyValue("status"),
    summary: event.summary,
    tzid: event.startDate.zone ? event.startDate.zone.tzid : null,
    allDay: event.startDate.isDate,
    startDate: event.startDate.toString(),
    start: utc(event.startDate),
    end: utc(event.endDate),
  };
});
console.log(JSON.stringify({ method: calendar.getFirstPropertyValue("method"), events }));
