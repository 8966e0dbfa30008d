import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { engines } from '../support/test-database.ts';

const direct = { platform: 'console', conversation: 'direct' } as const;
const at = (name: string) => `${name}@northbrook.example`;

describe.each(engines)('who may log a tutor meeting, on %s', (engine) => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp(engine);
  });
  afterAll(async () => {
    await app?.close();
  });

  async function logAs(email: string, text = 'meeting Amelia Jones: talked about settling into Year 9') {
    const before = await app.core.db
      .selectFrom('meeting')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const answer = await app.bot.handleText(await app.actor(at(email)), text, direct);
    const after = await app.core.db
      .selectFrom('meeting')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return { answer, added: Number(after.n) - Number(before.n) };
  }

  it("lets the pupil's tutor log a meeting", async () => {
    const { answer, added } = await logAs('grace.okafor');
    expect(added).toBe(1);
    expect(answer.text).toContain('Meeting with Amelia Jones logged');
    expect(answer.privacy).toBe('pupil');
  });

  it('refuses another tutor, clearly, and saves nothing', async () => {
    const { answer, added } = await logAs('daniel.reid');
    expect(added).toBe(0);
    expect(answer.text).toMatch(/Only Amelia Jones's tutor, their head of house or year, or the safeguarding team can log a meeting/);
  });

  it('lets the head of house log a meeting for a pupil in their house', async () => {
    // Amelia Jones is in Aurora (form 9A, seat 0), led by Tom Hughes.
    const { added } = await logAs('tom.hughes');
    expect(added).toBe(1);
  });

  it('refuses a head of another house', async () => {
    const { answer, added } = await logAs('alys.pryce');
    expect(added).toBe(0);
    expect(answer.text).toMatch(/Only Amelia Jones's tutor/);
  });

  it('refuses staff with no pastoral role (the SENCo, an admin)', async () => {
    expect((await logAs('ruth.oyelaran')).added).toBe(0);
    expect((await logAs('peter.lindqvist')).added).toBe(0);
  });

  it('lets the designated safeguarding lead log one', async () => {
    expect((await logAs('helen.achterberg')).added).toBe(1);
  });

  it('refuses to open the meeting form for a pupil the asker may not log for', async () => {
    const answer = await app.bot.handleText(await app.actor(at('daniel.reid')), 'meeting Amelia Jones', direct);
    expect(answer.blocks.some((block) => block.type === 'form')).toBe(false);
    expect(answer.text).toMatch(/Only Amelia Jones's tutor/);
  });
});
