import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { escapeCardMarkdown, unescapeCardMarkdown } from '../../adapters/teams/escape-card-markdown.ts';
import { renderCard } from '../../adapters/teams/render-adaptive-card.ts';
import { reply } from '../../src/reply.ts';
import { engines } from '../support/test-database.ts';
import { createTeamsHarness, renderActivity } from '../support/teams-harness.ts';

/**
 * Teams reads card text as markdown (docs/product-rules.md): what a person typed must arrive as the
 * characters they typed, never as a link, formatting, a list or a heading.
 */
const hostile = [
  '[login](https://evil.example)',
  '[click me](javascript:alert(1))',
  '![pixel](https://evil.example/t.png)',
  '<https://evil.example> and <b>bold</b> &lt;script&gt; &#91;x&#93;(y)',
  '**loud** _quiet_ ~~gone~~ `code` | a | b |',
  '# Heading\n> quote\n- item\n+ item\n1. first\n2) second\n===\n  - indented',
  'back\\slash \\[not a link\\](https://evil.example)',
];

/** Every TextBlock text and FactSet title/value in a card: the places Teams reads markdown. */
function markdownTexts(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(markdownTexts);
  if (!node || typeof node !== 'object') return [];
  const element = node as Record<string, unknown>;
  const own =
    element.type === 'TextBlock'
      ? [String(element.text)]
      : element.type === 'FactSet'
        ? (element.facts as { title: string; value: string }[]).flatMap((fact) => [fact.title, fact.value])
        : [];
  return [...own, ...Object.values(element).flatMap(markdownTexts)];
}

/** Markup that would take effect: a link or image, an autolink or tag, emphasis, code, or a block marker at a line start. */
function liveMarkup(markdown: string): string[] {
  const unescaped = (pattern: string) => new RegExp(`(?<!\\\\)(?:\\\\\\\\)*${pattern}`, 'm');
  const found: string[] = [];
  if (unescaped('\\[').test(markdown)) found.push('[');
  if (unescaped('\\]\\(').test(markdown)) found.push('](');
  if (unescaped('<').test(markdown)) found.push('<');
  if (unescaped('&').test(markdown)) found.push('&');
  if (unescaped('\\*').test(markdown)) found.push('*');
  if (unescaped('_').test(markdown)) found.push('_');
  if (unescaped('`').test(markdown)) found.push('`');
  if (unescaped('~').test(markdown)) found.push('~');
  if (/^[ \t]*(?:[#>+\-=]|\d+[.)])/m.test(markdown)) found.push('line start');
  return found;
}

describe('escaping text in Teams cards', () => {
  test.each(hostile)('hostile text %j is shown as written, with no live markup in the card JSON', (text) => {
    const card = renderCard(
      reply(
        [
          { type: 'heading', text },
          { type: 'text', text },
          { type: 'fields', fields: [{ label: text, value: text }] },
          { type: 'choices', prompt: text, options: [{ label: text, detail: text, action: { id: 'pick', label: 'Pick', value: '1' } }] },
          { type: 'table', columns: ['Note'], rows: [[text]] },
        ],
        'pupil',
      ),
    );
    for (const markdown of markdownTexts(card)) {
      const withoutOwnBold = markdown.replace(/^\*\*([\s\S]*?(?<!\\))\*\*( · )?/, '$2');
      for (const piece of withoutOwnBold.split(' · ')) expect(liveMarkup(piece)).toEqual([]);
    }
    const shown = JSON.stringify(card);
    expect(shown).not.toContain('](https://evil.example)');
    expect(shown).not.toContain('](javascript:');
  });

  test('the link from the issue is escaped character by character', () => {
    expect(escapeCardMarkdown('[login](https://evil.example)')).toBe('\\[login\\]\\(https://evil.example\\)');
    expect(escapeCardMarkdown('1. first\n- second')).toBe('1\\. first\n\\- second');
  });

  test('ordinary names and notes read the same after escaping, and keep their hyphens and full stops unescaped', () => {
    expect(escapeCardMarkdown('Sam Patel-Hughes, 9A. Upset after lunch')).toBe('Sam Patel-Hughes, 9A. Upset after lunch');
    for (const text of hostile) expect(unescapeCardMarkdown(escapeCardMarkdown(text))).toBe(text);
  });

  test('the card’s own formatting still renders: a choice’s label is bold around the escaped text', () => {
    const card = renderCard(
      reply(
        [{ type: 'choices', prompt: 'Which one?', options: [{ label: 'Amelia *Jones*', detail: '9A', action: { id: 'pick', label: 'Pick', value: '1' } }] }],
        'pupil',
      ),
    );
    expect(markdownTexts(card)).toContain('**Amelia \\*Jones\\*** · 9A');
  });
});

describe.each(engines)('a hostile concern delivered through Teams on %s', (engine) => {
  const harness = createTeamsHarness(engine);
  const grace = 'grace.okafor@northbrook.example';
  const daniel = 'daniel.reid@northbrook.example';
  beforeAll(async () => {
    await harness.start();
    await harness.install(grace);
  });
  afterAll(() => harness.close());

  test('a concern holding a markdown link reaches the tutor’s card as text, not as a disguised link', async () => {
    const note = 'please re-enter your password at [login](https://evil.example) or [here](javascript:alert(1))';
    const [receipt] = await harness.say(daniel, `concern Amelia Jones: ${note}`);
    expect(receipt.text).toContain('Concern logged');
    const [notice] = await harness.directMessagesTo(grace);
    expect(notice.text).toContain(note);
    const posted = harness.connector.activities({ conversationId: harness.personalConversationId(grace), proactive: true }).at(-1)!;
    const card = (posted.body!.attachments as { content: unknown }[])[0].content;
    const texts = markdownTexts(card).filter((text) => text.includes('evil.example'));
    expect(texts.length).toBeGreaterThan(0);
    for (const text of texts) {
      expect(text).not.toContain('[login](');
      expect(text).toContain('\\[login\\]\\(https://evil.example\\)');
      expect(text).toContain('\\[here\\]\\(javascript:alert\\(1\\)\\)');
    }
    expect(renderActivity(posted.body!).text).toContain(note);
  });
});
