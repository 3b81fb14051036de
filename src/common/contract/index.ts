// The main/renderer contract: every entry defined once, as a name with request and response schemas.
// Electron main registers one IPC handler per entry, the preload exposes one function per entry,
// web mode serves the same entries over a WebSocket; the renderer sees one typed Api.
// A feature adds its entries in its own file (`fooEntries`) and merges them into `contract` below;
// its handlers (HandlersOf<typeof fooEntries>) are merged in src/services/app-core.ts.
import type { z } from 'zod';
import type { Entry, Result } from './base';
import { callEntries } from './calls';
import { collectionEntries } from './collections';
import { connectionEntries } from './connections';
import { wireEntries } from './wire';

export * from './base';
export * from './calls';
export * from './collections';
export * from './connections';
export * from './wire';

export const contract = {
  ...connectionEntries,
  ...callEntries,
  ...wireEntries,
  ...collectionEntries,
} satisfies Record<string, Entry>;

export type Contract = typeof contract;
export type EntryName = keyof Contract;
export type Req<K extends EntryName> = z.input<Contract[K]['req']>;
export type Res<K extends EntryName> = z.output<Contract[K]['res']>;

export const ENTRY_NAMES = Object.keys(contract) as EntryName[];

/** The handlers of some entries, e.g. HandlersOf<typeof wireEntries>: each may throw; dispatch() catches. */
export type HandlersOf<E extends Record<string, Entry>> = {
  [K in keyof E]: (req: z.output<E[K]['req']>) => Promise<z.output<E[K]['res']>>;
};

/** What the host implements: one handler per entry (a missing one fails to compile). */
export type Handlers = HandlersOf<Contract>;

/** What the renderer calls: one function per entry, never throwing. */
export type Api = { [K in EntryName]: (req: Req<K>) => Promise<Result<Res<K>>> };

export function isEntryName(name: unknown): name is EntryName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);
}

/** The IPC channel of an entry. */
export const channelOf = (name: EntryName): string => `rpcscope:${name}`;
