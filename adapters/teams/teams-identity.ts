import { findActorByEmail, findActorById, type Actor } from '../../src/actor.ts';
import type { CoreContext } from '../../src/core-context.ts';

/**
 * Who a Teams user is, for tutorbot: their tenant must be linked to a school (platform_link), and
 * their email or user principal name (from TeamsInfo.getMember) must be an active member of that
 * school's staff. Answers are cached in platform_identity so that a conversation costs one member
 * lookup a day, and "not staff" is cached briefly so strangers do not cost a call per message.
 */
export interface TeamsMember {
  email?: string | null;
  userPrincipalName?: string | null;
}

export const identityTtlMs = 24 * 60 * 60 * 1000;
export const notStaffTtlMs = 10 * 60 * 1000;

export type TenantSchool = { ok: true; schoolId: number; linkedNow: boolean } | { ok: false };

/**
 * The school a tenant belongs to. An unlinked tenant is linked automatically only while the
 * database holds a single school that no tenant is linked to yet (and, for a single-tenant app,
 * only its own tenant): otherwise any organisation could install the bot and claim the school's
 * staff by setting matching email addresses. Admins link further tenants with `tutorbot link teams`.
 */
export async function schoolForTenant(core: CoreContext, tenantId: string | null, options: { appTenantId?: string } = {}): Promise<TenantSchool> {
  if (!tenantId) return { ok: false };
  const linked = await findLink(core, tenantId);
  if (linked !== null) return { ok: true, schoolId: linked, linkedNow: false };
  if (options.appTenantId && options.appTenantId !== tenantId) return { ok: false };
  const schools = await core.db.selectFrom('school').select('id').limit(2).execute();
  if (schools.length !== 1) return { ok: false };
  const [school] = schools;
  const otherTenant = await core.db
    .selectFrom('platform_link')
    .select('external_id')
    .where('platform', '=', 'teams')
    .where('school_id', '=', school.id)
    .executeTakeFirst();
  if (otherTenant) return { ok: false };
  await core.db
    .insertInto('platform_link')
    .values({ platform: 'teams', external_id: tenantId, school_id: school.id, created_at: core.now() })
    .onConflict((conflict) => conflict.columns(['platform', 'external_id']).doNothing())
    .execute();
  const now = await findLink(core, tenantId);
  if (now === null) return { ok: false };
  core.log.info('teams_tenant_linked', { schoolId: now });
  return { ok: true, schoolId: now, linkedNow: true };
}

async function findLink(core: CoreContext, tenantId: string): Promise<number | null> {
  const row = await core.db
    .selectFrom('platform_link')
    .select('school_id')
    .where('platform', '=', 'teams')
    .where('external_id', '=', tenantId)
    .executeTakeFirst();
  return row?.school_id ?? null;
}

/**
 * The member of staff behind a Teams user, or null for anyone who is not active staff of the
 * school. `fetchMember` is called only when the cache is missing or stale; it returns null when
 * Teams does not know the user.
 */
export async function resolveTeamsActor(
  core: CoreContext,
  params: { schoolId: number; tenantId: string; userId: string; fetchMember: () => Promise<TeamsMember | null> },
): Promise<Actor | null> {
  const { schoolId, tenantId, userId } = params;
  const cached = await core.db
    .selectFrom('platform_identity')
    .select(['school_id', 'staff_id', 'fetched_at'])
    .where('platform', '=', 'teams')
    .where('workspace_id', '=', tenantId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  const now = core.now().getTime();
  if (cached && cached.school_id === schoolId) {
    const age = now - new Date(cached.fetched_at).getTime();
    if (cached.staff_id === null && age < notStaffTtlMs) return null;
    if (cached.staff_id !== null && age < identityTtlMs) {
      const actor = await findActorById(core.db, cached.staff_id);
      if (actor && actor.schoolId === schoolId) return actor;
    }
  }
  const member = await params.fetchMember();
  const addresses = [member?.email, member?.userPrincipalName]
    .map((value) => (typeof value === 'string' ? value.trim().toLowerCase() : ''))
    .filter((value, index, all) => value.includes('@') && all.indexOf(value) === index);
  let actor: Actor | null = null;
  for (const address of addresses) {
    actor = await findActorByEmail(core.db, schoolId, address);
    if (actor) break;
  }
  await core.db
    .insertInto('platform_identity')
    .values({ platform: 'teams', workspace_id: tenantId, user_id: userId, school_id: schoolId, staff_id: actor?.staffId ?? null, fetched_at: core.now() })
    .onConflict((conflict) =>
      conflict.columns(['platform', 'workspace_id', 'user_id']).doUpdateSet({ school_id: schoolId, staff_id: actor?.staffId ?? null, fetched_at: core.now() }),
    )
    .execute();
  if (!actor) core.log.info('teams_user_not_staff', { schoolId, found: member !== null });
  return actor;
}
