import { sql, type RawBuilder } from 'kysely';
import { pupilNameKeys } from '../names/normalize-name.ts';
import type { RosterPupil } from './roster.ts';

/**
 * Pupils travel to the server as one array per column, which the statement unnests: a few
 * thousand rows cost one statement rather than one each. The arrays are sent as PostgreSQL array
 * literals built here rather than by the driver, for two reasons: the import can build a school's
 * arrays while the server is still writing the previous school's (the driver would build them
 * only when the statement is sent, with the server idle), and one scan per value is cheaper than
 * the driver's escaping, which matters at a trust's 100,000 pupils.
 */

/** A batch's columns, built before its school's staff ids are known. */
export interface PreparedPupils {
  size: number;
  sourceIds: string[];
  tutorEmails: (string | null)[];
  /** Array literals: source, upn, given, family, preferred, dob, year, form, house, sen, eal, name key, preferred key. */
  columns: string[];
}

export interface PupilBatch extends PreparedPupils {
  /** The tutor's staff id by pupil source id; null leaves the current assignment alone. */
  tutorOf: Map<string, number | null>;
  /** The array literal of the tutors' staff ids, in row order. */
  tutorColumn: string;
}

export function preparePupils(pupils: RosterPupil[], batchSize: number): PreparedPupils[] {
  const batches: PreparedPupils[] = [];
  for (let start = 0; start < pupils.length; start += batchSize) {
    const slice = pupils.slice(start, start + batchSize);
    const keys = slice.map((pupil) => pupilNameKeys(pupil));
    const text = (value: (pupil: RosterPupil, i: number) => string | null) => textArray(slice.map(value));
    batches.push({
      size: slice.length,
      sourceIds: slice.map((pupil) => pupil.sourceId),
      tutorEmails: slice.map((pupil) => pupil.tutorEmail),
      columns: [
        text((pupil) => pupil.sourceId),
        text((pupil) => pupil.upn),
        text((pupil) => pupil.givenName),
        text((pupil) => pupil.familyName),
        text((pupil) => pupil.preferredName),
        text((pupil) => pupil.dateOfBirth),
        plainArray(slice.map((pupil) => pupil.yearGroup)),
        text((pupil) => pupil.form),
        text((pupil) => pupil.house),
        plainArray(slice.map((pupil) => (pupil.sen ? 't' : 'f'))),
        plainArray(slice.map((pupil) => (pupil.eal ? 't' : 'f'))),
        text((_, i) => keys[i].nameKey),
        text((_, i) => keys[i].preferredKey),
      ],
    });
  }
  return batches;
}

/** Adds the tutors' staff ids, known once the school's staff are written. */
export function withTutors(prepared: PreparedPupils, tutorIds: Map<string, number>): PupilBatch {
  const tutors = prepared.tutorEmails.map((email) => (email === null ? null : (tutorIds.get(email) ?? null)));
  return {
    ...prepared,
    tutorOf: new Map(prepared.sourceIds.map((sourceId, i) => [sourceId, tutors[i]])),
    tutorColumn: plainArray(tutors),
  };
}

/** The batch as rows r(source_id, upn, ..., staff_id), for a statement's FROM or WITH. */
export function unnestPupilBatch(batch: PupilBatch): RawBuilder<unknown> {
  const [source, upn, given, family, preferred, dob, year, form, house, sen, eal, nameKey, preferredKey] = batch.columns;
  return sql`unnest(${source}::text[], ${upn}::text[], ${given}::text[], ${family}::text[], ${preferred}::text[], ${dob}::date[],
    ${year}::smallint[], ${form}::text[], ${house}::text[], ${sen}::boolean[], ${eal}::boolean[], ${nameKey}::text[], ${preferredKey}::text[],
    ${batch.tutorColumn}::int[])
    AS r(source_id, upn, given_name, family_name, preferred_name, date_of_birth, year_group, form, house, sen, eal, name_key, preferred_key, staff_id)`;
}

const needsEscape = /["\\]/;

/** {"a","b \"c\"",NULL}: every element quoted, so spaces, commas, braces and the word NULL stay text. */
export function textArray(values: readonly (string | null)[]): string {
  let literal = '{';
  for (let i = 0; i < values.length; i += 1) {
    const value = values[i];
    if (i > 0) literal += ',';
    if (value === null) literal += 'NULL';
    else literal += `"${needsEscape.test(value) ? value.replace(/["\\]/g, '\\$&') : value}"`;
  }
  return `${literal}}`;
}

/** {1,NULL,3} or {t,f}: elements that never need quoting. */
function plainArray(values: readonly (number | string | null)[]): string {
  return `{${values.map((value) => (value === null ? 'NULL' : value)).join(',')}}`;
}
