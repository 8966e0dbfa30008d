import ICAL from 'ical.js';
import { academicYearOfTerm, assembleCalendar, calendarInvalid } from './assemble-calendar.ts';
import type { CalendarEntry, EntryField, Locate, TermEntry } from './assemble-calendar.ts';
import { addDaysToDate, isLocalDate } from './local-date.ts';
import type { ClosureKind, SchoolCalendar, TermName } from './school-calendar.ts';

/** Reads the iCalendar (.ics) calendar format documented in parse-calendar-file.ts. */

type Component = InstanceType<typeof ICAL.Component>;

type Classified = { kind: 'half_term' } | { kind: ClosureKind } | { kind: 'term' | 'term_start' | 'term_end'; season: TermName | undefined };

const FIELDS: Record<EntryField, string> = { kind: 'SUMMARY', name: 'SUMMARY', start: 'DTSTART', end: 'DTEND' };

// An event that merely mentions a term ("Spring term mock exams") is not the term itself; a
// real whole-term event is many weeks long, so shorter ones are left alone.
const SHORTEST_TERM_DAYS = 14;

interface Marker {
  kind: 'term_start' | 'term_end';
  season: TermName | undefined;
  date: string;
  at: Locate;
  ref: string;
}

export function parseCalendarIcs(fileName: string, content: string, timeZone: string): SchoolCalendar {
  const entries: CalendarEntry[] = [];
  const markers: Marker[] = [];
  readEvents(fileName, content).forEach((event, position) => {
    const summary = String(event.getFirstPropertyValue('summary') ?? '').trim();
    const ref = `event ${position + 1} ("${summary}")`;
    const at: Locate = (field) => `${fileName} ${ref}${field === undefined ? '' : `, ${FIELDS[field]}`}`;
    const classified = classify(summary);
    if (classified === undefined) return;
    if (classified.kind === 'term' && event.getFirstProperty('dtstart')?.type !== 'date') return;
    if (event.getFirstProperty('rrule') !== null) {
      throw calendarInvalid(`${at()}: repeats (it has an RRULE); list each date as its own all-day event.`);
    }
    const start = readDate(event, 'dtstart', at);
    const end = lastDay(event, start, at);
    switch (classified.kind) {
      case 'term': {
        if (addDaysToDate(start, SHORTEST_TERM_DAYS) > end) return;
        const name = classified.season ?? seasonStartingIn(start, at);
        entries.push({ kind: 'term', name, academicYear: academicYearOfTerm(name, start), start, end, at, ref });
        return;
      }
      case 'term_start':
      case 'term_end':
        markers.push({ kind: classified.kind, season: classified.season, date: start, at, ref });
        return;
      case 'half_term':
        entries.push({ kind: 'half_term', start, end, at, ref });
        return;
      default:
        entries.push({ kind: classified.kind, label: summary, start, end, at, ref });
    }
  });
  entries.push(...termsFromMarkers(markers));
  return assembleCalendar(entries, {
    fileName,
    timeZone,
    addTermHint: 'add an all-day event covering each term, titled e.g. "Autumn Term", or a pair of all-day events "Autumn term starts" and "Autumn term ends"',
    addHalfTermHint: 'add an all-day event titled "Half Term" covering its half-term holiday',
  });
}

function readEvents(fileName: string, content: string): Component[] {
  let parsed: unknown;
  try {
    parsed = ICAL.parse(content);
  } catch (error) {
    throw calendarInvalid(`${fileName} is not a valid iCalendar file (${(error as Error).message}); export it again from the calendar as an .ics file.`, error);
  }
  const roots = (Array.isArray(parsed) && Array.isArray(parsed[0]) ? parsed : [parsed]) as unknown[][];
  const calendars = roots.map((root) => new ICAL.Component(root)).filter((root) => root.name === 'vcalendar');
  if (calendars.length === 0) {
    throw calendarInvalid(`${fileName} has no BEGIN:VCALENDAR; export it again from the calendar as an .ics file.`);
  }
  return calendars.flatMap((calendar) => calendar.getAllSubcomponents('vevent'));
}

/** Half term is tested first because "Half Term" also contains "term". */
function classify(summary: string): Classified | undefined {
  const text = summary.toLowerCase();
  if (/\bhalf[\s-]*term\b/.test(text)) return { kind: 'half_term' };
  if (/\b(inset|training day|staff development|teacher training)\b/.test(text)) return { kind: 'inset' };
  if (/\b(bank holiday|good friday|easter monday|may day)\b/.test(text)) return { kind: 'bank_holiday' };
  if (/\b(closed|closure)\b/.test(text)) return { kind: 'closure' };
  if (!/\bterm\b/.test(text)) return undefined;
  const season = /\b(autumn|spring|summer)\b/.exec(text)?.[1] as TermName | undefined;
  // Phrases about the term itself first, so "End of term, holidays begin" is an end.
  if (/\b(end of|last day of) (the )?(\w+ )?term\b|\bterm (ends|finishes|closes)\b/.test(text)) return { kind: 'term_end', season };
  if (/\b(start of|first day of|beginning of) (the )?(\w+ )?term\b|\bterm (starts|begins|opens)\b/.test(text)) {
    return { kind: 'term_start', season };
  }
  if (/\b(starts?|begins?|opens?)\b/.test(text)) return { kind: 'term_start', season };
  if (/\b(ends?|finish(es)?|closes?)\b/.test(text)) return { kind: 'term_end', season };
  return { kind: 'term', season };
}

