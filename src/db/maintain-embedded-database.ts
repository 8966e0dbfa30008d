import type { Logger } from '../logger.ts';
import type { Database } from './open-database.ts';

/**
 * What PostgreSQL's autovacuum does for a server, done on a schedule for the embedded database,
 * which has none: VACUUM reclaims the space of rows that were updated or deleted (job and
 * delivery rows churn all day) and ANALYZE keeps the planner's table statistics current.
 */
export const embeddedMaintenanceQueue = 'embedded-maintenance';

export async function maintainEmbeddedDatabase(database: Database, log: Logger): Promise<void> {
  if (!database.embedded) return;
  const started = performance.now();
  await database.embedded.query('VACUUM (ANALYZE)');
  log.info('embedded_database_maintained', { ms: Math.round(performance.now() - started) });
}
