// RPyC 5.x messages (rpyc/core/protocol.py, consts.py): the payload of a frame is brine of
// (msg, seq, args). A REQUEST's args are (handler, boxed_args); a REPLY's is the boxed result; an
// EXCEPTION's is the vinegar tuple. Boxing carries what brine cannot: tuples of boxes, and references
// to objects that live in one of the two processes.
import { RpcError } from '../../common/errors';
import { fieldsCutNote, MAX_LAYER_FIELDS, type Layer } from '../../common/frames';
import { repr } from '../../common/repr';
import type { PyValue } from '../../common/value';
import { brineFields, decodeBrine, encodeBrine, type BrineLimits } from './brine';

export const MSG = { REQUEST: 1, REPLY: 2, EXCEPTION: 3 } as const;
export type MsgType = (typeof MSG)[keyof typeof MSG];

export const LABEL = { VALUE: 1, TUPLE: 2, LOCAL_REF: 3, REMOTE_REF: 4 } as const;

export const HANDLER = {
  PING: 1,
  CLOSE: 2,
  GETROOT: 3,
  GETATTR: 4,
  DELATTR: 5,
  SETATTR: 6,
  CALL: 7,
  CALLATTR: 8,
  REPR: 9,
  STR: 10,
  CMP: 11,
  HASH: 12,
  DIR: 13,
  PICKLE: 14,
  DEL: 15,
  INSPECT: 16,
  BUFFITER: 17,
  OLDSLICING: 18,
  CTXEXIT: 19,
  INSTANCECHECK: 20,
} as const;
export type Handler = (typeof HANDLER)[keyof typeof HANDLER];

const invert = (o: Record<string, number>): Map<number, string> => new Map(Object.entries(o).map(([k, v]) => [v, k]));
const MSG_NAMES = invert(MSG);
const LABEL_NAMES = invert(LABEL);
const HANDLER_NAMES = invert(HANDLER);

export const msgName = (m: number): string => MSG_NAMES.get(m) ?? `MSG_${m}`;
export const handlerName = (h: number): string => HANDLER_NAMES.get(h) ?? `HANDLE_${h}`;
export const labelName = (l: number): string => LABEL_NAMES.get(l) ?? `LABEL_${l}`;

/**
 * The identity of a boxed object: (class "module.Name", id of the class, id of the instance), as
 * rpyc.lib.get_id_pack builds it. The ids are Python id()s: big ints.
 */
export interface IdPack {
  cls: string;
  classId: bigint;
  instanceId: bigint;
}

export type Boxed =
  | { label: 'value'; value: PyValue }
  | { label: 'tuple'; items: Boxed[] }
  /** an object that lives in the process receiving this box (it sent it to us before) */
  | { label: 'local'; id: IdPack }
  /** an object that lives in the process sending this box */
  | { label: 'remote'; id: IdPack };

export interface Message {
  msg: MsgType;
  seq: number;
  args: PyValue;
}

const int = (n: number | bigint): PyValue => ({ t: 'int', v: BigInt(n) });
const tuple = (items: PyValue[]): PyValue => ({ t: 'tuple', items });

export function idPackValue(id: IdPack): PyValue {
  return tuple([{ t: 'str', v: id.cls }, int(id.classId), int(id.instanceId)]);
}

function protocolError(what: string): RpcError {
  return new RpcError('E_PROTOCOL', `rpyc: ${what}`);
}

function asInt(v: PyValue | undefined, what: string): bigint {
  if (v?.t !== 'int') throw protocolError(`${what} must be an int, got ${v ? repr(v) : 'nothing'}`);
  return v.v;
}

function asTuple(v: PyValue | undefined, what: string, len?: number): PyValue[] {
  if (v?.t !== 'tuple' || (len !== undefined && v.items.length !== len)) {
    throw protocolError(`${what} must be a ${len ?? ''}${len === undefined ? '' : '-'}tuple, got ${v ? repr(v) : 'nothing'}`);
  }
  return v.items;
}

export function idPackFrom(v: PyValue): IdPack {
  const [cls, classId, instanceId] = asTuple(v, 'an id_pack', 3);
  // Python accepts bytes or str for the class name (it calls str() on it)
  if (cls.t !== 'str') throw protocolError(`an id_pack's class name must be a str, got ${repr(cls)}`);
  return { cls: cls.v, classId: asInt(classId, 'an id_pack class id'), instanceId: asInt(instanceId, 'an id_pack instance id') };
}

export function boxToValue(b: Boxed): PyValue {
  switch (b.label) {
    case 'value':
      return tuple([int(LABEL.VALUE), b.value]);
    case 'tuple':
      return tuple([int(LABEL.TUPLE), tuple(b.items.map(boxToValue))]);
    case 'local':
      return tuple([int(LABEL.LOCAL_REF), idPackValue(b.id)]);
    case 'remote':
      return tuple([int(LABEL.REMOTE_REF), idPackValue(b.id)]);
  }
}

