// V8 flags for rpcscope's own Node processes: the CLI (bin/rpcscope.js carries them in its
// shebang line, test/unit/node-flags.test.ts keeps the two alike), web mode and Electron's main
// process (scripts/start.mjs), and the benchmarks, which measure the product as it runs.
//
// --max-semi-space-size=64: decoding a large reply allocates millions of small values that all
// survive, and with V8's default young generation (16 MB semi-spaces) the scavenger copies them
// over and over: about a third of the decode time of a 20 MB pickle (BENCHMARKS.md). The young
// generation only grows to this size under such a load.
export const NODE_FLAGS = ['--max-semi-space-size=64'];
