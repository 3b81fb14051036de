// The safe pickle codec: pickles are read by our own interpreter of the opcodes and never executed.
// decodePickle(bytes, limits?)      -> PyValue; RpcError E_DECODE (malformed) or E_LIMIT (a limit)
// decodePickleAt(bytes, start)      -> { value, end }, for several pickles in one buffer
// encodePickle(value, {protocol})   -> bytes Python 2.7 (protocol <= 2) and 3.x load back as an equal value
// disassemblePickle(bytes, start?)  -> pickletools.dis text and per-opcode byte ranges; never throws
export { decodePickle, decodePickleAt, DEFAULT_PICKLE_LIMITS, type PickleLimits } from './decode';
export { encodePickle, DEFAULT_PICKLE_PROTOCOL, type PickleEncodeOptions } from './encode';
export { disassemblePickle, type PickleDisassembly, type PickleOp } from './disassemble';
