import { parseConfig, type Config } from '../../src/config.ts';
import { isTutorbotError } from '../../src/errors.ts';
import { boot, type App, type BootOptions } from '../../src/app/boot.ts';

/** Runs a CLI command with a booted app, closes it, and turns errors into a message and exit code. */
export async function withApp<T>(options: Omit<BootOptions, 'database'>, work: (app: App) => Promise<T>, config?: Config): Promise<T> {
  const app = await boot(config ?? parseConfig(), options);
  try {
    return await work(app);
  } finally {
    await app.close();
  }
}

export function reportCliError(error: unknown): never {
  if (isTutorbotError(error)) {
    process.stderr.write(`tutorbot: ${error.message}\n`);
    process.exit(error.code === 'tutorbot_config_invalid' ? 78 : 1);
  }
  process.stderr.write(`tutorbot: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
