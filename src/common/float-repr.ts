// CPython's float repr ('r' format): the shortest digit string that round-trips, written in
// positional form when the decimal exponent is in [-4, 16) and in exponent form otherwise.
// JS's toExponential() without an argument yields exactly those shortest digits, so only the
// layout differs.

/** repr(float): `0.1`, `100.0`, `1e+16`, `1e-05`, `inf`, `nan`, `-0.0`. */
export function floatRepr(x: number): string {
  return formatShortest(x, true);
}

/**
 * The same digits without forcing a `.0` on integral values (`1`, `-0`): what complex repr uses
 * for its parts.
 */
export function floatReprNoDot0(x: number): string {
  return formatShortest(x, false);
}

function formatShortest(x: number, addDot0: boolean): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return (Object.is(x, -0) ? '-0' : '0') + (addDot0 ? '.0' : '');
  const a = Math.abs(x);
  if (a >= 1e-4 && a < 1e16) {
    // positional in both languages here, with the same shortest digits: only the `.0` differs
    const s = String(x);
    return addDot0 && !s.includes('.') ? s + '.0' : s;
  }
  const sign = x < 0 ? '-' : '';
  const [mantissa, expText] = Math.abs(x).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exp = Number(expText);
  // Python's rule (PyOS_double_to_string, mode 'r'): decpt = exp + 1; exponent form when
  // decpt <= -4 or decpt > 16.
  if (exp < -4 || exp >= 16) {
    const frac = digits.length > 1 ? '.' + digits.slice(1) : '';
    const e = Math.abs(exp).toString().padStart(2, '0');
    return `${sign}${digits[0]}${frac}e${exp < 0 ? '-' : '+'}${e}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const intLen = exp + 1;
  if (digits.length <= intLen) return sign + digits + '0'.repeat(intLen - digits.length) + (addDot0 ? '.0' : '');
  return `${sign}${digits.slice(0, intLen)}.${digits.slice(intLen)}`;
}
