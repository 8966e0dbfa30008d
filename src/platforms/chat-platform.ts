import type { PlatformLinkTable } from './platform-tables.ts';

/** The chat platforms a school's staff reach tutorbot from, each with its own edge under adapters/. */
export type ChatPlatform = PlatformLinkTable['platform'];
