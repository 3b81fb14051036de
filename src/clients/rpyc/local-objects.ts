// Our side of RPyC's symmetry. Values brine cannot carry (lists, dicts, sets, bytearrays) are passed
// to the server by reference, as RPyC itself does; the server then sends requests on them (iterate,
// len, getitem, repr...) and we answer from the value we sent. We serve the read-only protocol of
// these builtins plus list.append; everything else is answered with the exception Python would raise
// for a forbidden attribute, so the server never waits on us.
import { repr } from '../../common/repr';
import { kvKeys, kvPairs, type PyValue } from '../../common/value';
import { HANDLER, idPackFrom, type Boxed, type IdPack } from '../../codecs/rpyc/messages';
import { isBrineable, NOT_IMPLEMENTED } from '../../codecs/rpyc/brine';
import { ServedError, ServedStopIteration } from './connection';

type Target =
  | { kind: 'value'; value: PyValue }
  | { kind: 'iter'; items: PyValue[]; pos: number; cls: string }
  | { kind: 'root' };

interface Entry {
  id: IdPack;
  target: Target;
  /** how many boxes of it the server holds (each box is a reference it will DEL) */
  count: number;
}

/** The server's objects, as the unboxer needs them (see RemoteRefs). */
export interface RefBoxer {
  /** the server's id_pack of a reference value we hold, if it is one */
  idOf(v: PyValue): IdPack | undefined;
}

const SEQ_METHODS = ['__contains__', '__getitem__', '__iter__', '__len__', '__repr__', '__str__', 'count', 'index'];
const METHODS: Record<string, string[]> = {
  list: [...SEQ_METHODS, 'append'],
  bytearray: SEQ_METHODS,
  dict: ['__contains__', '__getitem__', '__iter__', '__len__', '__repr__', '__str__', 'get', 'items', 'keys', 'values'],
  set: ['__contains__', '__iter__', '__len__', '__repr__', '__str__'],
  frozenset: ['__contains__', '__iter__', '__len__', '__repr__', '__str__'],
  iter: ['__iter__', '__length_hint__', '__next__'],
  root: [],
};

const ITERATOR_CLASS: Record<string, string> = {
  list: 'builtins.list_iterator',
  bytearray: 'builtins.bytearray_iterator',
  dict: 'builtins.dict_keyiterator',
  set: 'builtins.set_iterator',
  frozenset: 'builtins.set_iterator',
};

const none: PyValue = { t: 'none' };
const int = (n: number): PyValue => ({ t: 'int', v: BigInt(n) });
const str = (s: string): PyValue => ({ t: 'str', v: s });

export class LocalObjects {
  private readonly byInstance = new Map<bigint, Entry>();
  private readonly byValue = new Map<PyValue, Entry>();
  private readonly classIds = new Map<string, bigint>();
  private nextInstance = 1n;
  private root?: Entry;

  constructor(private readonly refs: RefBoxer) {}

  /** How many of our objects the server still references (for tests and the status line). */
  get size(): number {
    return this.byInstance.size;
  }

  private classId(cls: string): bigint {
    let id = this.classIds.get(cls);
    if (id === undefined) {
      id = BigInt(this.classIds.size + 1);
      this.classIds.set(cls, id);
    }
    return id;
  }

  private register(cls: string, target: Target): Entry {
    const entry: Entry = { id: { cls, classId: this.classId(cls), instanceId: this.nextInstance++ }, target, count: 0 };
    this.byInstance.set(entry.id.instanceId, entry);
    if (target.kind === 'value') this.byValue.set(target.value, entry);
    return entry;
  }

  private boxEntry(entry: Entry): Boxed {
    entry.count++;
    return { label: 'remote', id: entry.id };
  }

  /** Box a value as RPyC's _box does: by value when brine can, tuples item by item, the rest by reference. */
  box(v: PyValue): Boxed {
    if (isBrineable(v)) return { label: 'value', value: v };
    if (v.t === 'tuple') return boxTuple(v.items.map((x) => this.box(x)));
    const server = this.refs.idOf(v);
    if (server) return { label: 'local', id: server };
    if (v.t === 'list' || v.t === 'dict' || v.t === 'set' || v.t === 'frozenset' || v.t === 'bytearray') {
      return this.boxEntry(this.byValue.get(v) ?? this.register(`builtins.${v.t}`, { kind: 'value', value: v }));
    }
    throw new ServedError('TypeError', `cannot send ${v.t === 'object' ? `a ${v.module}.${v.name} object` : `a ${v.t}`} over rpyc`);
  }

