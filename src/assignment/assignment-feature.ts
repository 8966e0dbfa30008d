import type { Feature } from '../feature.ts';
import { textReply } from '../reply.ts';
import { assignCancelAction, assignConfirmAction, assignPickAction, decodeAssign, runAssign } from './assign-command.ts';
import {
  cancelHandover,
  confirmHandover,
  decodeHandover,
  handoverCancelAction,
  handoverConfirmAction,
  handoverPickAction,
  previewHandover,
} from './handover-command.ts';
import { renderTutorLeft, tutorLeftKind } from './notify-deactivated-tutors.ts';
import { renderTuteesReceived, tuteesReceivedKind } from './tutees-received-message.ts';

/** Tutor assignment and handover (docs/product-rules.md): `assign`, `handover`, and the messages they cause. */
const staleButton = textReply('That button is no longer valid. Please run the command again.');

export const assignmentFeature: Feature = {
  name: 'assignment',
  commands: {
    assign: async (request, intent) => runAssign(request, intent, false),
    handover: async (request, intent) => previewHandover(request, intent),
  },
  actions: {
    [assignPickAction]: async (request, value) => {
      const decoded = decodeAssign(value);
      return decoded ? runAssign(request, decoded, false) : staleButton;
    },
    [assignConfirmAction]: async (request, value) => {
      const decoded = decodeAssign(value);
      return decoded ? runAssign(request, decoded, true) : staleButton;
    },
    [assignCancelAction]: async () => textReply('Cancelled; the tutor was not changed.'),
    [handoverPickAction]: async (request, value) => {
      const decoded = decodeHandover(value);
      return decoded ? previewHandover(request, decoded) : staleButton;
    },
    [handoverConfirmAction]: confirmHandover,
    [handoverCancelAction]: cancelHandover,
  },
  deliveries: {
    [tuteesReceivedKind]: { render: renderTuteesReceived },
    [tutorLeftKind]: { render: renderTutorLeft },
  },
};
