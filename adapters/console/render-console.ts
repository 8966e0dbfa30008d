import { blocksToText, type Action, type Reply } from '../../src/reply.ts';

/** Plain text for the console, with numbered buttons: typing the number presses the button. */
export function renderConsoleReply(reply: Reply): { text: string; actions: Action[] } {
  const actions: Action[] = [];
  const lines: string[] = [];
  for (const block of reply.blocks) {
    if (block.type === 'choices') {
      lines.push(block.prompt);
      for (const option of block.options) {
        actions.push(option.action);
        lines.push(`  ${actions.length}. ${option.label}${option.detail ? ` — ${option.detail}` : ''}`);
      }
    } else if (block.type === 'actions') {
      lines.push(
        block.actions
          .map((action) => {
            actions.push(action);
            return `[${actions.length}] ${action.label}`;
          })
          .join('   '),
      );
    } else if (block.type === 'form') {
      lines.push(`${block.form.title}: forms open in Slack and Teams. In the console, type the command with its text,`);
      lines.push(`for example: ${block.form.id} Sam Patel: what happened`);
    } else if (block.type === 'file') {
      lines.push(`--- ${block.name} ---`, block.content.trimEnd(), '---');
    } else {
      lines.push(blocksToText([block]));
    }
  }
  if (actions.length > 0) lines.push('(type a number to choose)');
  return { text: lines.join('\n'), actions };
}