  /** The value behind a LOCAL_REF the server sent back (an object of ours). */
  lookup(id: IdPack): PyValue {
    const e = this.byInstance.get(id.instanceId);
    if (!e) throw new ServedError('KeyError', `no local object ${id.cls} ${id.instanceId}`);
    if (e.target.kind === 'value') return e.target.value;
    return { t: 'object', module: 'rpcscope', name: e.id.cls, args: [], display: `<${e.id.cls} object>` };
  }

  private entryOf(box: Boxed | undefined): Entry {
    if (box?.label !== 'local') throw new ServedError('TypeError', 'expected one of our objects');
    const e = this.byInstance.get(box.id.instanceId);
    if (!e) throw new ServedError('KeyError', `no local object ${box.id.cls} ${box.id.instanceId}`);
    return e;
  }

  /**
   * Answer one request from the server. `unbox` turns the server's boxes into values (its own
   * objects become references). Throws ServedError / ServedStopIteration for the exception reply.
   */
  serve(handler: number, args: Boxed, unbox: (b: Boxed) => PyValue): Boxed {
    const parts = args.label === 'tuple' ? args.items : args.label === 'value' && args.value.t === 'tuple' ? args.value.items.map(valueBox) : [];
    switch (handler) {
      case HANDLER.PING:
        return parts[0] ?? valueBox(none);
      case HANDLER.CLOSE:
        return valueBox(none);
      case HANDLER.GETROOT:
        this.root ??= this.register('rpyc.core.service.VoidService', { kind: 'root' });
        return this.boxEntry(this.root);
      case HANDLER.DEL: {
        const e = this.entryOf(parts[0]);
        const n = parts[1] ? Number(asInt(unbox(parts[1]))) : 1;
        e.count -= n;
        if (e.count <= 0) this.drop(e);
        return valueBox(none);
      }
      case HANDLER.REPR:
      case HANDLER.STR:
        return valueBox(str(this.reprOf(this.entryOf(parts[0]))));
      case HANDLER.DIR:
        return valueBox({ t: 'tuple', items: this.methodsOf(this.entryOf(parts[0])).map(str) });
      case HANDLER.INSPECT: {
        const id = idPackFrom(parts[0] ? unbox(parts[0]) : none);
        const e = this.byInstance.get(id.instanceId);
        const names = e ? this.methodsOf(e) : [];
        return valueBox({ t: 'tuple', items: names.map((n) => ({ t: 'tuple', items: [str(n), none] })) });
      }
      case HANDLER.HASH: {
        const e = this.entryOf(parts[0]);
        if (e.target.kind === 'value' && e.target.value.t !== 'frozenset') throw new ServedError('TypeError', `unhashable type: '${e.target.value.t}'`);
        return valueBox(int(Number(e.id.instanceId)));
      }
      case HANDLER.CMP: {
        const e = this.entryOf(parts[0]);
        const other = parts[1];
        const op = parts[2] ? unbox(parts[2]) : str('__eq__');
        const same = other?.label === 'local' && other.id.instanceId === e.id.instanceId;
        if (op.t === 'str' && op.v === '__eq__' && same) return valueBox({ t: 'bool', v: true });
        if (op.t === 'str' && op.v === '__ne__' && same) return valueBox({ t: 'bool', v: false });
        return valueBox(NOT_IMPLEMENTED);
      }
      case HANDLER.INSTANCECHECK:
        return valueBox({ t: 'bool', v: false });
      case HANDLER.BUFFITER: {
        const e = this.entryOf(parts[0]);
        const count = parts[1] ? Number(asInt(unbox(parts[1]))) : 0;
        const it = e.target.kind === 'iter' ? e.target : { items: this.iterItems(e), pos: 0 };
        const chunk = it.items.slice(it.pos, it.pos + count);
        it.pos += chunk.length;
        return boxTuple(chunk.map((x) => this.box(x)));
      }
      case HANDLER.GETATTR: {
        const name = parts[1] ? unbox(parts[1]) : none;
        if (name.t === 'str' && name.v === '__doc__') return valueBox(none);
        throw new ServedError('AttributeError', `cannot access ${repr(name)}`);
      }
      case HANDLER.CALLATTR: {
        const e = this.entryOf(parts[0]);
        const name = parts[1] ? unbox(parts[1]) : none;
        if (name.t !== 'str') throw new ServedError('TypeError', 'name must be a string');
        const callArgs = parts[2] ? unbox(parts[2]) : { t: 'tuple', items: [] };
        return this.callMethod(e, name.v, callArgs.t === 'tuple' ? callArgs.items : []);
      }
      case HANDLER.CALL:
        throw new ServedError('TypeError', `'${this.typeName(this.entryOf(parts[0]))}' object is not callable`);
      case HANDLER.SETATTR:
      case HANDLER.DELATTR:
        throw new ServedError('AttributeError', 'access denied');
      case HANDLER.PICKLE:
        throw new ServedError('ValueError', 'pickling is disabled');
      default:
        throw new ServedError('NotImplementedError', `rpcscope does not serve request ${handler}`);
    }
  }

