import type { TestApp } from './test-app.ts';

/**
 * What every platform's test harness offers, so that one contract suite (test/contract) can hold
 * Slack and Teams to the same conversations. Each harness drives the real server over loopback
 * HTTP against a fake of its platform's API and reports what the platform would have shown.
 */
export interface PlatformHarness {
  name: 'slack' | 'teams';
  app: TestApp;
  start(): Promise<void>;
  close(): Promise<void>;
  say(email: string, text: string, where?: 'direct' | 'channel'): Promise<RenderedReply[]>;
  press(email: string, button: { actionId: string; value: string }): Promise<RenderedReply[]>;
  directMessagesTo(email: string): Promise<RenderedReply[]>;
}
export interface RenderedReply {
  text: string;
  buttons: { actionId: string; value: string; label: string }[];
  visibleTo: 'asker' | 'channel' | 'dm';
}
