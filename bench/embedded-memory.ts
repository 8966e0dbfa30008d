import { parseConfig } from '../src/config.ts';
import { resolveEmbeddedMemory } from '../src/db/embedded-memory.ts';

/**
 * How the bench's embedded databases are compiled: as the product would be with the same
 * TUTORBOT_EMBEDDED_MEMORY (auto unless it says small or large), so `TUTORBOT_EMBEDDED_MEMORY=small
 * npm run bench` measures the other setting. It is one per process: V8's flags cannot change back.
 */
const database = parseConfig({ DATABASE_URL: 'memory://', TUTORBOT_EMBEDDED_MEMORY: process.env.TUTORBOT_EMBEDDED_MEMORY }).database;
export const benchEmbeddedMemory = resolveEmbeddedMemory(database.kind === 'pglite' ? (database.memory ?? 'auto') : 'auto');
