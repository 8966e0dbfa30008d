import type { Roster, RosterPupil, RosterStaff } from '../../src/roster/roster.ts';

/**
 * A small fictional school whose routing answers are known: who tutors whom, who leads which
 * house and year, who is on the safeguarding team. One tutor (Ivan Petrov) is made inactive by
 * the tests that need a departed tutor.
 */
export const notesDomain = 'larchfield.example';

const email = (local: string) => `${local}@${notesDomain}`;

function staff(local: string, displayName: string, roles: RosterStaff['roles'], yearScope: number[] = [], houseScope: string[] = []): RosterStaff {
  return { sourceId: null, email: email(local), displayName, roles, yearScope, houseScope };
}

function pupil(sourceId: string, givenName: string, familyName: string, form: string, house: string, tutor: string | null): RosterPupil {
  return {
    sourceId,
    upn: `L${sourceId.replace(/\D/g, '').padStart(12, '0')}`,
    givenName,
    familyName,
    preferredName: null,
    dateOfBirth: null,
    yearGroup: Number.parseInt(form, 10),
    form,
    house,
    sen: false,
    eal: false,
    tutorEmail: tutor ? email(tutor) : null,
  };
}

export const people = {
  tutor: email('grace.okafor'),
  otherTutor: email('daniel.reid'),
  departingTutor: email('ivan.petrov'),
  dsl: email('helen.achterberg'),
  deputyDsl: email('marcus.bello'),
  headOfYear9: email('ruth.oyelaran'),
  headOfAurora: email('tom.hughes'),
  headOfBeacon: email('alys.pryce'),
  admin: email('peter.lindqvist'),
  staff: email('jo.bloggs'),
} as const;

export function notesRoster(): Roster {
  return {
    schools: [
      {
        name: 'Larchfield School',
        urn: '900001',
        timeZone: 'Europe/London',
        staff: [
          staff('grace.okafor', 'Ms Grace Okafor', ['tutor']),
          staff('daniel.reid', 'Mr Daniel Reid', ['tutor']),
          staff('ivan.petrov', 'Mr Ivan Petrov', ['tutor']),
          staff('helen.achterberg', 'Mrs Helen Achterberg', ['dsl']),
          staff('marcus.bello', 'Mr Marcus Bello', ['deputy_dsl']),
          staff('ruth.oyelaran', 'Dr Ruth Oyelaran', ['head_of_year'], [9]),
          staff('tom.hughes', 'Mr Tom Hughes', ['head_of_house'], [], ['Aurora']),
          staff('alys.pryce', 'Ms Alys Pryce', ['head_of_house'], [], ['Beacon']),
          staff('peter.lindqvist', 'Mr Peter Lindqvist', ['admin']),
          staff('jo.bloggs', 'Jo Bloggs', []),
        ],
        pupils: [
          pupil('p1', 'Amelia', 'Jones', '9A', 'Aurora', 'grace.okafor'),
          pupil('p2', 'Amelia', 'James', '9B', 'Aurora', 'daniel.reid'),
          pupil('p3', 'Sam', 'Patel', '9A', 'Beacon', 'grace.okafor'),
          pupil('p4', 'Siobhán', "O'Connor", '9B', 'Aurora', null),
          pupil('p5', 'Leo', 'Fraser', '9C', 'Beacon', 'ivan.petrov'),
          pupil('p6', 'Kofi', 'Mensah', '9A', 'Aurora', 'grace.okafor'),
        ],
      },
    ],
  };
}

/** Another school in the same database, for "a pupil of another school". */
export function otherSchoolRoster(): Roster {
  return {
    schools: [
      {
        name: 'Westmere Academy',
        urn: '900002',
        timeZone: 'Europe/London',
        staff: [{ sourceId: null, email: 'ann.other@westmere.example', displayName: 'Ms Ann Other', roles: ['tutor'], yearScope: [], houseScope: [] }],
        pupils: [
          {
            sourceId: 'w1',
            upn: 'W000000000001',
            givenName: 'Xanthe',
            familyName: 'Quillfeather',
            preferredName: null,
            dateOfBirth: null,
            yearGroup: 9,
            form: '9W',
            house: null,
            sen: false,
            eal: false,
            tutorEmail: 'ann.other@westmere.example',
          },
        ],
      },
    ],
  };
}
