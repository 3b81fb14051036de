// How the wire view writes a frame's time and size, in its list and in a frame's detail.

/** the clock time to the ms: 17:41:30.516 */
export function fmtTime(t: number): string {
  const d = new Date(t);
  return `${d.toLocaleTimeString([], { hour12: false })}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

/** a time since the call's first frame: 0.39 ms, 240 ms, 12.5 s */
export function fmtSince(ms: number): string {
  return ms < 10 ? `${ms.toFixed(2)} ms` : ms < 10_000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export { fmtSize } from '../../../src/common/byte-size';
