import type { StaffRole } from '../staff/staff-tables.ts';

/**
 * A roster as tutorbot understands it, whatever file it came from (OneRoster CSV, the simple CSV
 * pair, or the demo school). Import parsers produce it; applyRoster() writes it.
 */

/**
 * Where a row came from, so that problems found after parsing (duplicates, unknown tutors) can
 * still name the file, the spreadsheet row and the column a person has to fix.
 */
export interface RosterOrigin {
  file: string;
  /** The row as a spreadsheet counts it: the header is row 1. */
  row: number;
  /** The column each field was read from, e.g. { sourceId: 'mis_id', tutorEmail: 'tutor_email' }. */
  columns: { sourceId?: string; email?: string; upn?: string; tutorEmail?: string };
}

export interface RosterStaff {
  /** The MIS / OneRoster id when there is one; staff are matched by email otherwise. */
  sourceId: string | null;
  email: string;
  displayName: string;
  roles: StaffRole[];
  yearScope: number[];
  houseScope: string[];
  origin?: RosterOrigin;
}

export interface RosterPupil {
  /** The id the MIS uses for the pupil (OneRoster sourcedId, MIS id): how re-imports match rows. */
  sourceId: string;
  upn: string | null;
  givenName: string;
  familyName: string;
  preferredName: string | null;
  dateOfBirth: string | null;
  yearGroup: number | null;
  form: string | null;
  house: string | null;
  sen: boolean;
  eal: boolean;
  /** The tutor's email (must be one of the roster's staff), or null for no tutor. */
  tutorEmail: string | null;
  origin?: RosterOrigin;
}

export interface RosterSchool {
  name: string;
  urn: string | null;
  timeZone: string | null;
  staff: RosterStaff[];
  pupils: RosterPupil[];
}

export interface Roster {
  schools: RosterSchool[];
}

export interface RosterSummary {
  schools: number;
  staff: { added: number; changed: number; deactivated: number; unchanged: number };
  pupils: { added: number; changed: number; deactivated: number; unchanged: number };
  /** started: new current rows; ended: rows given a valid_to; changed: pupils moved from one tutor to another. */
  assignments: { started: number; ended: number; changed: number };
}
