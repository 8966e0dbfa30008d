import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCalendarFile } from '../../src/calendar/index.ts';
import { isTutorbotError } from '../../src/errors.ts';

/**
 * Property-based tests of the iCalendar reader: whatever a school's website exports, the reader
 * answers with a calendar or a calendar problem it can name, never anything else; and terms
 * written as all-day events read back as written.
 */
const runs = { numRuns: 200 };
const icsLine = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.constantFrom('BEGIN:VCALENDAR', 'END:VCALENDAR', 'BEGIN:VEVENT', 'END:VEVENT', 'VERSION:2.0', 'SUMMARY:Autumn term', 'SUMMARY:Half term'),
  fc
    .tuple(fc.constantFrom('DTSTART', 'DTEND', 'DTSTART;VALUE=DATE', 'DTEND;VALUE=DATE', 'RRULE', 'SUMMARY', 'UID'), fc.string({ maxLength: 30 }))
    .map(([name, value]) => `${name}:${value}`),
  fc
    .date({ min: new Date('2020-01-01'), max: new Date('2035-12-31'), noInvalidDate: true })
    .map((date) => `DTSTART;VALUE=DATE:${date.toISOString().slice(0, 10).replace(/-/g, '')}`),
);

function ics(events: string[][]): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Test//Test//EN'];
  for (const [position, properties] of events.entries()) {
    lines.push('BEGIN:VEVENT', `UID:e${position}@example.invalid`, 'DTSTAMP:20260601T120000Z', ...properties, 'END:VEVENT');
  }
  lines.push('END:VCALENDAR', '');
  return lines.join('\r\n');
}

const compact = (date: string) => date.replace(/-/g, '');

describe('the iCalendar reader under arbitrary input', () => {
  it('reads any text as a calendar or refuses it as a calendar problem, never with an uncoded error', () => {
    fc.assert(
      fc.property(fc.array(icsLine, { maxLength: 40 }), fc.constantFrom('\r\n', '\n'), (lines, newline) => {
        try {
          parseCalendarFile('school.ics', lines.join(newline), 'Europe/London');
        } catch (error) {
          expect(isTutorbotError(error)).toBe(true);
          expect((error as { code: string }).code).toBe('tutorbot_calendar_invalid');
        }
      }),
      runs,
    );
  });

  it('reads an autumn term with its half term back as written, for any year', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2024, max: 2040 }), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 12, max: 20 }), (year, startDay, endDay) => {
        const start = `${year}-09-0${startDay}`;
        const end = `${year}-12-${endDay}`;
        const dayAfter = `${year}-12-${endDay + 1}`;
        const calendar = parseCalendarFile(
          'school.ics',
          ics([
            ['SUMMARY:Autumn Term', `DTSTART;VALUE=DATE:${compact(start)}`, `DTEND;VALUE=DATE:${compact(dayAfter)}`],
            ['SUMMARY:Half Term', `DTSTART;VALUE=DATE:${year}1026`, `DTEND;VALUE=DATE:${year}1031`],
          ]),
          'Europe/London',
        );
        expect(calendar.terms).toEqual([expect.objectContaining({ name: 'autumn', start, end, halfTermStart: `${year}-10-26`, halfTermEnd: `${year}-10-30` })]);
      }),
      runs,
    );
  });
});
