import type { Activity } from 'botbuilder';

/**
 * Checks and tidies a request body before the SDK sees it. The SDK trusts the shape of what it
 * is given: a `text` that is a number, an `entities` that is not a list, or a mention without
 * `mentioned` throws inside the turn, which ends as an apology or a 500. Here the fields that
 * identify a request must have the types Bot Framework gives them (else the request is refused
 * with 400 and a reason), and optional fields with the wrong type are dropped, so every turn the
 * SDK runs is one it can read.
 */
export type ActivityReading = { ok: true; activity: Partial<Activity> } | { ok: false; reason: string };

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

/** Keeps only the string-valued keys listed; anything else in the object is left as it is. */
function withStrings(record: Json, keys: string[]): Json {
  const copy: Json = { ...record };
  for (const key of keys) if (copy[key] !== undefined && typeof copy[key] !== 'string') delete copy[key];
  return copy;
}

function account(value: unknown): Json | null {
  if (!isRecord(value) || !nonEmptyString(value.id)) return null;
  return withStrings(value, ['name', 'aadObjectId', 'role']);
}

function httpUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/** Entities the SDK and tutorbot read: mentions need `mentioned.id`, and a text to remove. */
function entities(value: unknown): Json[] {
  if (!Array.isArray(value)) return [];
  const kept: Json[] = [];
  for (const entity of value) {
    if (!isRecord(entity) || typeof entity.type !== 'string') continue;
    if (entity.type === 'mention') {
      const mentioned = account(entity.mentioned);
      if (!mentioned) continue;
      kept.push({ ...entity, mentioned, text: typeof entity.text === 'string' ? entity.text : '' });
    } else kept.push(entity);
  }
  return kept;
}

function members(value: unknown): Json[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) return [];
  return value.map(account).filter((member): member is Json => member !== null);
}

export function readActivity(body: unknown): ActivityReading {
  if (!isRecord(body)) return { ok: false, reason: 'The body is not a Bot Framework activity.' };
  if (!nonEmptyString(body.type)) return { ok: false, reason: 'The activity has no type.' };
  if (!httpUrl(body.serviceUrl)) return { ok: false, reason: 'The activity has no usable serviceUrl.' };
  const from = account(body.from);
  const recipient = account(body.recipient);
  if (!from || !recipient) return { ok: false, reason: 'The activity does not say who sent it and to whom.' };
  if (!isRecord(body.conversation) || !nonEmptyString(body.conversation.id)) return { ok: false, reason: 'The activity has no conversation.' };
  for (const key of ['id', 'replyToId', 'name', 'channelId', 'timestamp', 'locale', 'textFormat'] as const) {
    if (body[key] !== undefined && body[key] !== null && typeof body[key] !== 'string') return { ok: false, reason: `The activity’s ${key} is not text.` };
  }
  if (body.text !== undefined && body.text !== null && typeof body.text !== 'string') return { ok: false, reason: 'The activity’s text is not text.' };

  const activity: Json = { ...body, from, recipient, entities: entities(body.entities) };
  for (const key of ['id', 'replyToId', 'name', 'channelId', 'timestamp', 'locale', 'textFormat', 'text'] as const)
    if (activity[key] === null) delete activity[key];
  // The SDK removes the bot's mention from the text, and throws when there is no text at all.
  if (activity.text === undefined && (activity.entities as Json[]).some((entity) => entity.type === 'mention')) activity.text = '';
  const conversation = withStrings(body.conversation, ['conversationType', 'tenantId', 'name']);
  if (typeof conversation.isGroup !== 'boolean') delete conversation.isGroup;
  activity.conversation = conversation;
  if (!isRecord(body.channelData)) delete activity.channelData;
  const added = members(body.membersAdded);
  const removed = members(body.membersRemoved);
  if (added) activity.membersAdded = added;
  else delete activity.membersAdded;
  if (removed) activity.membersRemoved = removed;
  else delete activity.membersRemoved;
  // As botbuilder's own process() does: the SDK's turn works with Date timestamps.
  if (typeof activity.timestamp === 'string') {
    activity.rawTimestamp = activity.timestamp;
    activity.timestamp = new Date(activity.timestamp);
  }
  return { ok: true, activity: activity as Partial<Activity> };
}
