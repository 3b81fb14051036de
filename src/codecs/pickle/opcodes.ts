// The pickle opcode table (protocols 0-5), as pickletools.py describes it: the byte, the name,
// the protocol that introduced it, and how its inline argument is laid out.

/** Layout of an opcode's inline argument (pickletools' ArgumentDescriptor names). */
export type ArgKind =
  | 'none'
  | 'uint1'
  | 'uint2'
  | 'int4'
  | 'uint4'
  | 'uint8'
  | 'long1'
  | 'long4'
  | 'string1'
  | 'string4'
  | 'bytes1'
  | 'bytes4'
  | 'bytes8'
  | 'bytearray8'
  | 'unicodestring1'
  | 'unicodestring4'
  | 'unicodestring8'
  | 'decimalnl_short'
  | 'decimalnl_long'
  | 'floatnl'
  | 'float8'
  | 'stringnl'
  | 'stringnl_noescape'
  | 'stringnl_noescape_pair'
  | 'unicodestringnl';

export interface OpcodeInfo {
  code: number;
  name: string;
  proto: number;
  arg: ArgKind;
  /** pops everything down to the topmost MARK */
  usesMark?: boolean;
  /** pushes a MARK */
  pushesMark?: boolean;
}

export const OP = {
  MARK: 0x28,
  STOP: 0x2e,
  POP: 0x30,
  POP_MARK: 0x31,
  DUP: 0x32,
  FLOAT: 0x46,
  INT: 0x49,
  BININT: 0x4a,
  BININT1: 0x4b,
  LONG: 0x4c,
  BININT2: 0x4d,
  NONE: 0x4e,
  PERSID: 0x50,
  BINPERSID: 0x51,
  REDUCE: 0x52,
  STRING: 0x53,
  BINSTRING: 0x54,
  SHORT_BINSTRING: 0x55,
  UNICODE: 0x56,
  BINUNICODE: 0x58,
  APPEND: 0x61,
  BUILD: 0x62,
  GLOBAL: 0x63,
  DICT: 0x64,
  EMPTY_DICT: 0x7d,
  APPENDS: 0x65,
  GET: 0x67,
  BINGET: 0x68,
  INST: 0x69,
  LONG_BINGET: 0x6a,
  LIST: 0x6c,
  EMPTY_LIST: 0x5d,
  OBJ: 0x6f,
  PUT: 0x70,
  BINPUT: 0x71,
  LONG_BINPUT: 0x72,
  SETITEM: 0x73,
  TUPLE: 0x74,
  EMPTY_TUPLE: 0x29,
  SETITEMS: 0x75,
  BINFLOAT: 0x47,
  PROTO: 0x80,
  NEWOBJ: 0x81,
  EXT1: 0x82,
  EXT2: 0x83,
  EXT4: 0x84,
  TUPLE1: 0x85,
  TUPLE2: 0x86,
  TUPLE3: 0x87,
  NEWTRUE: 0x88,
  NEWFALSE: 0x89,
  LONG1: 0x8a,
  LONG4: 0x8b,
  BINBYTES: 0x42,
  SHORT_BINBYTES: 0x43,
  SHORT_BINUNICODE: 0x8c,
  BINUNICODE8: 0x8d,
  BINBYTES8: 0x8e,
  EMPTY_SET: 0x8f,
  ADDITEMS: 0x90,
  FROZENSET: 0x91,
  NEWOBJ_EX: 0x92,
  STACK_GLOBAL: 0x93,
  MEMOIZE: 0x94,
  FRAME: 0x95,
  BYTEARRAY8: 0x96,
  NEXT_BUFFER: 0x97,
  READONLY_BUFFER: 0x98,
} as const;

export type OpName = keyof typeof OP;

const ARGS: Partial<Record<OpName, ArgKind>> = {
  FLOAT: 'floatnl',
  INT: 'decimalnl_short',
  BININT: 'int4',
  BININT1: 'uint1',
  LONG: 'decimalnl_long',
  BININT2: 'uint2',
  PERSID: 'stringnl_noescape',
  STRING: 'stringnl',
  BINSTRING: 'string4',
  SHORT_BINSTRING: 'string1',
  UNICODE: 'unicodestringnl',
  BINUNICODE: 'unicodestring4',
  GLOBAL: 'stringnl_noescape_pair',
  GET: 'decimalnl_short',
  BINGET: 'uint1',
  INST: 'stringnl_noescape_pair',
  LONG_BINGET: 'uint4',
  PUT: 'decimalnl_short',
  BINPUT: 'uint1',
  LONG_BINPUT: 'uint4',
  BINFLOAT: 'float8',
  PROTO: 'uint1',
  EXT1: 'uint1',
  EXT2: 'uint2',
  EXT4: 'int4',
  LONG1: 'long1',
  LONG4: 'long4',
  BINBYTES: 'bytes4',
  SHORT_BINBYTES: 'bytes1',
  SHORT_BINUNICODE: 'unicodestring1',
  BINUNICODE8: 'unicodestring8',
  BINBYTES8: 'bytes8',
  FRAME: 'uint8',
  BYTEARRAY8: 'bytearray8',
};

const PROTO_OF: Partial<Record<OpName, number>> = {
  BINFLOAT: 1, BININT: 1, BININT1: 1, BININT2: 1, BINPERSID: 1, BINSTRING: 1, SHORT_BINSTRING: 1,
  BINUNICODE: 1, APPENDS: 1, EMPTY_DICT: 1, BINGET: 1, LONG_BINGET: 1, EMPTY_LIST: 1, OBJ: 1,
  BINPUT: 1, LONG_BINPUT: 1, EMPTY_TUPLE: 1, SETITEMS: 1, POP_MARK: 1,
  PROTO: 2, NEWOBJ: 2, EXT1: 2, EXT2: 2, EXT4: 2, TUPLE1: 2, TUPLE2: 2, TUPLE3: 2, NEWTRUE: 2,
  NEWFALSE: 2, LONG1: 2, LONG4: 2,
  BINBYTES: 3, SHORT_BINBYTES: 3,
  SHORT_BINUNICODE: 4, BINUNICODE8: 4, BINBYTES8: 4, EMPTY_SET: 4, ADDITEMS: 4, FROZENSET: 4,
  NEWOBJ_EX: 4, STACK_GLOBAL: 4, MEMOIZE: 4, FRAME: 4,
  BYTEARRAY8: 5, NEXT_BUFFER: 5, READONLY_BUFFER: 5,
};

const MARK_USERS: OpName[] = ['POP_MARK', 'TUPLE', 'LIST', 'DICT', 'APPENDS', 'SETITEMS', 'ADDITEMS', 'FROZENSET', 'INST', 'OBJ'];

/** Opcode info by byte; undefined for bytes that are not opcodes. */
export const OPCODES: (OpcodeInfo | undefined)[] = new Array(256).fill(undefined);
for (const name of Object.keys(OP) as OpName[]) {
  OPCODES[OP[name]] = {
    code: OP[name],
    name,
    proto: PROTO_OF[name] ?? 0,
    arg: ARGS[name] ?? 'none',
    usesMark: MARK_USERS.includes(name) || undefined,
    pushesMark: name === 'MARK' || undefined,
  };
}

export const HIGHEST_PROTOCOL = 5;
