// copyItems (and its twin for large pickle replies) spells out its array literals by hand, one per
// length: each must copy exactly the run it is given, as slice() does.
import { describe, expect, it } from 'vitest';
import { copyItems, copyItemsForLargeReplies } from '../../src/codecs/copy-items';

describe.each([
  ['copyItems', copyItems],
  ['copyItemsForLargeReplies', copyItemsForLargeReplies],
])('%s', (_name, copyItems) => {
  const stack = Array.from({ length: 64 }, (_, i) => ({ i }));
  it('copies every length from 0 to 40 at several offsets like slice', () => {
    for (const k of [0, 1, 7, 20]) {
      for (let n = 0; n <= 40; n++) {
        const copy = copyItems(stack, k, n);
        expect(copy).toEqual(stack.slice(k, k + n));
        expect(copy.length).toBe(n);
        if (n > 0) expect(copy[n - 1]).toBe(stack[k + n - 1]);
      }
    }
  });

  it('returns a new array, not the stack', () => {
    const copy = copyItems(stack, 0, 3);
    copy[0] = { i: -1 };
    expect(stack[0]).toEqual({ i: 0 });
  });
});
