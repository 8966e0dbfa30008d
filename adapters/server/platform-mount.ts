import type express from 'express';
import type { App } from '../../src/app/boot.ts';

/**
 * The plug between the HTTP host and a platform edge: the edge adds its routes (or opens its own
 * connection, as Slack's Socket Mode does) and says how to stop. Edges import this; the host never
 * imports an edge (adapters/platform-edges.ts is the catalogue of them).
 */
export type PlatformMount = (app: App, router: express.Express) => Promise<MountedPlatform>;

export interface MountedPlatform {
  name: string;
  stop?: () => Promise<void>;
}
