import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseEncryptionKey, type Config } from '../config.ts';
import { TutorbotError } from '../errors.ts';

/**
 * The key comes from TUTORBOT_ENCRYPTION_KEY. A single school on the embedded database may run
 * without it: the key is then generated once into `<data dir>/encryption.key` (mode 0600), beside
 * the database but never inside it, so a dump of the database still reveals no note text.
 * On PostgreSQL config.ts already insists on the variable outside dev mode; in dev mode a
 * throwaway key file is used the same way.
 */
export function loadEncryptionKey(config: Config): { key: Buffer; source: 'environment' | 'generated' | 'file' } {
  if (config.encryptionKey) return { key: config.encryptionKey, source: 'environment' };
  const keyPath = path.join(config.dataDir, 'encryption.key');
  if (config.database.kind === 'pglite' && config.database.dataDir === null && config.dev) {
    return { key: randomBytes(32), source: 'generated' };
  }
  try {
    return { key: parseEncryptionKey(fs.readFileSync(keyPath, 'utf8')), source: 'file' };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new TutorbotError('tutorbot_config_invalid', `The key file ${keyPath} could not be read: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
  fs.mkdirSync(config.dataDir, { recursive: true });
  const key = randomBytes(32);
  fs.writeFileSync(keyPath, key.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  return { key, source: 'generated' };
}
