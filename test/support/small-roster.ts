import type { Roster, RosterPupil, RosterStaff } from '../../src/roster/roster.ts';

/**
 * A hand-built school whose answers are known: every pupil and tutor is named here, so a test can
 * say exactly which card or list a question should produce. Fictional names only.
 */
const domain = 'hollybank.example';

function staff(local: string, displayName: string, roles: RosterStaff['roles'], yearScope: number[] = [], houseScope: string[] = []): RosterStaff {
  return { sourceId: null, email: `${local}@${domain}`, displayName, roles, yearScope, houseScope };
}

function pupil(
  sourceId: string,
  givenName: string,
  familyName: string,
  form: string,
  tutorLocal: string | null,
  extra: Partial<RosterPupil> = {},
): RosterPupil {
  return {
    sourceId,
    upn: null,
    givenName,
    familyName,
    preferredName: null,
    dateOfBirth: null,
    yearGroup: Number.parseInt(form, 10),
    form,
    house: 'Aurora',
    sen: false,
    eal: false,
    tutorEmail: tutorLocal ? `${tutorLocal}@${domain}` : null,
    ...extra,
  };
}

export const smallSchoolEmails = {
  okafor: `grace.okafor@${domain}`,
  reid: `daniel.reid@${domain}`,
  dsl: `helen.achterberg@${domain}`,
  headOfYear9: `ruth.oyelaran@${domain}`,
  headOfAurora: `tom.hughes@${domain}`,
  admin: `peter.lindqvist@${domain}`,
  staff: `jo.bloggs@${domain}`,
};

export function smallRoster(name = 'Hollybank School'): Roster {
  return {
    schools: [
      {
        name,
        urn: null,
        timeZone: 'Europe/London',
        staff: [
          staff('grace.okafor', 'Ms Grace Okafor', ['tutor']),
          staff('daniel.reid', 'Mr Daniel Reid', ['tutor']),
          staff('helen.achterberg', 'Mrs Helen Achterberg', ['dsl']),
          staff('ruth.oyelaran', 'Dr Ruth Oyelaran', ['head_of_year'], [9]),
          staff('tom.hughes', 'Mr Tom Hughes', ['head_of_house'], [], ['Aurora']),
          staff('peter.lindqvist', 'Mr Peter Lindqvist', ['admin']),
          staff('jo.bloggs', 'Jo Bloggs', []),
        ],
        pupils: [
          pupil('p1', 'Amelia', 'Jones', '9A', 'grace.okafor', { preferredName: 'Millie', sen: true }),
          pupil('p2', 'Amelia', 'James', '9B', 'daniel.reid'),
          pupil('p3', 'Zoë', 'Ní Bhriain', '9A', 'grace.okafor', { eal: true }),
          pupil('p4', 'Sam', 'Patel', '9A', 'grace.okafor'),
          pupil('p5', 'Sam', 'Patel-Hughes', '10A', 'daniel.reid', { house: 'Beacon' }),
          pupil('p6', 'José', 'Martínez-López', '9B', 'daniel.reid'),
          pupil('p7', 'Siobhán', "O'Connor", '9B', null),
        ],
      },
    ],
  };
}
