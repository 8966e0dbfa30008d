import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeMrkdwn } from '../../adapters/slack/render-block-kit.ts';
import { readFormValues } from '../../adapters/slack/render-modal.ts';
import { plainMessageText } from '../../adapters/slack/slack-edge-context.ts';

/**
 * Property-based tests of what the Slack edge reads from Slack's payloads and writes into its
 * messages: whatever arrives, the readers do not throw, object keys stay data, and text a person
 * typed can never become markup.
 */
const runs = { numRuns: 300 };
const objectKeys = fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'prototype');
const key = fc.oneof(fc.string({ maxLength: 20 }), objectKeys);
const stateValue = fc.oneof(
  fc.record({ type: fc.constant('plain_text_input'), value: fc.option(fc.string({ maxLength: 50 })) }, { requiredKeys: ['type'] }),
  fc.record({ type: fc.constant('static_select'), selected_option: fc.option(fc.record({ value: fc.string({ maxLength: 20 }) })) }),
  fc.record({ type: fc.constant('multi_static_select'), selected_options: fc.array(fc.record({ value: fc.string({ maxLength: 20 }) }), { maxLength: 4 }) }),
  fc.record({ type: fc.constant('datepicker'), selected_date: fc.option(fc.string({ maxLength: 12 })) }),
);

describe('the Slack edge under arbitrary input', () => {
  it('reads any form state, whatever its block and action ids, as own fields only', () => {
    fc.assert(
      fc.property(fc.dictionary(key, fc.dictionary(key, stateValue, { maxKeys: 4 }), { maxKeys: 4 }), (values) => {
        const read = readFormValues(values as never);
        expect(Object.getPrototypeOf(read) === null || Object.getPrototypeOf(read) === Object.prototype).toBe(true);
        const actionIds = new Set(Object.values(values).flatMap((block) => Object.keys(block)));
        for (const field of Object.keys(read)) expect(actionIds.has(field)).toBe(true);
        for (const value of Object.values(read)) expect(value === undefined || typeof value === 'string' || Array.isArray(value)).toBe(true);
      }),
      runs,
    );
  });

  it('keeps an action id named __proto__ as a field, not the prototype (a seed the property above found)', () => {
    const read = readFormValues({ '': { ['__proto__']: { type: 'multi_static_select', selected_options: [] } } } as never);
    expect(Object.getPrototypeOf(read)).toBeNull();
    expect(Object.keys(read)).toEqual(['__proto__']);
    expect(Object.getOwnPropertyDescriptor(read, '__proto__')?.value).toEqual([]);
  });

  it('turns any message text into plain words of at most 3,000 characters, and drops every mention when asked', () => {
    const slackish = fc.oneof(
      fc.string({ maxLength: 400 }),
      fc
        .array(
          fc.oneof(
            fc.string({ maxLength: 20 }),
            fc.constantFrom('<@U123ABC>', '<@W9|grace>', '<https://x.example|link>', '<#C1|general>', '&lt;', '&amp;', '&gt;'),
          ),
          { maxLength: 30 },
        )
        .map((parts) => parts.join(' ')),
    );
    fc.assert(
      fc.property(slackish, (text) => {
        const kept = plainMessageText(text);
        const dropped = plainMessageText(text, 'drop');
        expect(kept.length).toBeLessThanOrEqual(3000);
        expect(dropped).not.toMatch(/<@[A-Z0-9]+(\|[^>]*)?>/);
      }),
      runs,
    );
  });

  it('escapes any text so Slack shows it as written: no tag or entity of its own survives', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const escaped = escapeMrkdwn(text);
        expect(escaped).not.toMatch(/[<>]/);
        expect(escaped.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')).toBe(text);
      }),
      runs,
    );
  });
});
