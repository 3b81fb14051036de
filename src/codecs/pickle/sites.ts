// Where the fast loop (decode.ts, `run`) allocates values: two sets of the same small functions,
// one for small messages and one for large replies, and the same code on purpose.
//
// V8 decides per allocation site (each object or array literal in the source) whether what it
// makes starts in the old generation, and a site that has decided "young" never changes its mind
// (only undecided and "maybe tenure" sites move: MakePretenureDecision in V8's
// pretenuring-handler.cc). A small message's values (a call, a reply of a few bytes) die young.
// Sites they shared with a large reply would make that reply's hundreds of thousands of strings
// and containers start young too, to be copied by every scavenge: decoding a 20 MB reply after
// 80,000 Cookbook requests took 15-20% more CPU. Only literals written twice are two sites.
import type { PyDict, PyFloat, PyList, PyStr, PyTuple, PyValue } from '../../common/value';
import { copyItems, copyItemsForLargeReplies } from '../copy-items';
import { NO_ITEMS } from './no-items';

export interface Sites {
  str(v: string): PyStr;
  float(v: number): PyFloat;
  /** an EMPTY_DICT: NO_ITEMS until filled */
  dict(): PyDict;
  /** an EMPTY_LIST: NO_ITEMS until filled */
  list(): PyList;
  tuple(items: PyValue[]): PyTuple;
  listOf(items: PyValue[]): PyList;
  /** an exact-size copy of part of the stack (see copy-items.ts) */
  copy(s: readonly PyValue[], k: number, n: number): PyValue[];
}

const SMALL_MESSAGE_SITES: Sites = {
  str: (v) => ({ t: 'str', v }),
  float: (v) => ({ t: 'float', v }),
  dict: () => ({ t: 'dict', kv: NO_ITEMS }),
  list: () => ({ t: 'list', items: NO_ITEMS }),
  tuple: (items) => ({ t: 'tuple', items }),
  listOf: (items) => ({ t: 'list', items }),
  copy: copyItems,
};

const LARGE_REPLY_SITES: Sites = {
  str: (v) => ({ t: 'str', v }),
  float: (v) => ({ t: 'float', v }),
  dict: () => ({ t: 'dict', kv: NO_ITEMS }),
  list: () => ({ t: 'list', items: NO_ITEMS }),
  tuple: (items) => ({ t: 'tuple', items }),
  listOf: (items) => ({ t: 'list', items }),
  copy: copyItemsForLargeReplies,
};

/** Pickles from this many bytes on are decoded with LARGE_REPLY_SITES. */
export const LARGE_PICKLE_BYTES = 64 * 1024;

export const sitesFor = (bytes: number): Sites => (bytes >= LARGE_PICKLE_BYTES ? LARGE_REPLY_SITES : SMALL_MESSAGE_SITES);