  private drop(e: Entry): void {
    this.byInstance.delete(e.id.instanceId);
    if (e.target.kind === 'value') this.byValue.delete(e.target.value);
  }

  private typeName(e: Entry): string {
    return e.id.cls.replace(/^builtins\./, '');
  }

  private kindOf(e: Entry): string {
    return e.target.kind === 'value' ? e.target.value.t : e.target.kind;
  }

  private methodsOf(e: Entry): string[] {
    return METHODS[this.kindOf(e)] ?? [];
  }

  private reprOf(e: Entry): string {
    if (e.target.kind === 'value') return repr(e.target.value);
    return `<${e.id.cls} object at 0x${e.id.instanceId.toString(16)}>`;
  }

  /** What iterating the value yields: items, a dict's keys, a bytearray's ints. */
  private iterItems(e: Entry): PyValue[] {
    const t = e.target;
    if (t.kind === 'iter') return t.items.slice(t.pos);
    if (t.kind === 'root') throw new ServedError('TypeError', `'${this.typeName(e)}' object is not iterable`);
    const v = t.value;
    switch (v.t) {
      case 'list':
      case 'set':
      case 'frozenset':
        return v.items;
      case 'dict':
        return kvKeys(v.kv);
      case 'bytearray':
        return [...v.v].map(int);
      default:
        throw new ServedError('TypeError', `'${v.t}' object is not iterable`);
    }
  }

  private callMethod(e: Entry, name: string, args: PyValue[]): Boxed {
    if (!this.methodsOf(e).includes(name)) throw new ServedError('AttributeError', `cannot access '${name}'`);
    const t = e.target;
    const arg = (i: number): PyValue => {
      const a = args[i];
      if (a === undefined) throw new ServedError('TypeError', `${name}() missing argument ${i + 1}`);
      return a;
    };
    switch (name) {
      case '__repr__':
      case '__str__':
        return valueBox(str(this.reprOf(e)));
      case '__len__':
        return valueBox(int(this.iterItems(e).length));
      case '__length_hint__':
        return valueBox(int(t.kind === 'iter' ? t.items.length - t.pos : 0));
      case '__iter__': {
        if (t.kind === 'iter') return this.boxEntry(e);
        const kind = this.kindOf(e);
        const cls = ITERATOR_CLASS[kind] ?? 'builtins.iterator';
        return this.boxEntry(this.register(cls, { kind: 'iter', items: this.iterItems(e), pos: 0, cls }));
      }
      case '__next__': {
        if (t.kind !== 'iter') break;
        if (t.pos >= t.items.length) throw new ServedStopIteration();
        return this.box(t.items[t.pos++]);
      }
      case '__contains__':
        return valueBox({ t: 'bool', v: this.iterItems(e).some((x) => sameValue(x, arg(0))) });
      case 'count':
        return valueBox(int(this.iterItems(e).filter((x) => sameValue(x, arg(0))).length));
      case 'index': {
        const i = this.iterItems(e).findIndex((x) => sameValue(x, arg(0)));
        if (i < 0) throw new ServedError('ValueError', `${repr(arg(0))} is not in list`);
        return valueBox(int(i));
      }
      case '__getitem__':
        return this.getItem(e, arg(0));
      case 'get':
        return this.dictGet(e, arg(0)) ?? this.box(args[1] ?? none);
      case 'keys':
      case 'values':
      case 'items':
        if (t.kind === 'value' && t.value.t === 'dict') {
          const pick = (k: PyValue, v: PyValue): PyValue => (name === 'keys' ? k : name === 'values' ? v : { t: 'tuple', items: [k, v] });
          return this.box({ t: 'list', items: kvPairs(t.value.kv).map(([k, v]) => pick(k, v)) });
        }
        break;
      case 'append':
        if (t.kind === 'value' && t.value.t === 'list') {
          t.value.items.push(arg(0));
          return valueBox(none);
        }
        break;
    }
    throw new ServedError('AttributeError', `cannot access '${name}'`);
  }

