// The items of a list or dict the decoder made empty (EMPTY_LIST, EMPTY_DICT) and has not filled
// yet: one shared, frozen array instead of an empty array of each container's own, which the
// exact-size copy made by its APPENDS/SETITEMS would replace at once. Allocating those was ~15% of
// decoding a reply of small records. Whatever adds to such a container first gives it an array of
// its own (a push on NO_ITEMS throws); the walk at STOP (depth.ts) gives the never-filled ones
// theirs, so no decoded value shares it.
import type { PyValue } from '../../common/value';

export const NO_ITEMS = Object.freeze([]) as unknown as PyValue[];
