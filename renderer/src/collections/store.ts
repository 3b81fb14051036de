// The Collections view's state, kept outside the component so it survives switching tabs.
import { create } from 'zustand';
import type { CollectionRunResult, CollectionView, Failure } from '../../../src/common/contract';

export const DEFAULT_COLLECTION_FILE = 'rpcscope.collection.json';

interface CollectionsState {
  path: string;
  env: string;
  collection?: CollectionView;
  /** outcome per call index */
  results: Record<number, CollectionRunResult>;
  step?: { position: number; total: number; done: boolean };
  problem?: Failure;
  python?: string;
  /** the files used last (from the host) and the folder a relative name is resolved in */
  recent?: { files: string[]; dir: string };
  /** what is being done, while a request runs ('Running 3 of 20 calls…') */
  busy?: string;
  /** set while Run all runs (false), true once Stop was pressed: no call starts after the one running */
  stopRequested?: boolean;
  /** the call under way (by index) and since when (ms since the epoch) */
  running?: { index: number; since: number };
  set(patch: Partial<Omit<CollectionsState, 'set' | 'opened' | 'merge'>>): void;
  opened(c: CollectionView): void;
  merge(rs: CollectionRunResult[]): void;
}

export const useCollections = create<CollectionsState>((set) => ({
  path: DEFAULT_COLLECTION_FILE,
  env: '',
  results: {},
  set: (patch) => set(patch),
  opened: (collection) => set({ collection, results: {}, step: undefined }),
  merge: (rs) => set((s) => ({ results: { ...s.results, ...Object.fromEntries(rs.map((r) => [r.index, r])) } })),
}));