  private dictGet(e: Entry, key: PyValue): Boxed | undefined {
    if (e.target.kind !== 'value' || e.target.value.t !== 'dict') return undefined;
    const hit = kvPairs(e.target.value.kv).find(([k]) => sameValue(k, key));
    return hit ? this.box(hit[1]) : undefined;
  }

  private getItem(e: Entry, key: PyValue): Boxed {
    const t = e.target;
    if (t.kind === 'value' && t.value.t === 'dict') {
      const hit = this.dictGet(e, key);
      if (!hit) throw new ServedError('KeyError', repr(key), [key]);
      return hit;
    }
    const items = this.iterItems(e);
    if (key.t === 'object' && key.name === 'slice') {
      const [start, stop, step] = key.args.map((a) => (a.t === 'int' ? Number(a.v) : undefined));
      const out = sliceItems(items, start, stop, step);
      return this.box({ t: 'list', items: out });
    }
    if (key.t !== 'int' && key.t !== 'bool') throw new ServedError('TypeError', `indices must be integers or slices, not ${key.t}`);
    let i = key.t === 'int' ? Number(key.v) : key.v ? 1 : 0;
    if (i < 0) i += items.length;
    if (i < 0 || i >= items.length) throw new ServedError('IndexError', `${this.typeName(e)} index out of range`);
    return this.box(items[i]);
  }
}

function sliceItems(items: PyValue[], start?: number, stop?: number, step = 1): PyValue[] {
  if (step === 0) throw new ServedError('ValueError', 'slice step cannot be zero');
  const n = items.length;
  const norm = (x: number | undefined, dflt: number, lo: number, hi: number) =>
    x === undefined ? dflt : Math.min(Math.max(x < 0 ? x + n : x, lo), hi);
  const out: PyValue[] = [];
  if (step > 0) {
    for (let i = norm(start, 0, 0, n); i < norm(stop, n, 0, n); i += step) out.push(items[i]);
  } else {
    for (let i = norm(start, n - 1, -1, n - 1); i > norm(stop, -1, -1, n - 1); i += step) out.push(items[i]);
  }
  return out;
}

function asInt(v: PyValue): bigint {
  if (v.t !== 'int') throw new ServedError('TypeError', `expected an int, got ${v.t}`);
  return v.v;
}

function valueBox(v: PyValue): Boxed {
  return { label: 'value', value: v };
}

/** RPyC boxes a tuple by value when every item is a plain value, else item by item. */
export function boxTuple(items: Boxed[]): Boxed {
  if (items.every((b) => b.label === 'value')) {
    return { label: 'value', value: { t: 'tuple', items: items.map((b) => (b.label === 'value' ? b.value : none)) } };
  }
  return { label: 'tuple', items };
}

/** Python's == for the values a server compares against ours: numbers by value, the rest by repr. */
function sameValue(a: PyValue, b: PyValue): boolean {
  const num = (v: PyValue): number | bigint | undefined =>
    v.t === 'int' ? v.v : v.t === 'bool' ? (v.v ? 1n : 0n) : v.t === 'float' ? v.v : undefined;
  const x = num(a);
  const y = num(b);
  if (x !== undefined && y !== undefined) {
    // bigint == number compares by value, as Python does
    return x == y;
  }
  return repr(a) === repr(b);
}
