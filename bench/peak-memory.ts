/**
 * Peak resident memory for the bench, in MB: Linux's high-water mark (VmHWM in /proc/self/status),
 * elsewhere getrusage's maxRSS. The bench runs its scenarios one after another in one process, so
 * run.ts resets the mark before each (Linux only: writing 5 to /proc/self/clear_refs) to give
 * each its own peak. Worker threads share the process's memory and are counted; a child process
 * is not, so the bench starts children with this file preloaded
 * (`node --import bench/peak-memory.ts`, with the file named in TUTORBOT_BENCH_PEAK_MEMORY_FILE), and each writes its own peak there
 * as it exits.
 */
import fs from 'node:fs';
import { isMainThread } from 'node:worker_threads';

export const peakMemoryFileVariable = 'TUTORBOT_BENCH_PEAK_MEMORY_FILE';

export function peakMemoryMb(): number {
  try {
    const hwm = /^VmHWM:\s+(\d+)\s+kB$/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    if (hwm) return Math.round(Number(hwm[1]) / 1024);
  } catch {
    // not Linux
  }
  return Math.round((process.resourceUsage().maxRSS * 1024) / 1024 / 1024);
}

/** Lowers the high-water mark to what is resident now; false where that cannot be done. */
export function resetPeakMemory(): boolean {
  try {
    fs.writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

/** What a child started with this file preloaded wrote as it exited, or null if it wrote nothing. */
export function readChildPeakMemory(file: string): number | null {
  try {
    return Number(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  } finally {
    fs.rmSync(file, { force: true });
  }
}

// Preloaded into a child: its main thread (not the worker threads, which inherit the preload)
// writes the peak on the way out, when nothing more will be allocated.
const childFile = process.env[peakMemoryFileVariable];
if (childFile && isMainThread) process.on('exit', () => fs.writeFileSync(childFile, String(peakMemoryMb())));
