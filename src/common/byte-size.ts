/** A byte count as people read it: 512 B, 1.5 KB, 2.9 MB (never "1024.0 KB"). */
export function fmtSize(n: number): string {
  if (n < 1024) return `${n} B`;
  const kb = n / 1024;
  return kb < 1023.95 ? `${kb.toFixed(1)} KB` : `${(n / (1 << 20)).toFixed(1)} MB`;
}
