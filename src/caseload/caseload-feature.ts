import type { Feature } from '../feature.ts';
import { textReply } from '../reply.ts';
import { caseloadCommand } from './caseload-command.ts';
import { caseloadHome } from './caseload-home.ts';
import { caseloadPickStaffAction, decodeCaseloadPick } from './caseload-scope.ts';
import { unassignedCommand } from './unassigned-command.ts';

/** Caseloads for pastoral leads, the unassigned list and the at-a-glance home section (docs/product-rules.md). */
export const caseloadFeature: Feature = {
  name: 'caseload',
  commands: {
    caseload: async (request, intent) => caseloadCommand(request, intent.scope, intent.csv),
    unassigned: async (request) => unassignedCommand(request),
  },
  actions: {
    [caseloadPickStaffAction]: async (request, value) => {
      const decoded = decodeCaseloadPick(value);
      if (!decoded) return textReply('That button is no longer valid. Please run the command again.');
      return caseloadCommand(request, { kind: 'staff', name: decoded.staff }, decoded.csv);
    },
  },
  home: caseloadHome,
};

export { unassignedCount } from './unassigned-pupils.ts';
export { leadArea, type PupilArea } from './pupil-area.ts';
