// The server's objects we hold (netrefs). Every REMOTE_REF box the server sends adds one to the
// object's refcount on its side; RPyC's netref counts them and its DEL gives the count back. We do
// the same per id_pack, so release() frees exactly what we were given.
import type { PyRef, PyValue } from '../../common/value';
import type { IdPack } from '../../codecs/rpyc/messages';

interface RefEntry {
  id: IdPack;
  count: number;
}

const keyOf = (id: IdPack): string => `${id.cls}:${id.classId}:${id.instanceId}`;

export function refValue(id: IdPack, repr?: string): PyRef {
  return { t: 'ref', cls: id.cls, handle: `${id.classId}:${id.instanceId}`, ...(repr === undefined ? {} : { repr }) };
}

export class RemoteRefs {
  private readonly entries = new Map<string, RefEntry>();

  /** A REMOTE_REF arrived: count it and return its value. */
  add(id: IdPack): PyRef {
    const key = keyOf(id);
    const e = this.entries.get(key);
    if (e) e.count++;
    else this.entries.set(key, { id, count: 1 });
    return refValue(id);
  }

  /** The server's id_pack of a reference value, when it is one of this connection's. */
  idOf(v: PyValue): IdPack | undefined {
    if (v.t !== 'ref') return undefined;
    const m = /^(\d+):(\d+)$/.exec(v.handle);
    if (!m) return undefined;
    return this.entries.get(`${v.cls}:${m[1]}:${m[2]}`)?.id;
  }

  count(id: IdPack): number {
    return this.entries.get(keyOf(id))?.count ?? 0;
  }

  /** Forget `n` references (all when absent); returns how many to give back with DEL. */
  take(id: IdPack, n?: number): number {
    const key = keyOf(id);
    const e = this.entries.get(key);
    if (!e) return 0;
    const k = Math.min(e.count, n ?? e.count);
    e.count -= k;
    if (e.count === 0) this.entries.delete(key);
    return k;
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }
}
