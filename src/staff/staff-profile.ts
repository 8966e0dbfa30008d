import type { StaffRole } from './staff-tables.ts';

/**
 * What tutorbot knows of a member of staff wherever they appear: as the actor of a request
 * (./actor.ts) or as someone a request names (./find-staff.ts). Stated once so the two cannot
 * drift apart; each adds only its own ids.
 */
export interface StaffProfile {
  email: string;
  displayName: string;
  roles: StaffRole[];
  yearScope: number[];
  houseScope: string[];
}
