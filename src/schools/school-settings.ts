import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { TutorbotError } from '../errors.ts';

/**
 * Per-school settings, kept in school.settings (jsonb) and always parsed here so that every
 * feature sees the same defaults (src/schools/load-school-times.ts reads them). Unknown keys are
 * ignored; bad values fail with a message.
 */
export interface SchoolSettings {
  /** School days a concern may wait unacknowledged before it climbs (docs/product-rules.md). */
  escalationSchoolDays: number;
  noteCategories: string[];
  /** Tutor meetings required per pupil per year, one per term by default (docs/product-rules.md). */
  meetingsPerYear: number;
  /** Year groups the meeting policy applies to; empty means all. */
  meetingYearGroups: number[];
  /** Weekly digest: day (monday..friday) and local time. */
  digestDay: 'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday';
  digestTime: string;
  /** Reminders are sent only within the school day (local times). */
  schoolDayStart: string;
  schoolDayEnd: string;
  /** Whether a Teams channel or group chat may see the short pupil card (name, form, tutor); off by default. */
  teamsChannelCards: boolean;
}

export const defaultSchoolSettings: SchoolSettings = {
  escalationSchoolDays: 2,
  noteCategories: ['academic', 'attendance', 'behaviour', 'wellbeing', 'friendship', 'family', 'other'],
  meetingsPerYear: 3,
  meetingYearGroups: [],
  digestDay: 'monday',
  digestTime: '08:00',
  schoolDayStart: '08:00',
  schoolDayEnd: '17:00',
  teamsChannelCards: false,
};

const timePattern = /^([01]\d|2[0-3]):[0-5]\d$/;

export function parseSchoolSettings(raw: unknown): SchoolSettings {
  const value = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const settings = { ...defaultSchoolSettings };
  const problem = (key: string, expected: string) =>
    new TutorbotError('tutorbot_settings_invalid', `School setting ${key} must be ${expected}; it is ${JSON.stringify(value[key])}.`);
  if (value.escalationSchoolDays !== undefined) {
    const days = value.escalationSchoolDays;
    if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > 20) throw problem('escalationSchoolDays', 'a whole number from 1 to 20');
    settings.escalationSchoolDays = days;
  }
  if (value.noteCategories !== undefined) {
    const categories = value.noteCategories;
    if (!Array.isArray(categories) || categories.length === 0 || categories.some((c) => typeof c !== 'string' || !c.trim() || c.length > 40)) {
      throw problem('noteCategories', 'a list of short names');
    }
    settings.noteCategories = categories.map((c) => String(c).trim().toLowerCase());
  }
  if (value.meetingsPerYear !== undefined) {
    const count = value.meetingsPerYear;
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > 12) throw problem('meetingsPerYear', 'a whole number from 1 to 12');
    settings.meetingsPerYear = count;
  }
  if (value.meetingYearGroups !== undefined) {
    const years = value.meetingYearGroups;
    if (!Array.isArray(years) || years.some((y) => typeof y !== 'number' || !Number.isInteger(y) || y < 1 || y > 14)) {
      throw problem('meetingYearGroups', 'a list of year groups (numbers)');
    }
    settings.meetingYearGroups = years as number[];
  }
  if (value.digestDay !== undefined) {
    const day = String(value.digestDay).toLowerCase();
    if (!['monday', 'tuesday', 'wednesday', 'thursday', 'friday'].includes(day)) throw problem('digestDay', 'a weekday, monday to friday');
    settings.digestDay = day as SchoolSettings['digestDay'];
  }
  for (const key of ['digestTime', 'schoolDayStart', 'schoolDayEnd'] as const) {
    if (value[key] !== undefined) {
      if (typeof value[key] !== 'string' || !timePattern.test(value[key] as string)) throw problem(key, 'a time written HH:MM (24-hour)');
      settings[key] = value[key] as string;
    }
  }
  if (value.teamsChannelCards !== undefined) {
    if (typeof value.teamsChannelCards !== 'boolean') throw problem('teamsChannelCards', 'true or false');
    settings.teamsChannelCards = value.teamsChannelCards;
  }
  return settings;
}

/** Validates and merges changes into the stored settings. */
export async function updateSchoolSettings(db: Kysely<DB>, schoolId: number, changes: Partial<SchoolSettings>): Promise<SchoolSettings> {
  const row = await db.selectFrom('school').select('settings').where('id', '=', schoolId).executeTakeFirstOrThrow();
  const merged = { ...(row.settings as Record<string, unknown>), ...changes };
  const parsed = parseSchoolSettings(merged);
  await db
    .updateTable('school')
    .set({ settings: JSON.stringify(merged) })
    .where('id', '=', schoolId)
    .execute();
  return parsed;
}
