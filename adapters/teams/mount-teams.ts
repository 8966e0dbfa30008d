import type { Activity } from 'botbuilder';
import express, { type NextFunction, type Request, type Response } from 'express';
import { pruneInboundEvents } from '../../src/platforms/index.ts';
import type { PlatformMount } from '../server/platform-mount.ts';
import { authenticateActivity } from './authenticate-activity.ts';
import { readActivity } from './read-activity.ts';
import { createTeamsEdge } from './teams-application.ts';

/**
 * Serves Teams at POST /api/messages in the shared express app. The body is parsed here, for this
 * route only (Slack needs its raw body). With an app id, Bot Framework authentication is on: a
 * request without a bearer token is refused before anything is read, and every other token is
 * checked before the turn runs (401 refused, 503 keys unavailable: authenticate-activity.ts). Without an app id (dev mode only: config refuses it otherwise) it is off,
 * which is how the Bot Framework Emulator talks to a local bot.
 */
export const mountTeams: PlatformMount = async (app, router) => {
  const config = app.config.teams;
  if (!config) return { name: 'teams (not configured)' };
  const { adapter, application, authentication } = createTeamsEdge(app);
  if (config.authDisabled) app.core.log.warn('teams_authentication_disabled', { reason: 'dev mode with an empty MICROSOFT_APP_ID' });

  router.post('/api/messages', express.json({ limit: '512kb' }), async (req: Request, res: Response) => {
    if (!config.authDisabled && !/^Bearer\s+\S/i.test(req.headers.authorization ?? '')) {
      res.status(401).json({ error: { code: 'Unauthorized', message: 'A Bot Framework bearer token is required.' } });
      return;
    }
    const reading = readActivity(req.body);
    if (!reading.ok) {
      res.status(400).json({ error: { code: 'BadRequest', message: reading.reason } });
      return;
    }
    const activity = reading.activity;
    const authenticated = await authenticateActivity(authentication, activity, req.headers.authorization ?? '', app.core.log);
    if (!authenticated.ok) {
      res.status(authenticated.status).json(authenticated.body);
      return;
    }
    // The turn's own failures are answered by onTurnError; an invoke's answer goes back in this response.
    const invokeResponse = await adapter.runTurn(authenticated.result, activity as Activity, async (context) => {
      await application.run(context);
    });
    res.status(invokeResponse?.status ?? 200);
    if (invokeResponse?.body !== undefined) res.json(invokeResponse.body);
    else res.end();
  });
  router.use('/api/messages', (error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    const status = (error as { status?: number }).status;
    res
      .status(status && status >= 400 && status < 500 ? status : 500)
      .json({ error: { code: status === 413 ? 'TooLarge' : 'BadRequest', message: 'The request could not be read.' } });
  });
  const prune = setInterval(() => {
    pruneInboundEvents(app.core, 'teams').catch((error) => app.core.log.warn('teams_prune_failed', { error: (error as Error).name }));
  }, 3600_000);
  prune.unref();
  return {
    name: config.authDisabled ? 'teams (dev: authentication off)' : 'teams',
    async stop() {
      clearInterval(prune);
    },
  };
};
