/**
 * The platform port: everything about identity and addressing that is the same on every chat
 * platform. An edge (adapters/slack, adapters/teams) supplies only what only it can do: ask its
 * platform who a user is, send, render.
 */
export type { ChatPlatform } from './chat-platform.ts';
export { claimInboundEvent, handleInboundEventOnce, pruneInboundEvents, releaseInboundEvent } from './inbound-events.ts';
export { linkedPlatforms, linkWorkspace, schoolForWorkspace, type WorkspaceRef, type WorkspaceSchool } from './workspace-links.ts';
export {
  PlatformIdentities,
  identityCacheLifetimes,
  knownStaffId,
  type PlatformIdentityOptions,
  type PlatformUserRef,
  type ResolvedUser,
} from './platform-identities.ts';
export { createAddressBook, type AddressBook, type AddressOwner, type HeldDeliveries, type RememberedAddress, type StoredAddress } from './address-book.ts';
