import { tz } from '@date-fns/tz';
import type { Command } from 'commander';
import { format } from 'date-fns/format';
import { pupilAuditTrail } from '../../../src/audit/pupil-audit-trail.ts';
import type { CoreContext } from '../../../src/core-context.ts';
import { TutorbotError } from '../../../src/errors.ts';
import { pupilDisplayName } from '../../../src/names/normalize-name.ts';
import { findPupils } from '../../../src/pupils/find-pupils.ts';
import { findPupilIdByUpn, upnsOf } from '../../../src/pupils/pupil-upns.ts';
import type { PupilSummary } from '../../../src/pupils/pupil-summary.ts';
import { getPupilSummary } from '../../../src/pupils/pupil-summary.ts';
import { findSchool } from '../../../src/schools/find-school.ts';
import { withApp } from '../cli-app.ts';

/**
 * `tutorbot audit --pupil <name or UPN> [--school …]`: every recorded read and change of one
 * pupil's record (who, what, when, from which channel), oldest first, for the DSL. It prints
 * ids of what was read, never note text.
 */
export function registerAuditCommand(program: Command): void {
  program
    .command('audit')
    .description('print the audit log for one pupil: who read or changed their record, when, and from where')
    .requiredOption('--pupil <name or UPN>', "the pupil's name or UPN")
    .option('--school <name>', 'the school (name, URN or id); optional when there is only one')
    .action(async (options: { pupil: string; school?: string }) =>
      withApp({ jobs: 'none' }, async (app) => {
        process.stdout.write(await formatPupilAudit(app.core.db, { pupil: options.pupil, school: options.school }));
      }),
    );
}

type Database = CoreContext['db'];

export async function formatPupilAudit(db: Database, options: { pupil: string; school?: string }): Promise<string> {
  const school = await findSchool(db, options.school);
  const pupil = await findAuditedPupil(db, school.id, options.pupil);
  const rows = await pupilAuditTrail(db, school.id, pupil.id);
  const upn = (await upnsOf(db, [pupil.id])).get(pupil.id);
  const heading = `Audit log for ${pupilDisplayName(pupil)} (${[upn ? `UPN ${upn}` : null, pupil.form ? `form ${pupil.form}` : null].filter(Boolean).join(', ')}), ${school.name}`;
  if (rows.length === 0) return `${heading}\nNothing recorded.\n`;
  const zone = tz(school.timeZone);
  const table = [
    [`when (${school.timeZone})`, 'who', 'action', 'channel', 'subject'],
    ...rows.map((row) => [
      format(row.at, 'yyyy-MM-dd HH:mm:ss', { in: zone }),
      row.actorName ? `${row.actorName} <${row.actorEmail}>` : 'tutorbot (automatic)',
      row.action,
      row.channel ?? '',
      row.subject ?? '',
    ]),
  ];
  const widths = table[0].map((_, column) => Math.max(...table.map((row) => row[column].length)));
  const lines = table.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column]))
      .join('  ')
      .trimEnd(),
  );
  lines.splice(1, 0, widths.map((width) => '-'.repeat(width)).join('  '));
  return `${heading}\n${lines.join('\n')}\n${rows.length} entr${rows.length === 1 ? 'y' : 'ies'}.\n`;
}

async function findAuditedPupil(db: Database, schoolId: number, query: string): Promise<PupilSummary> {
  const wanted = query.trim();
  if (!wanted) throw new TutorbotError('tutorbot_user_input', 'Give the pupil with --pupil "<name or UPN>".');
  const byUpn = await findPupilIdByUpn(db, schoolId, wanted);
  if (byUpn !== null) return (await getPupilSummary(db, schoolId, byUpn))!;
  // Leavers too: the audit trail outlives the pupil's time on roll.
  const match = await findPupils(db, schoolId, wanted, { includeInactive: true });
  if (match.kind === 'one') return match.pupil;
  if (match.kind === 'several') {
    const upnOf = await upnsOf(
      db,
      match.pupils.map((pupil) => pupil.id),
    );
    const list = match.pupils.map((pupil) => `${pupilDisplayName(pupil)} (form ${pupil.form ?? '—'}, UPN ${upnOf.get(pupil.id) ?? 'none'})`).join('; ');
    throw new TutorbotError('tutorbot_pupil_ambiguous', `Several pupils match "${wanted}": ${list}. Give the UPN with --pupil.`);
  }
  throw new TutorbotError('tutorbot_pupil_not_found', `No pupil called "${wanted}" (by name or UPN) in this school.`);
}
