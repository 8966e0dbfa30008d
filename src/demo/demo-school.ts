import type { StaffRole } from '../staff/staff-tables.ts';
import type { Roster, RosterPupil, RosterStaff } from '../roster/roster.ts';
import { defaultTimeZone } from '../schools/default-time-zone.ts';

/**
 * A fictional, deterministic school for demos, tests and benchmarks: about 1,000 pupils in
 * Years 7–13, five houses, about 60 tutors, heads of house and year, a DSL and two deputies.
 * Every name is made up; names of varied origins, with accents and hyphens, on purpose.
 * The same seed always gives the same school.
 */

/** The given and family names every demo school is made from (the national bench dataset too). */
export const demoGivenNames: readonly string[] = [
  'Amelia',
  'Oliver',
  'Isla',
  'Noah',
  'Ava',
  'Leo',
  'Freya',
  'Arthur',
  'Ivy',
  'Theo',
  'Zoë',
  'Mohammed',
  'Aisha',
  'Yusuf',
  'Priya',
  'Arjun',
  'Chloé',
  'Mateo',
  'Sofía',
  'Lucía',
  'Kwame',
  'Ama',
  'Chidi',
  'Ngozi',
  'Oisín',
  'Siobhán',
  'Aoife',
  'Ciarán',
  'Wiktoria',
  'Jakub',
  'Zofia',
  'Łukasz',
  'Mei',
  'Jun',
  'Hana',
  'Kenji',
  'Anaïs',
  'Élodie',
  'Björn',
  'Astrid',
  'Søren',
  'Ines',
  'João',
  'Beatriz',
  'Fatima',
  'Omar',
  'Layla',
  'Ibrahim',
  'Grace',
  'Samuel',
  'Ellie',
  'Harry',
  'Poppy',
  'Jack',
  'Ruby',
  'George',
  'Maya',
  'Ethan',
  'Nia',
  'Rhys',
  'Eilidh',
  'Callum',
  'Tomás',
  'Renée',
  'Dmitri',
  'Yara',
  'Kofi',
  'Esi',
  'Ravi',
  'Anjali',
  'Sam',
  'Lily',
  'Jayden',
  'Amara',
  'Elif',
  'Emre',
];
export const demoFamilyNames: readonly string[] = [
  'Jones',
  'Patel',
  'Smith',
  'Okafor',
  'Ní Bhriain',
  "O'Connor",
  'Martínez-López',
  'Nowak',
  'Kowalczyk',
  'Nguyen',
  'Chen',
  'Tanaka',
  'Haddad',
  'Ahmed',
  'Khan',
  'Begum',
  'Mensah',
  'Osei',
  'Adeyemi',
  'Williams',
  'Brown',
  'Taylor',
  'Davies',
  'Evans',
  'Wilson',
  'Thomas',
  'Roberts',
  'Walker',
  'Wright',
  'Robinson',
  'Thompson',
  'White',
  'Hughes',
  'Edwards',
  'Green',
  'Hall',
  'Wood',
  'Harris',
  'Lewis',
  'Clarke',
  'Jackson',
  'Lefèvre',
  'Dubois',
  'García',
  'Fernández',
  'Rossi',
  'Müller',
  'Schäfer',
  'Johansson',
  'Sørensen',
  'Kaya',
  'Yılmaz',
  'Singh',
  'Kaur',
  'Sharma',
  'Ali',
  'Hussain',
  'Mahmoud',
  'Da Silva',
  'Costa',
  'Murphy',
  'Kelly',
  'Byrne',
  'MacLeod',
  'Fraser',
  'Campbell',
  'Hughes-Baptiste',
  'Smith-Owusu',
  'Van der Berg',
  'Mbeki',
  'Abara',
  'Kovács',
  'Horváth',
  'Dąbrowski',
  'Ivanova',
];
const preferredFor: Record<string, string> = { Amelia: 'Millie', Samuel: 'Sam', Dmitri: 'Dima', Elif: 'Eli', Beatriz: 'Bia' };
export const demoHouses = ['Aurora', 'Beacon', 'Cygnus', 'Hawthorn', 'Meridian'];
export const demoDomain = 'northbrook.example';
export const demoSchoolName = 'Northbrook Academy (demo)';
/** The member of staff `npm start` chats as: a tutor who is also head of Year 9. */
export const demoConsoleEmail = `grace.okafor@${demoDomain}`;

// Small fast deterministic PRNG (mulberry32): the demo must be identical on every machine.
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function emailFor(given: string, family: string, domain: string, suffix = ''): string {
  const part = (name: string) =>
    name
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .replace(/ł/g, 'l')
      .replace(/ı/g, 'i')
      .replace(/[^A-Za-z]/g, '')
      .toLowerCase();
  return `${part(given)}.${part(family)}${suffix}@${domain}`;
}

export interface DemoSchoolOptions {
  seed?: number;
  name?: string;
  urn?: string | null;
  domain?: string;
  /** Scale down or up (benchmarks): roughly this many pupils. */
  pupils?: number;
}