export function boxFromValue(v: PyValue): Boxed {
  const [label, body] = asTuple(v, 'a boxed value', 2);
  switch (Number(asInt(label, 'a box label'))) {
    case LABEL.VALUE:
      return { label: 'value', value: body };
    case LABEL.TUPLE:
      return { label: 'tuple', items: asTuple(body, 'a boxed tuple').map(boxFromValue) };
    case LABEL.LOCAL_REF:
      return { label: 'local', id: idPackFrom(body) };
    case LABEL.REMOTE_REF:
      return { label: 'remote', id: idPackFrom(body) };
    default:
      throw protocolError(`unknown box label ${repr(label)}`);
  }
}

export function encodeMessage(msg: MsgType, seq: number, args: PyValue): Uint8Array {
  return encodeBrine(tuple([int(msg), int(seq), args]));
}

export function requestArgs(handler: Handler, args: Boxed): PyValue {
  return tuple([int(handler), boxToValue(args)]);
}

export function decodeMessage(payload: Uint8Array, limits?: BrineLimits): Message {
  // RPyC 6 sends the message type as a raw byte before the brine; 5.x payloads start with TUP3
  if (payload.length > 1 && payload[0] >= MSG.REQUEST && payload[0] <= MSG.EXCEPTION) {
    throw new RpcError('E_PROTOCOL', 'rpyc: the peer speaks the RPyC 6 message format; rpyc:// speaks RPyC 5.x (not wire compatible)');
  }
  const [msg, seq, args] = asTuple(decodeBrine(payload, limits), 'a message', 3);
  const m = Number(asInt(msg, 'the message type'));
  if (m !== MSG.REQUEST && m !== MSG.REPLY && m !== MSG.EXCEPTION) throw protocolError(`unknown message type ${m}`);
  const s = asInt(seq, 'the sequence number');
  if (s < 0n || s > BigInt(Number.MAX_SAFE_INTEGER)) throw protocolError(`sequence number ${s} out of range`);
  return { msg: m, seq: Number(s), args };
}

/** A REQUEST's handler and boxed arguments. */
export function decodeRequest(args: PyValue): { handler: number; args: Boxed } {
  const [handler, boxed] = asTuple(args, 'request args', 2);
  return { handler: Number(asInt(handler, 'the handler')), args: boxFromValue(boxed) };
}

/** Readable form of a box for the wire view: refs as <ref module.Class #id>. */
export function boxSummary(b: Boxed): string {
  switch (b.label) {
    case 'value':
      return repr(b.value);
    case 'tuple':
      return `(${b.items.map(boxSummary).join(', ')}${b.items.length === 1 ? ',' : ''})`;
    case 'local':
      return `<local ref ${b.id.cls} ${b.id.instanceId}>`;
    case 'remote':
      return `<remote ref ${b.id.cls} ${b.id.instanceId}>`;
  }
}

function clip(s: string, n = 200): string {
  return s.length > n ? `${s.slice(0, n - 3)}...` : s;
}

/** The rpyc, brine and value layers of a payload whose bytes start at `base` in the frame. */
export function messageLayers(payload: Uint8Array, base: number): Layer[] {
  const m = decodeMessage(payload);
  const range: [number, number] = [base, base + payload.length];
  const fields = [
    { name: 'msg', value: `${m.msg} ${msgName(m.msg)}` },
    { name: 'seq', value: String(m.seq) },
  ];
  let title = `${msgName(m.msg)} seq ${m.seq}`;
  if (m.msg === MSG.REQUEST) {
    const r = decodeRequest(m.args);
    title += ` ${handlerName(r.handler)}`;
    fields.push({ name: 'handler', value: `${r.handler} ${handlerName(r.handler)}` });
    fields.push({ name: 'args', value: clip(boxSummary(r.args)) });
  } else if (m.msg === MSG.REPLY) {
    fields.push({ name: 'result', value: clip(boxSummary(boxFromValue(m.args))) });
  } else {
    fields.push({ name: 'exception', value: clip(repr(m.args)) });
  }
  const tree = brineFields(payload);
  const brine = tree.slice(0, MAX_LAYER_FIELDS).map((f) => ({
    ...f,
    range: f.range ? ([f.range[0] + base, f.range[1] + base] as [number, number]) : undefined,
  }));
  return [
    { kind: 'rpyc', title, range, fields },
    { kind: 'brine', title: `brine, ${payload.length} bytes${tree.length > MAX_LAYER_FIELDS ? fieldsCutNote : ''}`, range, fields: brine },
    { kind: 'value', title: 'value', text: repr(decodeBrine(payload)), range },
  ];
}
