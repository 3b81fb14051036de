// Displays of standard-library values built from their pickled arguments, against Python's repr of
// the same values over many inputs (the golden vectors hold one or two of each).
import { describe, expect, it } from 'vitest';
import { stdlibDisplay } from '../../src/codecs/pickle/stdlib-displays';
import { runPython } from '../helpers/python';

describe('stdlib displays', () => {
  it('writes an IPv6 address from its int (as Python 3.10 and older pickle it) as ipaddress does', () => {
    const pairs = JSON.parse(
      runPython(String.raw`
import ipaddress, json, random
r = random.Random(3)
vals = [0, 1, 2**128 - 1] + [int(ipaddress.ip_address(a)) for a in ['2001:db8::1', '1::1:0:0:1', '1:0:0:1:0:0:0:1', '::ffff:1.2.3.4', '1:0:1:0:1:0:1:0']]
for _ in range(500):
    hs = [r.choice([0, 0, 0, r.randint(0, 65535)]) for _ in range(8)]
    vals.append(sum(h << (112 - 16 * i) for i, h in enumerate(hs)))
print(json.dumps([[str(v), repr(ipaddress.IPv6Address(v))] for v in vals]))
`),
    ) as [string, string][];
    const bad = pairs.filter(([n, want]) => stdlibDisplay({ t: 'object', module: 'ipaddress', name: 'IPv6Address', args: [{ t: 'int', v: BigInt(n) }] }) !== want);
    expect(bad).toEqual([]);
    expect(pairs.length).toBeGreaterThan(500);
  });
});