export function demoSchool(options: DemoSchoolOptions = {}): Roster {
  const rand = random(options.seed ?? 20260901);
  const domain = options.domain ?? demoDomain;
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)];
  const scale = (options.pupils ?? 1000) / 1000;
  const staff: RosterStaff[] = [];
  const usedEmails = new Set<string>();
  const addStaff = (given: string, family: string, title: string, roles: StaffRole[], yearScope: number[] = [], houseScope: string[] = []) => {
    let email = emailFor(given, family, domain);
    for (let n = 2; usedEmails.has(email); n += 1) email = emailFor(given, family, domain, String(n));
    usedEmails.add(email);
    const member: RosterStaff = { sourceId: `staff-${staff.length + 1}`, email, displayName: `${title} ${given} ${family}`, roles, yearScope, houseScope };
    staff.push(member);
    return member;
  };

  addStaff('Grace', 'Okafor', 'Ms', ['tutor', 'head_of_year'], [9]);
  addStaff('Daniel', 'Reid', 'Mr', ['tutor']);
  addStaff('Helen', 'Achterberg', 'Mrs', ['dsl']);
  addStaff('Marcus', 'Bello', 'Mr', ['deputy_dsl']);
  addStaff('Niamh', 'Gallagher', 'Ms', ['deputy_dsl', 'tutor']);
  addStaff('Ruth', 'Oyelaran', 'Dr', ['senco']);
  addStaff('Peter', 'Lindqvist', 'Mr', ['admin']);
  addStaff('Sunita', 'Rao', 'Mrs', ['pastoral_lead']);
  for (const [index, house] of demoHouses.entries()) {
    addStaff(
      ['Tom', 'Alys', 'Femi', 'Ingrid', 'Rafael'][index],
      ['Hughes', 'Pryce', 'Adebayo', 'Nilsen', 'Moreno'][index],
      index % 2 ? 'Ms' : 'Mr',
      ['head_of_house'],
      [],
      [house],
    );
  }
  for (const year of [7, 8, 10, 11]) addStaff(pick(demoGivenNames), pick(demoFamilyNames), rand() < 0.5 ? 'Mr' : 'Ms', ['head_of_year'], [year]);
  addStaff('Catherine', 'Ashdown', 'Mrs', ['head_of_year'], [12, 13]);

  const pupils: RosterPupil[] = [];
  const years = [7, 8, 9, 10, 11, 12, 13];
  const tutorPool = staff.filter((member) => member.roles.includes('tutor'));
  let tutorCursor = 0;
  const nextTutor = () => {
    // The first tutors are the named demo staff; then new tutors are hired as forms need them.
    if (tutorCursor < tutorPool.length) return tutorPool[tutorCursor++];
    return addStaff(pick(demoGivenNames), pick(demoFamilyNames), rand() < 0.5 ? 'Mr' : 'Ms', ['tutor']);
  };
  for (const year of years) {
    const sixthForm = year >= 12;
    const formCount = Math.max(1, Math.round((sixthForm ? 10 : 8) * scale));
    const perForm = sixthForm ? 7 : 21;
    for (let form = 0; form < formCount; form += 1) {
      const formName = `${year}${String.fromCharCode(65 + form)}`;
      // Year 9A is Ms Okafor's, so the console demo has tutees; Mr Reid has 9B.
      const tutor = year === 9 && form === 0 ? staff[0] : year === 9 && form === 1 ? staff[1] : nextTutor();
      for (let seat = 0; seat < perForm; seat += 1) {
        const index = pupils.length;
        let given = pick(demoGivenNames);
        let family = pick(demoFamilyNames);
        while (fixedNames.has(`${given} ${family}`)) family = pick(demoFamilyNames);
        // A few fixed pupils make the README's examples and the tests' typos meaningful.
        const fixed = fixedPupils[`${formName}:${seat}`];
        if (fixed) [given, family] = fixed;
        const birthYear = 2026 - year - 5 - (rand() < 0.67 ? 0 : 1);
        const month = 1 + Math.floor(rand() * 12);
        const day = 1 + Math.floor(rand() * 28);
        pupils.push({
          sourceId: `pupil-${index + 1}`,
          upn: `Z${String(820000000000 + index * 7919).padStart(12, '0')}`,
          givenName: given,
          familyName: family,
          preferredName: preferredFor[given] && rand() < 0.5 ? preferredFor[given] : null,
          dateOfBirth: `${birthYear}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
          yearGroup: year,
          form: formName,
          house: demoHouses[(form + seat) % demoHouses.length],
          sen: rand() < 0.14,
          eal: rand() < 0.18,
          tutorEmail: tutor.email,
        });
      }
    }
  }
  return {
    schools: [{ name: options.name ?? demoSchoolName, urn: options.urn ?? null, timeZone: defaultTimeZone, staff, pupils }],
  };
}

const fixedPupils: Record<string, [string, string]> = {
  '9A:0': ['Amelia', 'Jones'],
  '9A:1': ['Sam', 'Patel'],
  '9A:2': ['Zoë', 'Ní Bhriain'],
  '9B:0': ['Amelia', 'James'],
  '9B:1': ['José', 'Martínez-López'],
  '10A:0': ['Sam', 'Patel-Hughes'],
};
const fixedNames = new Set(Object.values(fixedPupils).map(([given, family]) => `${given} ${family}`));
