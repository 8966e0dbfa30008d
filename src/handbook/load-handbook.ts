import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { defaultHandbook, handbookSections, type Handbook, type HandbookSection } from './handbook.ts';

/**
 * A school's handbook: the sections it imported, the built-in default for the others. `custom`
 * says which sections came from the school, so replies can say when a default is in use.
 */
export interface LoadedHandbook extends Handbook {
  custom: HandbookSection[];
}

export async function loadHandbook(db: Kysely<DB>, schoolId: number): Promise<LoadedHandbook> {
  const row = await db.selectFrom('school_handbook').select('handbook').where('school_id', '=', schoolId).executeTakeFirst();
  const stored = (row?.handbook ?? {}) as Partial<Handbook>;
  const custom = handbookSections.filter((section) => Array.isArray(stored[section]));
  return {
    checklist: stored.checklist ?? defaultHandbook.checklist,
    questions: stored.questions ?? defaultHandbook.questions,
    targetIdeas: stored.targetIdeas ?? defaultHandbook.targetIdeas,
    contacts: stored.contacts ?? defaultHandbook.contacts,
    custom,
  };
}

/** Replaces the sections given and keeps the school's others, so a file of contacts alone is fine. */
export async function saveHandbook(db: Kysely<DB>, schoolId: number, sections: Partial<Handbook>, importedBy: string | null): Promise<LoadedHandbook> {
  await db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('school_handbook').select('handbook').where('school_id', '=', schoolId).forUpdate().executeTakeFirst();
    const merged = { ...((row?.handbook ?? {}) as Partial<Handbook>), ...sections };
    await trx
      .insertInto('school_handbook')
      .values({ school_id: schoolId, handbook: JSON.stringify(merged), imported_by: importedBy })
      .onConflict((conflict) =>
        conflict.column('school_id').doUpdateSet({ handbook: JSON.stringify(merged), imported_at: new Date(), imported_by: importedBy }),
      )
      .execute();
  });
  return loadHandbook(db, schoolId);
}
