import { sql, type Kysely } from 'kysely';
import type { CoreContext } from '../core-context.ts';
import type { DB } from '../db/schema.ts';
import type { ChatPlatform } from './chat-platform.ts';

/**
 * Which school a Slack workspace (team or enterprise) or a Teams tenant belongs to. Admins link
 * them with `tutorbot link`. A single-school install links itself to the first workspace that uses
 * it; once any workspace of that platform is linked, another one needs an explicit link: a
 * workspace we never meant to serve must not reach pupil data by having staff-looking emails.
 */
export interface WorkspaceRef {
  platform: ChatPlatform;
  /** The id a self-link records (Slack: the enterprise for an org-wide install, else the team; Teams: the tenant). */
  workspaceId: string;
  /** Other ids an admin may have linked instead, least preferred last (Slack: the team and the enterprise). */
  alsoLinkedAs?: (string | null | undefined)[];
  /** False where this workspace may never link itself (a single-tenant Teams app, another tenant). */
  mayLinkItself?: boolean;
}

export type WorkspaceSchool = { schoolId: number; linkedNow: boolean } | null;

// One lock per platform for self-linking (pg_advisory_xact_lock's two-key form; see find-repeated-note.ts).
const selfLinkLockKey = 73102447;

export async function schoolForWorkspace(core: CoreContext, ref: WorkspaceRef): Promise<WorkspaceSchool> {
  const candidates = [ref.workspaceId, ...(ref.alsoLinkedAs ?? [])].filter((id, index, all): id is string => Boolean(id) && all.indexOf(id) === index);
  const linked = await findLinkedSchool(core.db, ref.platform, candidates);
  if (linked !== null) return { schoolId: linked, linkedNow: false };
  if (ref.mayLinkItself === false) return null;
  // Find, check and insert as one step: concurrent first requests on a fresh install wait for each
  // other here, so the second sees the first one's link instead of "another workspace is linked".
  const selfLinked = await core.db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${selfLinkLockKey}, hashtext(${ref.platform}))`.execute(trx);
    const again = await findLinkedSchool(trx, ref.platform, candidates);
    if (again !== null) return { schoolId: again, linkedNow: false };
    const schools = await trx.selectFrom('school').select('id').limit(2).execute();
    if (schools.length !== 1) return null;
    const other = await trx.selectFrom('platform_link').select('external_id').where('platform', '=', ref.platform).limit(1).executeTakeFirst();
    if (other) return null;
    await trx
      .insertInto('platform_link')
      .values({ platform: ref.platform, external_id: ref.workspaceId, school_id: schools[0].id, created_at: core.now() })
      .execute();
    return { schoolId: schools[0].id, linkedNow: true };
  });
  if (selfLinked?.linkedNow)
    core.log.info('platform_workspace_linked', { platform: ref.platform, workspaceId: ref.workspaceId, schoolId: selfLinked.schoolId });
  else if (!selfLinked) core.log.info('platform_workspace_unlinked', { platform: ref.platform, workspaceId: ref.workspaceId });
  return selfLinked;
}

/** The chat platforms a school is linked on: where its staff can be reached at all. */
export async function linkedPlatforms(db: Kysely<DB>, schoolId: number): Promise<ChatPlatform[]> {
  const rows = await db.selectFrom('platform_link').select('platform').distinct().where('school_id', '=', schoolId).execute();
  return rows.map((row) => row.platform);
}

/** `tutorbot link`: links the workspace to the school, or moves it there. */
export async function linkWorkspace(db: Kysely<DB>, link: { platform: ChatPlatform; workspaceId: string; schoolId: number }): Promise<void> {
  await db
    .insertInto('platform_link')
    .values({ platform: link.platform, external_id: link.workspaceId, school_id: link.schoolId })
    .onConflict((conflict) => conflict.columns(['platform', 'external_id']).doUpdateSet({ school_id: link.schoolId }))
    .execute();
}

async function findLinkedSchool(db: Kysely<DB>, platform: ChatPlatform, candidates: string[]): Promise<number | null> {
  if (candidates.length === 0) return null;
  const links = await db
    .selectFrom('platform_link')
    .select(['external_id', 'school_id'])
    .where('platform', '=', platform)
    .where('external_id', 'in', candidates)
    .execute();
  for (const id of candidates) {
    const link = links.find((row) => row.external_id === id);
    if (link) return link.school_id;
  }
  return null;
}
