// Exact-size copies of a run of a decoder's stack, for the items of a list or the keys and values
// of a dict. Up to 16 items the copy is an array literal: V8 learns that what such an allocation
// site makes survives and allocates it in the old generation directly (pretenuring), so a large
// reply's many small containers are not copied by the scavenger. Array.prototype.slice's arrays
// always start in the young generation. (Decoding a 20 MB pickle of small dicts: ~15% less CPU.)

export function copyItems<T>(s: readonly T[], k: number, n: number): T[] {
  switch (n) {
    case 0: return [];
    case 1: return [s[k]];
    case 2: return [s[k], s[k + 1]];
    case 3: return [s[k], s[k + 1], s[k + 2]];
    case 4: return [s[k], s[k + 1], s[k + 2], s[k + 3]];
    case 5: return [s[k], s[k + 1], s[k + 2], s[k + 3], s[k + 4]];
    case 6: return [s[k], s[k + 1], s[k + 2], s[k + 3], s[k + 4], s[k + 5]];
    case 7: return [s[k], s[k + 1], s[k + 2], s[k + 3], s[k + 4], s[k + 5], s[k + 6]];
    case 8: return [s[k], s[k + 1], s[k + 2], s[k + 3], s[k + 4], s[k + 5], s[k + 6], s[k + 7]];
    case 9: return [s[k], s[k + 1], s[k + 2], s[k + 3], s[k + 4], s[k + 5], s[k + 6], s[k + 7], s[k + 8]];
    case 10: return [s[k], s[k + 1], s[k + 2], s[k + 3], s[k + 4], s[k + 5], s[k + 6], s[k + 7], s[k + 8], s[k + 9]];
    case 11: return [s[k], s[k + 1], s[k + 2], s[k + 3], s[k + 4], s[k + 5], s[k + 6], s[k + 7], s[k + 8], s[k + 9], s[k + 10]];
    case 12: return [s[k], s[k + 1], s[k + 2], s[k + 3], s[k + 4], s[k + 5], s[k + 6], s[k + 7], s[k + 8], s[k + 9], s[k + 10], s[k + 11]];
    case 13: return [s[k], s[k + 1], s[k + 2], s[k + 3], s[k + 4], s[k + 5], s[k + 6], s[k + 7], s[k + 8], s[k + 9], s[k + 10], s[k + 11], s[k + 12]];
    case 14: return [s[k], s[k + 1], s[k + 2], s[k + 3], s[k + 4], s[k + 5], s[k + 6], s[k + 7], s[k + 8], s[k + 9], s[k + 10], s[k + 11], s[k + 12], s[k + 13]];
    case 15: return [s[k], s[k + 1], s[k + 2], s[k + 3], s[k + 4], s[k + 5], s[k + 6], s[k + 7], s[k + 8], s[k + 9], s[k + 10], s[k + 11], s[k + 12], s[k + 13], s[k + 14]];
    case 16: return [s[k], s[k + 1], s[k + 2], s[k + 3], s[k + 4], s[k + 5], s[k + 6], s[k + 7], s[k + 8], s[k + 9], s[k + 10], s[k + 11], s[k + 12], s[k + 13], s[k + 14], s[k + 15]];
    default: return s.slice(k, k + n);
  }
}

/**
 * The same function again, for large pickle replies: V8 keeps a pretenuring decision per array
 * literal, and small messages must not decide for large replies (see pickle/sites.ts).
 */
export function copyItemsForLargeReplies<T>(s: readonly T[], k: number, n: number): T[] {
  switch (n) {
    case 0: return [];
    case 1: return [s[k]];
    case 2: return [s[k], s[k + 1]];
    case 3: return [s[k], s[k + 1], s[k + 2]];
    case 4: return [s[k], s[k + 1], s[k + 2], s[k + 3]];
    case 5: return [s[k], s[k + 1], s[k + 2], s[k + 3], s[k + 4]];
    case 6: return [s[k], s[k + 1], s[k + 2], s[k + 3], s[k + 4], s[k + 5]];
    case 7: return [s[k], s[k + 1], s[k + 2], s[k + 3], s[k + 4], s[k + 5], s[k + 6]];
    case 8: return [s[k], s[k + 1], s[k + 2], s[k + 3], s[k + 4], s[k + 5], s[k + 6], s[k + 7]];
    case 9: return [s[k], s[k + 1], s[k + 2], s[k + 3], s[k + 4], s[k + 5], s[k + 6], s[k + 7], s[k + 8]];
    case 10: return [s[k], s[k + 1], s[k + 2], s[k + 3], s[k + 4], s[k + 5], s[k + 6], s[k + 7], s[k + 8], s[k + 9]];
    case 11: return [s[k], s[k + 1], s[k + 2], s[k + 3], s[k + 4], s[k + 5], s[k + 6], s[k + 7], s[k + 8], s[k + 9], s[k + 10]];
    case 12: return [s[k], s[k + 1], s[k + 2], s[k + 3], s[k + 4], s[k + 5], s[k + 6], s[k + 7], s[k + 8], s[k + 9], s[k + 10], s[k + 11]];
    case 13: return [s[k], s[k + 1], s[k + 2], s[k + 3], s[k + 4], s[k + 5], s[k + 6], s[k + 7], s[k + 8], s[k + 9], s[k + 10], s[k + 11], s[k + 12]];
    case 14: return [s[k], s[k + 1], s[k + 2], s[k + 3], s[k + 4], s[k + 5], s[k + 6], s[k + 7], s[k + 8], s[k + 9], s[k + 10], s[k + 11], s[k + 12], s[k + 13]];
    case 15: return [s[k], s[k + 1], s[k + 2], s[k + 3], s[k + 4], s[k + 5], s[k + 6], s[k + 7], s[k + 8], s[k + 9], s[k + 10], s[k + 11], s[k + 12], s[k + 13], s[k + 14]];
    case 16: return [s[k], s[k + 1], s[k + 2], s[k + 3], s[k + 4], s[k + 5], s[k + 6], s[k + 7], s[k + 8], s[k + 9], s[k + 10], s[k + 11], s[k + 12], s[k + 13], s[k + 14], s[k + 15]];
    default: return s.slice(k, k + n);
  }
}
