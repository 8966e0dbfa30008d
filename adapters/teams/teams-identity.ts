import type { TeamsConfig } from '../../src/config.ts';
import type { CoreContext } from '../../src/core-context.ts';
import { schoolForWorkspace, type PlatformIdentities, type ResolvedUser, type WorkspaceRef } from '../../src/platforms/index.ts';

/**
 * Who a Teams user is, for tutorbot. The rules (tenant links, the identity cache, who counts as
 * staff) are the core's (src/platforms); this edge names the tenant and asks Teams for the user's
 * email and user principal name (TeamsInfo.getMember).
 */
export interface TeamsMember {
  email?: string | null;
  userPrincipalName?: string | null;
}

/**
 * The tenant as the core's link rules see it. A single-tenant app serves only its own tenant, so
 * no other tenant may link itself: otherwise any organisation could install the bot and claim the
 * school's staff by setting matching email addresses.
 */
export function tenantWorkspace(tenantId: string, config: Pick<TeamsConfig, 'appType' | 'tenantId'>): WorkspaceRef {
  const appTenantId = config.appType === 'SingleTenant' ? config.tenantId : undefined;
  return { platform: 'teams', workspaceId: tenantId, mayLinkItself: !appTenantId || appTenantId === tenantId };
}

/** Whether the tenant is (or has just become) linked to a school. */
export async function tenantIsLinked(core: CoreContext, tenantId: string | null, config: Pick<TeamsConfig, 'appType' | 'tenantId'>): Promise<boolean> {
  if (!tenantId) return false;
  return (await schoolForWorkspace(core, tenantWorkspace(tenantId, config))) !== null;
}

/** The member of staff behind a Teams user; `fetchMember` answers null when Teams does not know them. */
export function resolveTeamsUser(
  identities: PlatformIdentities,
  params: { tenantId: string; userId: string; config: Pick<TeamsConfig, 'appType' | 'tenantId'>; fetchMember: () => Promise<TeamsMember | null> },
): Promise<ResolvedUser> {
  return identities.resolve({
    ...tenantWorkspace(params.tenantId, params.config),
    userId: params.userId,
    lookUp: async () => {
      const member = await params.fetchMember();
      return member ? [member.email, member.userPrincipalName] : [];
    },
  });
}
