import { findActorByEmail, type Actor } from '../../src/staff/actor.ts';
import { parseConfig, type Environment } from '../../src/config.ts';
import type { Messenger } from '../../src/delivery/messenger.ts';
import { demoSchool, type DemoSchoolOptions } from '../../src/demo/demo-school.ts';
import { silentLogger, type Logger } from '../../src/logger.ts';
import { applyRoster } from '../../src/roster/apply-roster.ts';
import type { Roster } from '../../src/roster/roster.ts';
import { boot, type App } from '../../src/app/boot.ts';
import { openTestDatabase, type Engine, type TestDatabase } from './test-database.ts';

/**
 * A whole tutorbot for a test: a fresh real database (PGlite or PostgreSQL), migrated, with a
 * school loaded, the real core, and a clock the test controls. Nothing is mocked.
 */
export interface TestClock {
  now(): Date;
  set(instant: Date | string): void;
  advance(milliseconds: number): void;
}

export function createTestClock(start: Date | string = '2026-11-23T10:00:00Z'): TestClock {
  let current = new Date(start);
  return {
    now: () => new Date(current),
    set: (instant) => void (current = new Date(instant)),
    advance: (milliseconds) => void (current = new Date(current.getTime() + milliseconds)),
  };
}

export interface TestApp extends App {
  testDatabase: TestDatabase;
  clock: TestClock;
  schoolId: number;
  /** The active member of staff with this email, as the core sees them. */
  actor(email: string): Promise<Actor>;
}

export interface TestAppOptions {
  roster?: Roster;
  demo?: DemoSchoolOptions;
  env?: Environment;
  messengers?: Messenger[];
  jobs?: 'work' | 'send' | 'none';
  logger?: Logger;
  clock?: TestClock;
}

export async function startTestApp(engine: Engine, options: TestAppOptions = {}): Promise<TestApp> {
  const testDatabase = await openTestDatabase(engine);
  const clock = options.clock ?? createTestClock();
  const config = parseConfig({ TUTORBOT_DEV: '1', DATABASE_URL: 'memory://', TUTORBOT_LOG_LEVEL: 'error', ...options.env });
  const app = await boot(config, {
    jobs: options.jobs ?? 'none',
    database: testDatabase,
    messengers: options.messengers,
    logger: options.logger ?? silentLogger,
    now: clock.now,
  });
  const roster = options.roster ?? demoSchool({ pupils: 300, ...options.demo });
  const summary = await applyRoster(app.core.db, roster, { full: true, now: clock.now() });
  const schoolId = summary.schoolIds[0];
  return {
    ...app,
    testDatabase,
    clock,
    schoolId,
    async actor(email: string) {
      const actor = await findActorByEmail(app.core.db, schoolId, email);
      if (!actor) throw new Error(`no active staff ${email} in the test school`);
      return actor;
    },
  };
}
