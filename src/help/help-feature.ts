import type { Feature } from '../feature.ts';
import { isAdmin, isPastoralLead, isSafeguardingLead } from '../permissions.ts';
import { reply } from '../reply.ts';

/** "help": the commands, with examples, for the roles the asker holds. */
const everyone = [
  ['who tutors <pupil>', 'who tutors Amelia Jones'],
  ['concern <pupil>: <text>', 'concern Amelia Jones: upset after lunch, says she is being left out'],
  ['praise <pupil>: <text>', 'praise Sam Patel: won the maths challenge'],
  ['safeguarding <pupil>: <text>', 'safeguarding Sam Patel: … (goes to the safeguarding team only)'],
  ['notes <pupil>', 'notes Sam Patel (the concerns and praise you may see)'],
  ['contacts [topic]', 'contacts wellbeing'],
];
const tutors = [
  ['tutees', 'your tutees and who still needs a meeting this term'],
  ['meeting <pupil>: <notes>', 'meeting Sam Patel: talked about revision plans'],
  ['targets <pupil>', 'targets Sam Patel'],
];
const leads = [
  ['caseload [me | year N | house NAME | <staff name>] [csv]', 'caseload year 9'],
  ['unassigned', 'pupils with no tutor'],
  ['assign <pupil> to <staff>: <reason>', 'assign Sam Patel to Ms Okafor: moved form'],
  ['handover <staff> to <staff>', 'handover Mr Reid to Ms Okafor'],
];

export const helpFeature: Feature = {
  name: 'help',
  commands: {
    help: async (request) => {
      const { actor } = request;
      const sections: [string, string[][]][] = [['Anyone on the staff', everyone]];
      if (actor.roles.includes('tutor') || isPastoralLead(actor) || isSafeguardingLead(actor)) sections.push(['Tutors', tutors]);
      if (isPastoralLead(actor) || isSafeguardingLead(actor) || isAdmin(actor)) sections.push(['Pastoral leads and admins', leads]);
      const blocks = [{ type: 'heading' as const, text: 'tutorbot commands' }];
      const body = sections.map(([title, commands]) => `${title}:\n${commands.map(([command, example]) => `  ${command}\n      e.g. ${example}`).join('\n')}`);
      return reply(
        [
          ...blocks,
          { type: 'text', text: body.join('\n\n') },
          { type: 'text', text: 'Type concern, praise, safeguarding or meeting on its own to open a form.' },
        ],
        'none',
      );
    },
  },
};
