/**
 * `npm run bench`: prints tutorbot's speed figures. A script, never a timed test: it reports,
 * the README keeps the latest figures, and targets are judged by people.
 *   npm run bench                 everything (national scale builds a 3.3 M-pupil PostgreSQL database once)
 *   npm run bench -- --quick      only what runs on the embedded database in seconds
 *   npm run bench -- --fuzz       only the request fuzz (bench/fuzz-requests.ts): 1,000 Slack and 333 Teams
 *                                 fuzzed, signed requests, about 3 minutes on 2 cores; --fuzz=N for N Slack and N/3 Teams,
 *                                 --seed=S to repeat a run (the seed is printed)
 *   npm run bench -- --chaos      only the chaos run: deliveries on PostgreSQL while workers are killed (bench/chaos-deliveries.ts)
 * Each section also prints the bench process's peak resident memory while it ran, and start-up the
 * started CLI's own (bench/peak-memory.ts); the PostgreSQL server's memory is not counted.
 * PostgreSQL: BENCH_DATABASE_URL, else TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres.
 */
import { benchCaseload } from './caseload.ts';
import { benchChaosDeliveries } from './chaos-deliveries.ts';
import { benchDigestSweep } from './digest-sweep.ts';
import { benchImport } from './import-throughput.ts';
import { benchFuzzRequests, fuzzOptionsFrom } from './fuzz-requests.ts';
import { ensureNationalDataset } from './national-dataset.ts';
import { peakMemoryMb, resetPeakMemory } from './peak-memory.ts';
import { benchSlackAck } from './slack-ack.ts';
import { benchStartup } from './startup.ts';
import { benchWhoTutorsNational, benchWhoTutorsPglite } from './who-tutors.ts';
import { benchEmbeddedMemory } from './embedded-memory.ts';

const quick = process.argv.includes('--quick');
// Minutes of work and a robustness check, not a speed figure: only when asked for, and then alone.
const fuzz = process.argv.some((arg) => arg === '--fuzz' || arg.startsWith('--fuzz='));
const chaos = process.argv.includes('--chaos');
const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const targets: Record<string, string> = {
  'who-tutors PostgreSQL 3,300×1,000 p99 ms': '<= 5',
  'npm start to prompt, later runs ms (median of 3)': '<= 3000',
  'slack ack p99 ms': '<= 50 at 200 req/s',
};

function print(section: string, figures: Record<string, number | string>) {
  console.log(`\n## ${section}`);
  for (const [name, value] of Object.entries(figures)) {
    const target = targets[name] ? `   (target ${targets[name]})` : '';
    console.log(`  ${name}: ${typeof value === 'number' ? value.toLocaleString('en-GB') : value}${target}`);
  }
}

// The run's own peak: each section's peak is measured from a reset mark, so the run's is the
// largest of them (and of what was resident before the first).
let runPeakMb = peakMemoryMb();

async function section(name: string, run: () => Promise<Record<string, number | string>>) {
  const started = performance.now();
  const fromReset = resetPeakMemory();
  let figures: Record<string, number | string>;
  try {
    figures = await run();
  } catch (error) {
    figures = { error: (error as Error).message };
  }
  const peak = peakMemoryMb();
  runPeakMb = Math.max(runPeakMb, peak);
  print(name, { ...figures, [fromReset ? 'bench process peak resident memory MB' : 'bench process peak resident memory so far MB']: peak });
  console.log(`  (${Math.round((performance.now() - started) / 1000)} s)`);
}

console.log(
  `tutorbot benchmarks, ${new Date().toISOString()}, Node ${process.version}, ${fuzz ? 'fuzz' : chaos ? 'chaos' : quick ? 'quick' : 'full'}, embedded memory ${benchEmbeddedMemory}`,
);
if (fuzz) {
  await section('fuzzed requests over loopback', () => benchFuzzRequests(fuzzOptionsFrom(process.argv)));
  process.exit(0);
}
if (chaos) {
  await section('chaos: deliveries while workers are killed, Slack answering 429 and 5xx', () => benchChaosDeliveries(serverUrl));
  process.exit(0);
}
await section('start-up', benchStartup);
await section('who tutors, embedded', benchWhoTutorsPglite);
await section('Slack ack over loopback', () => benchSlackAck());
if (!quick) {
  const benchUrl = await ensureNationalDataset(serverUrl, (line) => console.log(`  ${line}`));
  await section('who tutors, national scale', () => benchWhoTutorsNational(benchUrl));
  await section('roster import', () => benchImport(serverUrl));
  await section('caseload, national scale', () => benchCaseload(benchUrl));
  await section('weekly digest, national scale', () => benchDigestSweep(benchUrl));
}
print('whole run', { 'bench process peak resident memory MB': Math.max(runPeakMb, peakMemoryMb()) });
process.exit(0);
