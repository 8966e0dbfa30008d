/** The chat platforms a school's staff reach tutorbot from, each with its own edge under adapters/. */
export type ChatPlatform = 'slack' | 'teams';

/**
 * Every way a request reaches the core: a chat platform, the console chat (which also has a
 * messenger, so it can be sent to), or a one-off CLI command (which cannot).
 */
export type Surface = ChatPlatform | 'console' | 'cli';
