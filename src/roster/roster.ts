import type { StaffRole } from '../db/schema.ts';

/**
 * A roster as tutorbot understands it, whatever file it came from (OneRoster CSV, the simple CSV
 * pair, or the demo school). Import parsers produce it; applyRoster() writes it.
 */

export interface RosterStaff {
  /** The MIS / OneRoster id when there is one; staff are matched by email otherwise. */
  sourceId: string | null;
  email: string;
  displayName: string;
  roles: StaffRole[];
  yearScope: number[];
  houseScope: string[];
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
  assignments: { started: number; ended: number };
}
