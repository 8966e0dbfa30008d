import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the schema comes from: the numbered .sql files in migrations/. It stands alone so the
 * embedded template (which hashes the folder) and the migration runner (which applies it) can
 * both name it without importing each other.
 */
export const migrationsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations');
