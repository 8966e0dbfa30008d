import type { StaffRole } from '../staff/staff-tables.ts';
import type { ImportProblems } from './import-problems.ts';
import type { CsvRow } from './read-csv.ts';

/**
 * Reading one cell of a roster file into a value, or a problem that names the file, row and
 * column and says how to write it instead. Shared by both roster formats so the same value is
 * accepted (and explained) the same way in each.
 */

export const maxNameLength = 200;

/** Text such as a name, form or house; null when blank. */
export function readText(row: CsvRow, column: string, problems: ImportProblems, options: { required?: string; max?: number } = {}): string | null {
  const value = row.get(column);
  const max = options.max ?? maxNameLength;
  if (!value) {
    if (options.required) problems.add(`${row.at(column)} is empty; ${options.required}.`);
    return null;
  }
  if (value.length > max) {
    problems.add(`${row.at(column)} is ${value.length} characters long; it can be at most ${max} characters.`);
    return null;
  }
  return value;
}

const emailPattern = /^[^\s@"<>,;]+@[^\s@"<>,;]+\.[^\s@"<>,;]+$/;

export function readEmail(row: CsvRow, column: string, problems: ImportProblems, required?: string): string | null {
  const value = row.get(column).toLowerCase();
  if (!value) {
    if (required) problems.add(`${row.at(column)} is empty; ${required}.`);
    return null;
  }
  if (value.length > 254 || !emailPattern.test(value)) {
    problems.add(`${row.at(column)}: "${shorten(value)}" is not an email address; write it like j.smith@school.org.uk.`);
    return null;
  }
  return value;
}

/** "9", "09", "Year 9", "Y9", "Yr 9"; null when the text is not a year group. */
export function parseYearGroup(value: string): number | null {
  const match = /^(?:y|yr|year)?\s*0?(\d{1,2})$/i.exec(value.trim());
  if (!match) return null;
  const year = Number(match[1]);
  return year >= 1 && year <= 13 ? year : null;
}

export function readYearGroup(row: CsvRow, column: string, problems: ImportProblems): number | null {
  const value = row.get(column);
  if (!value) return null;
  const year = parseYearGroup(value);
  if (year === null) problems.add(`${row.at(column)}: "${shorten(value)}" is not a year group; write a number from 7 to 13.`);
  return year;
}

const yes = new Set(['y', 'yes', 'true', 't', '1']);
const no = new Set(['n', 'no', 'false', 'f', '0']);

/** Yes/no flags; blank means no. */
export function readFlag(row: CsvRow, column: string, problems: ImportProblems): boolean {
  const value = row.get(column).toLowerCase();
  if (!value || no.has(value)) return false;
  if (yes.has(value)) return true;
  problems.add(`${row.at(column)}: "${shorten(value)}" is not yes or no; write Y or N (or leave it blank for no).`);
  return false;
}

/** A calendar date as YYYY-MM-DD (or DD/MM/YYYY, as UK spreadsheets write it). */
export function readDate(row: CsvRow, column: string, problems: ImportProblems): string | null {
  const value = row.get(column);
  if (!value) return null;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(value);
  const uk = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$/.exec(value);
  const [year, month, day] = iso ? [iso[1], iso[2], iso[3]] : uk ? [uk[3], uk[2], uk[1]] : ['', '', ''];
  if (year) {
    const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
    if (date.getUTCFullYear() === Number(year) && date.getUTCMonth() === Number(month) - 1 && date.getUTCDate() === Number(day)) {
      return `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
    }
  }
  problems.add(`${row.at(column)}: "${shorten(value)}" is not a date; write it as YYYY-MM-DD (e.g. 2012-09-14) or DD/MM/YYYY.`);
  return null;
}

// A Map, not an object literal: a cell saying "constructor" or "__proto__" must not find Object's own members.
const roleSpellings = new Map<string, StaffRole>(
  Object.entries({
    tutor: 'tutor',
    form_tutor: 'tutor',
    personal_tutor: 'tutor',
    head_of_house: 'head_of_house',
    hoh: 'head_of_house',
    head_of_year: 'head_of_year',
    hoy: 'head_of_year',
    pastoral_lead: 'pastoral_lead',
    pastoral: 'pastoral_lead',
    pastoral_leader: 'pastoral_lead',
    dsl: 'dsl',
    designated_safeguarding_lead: 'dsl',
    deputy_dsl: 'deputy_dsl',
    ddsl: 'deputy_dsl',
    deputy_designated_safeguarding_lead: 'deputy_dsl',
    senco: 'senco',
    sendco: 'senco',
    admin: 'admin',
    administrator: 'admin',
  } satisfies Record<string, StaffRole>),
);

const listSeparator = /[;|,]/;

/** Roles separated by ; or |, in our spelling or a person's ("Head of House", "Deputy DSL"). */
export function readRoles(row: CsvRow, column: string, problems: ImportProblems): StaffRole[] {
  const roles = new Set<StaffRole>();
  for (const part of row.get(column).split(listSeparator)) {
    const key = part
      .trim()
      .toLowerCase()
      .replace(/[.']/g, '')
      .replace(/[\s-]+/g, '_');
    if (!key) continue;
    const role = roleSpellings.get(key);
    if (role) roles.add(role);
    else {
      problems.add(
        `${row.at(column)}: "${shorten(part.trim())}" is not a role; use tutor, head_of_house, head_of_year, pastoral_lead, dsl, deputy_dsl, senco or admin, separated by ";".`,
      );
    }
  }
  return [...roles];
}

export interface Scope {
  years: number[];
  houses: string[];
}

/** "year 9; house Aurora", "years 10-11", "Y7": what a head of year or house looks after. */
export function readScope(row: CsvRow, column: string, problems: ImportProblems): Scope {
  const scope: Scope = { years: [], houses: [] };
  for (const part of row.get(column).split(listSeparator)) {
    const item = part.trim();
    if (!item) continue;
    const house = /^house\s+(.+)$/i.exec(item);
    const range = /^(?:years?|y|yr)?\s*(\d{1,2})\s*(?:-|–|to)\s*(?:years?|y|yr)?\s*(\d{1,2})$/i.exec(item);
    const single = parseYearGroup(item.replace(/^years\s*/i, ''));
    if (house && house[1].length <= maxNameLength) scope.houses.push(house[1].trim());
    else if (range && parseYearGroup(range[1]) && parseYearGroup(range[2]) && Number(range[1]) <= Number(range[2])) {
      for (let year = Number(range[1]); year <= Number(range[2]); year += 1) scope.years.push(year);
    } else if (single !== null) scope.years.push(single);
    else {
      problems.add(`${row.at(column)}: "${shorten(item)}" is not a scope; write "year 9", "years 10-11" or "house Aurora", separated by ";".`);
    }
  }
  return scope;
}

/** Long hostile values are cut short in messages so one bad cell cannot flood the terminal. */
export function shorten(value: string): string {
  return value.length > 60 ? `${value.slice(0, 57)}…` : value;
}
