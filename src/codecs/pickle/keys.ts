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

/** Whether any two keys of flat keys and values (PyDict.kv) are equal, as Python compares them. */
export function hasDuplicateKey(kv: PyValue[]): boolean {
  const n = kv.length;
  if (n <= 16) {
    for (let a = 0; a < n; a += 2) {
      for (let b = a + 2; b < n; b += 2) if (sameKey(kv[a], kv[b])) return true;
    }
    return false;
  }
  const seen = new Set<string>();
  for (let a = 0; a < n; a += 2) {
    const key = hashKey(kv[a]);
    if (key === undefined) continue;
    if (seen.has(key)) return true;
    seen.add(key);
  }
  return false;
}

export function setEntry(kv: PyValue[], k: PyValue, v: PyValue): void {
  const key = hashKey(k);
  if (key !== undefined) {
    for (let i = 0; i < kv.length; i += 2) {
      if (kv[i] === k || hashKey(kv[i]) === key) {
        kv[i + 1] = v;
        return;
      }
    }
  }
  kv.push(k, v);
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
