import type { Actor } from '../staff/actor.ts';
import type { Request } from '../core-context.ts';
import type { CaseloadScope } from '../grammar/parse-command.ts';
import { canQueryCaseloads, isAdmin, isSafeguardingLead, isWholeSchoolLead } from '../permissions.ts';
import { textReply, type Reply } from '../reply.ts';
import { staffRef, type StaffCandidate } from '../staff/find-staff.ts';
import { areaWithin, canonicalArea, canonicalHouses, describeArea, inArea, leadArea, schoolHouses, type PupilArea } from './pupil-area.ts';
import { resolveStaff } from '../staff/resolve-staff.ts';

/**
 * What a caseload request may show, from the GUIDE's roles table: a tutor their own tutees, a head
 * of house/year their scope, a DSL or whole-school pastoral lead the whole school, an admin counts
 * only (tutors' names and figures, no pupil's name). Anything else gets a refusal that says what
 * the asker can ask for instead.
 */
export type CaseloadView = 'full' | 'counts';

export interface ResolvedCaseload {
  area: PupilArea;
  tutor: StaffCandidate | null;
  /** "Year 9", "Aurora house", "the whole school", "Ms Grace Okafor's tutees", "your tutees". */
  label: string;
  /** For file names: "year-9", "house-aurora", "school", "tutor-12". */
  slug: string;
  view: CaseloadView;
  withSafeguarding: boolean;
}

export type CaseloadScopeResolution = { ok: true; caseload: ResolvedCaseload } | { ok: false; reply: Reply };

export const caseloadPickStaffAction = 'caseload_pick_staff';

export function encodeCaseloadPick(staffId: number, csv: boolean): string {
  return JSON.stringify({ s: staffRef(staffId), csv });
}

export function decodeCaseloadPick(value: string): { staff: string; csv: boolean } | null {
  try {
    const parsed = JSON.parse(value) as { s?: unknown; csv?: unknown };
    return typeof parsed.s === 'string' ? { staff: parsed.s, csv: parsed.csv === true } : null;
  } catch {
    return null;
  }
}

function seesWholeSchool(actor: Actor): boolean {
  return isSafeguardingLead(actor) || isWholeSchoolLead(actor);
}

function slugOf(text: string): string {
  return (
    text
      .toLowerCase()
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'caseload'
  );
}

async function whatYouCanAsk(request: Request): Promise<string> {
  const { actor } = request;
  const lead = leadArea(actor);
  if (lead && lead !== 'school') {
    const area = await canonicalArea(request.core.db, actor.schoolId, lead);
    const examples =
      area === 'school' ? [] : [...area.years.map((year) => `"caseload year ${year}"`), ...area.houses.map((house) => `"caseload house ${house}"`)];
    return `You lead ${describeArea(area)}: try ${examples.join(' or ') || '"caseload"'}, or "caseload <tutor's name>" for one of its tutors.`;
  }
  if (actor.roles.includes('tutor')) return 'As a tutor you can see your own tutees: say "caseload me".';
  return 'Caseloads are for tutors, heads of house and year, pastoral leads, the safeguarding team and admins.';
}

async function refuse(request: Request, what: string): Promise<CaseloadScopeResolution> {
  return { ok: false, reply: textReply(`You cannot see the caseload of ${what}. ${await whatYouCanAsk(request)}`) };
}

/** Decides full / counts-only / refused for an area the asker named (or their default). */
async function forArea(request: Request, area: PupilArea, label: string, slug: string): Promise<CaseloadScopeResolution> {
  const { actor } = request;
  const withSafeguarding = isSafeguardingLead(actor);
  if (seesWholeSchool(actor)) return { ok: true, caseload: { area, tutor: null, label, slug, view: 'full', withSafeguarding } };
  const lead = leadArea(actor);
  if (lead && areaWithin(area, await canonicalArea(request.core.db, actor.schoolId, lead))) {
    return { ok: true, caseload: { area, tutor: null, label, slug, view: 'full', withSafeguarding } };
  }
  if (isAdmin(actor)) return { ok: true, caseload: { area, tutor: null, label, slug, view: 'counts', withSafeguarding } };
  return refuse(request, label);
}

function ownTutees(actor: Actor): CaseloadScopeResolution {
  const me: StaffCandidate = {
    id: actor.staffId,
    displayName: actor.displayName,
    email: actor.email,
    active: true,
    roles: actor.roles,
    yearScope: actor.yearScope,
    houseScope: actor.houseScope,
  };
  return {
    ok: true,
    caseload: { area: 'school', tutor: me, label: 'your tutees', slug: 'my-tutees', view: 'full', withSafeguarding: isSafeguardingLead(actor) },
  };
}

