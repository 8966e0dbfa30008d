import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { escapeCardMarkdown, unescapeCardMarkdown } from '../../adapters/teams/escape-card-markdown.ts';
import { readActivity } from '../../adapters/teams/read-activity.ts';
import { readSubmission } from '../../adapters/teams/render-adaptive-card.ts';
import { plainText } from '../../adapters/teams/teams-message-text.ts';
import { createLogger } from '../../src/logger.ts';
import { botId, createTeamsHarness } from '../support/teams-harness.ts';

/**
 * Property-based tests of the Teams payload parsing (docs/product-rules.md): whatever the input, the
 * readers do not throw and the server answers below 500. Runs are bounded to stay well under 10 s.
 * Failing seeds found while writing them are kept as fixed cases in teams-hostile-activities.test.ts.
 */
const objectKeys = fc.constantFrom('__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty', 'prototype');
const textish = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.stringMatching(/^[\\`*_~[\]()<>&!|#+\-=.\d \n]{0,60}$/),
  objectKeys.map((key) => `&${key};`),
);

describe('Teams readers under arbitrary input', () => {
  test('escaped card text reads back as written (line endings aside)', () => {
    fc.assert(
      fc.property(textish, (text) => {
        expect(unescapeCardMarkdown(escapeCardMarkdown(text))).toBe(text.replace(/\r\n?/g, '\n'));
      }),
      { numRuns: 500 },
    );
  });

  test('plain text from Teams HTML never throws and never turns an entity into object internals', () => {
    fc.assert(
      fc.property(textish, (text) => {
        const read = plainText(text);
        if (!text.includes('function')) expect(read).not.toContain('function');
        if (!text.includes('native code')) expect(read).not.toContain('native code');
      }),
      { numRuns: 500 },
    );
  });

  test('readActivity and readSubmission never throw on any JSON', () => {
    fc.assert(
      fc.property(
        fc.jsonValue({ maxDepth: 4 }),
        fc.dictionary(fc.oneof(objectKeys, fc.string({ maxLength: 12 })), fc.jsonValue({ maxDepth: 2 })),
        (body, value) => {
          readActivity(body);
          const { values } = readSubmission(value);
          expect(Object.getPrototypeOf(values)).toBeNull();
          for (const item of Object.values(values)) expect(typeof item === 'string' || Array.isArray(item)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('arbitrary activities posted to the real server (dev mode, pglite)', () => {
  const errors: string[] = [];
  const harness = createTeamsHarness('pglite', { app: { logger: createLogger('error', (line) => errors.push(line)) } });
  beforeAll(() => harness.start());
  afterAll(() => harness.close());

  // Seed -2083781922 (path 158:0:1:1:1:1) found the text "__proto__": kept as a fixed case below.
  test('a message reading just __proto__ is answered with a 2xx and no failed Teams turn', async () => {
    errors.length = 0;
    const result = await harness.post({
      ...harness.base('grace.okafor@northbrook.example', 'personal'),
      type: 'message',
      id: harness.nextActivityId(),
      text: '__proto__',
    });
    expect(result.status).toBe(200);
    expect(result.calls.some((call) => call.method === 'POST')).toBe(true);
    expect(errors.filter((line) => line.includes('"event":"teams_'))).toEqual([]);
  });

  test('never answer 5xx and never fail a turn', async () => {
    const grace = 'grace.okafor@northbrook.example';
    const field = fc.oneof(
      fc.constant(undefined),
      fc.constant(null),
      fc.string({ maxLength: 40 }),
      fc.integer(),
      fc.boolean(),
      fc.jsonValue({ maxDepth: 2 }),
      objectKeys,
    );
    const activity = fc.record(
      {
        type: fc.oneof(fc.constantFrom('message', 'invoke', 'conversationUpdate', 'event', 'typing', 'messageReaction'), field),
        name: fc.oneof(fc.constantFrom('adaptiveCard/action', 'application/search', 'task/fetch'), field),
        text: fc.oneof(
          textish,
          field,
          textish.map((text) => `<at>tutorbot</at> ${text}`),
        ),
        value: fc.oneof(
          field,
          fc.record({
            tutorbotAction: field,
            value: field,
            tutorbotForm: field,
            action: fc.record({ type: field, verb: fc.oneof(fc.constantFrom('tutorbot.action', 'tutorbot.form'), field), data: field }),
          }),
        ),
        entities: fc.oneof(
          field,
          fc.array(
            fc.oneof(field, fc.record({ type: fc.constantFrom('mention', 'clientInfo'), mentioned: fc.oneof(field, fc.constant({ id: botId })), text: field })),
            { maxLength: 3 },
          ),
        ),
        membersAdded: fc.oneof(field, fc.array(fc.oneof(field, fc.constant({ id: botId })), { maxLength: 2 })),
        conversationType: fc.oneof(fc.constantFrom('personal', 'channel', 'groupChat'), field),
        replyToId: field,
        dropFrom: fc.boolean(),
      },
      { requiredKeys: ['type', 'dropFrom', 'conversationType'] },
    );
    await fc.assert(
      fc.asyncProperty(activity, async ({ dropFrom, conversationType, ...fields }) => {
        errors.length = 0;
        const base = harness.base(grace, conversationType === 'channel' ? 'channel' : 'personal') as Record<string, unknown>;
        const body: Record<string, unknown> = { ...base, id: harness.nextActivityId(), ...fields };
        body.conversation = { ...(base.conversation as object), conversationType };
        if (dropFrom) delete body.from;
        const result = await harness.post(body);
        expect(result.status).toBeLessThan(500);
        // The edge's own failures; the core's (request_failed) belong to the grammar's fuzzing.
        expect(errors.filter((line) => line.includes('"event":"teams_'))).toEqual([]);
      }),
      { numRuns: 250, ...(process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED), path: process.env.FUZZ_PATH } : {}) },
    );
  }, 30_000);
});
