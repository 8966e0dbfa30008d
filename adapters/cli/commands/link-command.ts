import type { Command } from 'commander';
import { TutorbotError } from '../../../src/errors.ts';
import { linkWorkspace } from '../../../src/platforms/index.ts';
import { findSchool } from '../../../src/schools/find-school.ts';
import { withApp } from '../cli-app.ts';

/** `tutorbot link slack TEAM_ID --school …` / `tutorbot link teams TENANT_ID --school …`. */
export function registerLinkCommand(program: Command): void {
  program
    .command('link')
    .description('link a Slack workspace (team or enterprise id) or a Teams tenant id to a school')
    .argument('<platform>', 'slack or teams')
    .argument('<id>', 'Slack team id (T…) or enterprise id (E…), or Microsoft tenant id')
    .option('--school <name>', 'the school (name, URN or id); optional when there is only one')
    .action(async (platformArg: string, id: string, options: { school?: string }) => {
      const platform = platformArg.toLowerCase();
      if (platform !== 'slack' && platform !== 'teams') {
        throw new TutorbotError('tutorbot_user_input', `Platform must be slack or teams, not "${platformArg}".`);
      }
      const externalId = id.trim();
      if (!/^[A-Za-z0-9-]{3,64}$/.test(externalId)) {
        throw new TutorbotError('tutorbot_user_input', `"${id}" does not look like a ${platform === 'slack' ? 'Slack team or enterprise id' : 'tenant id'}.`);
      }
      await withApp({ jobs: 'none' }, async (app) => {
        const school = await findSchool(app.core.db, options.school);
        await linkWorkspace(app.core.db, { platform, workspaceId: externalId, schoolId: school.id });
        process.stdout.write(`Linked ${platform} ${externalId} to ${school.name}.\n`);
      });
    });
}
