import { describe, expect, it } from 'vitest';
import { describeCalendar, englandDefaultCalendar } from '../../src/calendar/index.ts';
import { hollinsPark } from './fixtures/hollins-park-calendar.ts';

describe('describeCalendar', () => {
  it('opens with a note that the default calendar is a guess and how to import the real one', () => {
    const lines = describeCalendar(englandDefaultCalendar(2026), '2026-11-04').split('\n');
    expect(lines[0]).toContain('built-in England default calendar');
    expect(lines[1]).toContain('tutorbot calendar import FILE');
  });

  it('lists an imported calendar without the default note', () => {
    const text = describeCalendar(hollinsPark, '2026-11-04');
    expect(text).not.toContain('default');
    expect(text.split('\n')[0]).toBe('Time zone: Europe/London');
  });

  it('lists each term with its half term and school-day count, marking the current one', () => {
    const text = describeCalendar(hollinsPark, '2026-11-04');
    expect(text).toContain(
      [
        '2026-27',
        '  Autumn term   Wed 2 Sep 2026 to Fri 18 Dec 2026    71 school days  (now)',
        '    half term   Mon 26 Oct 2026 to Fri 30 Oct 2026',
        '  Spring term   Tue 5 Jan 2027 to Fri 26 Mar 2027    54 school days',
        '    half term   Mon 15 Feb 2027 to Fri 19 Feb 2027',
        '  Summer term   Mon 12 Apr 2027 to Wed 21 Jul 2027   64 school days',
        '    half term   Mon 31 May 2027 to Fri 4 Jun 2027',
      ].join('\n'),
    );
  });

  it('lists closures and flags those that fall in a holiday anyway', () => {
    const text = describeCalendar(englandDefaultCalendar(2026), '2026-11-04');
    expect(text).toContain('  Mon 3 May 2027   bank holiday  Early May bank holiday\n');
    expect(text).toContain('  Mon 28 Dec 2026  bank holiday  Boxing Day (substitute day)  (in a holiday anyway)');
  });

  it('says whether today is a school day and why not', () => {
    expect(describeCalendar(hollinsPark, '2026-11-04')).toContain('Today, Wed 4 Nov 2026: a school day in the autumn term 2026-27.');
    expect(describeCalendar(hollinsPark, '2026-10-27')).toContain('Today, Tue 27 Oct 2026: not a school day (autumn half term).');
    expect(describeCalendar(hollinsPark, '2026-11-20')).toContain('not a school day (INSET day, safeguarding training).');
    expect(describeCalendar(hollinsPark, '2026-12-25')).toContain('not a school day (school holiday).');
    expect(describeCalendar(hollinsPark, '2027-08-02')).toContain("import next year's dates with `tutorbot calendar import FILE`");
  });
});
