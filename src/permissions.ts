import type { Actor } from './staff/actor.ts';

/**
 * Who may see what (docs/roles.md). Every feature asks here rather
 * than checking roles itself, so the table lives in one place.
 */

export interface PupilScopeFacts {
  yearGroup: number | null;
  house: string | null;
  /** staff id of the pupil's current tutor, if any */
  tutorStaffId: number | null;
}

export function isSafeguardingLead(actor: Actor): boolean {
  return actor.roles.includes('dsl') || actor.roles.includes('deputy_dsl');
}

export function isAdmin(actor: Actor): boolean {
  return actor.roles.includes('admin');
}

/** A whole-school pastoral lead: a pastoral lead with no year or house named. */
export function isWholeSchoolLead(actor: Actor): boolean {
  return actor.roles.includes('pastoral_lead') && actor.yearScope.length === 0 && actor.houseScope.length === 0;
}

export function isPastoralLead(actor: Actor): boolean {
  return actor.roles.some((role) => role === 'head_of_house' || role === 'head_of_year' || role === 'pastoral_lead');
}

/** Heads of house and year (and pastoral leads) cover the pupils in the years and houses they lead. */
export function leadsPupil(actor: Actor, pupil: PupilScopeFacts): boolean {
  if (isWholeSchoolLead(actor)) return true;
  const byYear =
    (actor.roles.includes('head_of_year') || actor.roles.includes('pastoral_lead')) && pupil.yearGroup !== null && actor.yearScope.includes(pupil.yearGroup);
  const byHouse =
    (actor.roles.includes('head_of_house') || actor.roles.includes('pastoral_lead')) &&
    pupil.house !== null &&
    actor.houseScope.some((house) => house.toLowerCase() === pupil.house?.toLowerCase());
  return byYear || byHouse;
}

export function tutorsPupil(actor: Actor, pupil: PupilScopeFacts): boolean {
  return pupil.tutorStaffId === actor.staffId;
}

/** Non-safeguarding notes (concerns, praise, follow-ups) and meeting notes about a pupil. */
export function canReadPupilNotes(actor: Actor, pupil: PupilScopeFacts): boolean {
  return isSafeguardingLead(actor) || tutorsPupil(actor, pupil) || leadsPupil(actor, pupil);
}

export function canReadSafeguarding(actor: Actor): boolean {
  return isSafeguardingLead(actor);
}

export function canLogMeeting(actor: Actor, pupil: PupilScopeFacts): boolean {
  return isSafeguardingLead(actor) || tutorsPupil(actor, pupil) || leadsPupil(actor, pupil);
}

/** SEN and EAL flags: for those who work with the pupil's needs. */
export function canSeeNeedsFlags(actor: Actor, pupil: PupilScopeFacts): boolean {
  return canReadPupilNotes(actor, pupil) || actor.roles.includes('senco') || actor.roles.includes('admin');
}

export function canQueryCaseloads(actor: Actor): boolean {
  return isSafeguardingLead(actor) || isPastoralLead(actor) || actor.roles.includes('tutor') || isAdmin(actor);
}

/** Assignments and handover: admins, and heads of house / year for pupils in scope. */
export function canAssign(actor: Actor, pupil: PupilScopeFacts): boolean {
  return isAdmin(actor) || leadsPupil(actor, pupil);
}

/**
 * The text of one note (concern, praise, follow-up). Safeguarding notes are for the safeguarding
 * team only, not even their author; others for those who may read the pupil's notes, and for
 * whoever wrote them ("staff: own notes only").
 */
export function canReadNoteText(actor: Actor, pupil: PupilScopeFacts, note: { authorStaffId: number; safeguarding: boolean }): boolean {
  if (note.safeguarding) return canReadSafeguarding(actor);
  return note.authorStaffId === actor.staffId || canReadPupilNotes(actor, pupil);
}

/** Admins see how many notes a pupil has, never their text; safeguarding notes are counted for DSLs only. */
export function canCountPupilNotes(actor: Actor): boolean {
  return isAdmin(actor) || isSafeguardingLead(actor);
}
