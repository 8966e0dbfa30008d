import type { Command } from 'commander';
import type { CoreContext } from '../../../src/core-context.ts';
import { TutorbotError } from '../../../src/errors.ts';
import { findSchool } from '../../../src/schools/find-school.ts';
import { storedSchoolSettings } from '../../../src/schools/stored-school-settings.ts';
import { defaultSchoolSettings, parseSchoolSettings, updateSchoolSettings, type SchoolSettings } from '../../../src/schools/school-settings.ts';
import { withApp } from '../cli-app.ts';

/**
 * `tutorbot settings show [--school …]` and `tutorbot settings set KEY VALUE [--school …]`:
 * the school's settings (meeting policy, digest day and time, school day, escalation), with
 * their defaults. Values are checked before they are saved; a bad one changes nothing.
 */
type Key = keyof SchoolSettings;

const descriptions: Record<Key, string> = {
  meetingsPerYear: 'tutor meetings each pupil needs a year (3 = one a term)',
  meetingYearGroups: 'year groups the meeting policy covers ("all", or e.g. 7-11 or 7,8,9)',
  digestDay: 'weekly digest day (monday to friday)',
  digestTime: 'weekly digest and reminder time (HH:MM)',
  schoolDayStart: 'reminders are sent from this time (HH:MM)',
  schoolDayEnd: '…and not from this time (HH:MM)',
  escalationSchoolDays: 'school days before an unacknowledged concern escalates',
  noteCategories: 'categories offered for concerns (comma-separated)',
  teamsChannelCards: 'Teams channels may see the short pupil card: name, form, tutor (true/false; off: answers go privately)',
};

const keys = Object.keys(defaultSchoolSettings) as Key[];

function findKey(raw: string): Key {
  const wanted = raw.replace(/[-_\s]/g, '').toLowerCase();
  const key = keys.find((candidate) => candidate.toLowerCase() === wanted);
  if (!key) throw new TutorbotError('tutorbot_user_input', `There is no setting "${raw}". Settings: ${keys.join(', ')}.`);
  return key;
}

function showValue(value: unknown): string {
  if (Array.isArray(value)) return value.length === 0 ? 'all' : value.join(',');
  return String(value);
}

/** Turns what an admin typed into the setting's type; the settings parser then checks the range. */
export function parseSettingValue(key: Key, raw: string): unknown {
  const text = raw.trim();
  const invalid = (expected: string) => new TutorbotError('tutorbot_settings_invalid', `${key} must be ${expected}; "${raw}" is not.`);
  switch (key) {
    case 'meetingsPerYear':
    case 'escalationSchoolDays': {
      if (!/^\d{1,3}$/.test(text)) throw invalid('a whole number');
      return Number(text);
    }
    case 'meetingYearGroups': {
      if (/^(all|any|\*|)$/i.test(text)) return [];
      const years = new Set<number>();
      for (const part of text.split(/[,\s]+/).filter(Boolean)) {
        const range = /^(?:y(?:ear)?\s*)?(\d{1,2})(?:-(\d{1,2}))?$/i.exec(part);
        if (!range) throw invalid('"all" or year groups such as 7-11 or 7,8,9');
        const from = Number(range[1]);
        const to = range[2] ? Number(range[2]) : from;
        if (to < from || to - from > 14) throw invalid('a range written low-high, such as 7-11');
        for (let year = from; year <= to; year += 1) years.add(year);
      }
      return [...years].sort((a, b) => a - b);
    }
    case 'noteCategories':
      return text
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean);
    case 'teamsChannelCards':
      if (/^(true|yes|on)$/i.test(text)) return true;
      if (/^(false|no|off)$/i.test(text)) return false;
      throw invalid('true or false');
    default:
      return text.toLowerCase();
  }
}

export async function showSettings(core: CoreContext, options: { school?: string }): Promise<string> {
  const school = await findSchool(core.db, options.school);
  const stored = await storedSchoolSettings(core.db, school.id);
  let settings: SchoolSettings;
  const lines = [`Settings for ${school.name}:`];
  try {
    settings = parseSchoolSettings(stored);
  } catch (error) {
    lines.push(`  Problem: ${(error as Error).message} Defaults are used until it is fixed with tutorbot settings set.`);
    settings = defaultSchoolSettings;
  }
  const width = Math.max(...keys.map((key) => key.length));
  for (const key of keys) {
    const origin = stored[key] === undefined ? ' (default)' : '';
    lines.push(`  ${key.padEnd(width)}  ${`${showValue(settings[key])}${origin}`.padEnd(24)}  ${descriptions[key]}`);
  }
  lines.push('', 'Change one with: tutorbot settings set KEY VALUE');
  return lines.join('\n');
}

export async function setSetting(core: CoreContext, rawKey: string, rawValue: string, options: { school?: string }): Promise<string> {
  const key = findKey(rawKey);
  const school = await findSchool(core.db, options.school);
  const before = await loadCurrent(core, school.id);
  const value = parseSettingValue(key, rawValue);
  const after = await updateSchoolSettings(core.db, school.id, { [key]: value } as Partial<SchoolSettings>);
  return `${school.name}: ${key} is now ${showValue(after[key])} (was ${showValue(before[key])}).`;
}

async function loadCurrent(core: CoreContext, schoolId: number): Promise<SchoolSettings> {
  const stored = await storedSchoolSettings(core.db, schoolId);
  try {
    return parseSchoolSettings(stored);
  } catch {
    return defaultSchoolSettings;
  }
}

export function registerSettingsCommand(program: Command): void {
  const settings = program.command('settings').description("the school's settings: meeting policy, reminder times, escalation");
  settings
    .command('show')
    .description('print every setting, its value and whether it is the default')
    .option('--school <name>', 'the school (name, URN or id); optional when there is only one')
    .action(async (options: { school?: string }) =>
      withApp({ jobs: 'none' }, async (app) => {
        process.stdout.write(`${await showSettings(app.core, options)}\n`);
      }),
    );
  settings
    .command('set')
    .description(`change one setting, e.g. "settings set meetingsPerYear 6" or "settings set meetingYearGroups 7-11" (keys: ${keys.join(', ')})`)
    .argument('<key>', 'the setting')
    .argument('<value>', 'its new value')
    .option('--school <name>', 'the school (name, URN or id); optional when there is only one')
    .action(async (key: string, value: string, options: { school?: string }) =>
      withApp({ jobs: 'none' }, async (app) => {
        process.stdout.write(`${await setSetting(app.core, key, value, options)}\n`);
      }),
    );
}
