// The safe pickle codec: decoded by our own interpreter of the opcodes, never executed.
export { decodePickle, decodePickleAt, DEFAULT_PICKLE_LIMITS, type PickleLimits } from './decode';
export { encodePickle, DEFAULT_PICKLE_PROTOCOL, type PickleEncodeOptions } from './encode';
export { disassemblePickle, type PickleDisassembly, type PickleOp } from './disassemble';
