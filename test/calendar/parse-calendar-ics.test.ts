import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { calendarRejection } from './calendar-rejection.ts';
import { isSchoolDay, parseCalendarFile } from '../../src/calendar/index.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

/** An iCalendar file with the given events, each a list of property lines. */
function ics(...events: string[][]): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Test//Test//EN'];
  events.forEach((properties, position) => {
    lines.push('BEGIN:VEVENT', `UID:event-${position + 1}@example.invalid`, 'DTSTAMP:20260601T120000Z', ...properties, 'END:VEVENT');
  });
  lines.push('END:VCALENDAR', '');
  return lines.join('\r\n');
}

const AUTUMN = ['SUMMARY:Autumn Term', 'DTSTART;VALUE=DATE:20260902', 'DTEND;VALUE=DATE:20261219'];
const HALF_TERM = ['SUMMARY:Half Term', 'DTSTART;VALUE=DATE:20261026', 'DTEND;VALUE=DATE:20261031'];

function parse(content: string) {
  return parseCalendarFile('calendar.ics', content, 'Europe/London');
}

describe('parseCalendarFile with iCalendar', () => {
  it('reads terms, half terms and closures from a school website export and ignores other events', () => {
    const calendar = parseCalendarFile('westbrook-high.ics', fixture('westbrook-high.ics'), 'Europe/London');
    expect(calendar).toEqual({
      timeZone: 'Europe/London',
      source: 'imported',
      terms: [
        { academicYear: '2026-27', name: 'autumn', start: '2026-09-03', end: '2026-12-18', halfTermStart: '2026-10-26', halfTermEnd: '2026-10-30' },
        { academicYear: '2026-27', name: 'spring', start: '2027-01-05', end: '2027-03-26', halfTermStart: '2027-02-15', halfTermEnd: '2027-02-19' },
        { academicYear: '2026-27', name: 'summer', start: '2027-04-12', end: '2027-07-21', halfTermStart: '2027-05-29', halfTermEnd: '2027-06-06' },
      ],
      closures: [
        { date: '2026-09-02', kind: 'inset', label: 'INSET Day - no pupils in school' },
        { date: '2027-05-03', kind: 'bank_holiday', label: 'Early May Bank Holiday' },
        {
          date: '2027-05-06',
          kind: 'closure',
          label: 'School closed to pupils, polling station in the main hall (a long title folded onto a second line)',
        },
      ],
    });
  });

  it('treats DTEND as the day after an all-day event ends', () => {
    const calendar = parse(ics(AUTUMN, HALF_TERM));
    expect(calendar.terms[0].end).toBe('2026-12-18');
    expect(isSchoolDay(calendar, '2026-12-18')).toBe(true);
    expect(isSchoolDay(calendar, '2026-12-19')).toBe(false);
    expect(isSchoolDay(calendar, '2026-10-30')).toBe(false);
  });

  it('makes a one-day event of an all-day event with no DTEND', () => {
    const calendar = parse(ics(AUTUMN, HALF_TERM, ['SUMMARY:Staff training day', 'DTSTART;VALUE=DATE:20261120']));
    expect(calendar.closures).toEqual([{ date: '2026-11-20', kind: 'inset', label: 'Staff training day' }]);
  });

  it('infers the term from its start month and reads "end of term" before other words', () => {
    const calendar = parse(
      ics(
        ['SUMMARY:First day of term', 'DTSTART;VALUE=DATE:20270105'],
        ['SUMMARY:Half term', 'DTSTART;VALUE=DATE:20270215', 'DTEND;VALUE=DATE:20270220'],
        ['SUMMARY:End of term - Easter holidays begin', 'DTSTART;VALUE=DATE:20270326'],
      ),
    );
    expect(calendar.terms).toEqual([
      { academicYear: '2026-27', name: 'spring', start: '2027-01-05', end: '2027-03-26', halfTermStart: '2027-02-15', halfTermEnd: '2027-02-19' },
    ]);
  });

  it('rejects a recognised event that has a time of day', () => {
    const message = calendarRejection(() => parse(ics(AUTUMN, HALF_TERM, ['SUMMARY:INSET day', 'DTSTART:20261120T083000Z', 'DTEND:20261120T153000Z'])));
    expect(message).toBe(
      'calendar.ics event 3 ("INSET day"), DTSTART: has a time of day; make it an all-day event (DTSTART;VALUE=DATE:YYYYMMDD) so it covers whole school days.',
    );
  });

  it('rejects a date that does not exist instead of rolling it over', () => {
    const message = calendarRejection(() => parse(ics(['SUMMARY:Autumn Term', 'DTSTART;VALUE=DATE:20261301', 'DTEND;VALUE=DATE:20270201'])));
    expect(message).toBe('calendar.ics event 1 ("Autumn Term"), DTSTART: 20261301 is not a real date; correct it.');
  });

  it('rejects a DTEND that is not after DTSTART', () => {
    const message = calendarRejection(() => parse(ics(AUTUMN, ['SUMMARY:Half Term', 'DTSTART;VALUE=DATE:20261030', 'DTEND;VALUE=DATE:20261026'])));
    expect(message).toBe(
      'calendar.ics event 2 ("Half Term"), DTEND: 20261026 is not after DTSTART 20261030; for an all-day event DTEND is the day after the last day.',
    );
  });

  it('rejects a half term outside its term, naming the event', () => {
    const message = calendarRejection(() => parse(ics(AUTUMN, ['SUMMARY:Half Term', 'DTSTART;VALUE=DATE:20261214', 'DTEND;VALUE=DATE:20261223'])));
    expect(message).toMatch(/^calendar\.ics event 2 \("Half Term"\), DTEND: the half term 2026-12-14 to 2026-12-22 runs outside the autumn 2026-27 term/);
  });

  it('explains how to add a missing half term as an event', () => {
    const message = calendarRejection(() => parse(ics(AUTUMN)));
    expect(message).toBe(
      'calendar.ics event 1 ("Autumn Term"): the autumn 2026-27 term (2026-09-02 to 2026-12-18) has no half term; add an all-day event titled "Half Term" covering its half-term holiday.',
    );
  });

  it('rejects a term start with no matching term end', () => {
    const message = calendarRejection(() => parse(ics(['SUMMARY:Spring term starts', 'DTSTART;VALUE=DATE:20270105'])));
    expect(message).toMatch(/^calendar\.ics event 1 \("Spring term starts"\): has no term-end event after it; /);
  });

  it('rejects a recurring closure', () => {
    const message = calendarRejection(() => parse(ics(AUTUMN, HALF_TERM, ['SUMMARY:INSET day', 'DTSTART;VALUE=DATE:20260902', 'RRULE:FREQ=YEARLY'])));
    expect(message).toBe('calendar.ics event 3 ("INSET day"): repeats (it has an RRULE); list each date as its own all-day event.');
  });

  it('rejects a file that is not iCalendar', () => {
    expect(calendarRejection(() => parse('this is not a calendar'))).toMatch(/^calendar\.ics is not a valid iCalendar file \(/);
    expect(calendarRejection(() => parse('BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nEND:VCALENDAR\r\n'))).toMatch(/^calendar\.ics is not a valid iCalendar file \(/);
  });

  it('rejects a calendar with no term events', () => {
    expect(calendarRejection(() => parse(ics(HALF_TERM)))).toMatch(/^calendar\.ics has no terms, /);
  });
});
