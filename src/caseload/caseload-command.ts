import type { Request } from '../core-context.ts';
import type { CaseloadScope } from '../grammar/parse-command.ts';
import { pupilDisplayName } from '../names/normalize-name.ts';
import { canSeeNeedsFlags } from '../permissions.ts';
import { reply, type Block, type Reply } from '../reply.ts';
import { csvFileBlock } from './caseload-csv.ts';
import { loadCaseloadPeriod, type CaseloadPeriod } from './caseload-period.ts';
import { loadCaseload, spreadOf, tuteeSpread, type AttentionPupil, type CaseloadQuery } from './caseload-query.ts';
import { resolveCaseloadScope, type ResolvedCaseload } from './caseload-scope.ts';
import { chatTable, csvTable, totalsOf } from './caseload-table.ts';

/**
 * `caseload [me | year N | house NAME | <staff name>] [csv]`: per tutor, meetings this term and
 * this year against the policy, overdue meetings, open concerns, concerns and praise this half
 * term and targets overdue; the totals; the pupils needing attention first; tutees per tutor with
 * the school's spread. Admins get the figures without any pupil's name.
 */
export const attentionLimit = 15;

export async function caseloadCommand(request: Request, scope: CaseloadScope, csv: boolean): Promise<Reply> {
  const resolution = await resolveCaseloadScope(request, scope, csv);
  if (!resolution.ok) return resolution.reply;
  return caseloadReply(request, resolution.caseload, csv);
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function reasons(pupil: AttentionPupil, period: CaseloadPeriod): string {
  const parts = [
    pupil.openSafeguarding > 0 ? `${pupil.openSafeguarding} safeguarding open` : null,
    pupil.noTutor ? (pupil.tutorName ? `tutor has left (${pupil.tutorName})` : 'no tutor') : null,
    pupil.openConcerns > 0 ? plural(pupil.openConcerns, 'open concern') : null,
    pupil.overdueMeetings > 0 ? `${plural(pupil.overdueMeetings, 'meeting')} overdue` : null,
    pupil.targetsOverdue > 0 ? `${plural(pupil.targetsOverdue, 'target')} overdue for review` : null,
  ];
  void period;
  return parts.filter(Boolean).join('; ');
}

function attentionBlocks(request: Request, pupils: AttentionPupil[], total: number, period: CaseloadPeriod): Block[] {
  if (pupils.length === 0)
    return [{ type: 'text', text: 'No pupil needs attention: no open concerns, overdue meetings or overdue targets, and everyone has a tutor.' }];
  const flagsFor = (pupil: AttentionPupil) =>
    canSeeNeedsFlags(request.actor, { yearGroup: pupil.yearGroup, house: pupil.house, tutorStaffId: pupil.tutorStaffId })
      ? [pupil.sen ? 'SEN' : null, pupil.eal ? 'EAL' : null].filter(Boolean).join(', ')
      : '';
  const flags = pupils.map(flagsFor);
  const showNeeds = flags.some(Boolean);
  const blocks: Block[] = [
    { type: 'heading', text: `Needing attention first (${total})` },
    {
      type: 'table',
      columns: ['Pupil', 'Form', 'Tutor', ...(showNeeds ? ['Needs'] : []), 'Why'],
      rows: pupils.map((pupil, index) => [
        pupilDisplayName(pupil),
        pupil.form ?? '—',
        pupil.noTutor ? '—' : (pupil.tutorName ?? '—'),
        ...(showNeeds ? [flags[index]] : []),
        reasons(pupil, period),
      ]),
    },
  ];
  if (total > pupils.length)
    blocks.push({ type: 'text', text: `…and ${total - pupils.length} more. "caseload <tutor's name>" narrows the list to one tutor.` });
  return blocks;
}

export async function caseloadReply(request: Request, caseload: ResolvedCaseload, csv: boolean): Promise<Reply> {
  const { core, actor } = request;
  const period = await loadCaseloadPeriod(core.db, actor.schoolId, core.now());
  const query: CaseloadQuery = {
    schoolId: actor.schoolId,
    area: caseload.area,
    tutorStaffId: caseload.tutor?.id ?? null,
    period,
    withSafeguarding: caseload.withSafeguarding,
  };
  const full = caseload.view === 'full';
  // The whole school's caseload already holds every tutor's tutee count: no second query for the spread.
  const wholeSchool = caseload.area === 'school' && caseload.tutor === null;
  const [{ tutors, attention, unassigned: unassignedInArea }, querySpread] = await Promise.all([
    loadCaseload(core.db, query, { attentionLimit: full ? attentionLimit : null }),
    wholeSchool ? Promise.resolve(null) : tuteeSpread(core.db, actor.schoolId),
  ]);
  const spread = querySpread ?? spreadOf(tutors.filter((figures) => figures.active).map((figures) => figures.tutees));
  const unassigned = caseload.tutor === null ? unassignedInArea : 0;
  const options = { withSafeguarding: caseload.withSafeguarding };
  const totals = totalsOf(tutors);
  const title = `Caseload: ${caseload.label[0].toUpperCase()}${caseload.label.slice(1)}`;
  const blocks: Block[] = [{ type: 'heading', text: `${title}, ${period.termLabel}` }];
  const summary =
    tutors.length === 0
      ? caseload.tutor
        ? `${caseload.tutor.id === actor.staffId ? 'You have' : `${caseload.tutor.displayName} has`} no tutees at the moment.`
        : `No pupils with a tutor in ${caseload.label}.`
      : `${plural(totals.tutees, 'pupil')} with ${plural(tutors.length, 'tutor')}. Met this term ${totals.metThisTerm}/${totals.dueThisTerm}, ` +
        `this year ${totals.doneThisYear}/${totals.dueThisYear}, ${totals.overdueMeetings} overdue; ${plural(totals.openConcerns, 'open concern')}; ` +
        `${plural(totals.targetsOverdue, 'target')} overdue for review.`;
  blocks.push({ type: 'text', text: summary });
  if (unassigned > 0) {
    blocks.push({ type: 'text', text: `${unassigned === 1 ? '1 pupil has' : `${unassigned} pupils have`} no active tutor: say "unassigned" to see who.` });
  }
  const policy =
    `Policy: ${plural(period.requiredThisYear, 'meeting')} a pupil a year, ${period.requiredThisTerm} this term` +
    `${period.policyYears.length > 0 ? ` (Years ${period.policyYears.join(', ')})` : ''}; overdue = required in this year's ended terms and not yet held. ` +
    `Concerns and praise: ${period.halfTermLabel}.`;

  if (csv) {
    const table = csvTable(tutors, options);
    const fileName = `caseload-${caseload.slug}-${period.today}.csv`;
    blocks.push({ type: 'text', text: `${policy} The table is attached as ${fileName}.` }, csvFileBlock(fileName, table.columns, table.rows));
    return reply(blocks, 'pupil');
  }
  if (attention) blocks.push(...attentionBlocks(request, attention.pupils, attention.total, period));
  if (tutors.length > 0) {
    blocks.push({ type: 'heading', text: 'By tutor' }, { type: 'table', ...chatTable(tutors, options) });
  }
  blocks.push({ type: 'text', text: policy });
  if (spread.tutors > 0) {
    blocks.push({
      type: 'text',
      text: `Tutees per tutor across the school: smallest ${spread.smallest}, median ${spread.median}, largest ${spread.largest} (${plural(spread.tutors, 'tutor')}).`,
    });
  }
  if (!full) blocks.push({ type: 'text', text: "Counts only: pupils' names are for their tutors and pastoral leads." });
  return reply(blocks, 'pupil');
}
