import http from 'node:http';
import express from 'express';
import type { App } from '../../src/app/boot.ts';
import { databaseAnswers } from '../../src/db/database-health.ts';
import type { MountedPlatform, PlatformMount } from './platform-mount.ts';

/**
 * One HTTP server for everything: Slack's /slack/events, Teams' /api/messages and /healthz.
 * Each platform edge mounts its own routes through a PlatformMount; the core never sees a request
 * object, and this host knows no edge by name.
 */
export interface RunningServer {
  url: string;
  port: number;
  platforms: string[];
  close(): Promise<void>;
}

export async function startHttpServer(app: App, mounts: PlatformMount[], options: { port: number; host: string }): Promise<RunningServer> {
  const router = express();
  router.disable('x-powered-by');
  router.get('/healthz', async (_req, res) => {
    if (await databaseAnswers(app.database.db)) res.json({ ok: true });
    else res.status(503).json({ ok: false });
  });
  const mounted: MountedPlatform[] = [];
  for (const mount of mounts) mounted.push(await mount(app, router));
  router.use((_req, res) => {
    res.status(404).json({ ok: false, error: 'not_found' });
  });
  const server = http.createServer(router);
  // Slack waits 3 s for an ack; keep-alive connections are reused by load balancers.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://${options.host === '0.0.0.0' ? '127.0.0.1' : options.host}:${port}`,
    port,
    platforms: mounted.map((entry) => entry.name),
    async close() {
      for (const entry of mounted) await entry.stop?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
    },
  };
}