function readDate(event: Component, name: 'dtstart' | 'dtend', at: Locate): string {
  const field = name === 'dtstart' ? 'start' : 'end';
  const property = event.getFirstProperty(name);
  if (property === null) throw calendarInvalid(`${at(field)}: is missing; give the event its first day as an all-day date.`);
  if (property.type !== 'date') {
    throw calendarInvalid(`${at(field)}: has a time of day; make it an all-day event (${FIELDS[field]};VALUE=DATE:YYYYMMDD) so it covers whole school days.`);
  }
  // ical.js quietly rolls 20261301 over into January 2027, so check the raw value first.
  const raw = String(property.jCal[3]);
  if (!isLocalDate(raw)) throw calendarInvalid(`${at(field)}: ${raw.replaceAll('-', '')} is not a real date; correct it.`);
  return raw;
}

/** RFC 5545: an all-day DTEND is exclusive, and with no DTEND or DURATION the event lasts one day. */
function lastDay(event: Component, start: string, at: Locate): string {
  if (event.getFirstProperty('dtend') !== null) {
    const endExclusive = readDate(event, 'dtend', at);
    if (endExclusive <= start) {
      throw calendarInvalid(
        `${at('end')}: ${endExclusive.replaceAll('-', '')} is not after DTSTART ${start.replaceAll('-', '')}; for an all-day event DTEND is the day after the last day.`,
      );
    }
    return addDaysToDate(endExclusive, -1);
  }
  const duration = event.getFirstProperty('duration');
  if (duration === null) return start;
  const value = ICAL.Duration.fromString(String(duration.jCal[3]));
  const days = value.weeks * 7 + value.days;
  if (value.isNegative || value.hours !== 0 || value.minutes !== 0 || value.seconds !== 0 || days === 0) {
    throw calendarInvalid(`${at()}, DURATION: ${String(duration.jCal[3])} is not a whole number of days; use DTEND or a DURATION such as P1D.`);
  }
  return addDaysToDate(start, days - 1);
}

/** Pairs "… term starts" and "… term ends" events, in date order, into terms. */
function termsFromMarkers(markers: Marker[]): TermEntry[] {
  const terms: TermEntry[] = [];
  let open: Marker | undefined;
  for (const marker of [...markers].sort((a, b) => a.date.localeCompare(b.date))) {
    if (marker.kind === 'term_start') {
      if (open !== undefined) {
        throw calendarInvalid(
          `${open.at()}: has no term-end event before the next term starts (${marker.ref}); add an all-day event such as "Autumn term ends" on the term's last day.`,
        );
      }
      open = marker;
      continue;
    }
    if (open === undefined) {
      throw calendarInvalid(`${marker.at()}: has no term-start event before it; add an all-day event such as "Autumn term starts" on the term's first day.`);
    }
    const start = open;
    if (start.season !== undefined && marker.season !== undefined && start.season !== marker.season) {
      throw calendarInvalid(
        `${marker.at('name')}: ends the ${marker.season} term, but the term it closes started as the ${start.season} term (${start.ref}); correct one of the titles.`,
      );
    }
    const name = start.season ?? marker.season ?? seasonStartingIn(start.date, start.at);
    const at: Locate = (field) => (field === 'end' ? marker.at('start') : start.at(field));
    const ref = `${start.ref} to ${marker.ref}`;
    terms.push({ kind: 'term', name, academicYear: academicYearOfTerm(name, start.date), start: start.date, end: marker.date, at, ref });
    open = undefined;
  }
  if (open !== undefined) {
    throw calendarInvalid(`${open.at()}: has no term-end event after it; add an all-day event such as "Summer term ends" on the term's last day.`);
  }
  return terms;
}

/** English terms start in Aug–Oct (autumn), Dec–Feb (spring) or Mar–Jun (summer). */
function seasonStartingIn(date: string, at: Locate): TermName {
  const month = Number(date.slice(5, 7));
  if (month >= 8 && month <= 10) return 'autumn';
  if (month === 12 || month <= 2) return 'spring';
  if (month >= 3 && month <= 6) return 'summer';
  throw calendarInvalid(`${at('name')}: cannot tell which term starts on ${date}; put autumn, spring or summer in the title.`);
}
