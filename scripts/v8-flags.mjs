// V8 flags for the processes `npm start` runs the app in (the Electron main process, or web mode's
// Node process) and that `npm run bench` measures the codecs in, so the benchmark times what the app
// does.
//
// A young generation of 2 × 32 MB instead of V8's 2 × 16 MB: a large reply (a 20 MB pickle is
// about 200 MB of values, all kept) is then allocated straight into the old generation once V8 has
// seen its first scavenges survive whole; with 16 MB V8 never decided so on the 2-core VMs the
// benchmark runs on (`--trace-pretenuring`), and scavenges copied every value twice: a 20-25%
// slower decode. The young generation grows to that size only while a process allocates that fast.
export const V8_FLAGS = ['--max-semi-space-size=32'];

/** Electron takes V8 flags for its main process only on its own command line. */
export const electronV8Switch = () => `--js-flags=${V8_FLAGS.join(' ')}`;
