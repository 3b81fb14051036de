// Dict keys and set members as Python compares them: by value (hashKey makes 1, 1.0 and True equal).
import { hashKey } from '../../common/value-util';
import type { PySet, PyValue } from '../../common/value';

export function sameKey(a: PyValue, b: PyValue): boolean {
  if (a === b) return true;
  if (a.t === 'str') return b.t === 'str' && a.v === b.v;
  if (b.t === 'str') return false;
  const ka = hashKey(a);
  return ka !== undefined && ka === hashKey(b);
}

export function hasDuplicateKey(entries: [PyValue, PyValue][]): boolean {
  if (entries.length <= 8) {
    for (let a = 0; a < entries.length; a++) {
      for (let b = a + 1; b < entries.length; b++) if (sameKey(entries[a][0], entries[b][0])) return true;
    }
    return false;
  }
  const seen = new Set<string>();
  for (const [k] of entries) {
    const key = hashKey(k);
    if (key === undefined) continue;
    if (seen.has(key)) return true;
    seen.add(key);
  }
  return false;
}

/** Later values win and keep the first key's position, as repeated dict assignment does. */
export function dedupe(entries: [PyValue, PyValue][]): void {
  const pos = new Map<string, number>();
  const out: [PyValue, PyValue][] = [];
  for (const e of entries) {
    const key = hashKey(e[0]);
    const at = key === undefined ? undefined : pos.get(key);
    if (at !== undefined) out[at] = [out[at][0], e[1]];
    else {
      if (key !== undefined) pos.set(key, out.length);
      out.push(e);
    }
  }
  entries.length = 0;
  entries.push(...out);
}

export function setEntry(entries: [PyValue, PyValue][], k: PyValue, v: PyValue): void {
  const key = hashKey(k);
  if (key !== undefined) {
    for (const e of entries) {
      if (e[0] === k || hashKey(e[0]) === key) {
        e[1] = v;
        return;
      }
    }
  }
  entries.push([k, v]);
}

export function addToSet(s: PySet, x: PyValue): void {
  const key = hashKey(x);
  if (key !== undefined && s.items.length) {
    for (const y of s.items) if (y === x || hashKey(y) === key) return;
  }
  s.items.push(x);
}

export function isContainer(v: PyValue): boolean {
  const t = v.t;
  return t === 'list' || t === 'dict' || t === 'tuple' || t === 'object' || t === 'set' || t === 'frozenset';
}
