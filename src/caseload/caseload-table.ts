import type { TutorFigures } from './caseload-query.ts';

/**
 * The per-tutor caseload as a table: one model, rendered as a chat table (fractions like "12/28")
 * and as a CSV file (numbers in their own columns, so a spreadsheet does not read "12/28" as a date).
 * Tutors furthest behind on this term's meetings come first, then those with most open concerns.
 */
export interface CaseloadTableOptions {
  withSafeguarding: boolean;
}

export function sortTutors(tutors: TutorFigures[]): TutorFigures[] {
  const ratio = (figures: TutorFigures) => (figures.dueThisTerm === 0 ? 1 : figures.metThisTerm / figures.dueThisTerm);
  return [...tutors].sort(
    (a, b) =>
      ratio(a) - ratio(b) ||
      b.overdueMeetings - a.overdueMeetings ||
      b.openConcerns - a.openConcerns ||
      a.group.localeCompare(b.group) ||
      a.name.localeCompare(b.name) ||
      a.staffId - b.staffId,
  );
}

export function totalsOf(tutors: TutorFigures[]): TutorFigures {
  const sum = (pick: (figures: TutorFigures) => number) => tutors.reduce((total, figures) => total + pick(figures), 0);
  return {
    staffId: 0,
    name: 'Total',
    email: '',
    active: true,
    group: `${tutors.length} tutor${tutors.length === 1 ? '' : 's'}`,
    tutees: sum((f) => f.tutees),
    policyTutees: sum((f) => f.policyTutees),
    metThisTerm: sum((f) => f.metThisTerm),
    dueThisTerm: sum((f) => f.dueThisTerm),
    doneThisYear: sum((f) => f.doneThisYear),
    dueThisYear: sum((f) => f.dueThisYear),
    overdueMeetings: sum((f) => f.overdueMeetings),
    openConcerns: sum((f) => f.openConcerns),
    concernsHalfTerm: sum((f) => f.concernsHalfTerm),
    praiseHalfTerm: sum((f) => f.praiseHalfTerm),
    targetsOverdue: sum((f) => f.targetsOverdue),
    openSafeguarding: sum((f) => f.openSafeguarding),
  };
}

function tutorLabel(figures: TutorFigures): string {
  return figures.active ? figures.name : `${figures.name} (left)`;
}

export function chatTable(tutors: TutorFigures[], options: CaseloadTableOptions): { columns: string[]; rows: string[][] } {
  const columns = ['Tutor', 'Group', 'Tutees', 'Met this term', 'This year', 'Overdue', 'Open concerns', 'Concerns ½ term', 'Praise ½ term', 'Targets overdue'];
  if (options.withSafeguarding) columns.push('Safeguarding open');
  const row = (figures: TutorFigures) => {
    const cells = [
      tutorLabel(figures),
      figures.group,
      String(figures.tutees),
      `${figures.metThisTerm}/${figures.dueThisTerm}`,
      `${figures.doneThisYear}/${figures.dueThisYear}`,
      String(figures.overdueMeetings),
      String(figures.openConcerns),
      String(figures.concernsHalfTerm),
      String(figures.praiseHalfTerm),
      String(figures.targetsOverdue),
    ];
    if (options.withSafeguarding) cells.push(String(figures.openSafeguarding));
    return cells;
  };
  const sorted = sortTutors(tutors);
  return { columns, rows: [...sorted.map(row), ...(sorted.length > 1 ? [row(totalsOf(sorted))] : [])] };
}

export const csvColumns = [
  'Tutor',
  'Email',
  'Group',
  'Tutees',
  'Met this term',
  'Due this term',
  'Meetings this year',
  'Due this year',
  'Overdue meetings',
  'Open concerns',
  'Concerns this half term',
  'Praise this half term',
  'Targets overdue for review',
] as const;

export function csvTable(tutors: TutorFigures[], options: CaseloadTableOptions): { columns: string[]; rows: (string | number)[][] } {
  const columns: string[] = [...csvColumns];
  if (options.withSafeguarding) columns.push('Safeguarding open');
  const row = (figures: TutorFigures, total: boolean) => {
    const cells: (string | number)[] = [
      total ? 'Total' : tutorLabel(figures),
      total ? '' : figures.email,
      figures.group,
      figures.tutees,
      figures.metThisTerm,
      figures.dueThisTerm,
      figures.doneThisYear,
      figures.dueThisYear,
      figures.overdueMeetings,
      figures.openConcerns,
      figures.concernsHalfTerm,
      figures.praiseHalfTerm,
      figures.targetsOverdue,
    ];
    if (options.withSafeguarding) cells.push(figures.openSafeguarding);
    return cells;
  };
  const sorted = sortTutors(tutors);
  return { columns, rows: [...sorted.map((figures) => row(figures, false)), row(totalsOf(sorted), true)] };
}
