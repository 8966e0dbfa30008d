import { extname } from 'node:path';
import { defaultTimeZone } from '../schools/default-time-zone.ts';
import { calendarInvalid } from './assemble-calendar.ts';
import { isKnownTimeZone } from './local-date.ts';
import { parseCalendarCsv } from './parse-calendar-csv.ts';
import { parseCalendarIcs } from './parse-calendar-ics.ts';
import type { SchoolCalendar } from './school-calendar.ts';

/**
 * Reads a school's own term dates for `tutorbot calendar import FILE`, as CSV or iCalendar.
 *
 * CSV (UTF-8, with or without a BOM; CRLF or LF; fields may be "quoted", e.g. to hold a comma):
 *
 *     kind,name,start,end
 *     term,autumn 2026,2026-09-02,2026-12-18
 *     half_term,,2026-10-26,2026-10-30
 *     inset,INSET day,2026-09-01,
 *     bank_holiday,Early May bank holiday,2027-05-03,2027-05-03
 *     closure,"Polling station, hall in use",2027-05-06,2027-05-07
 *
 * - The first row is the header; the four columns may come in any order, extra columns are
 *   ignored, and blank rows are skipped.
 * - `kind` is one of `term`, `half_term`, `inset`, `bank_holiday`, `closure` (case and
 *   spaces/hyphens are forgiven: "Half term" reads as half_term).
 * - `start` and `end` are the first and last days, inclusive, written YYYY-MM-DD. `end` may be
 *   blank for a one-day inset/bank_holiday/closure. A closure spanning several days closes
 *   each weekday in it.
 * - `name`: for a term, `autumn`, `spring` or `summer`, optionally followed by "term" and by
 *   the calendar year it starts in (`autumn 2026`) or the academic year (`spring 2026-27`);
 *   for a closure, the label shown in `tutorbot calendar show`; ignored for a half term.
 * - Each half_term row belongs to the term whose dates contain it, and every term needs
 *   exactly one. Terms must not overlap. The file may cover several academic years.
 *
 * iCalendar (.ics), e.g. exported from the school's website calendar: all-day VEVENTs
 * (DTSTART;VALUE=DATE, with DTEND exclusive as RFC 5545 says) are sorted by SUMMARY:
 * "Half Term" → half term; "INSET"/"Training day" → INSET; "Bank Holiday", "Good Friday",
 * "Easter Monday" → bank holiday; "Closed"/"Closure" → closure; "Autumn Term" spanning the
 * term → a term; "Autumn term starts" + "Autumn term ends" (single days) → a term. Any other
 * event (parents' evenings, "Christmas holidays", timed events) is ignored.
 *
 * Every problem is a TutorbotError `tutorbot_calendar_invalid` naming the file, the row and
 * column (CSV) or the event and field (ICS), and saying how to fix it.
 */
export function parseCalendarFile(fileName: string, content: string, timeZone: string): SchoolCalendar {
  if (!isKnownTimeZone(timeZone)) {
    throw calendarInvalid(`"${timeZone}" is not a time zone this system knows; use an IANA name such as ${defaultTimeZone}.`);
  }
  refuseLostCharacters(fileName, content);
  const format = formatOf(fileName, content);
  return format === 'csv' ? parseCalendarCsv(fileName, content, timeZone) : parseCalendarIcs(fileName, content, timeZone);
}

/**
 * U+FFFD is what a file that is not UTF-8 becomes when read as UTF-8: storing it would lose the
 * letters for good, so the file is refused with the fix.
 */
function refuseLostCharacters(fileName: string, content: string): void {
  const lost = content.indexOf('\ufffd');
  if (lost === -1) return;
  const line = content.slice(0, lost).split(/\r\n|\n|\r/).length;
  throw calendarInvalid(
    `${fileName} row ${line}: holds a character that is not UTF-8 ("\ufffd"); save the file again as UTF-8 (in Excel, "CSV UTF-8 (Comma delimited)"; from a calendar, export it again as .ics), then import again.`,
  );
}

function formatOf(fileName: string, content: string): 'csv' | 'ics' {
  const extension = extname(fileName).toLowerCase();
  if (extension === '.csv') return 'csv';
  if (extension === '.ics' || extension === '.ical' || extension === '.icalendar') return 'ics';
  // Downloads sometimes lose their extension; the content still says what it is.
  const opening = content
    .replace(/^\uFEFF/, '')
    .trimStart()
    .slice(0, 200)
    .toLowerCase();
  if (opening.startsWith('begin:vcalendar')) return 'ics';
  if (/^[^\n]*\bkind\b[^\n]*,/.test(opening)) return 'csv';
  throw calendarInvalid(`${fileName}: cannot tell whether this is CSV or iCalendar; save it as .csv (with the header kind,name,start,end) or as .ics.`);
}
