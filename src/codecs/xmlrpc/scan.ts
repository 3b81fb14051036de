// A scanner for the XML that XML-RPC peers write: elements without attributes, text with the five
// predefined entities and character references, an optional XML declaration, whitespace around the
// root. It is several times faster than a general XML parser on a large reply because it finds
// markup with indexOf and checks text with one loop over its characters.
//
// It returns false at the first thing outside that subset (a comment, CDATA, a DOCTYPE, a
// processing instruction, an attribute, a carriage return, a name outside ASCII, an unknown
// entity...) and the caller then parses the whole document with saxes, which handles all of XML
// and says what is wrong. What it accepts is well-formed XML, checked as saxes checks it.

export interface XmlEvents {
  open(name: string): void;
  /** text inside the root element; only called while `collecting` is true */
  text(text: string): void;
  close(): void;
  /** whether text matters now (XML-RPC ignores the whitespace between most elements) */
  readonly collecting: boolean;
}

/** `<?xml version="1.0" encoding="utf-8"?>` and the like; anything fancier goes to saxes. */
const DECLARATION = /^<\?xml\s+version\s*=\s*(['"])1\.[0-9]+\1(\s+encoding\s*=\s*(['"])[Uu][Tt][Ff]-?8\3)?(\s+standalone\s*=\s*(['"])(yes|no)\5)?\s*\?>$/;

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Scan `xml`, reporting elements and text to `on`. False: not in the subset (nothing is wrong yet). */
export function scanSimpleXml(xml: string, on: XmlEvents): boolean {
  const n = xml.length;
  let i = 0;
  if (xml.startsWith('<?xml')) {
    const end = xml.indexOf('?>');
    if (end < 0 || !DECLARATION.test(xml.slice(0, end + 2))) return false;
    i = end + 2;
  }
  const names: string[] = [];
  const seenNames: (string[] | undefined)[] = new Array(NAME_BUCKETS);
  let rootSeen = false;
  while (i < n) {
    // text up to the next '<', checked on the way (one pass: no indexOf and then a second loop)
    let space = true;
    let amp = false;
    let k = i;
    for (; k < n; k++) {
      const c = xml.charCodeAt(k);
      if (c === 0x3c) break;
      if (c < 0x20) {
        if (c !== 0x0a && c !== 0x09) return false; // a control character, or \r (XML makes it \n)
        continue;
      }
      if (c === 0x20) continue;
      space = false;
      if (c < 0x7f) {
        if (c === 0x26) amp = true;
        else if (c === 0x3e && k >= i + 2 && xml.charCodeAt(k - 1) === 0x5d && xml.charCodeAt(k - 2) === 0x5d) return false; // ]]>
        continue;
      }
      if (c >= 0xd800) {
        if (c <= 0xdbff) {
          const d = k + 1 < n ? xml.charCodeAt(k + 1) : 0;
          if (d < 0xdc00 || d > 0xdfff) return false; // a surrogate half on its own
          k++;
        } else if (c <= 0xdfff || c >= 0xfffe) return false;
      }
    }
    if (k > i) {
      if (names.length === 0) {
        if (!space) return false; // text outside the root element
      } else if (amp) {
        const t = decodeEntities(xml.slice(i, k));
        if (t === undefined) return false;
        if (on.collecting) on.text(t);
      } else if (on.collecting) on.text(xml.slice(i, k));
    }
    if (k >= n) break;
    // markup at k: `</name>`, `<name>` or `<name/>`, nothing else
    if (k + 1 < n && xml.charCodeAt(k + 1) === 0x2f) {
      // a close tag must name the innermost open element: compare with it, then expect '>'
      const name = names.pop();
      const e = k + 2 + (name === undefined ? 0 : name.length);
      if (name === undefined || e >= n || xml.charCodeAt(e) !== 0x3e || !isSameName(xml, k + 2, name)) return false;
      on.close();
      i = e + 1;
      continue;
    }
    const from = k + 1;
    let e = from;
    if (e < n && NAME_START[xml.charCodeAt(e)] === 1) {
      e++;
      while (e < n && NAME_CHAR[xml.charCodeAt(e)] === 1) e++;
    }
    if (e === from || e >= n) return false;
    let selfClosing = false;
    if (xml.charCodeAt(e) !== 0x3e) {
      // attributes, spaces, `<!`, `<?`: saxes
      if (xml.charCodeAt(e) !== 0x2f || e + 1 >= n || xml.charCodeAt(e + 1) !== 0x3e) return false;
      selfClosing = true;
    }
    if (names.length === 0) {
      if (rootSeen) return false; // a second root
      rootSeen = true;
    }
    const name = internedName(xml, from, e, seenNames);
    on.open(name);
    if (selfClosing) on.close();
    else names.push(name);
    i = selfClosing ? e + 2 : e + 1;
  }
  return rootSeen && names.length === 0;
}

/** `&lt;` `&#60;` `&#x3c;` and friends replaced; undefined for any other use of `&`. */
function decodeEntities(t: string): string | undefined {
  let out = '';
  let from = 0;
  for (let amp = t.indexOf('&'); amp >= 0; amp = t.indexOf('&', from)) {
    const semi = t.indexOf(';', amp + 1);
    if (semi < 0) return undefined;
    const ref = t.slice(amp + 1, semi);
    let ch: string | undefined;
    if (ref.charCodeAt(0) === 0x23) {
      const hex = ref.charCodeAt(1) === 0x78;
      const digits = ref.slice(hex ? 2 : 1);
      if (!(hex ? /^[0-9A-Fa-f]{1,6}$/ : /^[0-9]{1,7}$/).test(digits)) return undefined;
      const cp = parseInt(digits, hex ? 16 : 10);
      if (!isXmlChar(cp)) return undefined;
      ch = String.fromCodePoint(cp);
    } else ch = Object.prototype.hasOwnProperty.call(ENTITIES, ref) ? ENTITIES[ref] : undefined;
    if (ch === undefined) return undefined;
    out += t.slice(from, amp) + ch;
    from = semi + 1;
  }
  return out + t.slice(from);
}

function isXmlChar(cp: number): boolean {
  return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}


/** ASCII XML name characters (others send the document to saxes): letters, `_` and `:` may
 *  start a name; digits, `.` and `-` may follow. Indexed by char code; codes past 127 read undefined. */
const NAME_START = new Uint8Array(128);
const NAME_CHAR = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  NAME_START[c] = /[A-Za-z_:]/.test(ch) ? 1 : 0;
  NAME_CHAR[c] = /[A-Za-z0-9_:.-]/.test(ch) ? 1 : 0;
}

const NAME_BUCKETS = 64;
const NAMES_PER_BUCKET = 4;

/**
 * The name at `xml[a, b)`, as the string already made for it when it was seen before: a reply
 * repeats a dozen element names a million times, and a new string for each is work for the GC.
 * Names seen are kept by length and last character, so a lookup compares with one or two of them.
 */
function internedName(xml: string, a: number, b: number, seen: (string[] | undefined)[]): string {
  const n = b - a;
  const bucket = (n * 7 + xml.charCodeAt(b - 1)) & (NAME_BUCKETS - 1);
  const names = (seen[bucket] ??= []);
  for (const name of names) if (name.length === n && isSameName(xml, a, name)) return name;
  const name = xml.slice(a, b);
  if (names.length < NAMES_PER_BUCKET) names.push(name);
  return name;
}

function isSameName(xml: string, a: number, name: string): boolean {
  for (let k = 0; k < name.length; k++) if (xml.charCodeAt(a + k) !== name.charCodeAt(k)) return false;
  return true;
}
