import fs from 'node:fs';
import os from 'node:os';
import type { EmbeddedMemory, EmbeddedMemorySetting } from '../config.ts';

/** Below this much memory for the process, the embedded database is compiled small. */
export const largeEmbeddedMemoryNeeds = 2 * 1024 ** 3;

/**
 * What TUTORBOT_EMBEDDED_MEMORY=auto (the default) means on this machine: 'large' (V8 optimises
 * the database's hot code: typical queries faster, about 1 GB at its peak) where the process may
 * use 2 GiB or more, 'small' (about 400 MB) on a smaller machine or container, so tutorbot is
 * never killed for memory where it would fit.
 */
export function resolveEmbeddedMemory(setting: EmbeddedMemorySetting, available: number = memoryAvailableToProcess()): EmbeddedMemory {
  if (setting !== 'auto') return setting;
  return available >= largeEmbeddedMemoryNeeds ? 'large' : 'small';
}

/** The machine's memory, or the container's limit where one is set (cgroup v2, then v1). */
export function memoryAvailableToProcess(): number {
  const limits = ['/sys/fs/cgroup/memory.max', '/sys/fs/cgroup/memory/memory.limit_in_bytes'].flatMap((file) => {
    try {
      const value = Number(fs.readFileSync(file, 'utf8').trim());
      return Number.isFinite(value) && value > 0 ? [value] : [];
    } catch {
      return [];
    }
  });
  return Math.min(os.totalmem(), ...limits);
}
