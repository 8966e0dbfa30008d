/**
 * What a tutor needs in a meeting, from the school's own handbook: a checklist of what to cover,
 * example questions, a bank of target ideas, and named support contacts for signposting. Each
 * school sets its own (`tutorbot handbook import FILE`); until then this default applies, and
 * support contacts fall back to the school's staff with matching roles (support-contacts.ts).
 */
export interface SupportContact {
  /** What they do, as the school says it: "School counsellor", "Careers adviser", "SENCo". */
  role: string;
  name: string;
  email: string | null;
  phone: string | null;
  /** Words a tutor might ask with: "wellbeing", "careers", "attendance"… */
  topics: string[];
}

export interface Handbook {
  checklist: string[];
  questions: string[];
  targetIdeas: string[];
  contacts: SupportContact[];
}

export type HandbookSection = keyof Handbook;

export const handbookSections: readonly HandbookSection[] = ['checklist', 'questions', 'targetIdeas', 'contacts'];

/** Limits that keep every list inside a Slack modal / Teams card (option values <= 150 chars). */
export const handbookLimits = {
  itemLength: 150,
  checklist: 20,
  questions: 30,
  targetIdeas: 50,
  contacts: 40,
} as const;

export const defaultHandbook: Handbook = {
  checklist: [
    'Wellbeing: how things are going in and out of school',
    'Attendance and punctuality',
    'Progress in lessons, homework and effort',
    'Friendships and feeling part of school life',
    'Clubs, interests and responsibilities',
    'Looking ahead: options, careers and next steps',
    'Review of last targets',
  ],
  questions: [
    'What has gone well since we last met?',
    'Which lesson do you enjoy most at the moment, and why?',
    'Is there anything that is worrying you, in or out of school?',
    'Who do you spend time with at break and lunch?',
    'What would make next half term better for you?',
    'Is there anyone in school you would go to if you needed help?',
  ],
  targetIdeas: [
    'Arrive on time every day for the next four weeks',
    'Hand in every piece of homework on time',
    'Ask one question in each lesson when unsure',
    'Use a planner to record homework and deadlines',
    'Join a club or activity this half term',
    'Read for twenty minutes each evening',
    'Revise for each test with a written plan',
    'Talk to a trusted adult when something is worrying you',
    'Research two careers that interest you',
    'Bring the right equipment to every lesson',
  ],
  contacts: [],
};
