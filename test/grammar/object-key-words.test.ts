import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/grammar/parse-command.ts';

const objectKeys = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];

describe('command words that are also object keys', () => {
  it.each(objectKeys)('"%s Amelia Jones: text" is not understood as a command', (word) => {
    const intent = parseCommand(`${word} Amelia Jones: upset after lunch`);
    expect(intent.kind).toBe('unknown');
  });
});
