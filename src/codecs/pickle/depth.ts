// The walk over a decoded pickle at STOP: it enforces maxDepth, and gives each list and dict still
// holding NO_ITEMS an empty array of its own (the walk visits every container once, so the decoder
// need not keep track of them). Both walks are iterative, so a hostile depth cannot overflow the
// JS stack.
import { RpcError } from '../../common/errors';
import type { PyValue } from '../../common/value';
import { isContainer } from './keys';
import { NO_ITEMS } from './no-items';

function depthError(maxDepth: number, offset: number): RpcError {
  return new RpcError('E_LIMIT', `pickle: nesting deeper than maxDepth ${maxDepth} (checked at STOP, offset ${offset})`, { offset });
}

/** The parts of a container, in order (dict keys and values alternate); NO_ITEMS replaced. */
function childrenOf(v: PyValue): PyValue[] {
  switch (v.t) {
    case 'list':
      if (v.items === NO_ITEMS) v.items = [];
      return v.items;
    case 'tuple':
    case 'set':
    case 'frozenset':
      return v.items;
    case 'dict':
      if (v.kv === NO_ITEMS) v.kv = [];
      return v.kv;
    case 'object': {
      const out: PyValue[] = [...v.args];
      if (v.kwargs) for (const [, x] of v.kwargs) out.push(x);
      if (v.state) out.push(v.state);
      if (v.listItems) out.push(...v.listItems);
      if (v.dictItems) out.push(...v.dictItems);
      return out;
    }
    default:
      return [];
  }
}

/**
 * When no container was reached twice (`shared` is false: no memo GET or DUP of one), the result is
 * a tree and a plain walk suffices; otherwise shared parts are measured once and a reference back to
 * an enclosing container (recursion) ends the path, as repr's `[...]` does.
 */
export function finishResult(root: PyValue, maxDepth: number, offset: number, shared: boolean): void {
  if (!isContainer(root)) return;
  if (!shared) return walkTree(root, maxDepth, offset);
  const height = new Map<object, number>();
  const nodes: PyValue[] = [];
  const kids: PyValue[][] = [];
  const next: number[] = [];
  const best: number[] = [];
  const onPath = new Set<object>();
  const enter = (v: PyValue): void => {
    if (nodes.length >= maxDepth) throw depthError(maxDepth, offset);
    nodes.push(v);
    kids.push(childrenOf(v));
    next.push(0);
    best.push(0);
    onPath.add(v);
  };
  enter(root);
  while (nodes.length) {
    const top = nodes.length - 1;
    const list = kids[top];
    if (next[top] < list.length) {
      const c = list[next[top]++];
      if (!isContainer(c) || onPath.has(c)) continue;
      const h = height.get(c);
      if (h === undefined) enter(c);
      else {
        if (top + 1 + h > maxDepth) throw depthError(maxDepth, offset);
        if (h + 1 > best[top]) best[top] = h + 1;
      }
      continue;
    }
    const done = nodes.pop()!;
    const h = best.pop()! + 1;
    kids.pop();
    next.pop();
    onPath.delete(done);
    height.set(done, h);
    if (best.length && h > best[best.length - 1]) best[best.length - 1] = h;
  }
}

/**
 * Depth of a tree of containers: a walk with an explicit stack of (parts, next position). A list's
 * items and a dict's keys and values are walked in place, so the walk allocates nothing per
 * container but an object's parts.
 */
function walkTree(root: PyValue, maxDepth: number, offset: number): void {
  const parts: PyValue[][] = [];
  const next: number[] = [];
  const enter = (v: PyValue): void => {
    if (parts.length >= maxDepth) throw depthError(maxDepth, offset);
    parts.push(childrenOf(v));
    next.push(0);
  };
  enter(root);
  while (parts.length) {
    const top = parts.length - 1;
    const items = parts[top];
    let i = next[top];
    let c: PyValue | undefined;
    while (i < items.length) {
      const x = items[i++];
      if (isContainer(x)) {
        c = x;
        break;
      }
    }
    next[top] = i;
    if (c === undefined) {
      parts.pop();
      next.pop();
    } else enter(c);
  }
}
