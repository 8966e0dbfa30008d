import { describe, expect, it } from 'vitest';
import { calendarRejection } from './calendar-rejection.ts';
import { parseCalendarFile } from '../../src/calendar/index.ts';

const HEADER = 'kind,name,start,end';
const AUTUMN = 'term,autumn 2026,2026-09-02,2026-12-18';
const AUTUMN_HALF_TERM = 'half_term,,2026-10-26,2026-10-30';

describe('a calendar file that is hostile or broken', () => {
  it('names a bad row by the line it starts on, after a quoted name with line breaks and blank rows', () => {
    const content = [HEADER, AUTUMN, AUTUMN_HALF_TERM, 'closure,"Polling station,\nhall in use\nall day",2026-11-05,', '', ',,,', 'inset,,2026-13-01,'].join(
      '\n',
    );
    expect(calendarRejection(() => parseCalendarFile('calendar.csv', content, 'Europe/London'))).toBe(
      'calendar.csv row 9, column "start": "2026-13-01" is not a date; write dates as YYYY-MM-DD.',
    );
  });

  it('reads a file whose line endings change from CRLF to LF and CR part-way', () => {
    const content = `${HEADER}\r\n${AUTUMN}\n"half_term",,2026-10-26,2026-10-30\rinset,"INSET day",2026-11-20,\r\n`;
    const calendar = parseCalendarFile('calendar.csv', content, 'Europe/London');
    expect(calendar.terms).toHaveLength(1);
    expect(calendar.closures).toEqual([{ date: '2026-11-20', kind: 'inset', label: 'INSET day' }]);
  });

  it('refuses text that was not UTF-8 (read as U+FFFD), naming the row and the fix', () => {
    const content = [HEADER, AUTUMN, AUTUMN_HALF_TERM, 'closure,F\ufffdte de l\u2019\u00e9cole,2026-11-05,'].join('\n');
    expect(calendarRejection(() => parseCalendarFile('calendar.csv', content, 'Europe/London'))).toContain(
      'calendar.csv row 4: holds a character that is not UTF-8 ("\ufffd"); save the file again as UTF-8',
    );
  });

  it('treats constructor, __proto__ and toString as words, not as kinds of row', () => {
    for (const word of ['constructor', '__proto__', 'toString']) {
      expect(
        calendarRejection(() => parseCalendarFile('calendar.csv', [HEADER, AUTUMN, AUTUMN_HALF_TERM, `${word},x,2026-11-05,`].join('\n'), 'Europe/London')),
      ).toBe(
        `calendar.csv row 4, column "kind": has "${word}", which is not a kind this file can use; write one of term, half_term, inset, bank_holiday, closure.`,
      );
    }
  });
});
