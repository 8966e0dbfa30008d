/**
 * An open-loop load generator: sends requests at an even pace (200/s is one every 5 ms) from a
 * worker thread, over keep-alive connections, and times each response from the moment it was
 * due, not from when it was sent — so a late send counts against the server instead of hiding
 * (coordinated omission). This is how Slack's traffic arrives: one request after another, not in
 * bursts. autocannon's rate mode cannot do it: it gives each connection a per-second budget that
 * it spends back to back at the start of every second, and its omission correction assumes
 * requests 1 ms apart, so it describes bursts of 200 rather than a steady 200 a second.
 */
import http from 'node:http';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { summarize } from './stats.ts';

export interface PacedRequest {
  method: 'POST' | 'GET';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface PacedLoadOptions {
  url: string;
  rate: number;
  durationSeconds: number;
  requests: PacedRequest[];
}

export interface PacedLoadResult {
  sent: number;
  completed: number;
  failed: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  max: number;
}

export function pacedLoad(options: PacedLoadOptions): Promise<PacedLoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: options });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

async function run({ url, rate, durationSeconds, requests }: PacedLoadOptions): Promise<PacedLoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const target = new URL(url);
  const latencies: number[] = [];
  let failed = 0;
  const total = rate * durationSeconds;
  const interval = 1000 / rate;
  const pending: Promise<void>[] = [];
  const started = performance.now();
  for (let index = 0; index < total; index += 1) {
    const due = started + index * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const request = requests[index % requests.length];
    pending.push(
      send(agent, target, request).then(
        (ok) => (ok ? void latencies.push(performance.now() - due) : void (failed += 1)),
        () => void (failed += 1),
      ),
    );
  }
  await Promise.all(pending);
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  const stats = summarize(latencies);
  return { sent: total, completed: latencies.length, failed, requestsPerSecond: Math.round(total / elapsed), p50: stats.p50, p99: stats.p99, max: stats.max };
}

function send(agent: http.Agent, target: URL, request: PacedRequest): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const outgoing = http.request(
      { agent, host: target.hostname, port: target.port, method: request.method, path: request.path, headers: request.headers },
      (response) => {
        response.resume();
        response.on('end', () => resolve((response.statusCode ?? 500) < 300));
      },
    );
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });
}

if (!isMainThread && parentPort && (workerData as PacedLoadOptions | undefined)?.rate) {
  parentPort.postMessage(await run(workerData as PacedLoadOptions));
}
