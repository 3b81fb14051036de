// The pickle encoder's memo: which containers it has already written, and at which memo index, so
// that a shared or recursive container is written once and referred to after (GET), as pickle.py
// does with id(obj).
//
// Kept on the containers themselves: a container written is marked by its tag ('list' becomes
// '#list') and the tags are put back when the encode ends, thrown or not. Nothing else runs while
// an encode does (it is synchronous and calls out to nothing), so no one sees a mark. The obvious
// Map<object, index> costs a lookup and an insert per container, and the first insert of an object
// gives it an identity hash; on a reply of many small dicts that was a sixth of the whole encode.
// The Map is built only when a marked container is met again, which plain data rarely does.
import type { PyValue } from '../../common/value';

export type MemoContainer = Extract<PyValue, { t: 'list' | 'dict' | 'set' | 'frozenset' | 'bytearray' | 'object' }>;

/** A container whose tag is, for the moment, a mark. */
type Marked = { t: string };

const MARK = 0x23; // '#'

function markOf(t: MemoContainer['t']): string {
  switch (t) {
    case 'list':
      return '#list';
    case 'dict':
      return '#dict';
    case 'set':
      return '#set';
    case 'frozenset':
      return '#frozenset';
    case 'bytearray':
      return '#bytearray';
    case 'object':
      return '#object';
  }
}

/** The tag back from its mark, as the same constant string (a sliced copy would compare slower). */
function tagOf(mark: string): MemoContainer['t'] {
  switch (mark) {
    case '#list':
      return 'list';
    case '#dict':
      return 'dict';
    case '#set':
      return 'set';
    case '#frozenset':
      return 'frozenset';
    case '#bytearray':
      return 'bytearray';
    default:
      return 'object';
  }
}

export class EncodeMemo {
  private readonly marked: Marked[] = [];
  private index?: Map<object, number>;

  /** Record `v` under the next memo index, which it returns. */
  add(v: MemoContainer): number {
    const idx = this.marked.length;
    const m = v as Marked;
    m.t = markOf(v.t);
    this.marked.push(m);
    this.index?.set(v, idx);
    return idx;
  }

  /** The memo index of `v` if this encode has written it already. */
  indexOf(v: PyValue): number | undefined {
    if ((v.t as string).charCodeAt(0) !== MARK) return undefined;
    if (!this.index) {
      this.index = new Map();
      for (let k = 0; k < this.marked.length; k++) this.index.set(this.marked[k], k);
    }
    return this.index.get(v);
  }

  /** Put every tag back; the values are as they were before the encode. */
  restore(): void {
    const marked = this.marked;
    for (let k = 0; k < marked.length; k++) marked[k].t = tagOf(marked[k].t);
    marked.length = 0;
    this.index = undefined;
  }
}