async function tuteesIn(request: Request, staffId: number, area: PupilArea): Promise<number> {
  const row = await request.core.db
    .selectFrom('tutor_assignment as ta')
    .innerJoin('pupil as p', 'p.id', 'ta.pupil_id')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('ta.staff_id', '=', staffId)
    .where('ta.valid_to', 'is', null)
    .where('p.active', '=', true)
    .where(inArea(area, 'p'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function resolveCaseloadScope(request: Request, scope: CaseloadScope, csv: boolean): Promise<CaseloadScopeResolution> {
  const { actor, core } = request;
  if (!canQueryCaseloads(actor)) return { ok: false, reply: textReply(await whatYouCanAsk(request)) };
  switch (scope.kind) {
    case 'me':
      return ownTutees(actor);
    case 'default': {
      if (seesWholeSchool(actor)) return forArea(request, 'school', 'the whole school', 'school');
      const lead = leadArea(actor);
      if (lead) {
        const area = await canonicalArea(core.db, actor.schoolId, lead);
        return forArea(request, area, describeArea(area), slugOf(describeArea(area)));
      }
      if (isAdmin(actor)) return forArea(request, 'school', 'the whole school', 'school');
      return ownTutees(actor);
    }
    case 'year': {
      if (!Number.isInteger(scope.year) || scope.year < 1 || scope.year > 14) {
        return { ok: false, reply: textReply(`There is no Year ${scope.year}: year groups run from 1 to 14, for example "caseload year 9".`) };
      }
      return forArea(request, { years: [scope.year], houses: [] }, `Year ${scope.year}`, `year-${scope.year}`);
    }
    case 'house': {
      const spelt = (await canonicalHouses(core.db, actor.schoolId, [scope.house])).get(scope.house.trim().toLowerCase());
      if (!spelt) {
        const houses = await schoolHouses(core.db, actor.schoolId);
        const list = houses.length > 0 ? ` The school's houses are ${houses.join(', ')}.` : ' Your school has no houses in its roster.';
        return { ok: false, reply: textReply(`There is no house called "${scope.house.slice(0, 60)}".${list}`) };
      }
      return forArea(request, { years: [], houses: [spelt] }, `${spelt} house`, `house-${slugOf(spelt)}`);
    }
    case 'staff': {
      // "caseload 9" and "caseload Aurora" mean the year and the house; no member of staff is called that.
      if (/^\d{1,2}$/.test(scope.name.trim())) return resolveCaseloadScope(request, { kind: 'year', year: Number(scope.name.trim()) }, csv);
      if ((await canonicalHouses(core.db, actor.schoolId, [scope.name])).size > 0) {
        return resolveCaseloadScope(request, { kind: 'house', house: scope.name }, csv);
      }
      const resolution = await resolveStaff(request, scope.name, (staff) => ({ id: caseloadPickStaffAction, value: encodeCaseloadPick(staff.id, csv) }), {
        includeInactive: true,
        role: 'member of staff',
      });
      if (!resolution.ok) return resolution;
      const tutor = resolution.staff;
      if (tutor.id === actor.staffId) return ownTutees(actor);
      const label = `${tutor.displayName}'s tutees`;
      const slug = `tutor-${slugOf(tutor.displayName)}`;
      const withSafeguarding = isSafeguardingLead(actor);
      if (seesWholeSchool(actor)) return { ok: true, caseload: { area: 'school', tutor, label, slug, view: 'full', withSafeguarding } };
      const lead = leadArea(actor);
      if (lead) {
        const area = await canonicalArea(core.db, actor.schoolId, lead);
        if ((await tuteesIn(request, tutor.id, area)) > 0) {
          return { ok: true, caseload: { area, tutor, label: `${label} in ${describeArea(area)}`, slug, view: 'full', withSafeguarding } };
        }
      }
      if (isAdmin(actor)) return { ok: true, caseload: { area: 'school', tutor, label, slug, view: 'counts', withSafeguarding } };
      if (lead && (await tuteesIn(request, tutor.id, 'school')) === 0) {
        return { ok: false, reply: textReply(`${tutor.displayName} has no tutees at the moment.`) };
      }
      return refuse(request, label);
    }
  }
}
