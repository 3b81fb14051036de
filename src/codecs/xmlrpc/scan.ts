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
  text(text: string): void;
  close(): void;
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
        on.text(t);
      } else on.text(xml.slice(i, k));
    }
    if (k >= n) break;
    // markup at k: `</name>`, `<name>` or `<name/>`, nothing else
    const closing = k + 1 < n && xml.charCodeAt(k + 1) === 0x2f;
    const from = closing ? k + 2 : k + 1;
    let e = from;
    while (e < n && isNameChar(xml.charCodeAt(e), e === from)) e++;
    if (e === from || e >= n) return false;
    let selfClosing = false;
    if (xml.charCodeAt(e) !== 0x3e) {
      // attributes, spaces, `<!`, `<?`: saxes
      if (closing || xml.charCodeAt(e) !== 0x2f || e + 1 >= n || xml.charCodeAt(e + 1) !== 0x3e) return false;
      selfClosing = true;
    }
    if (closing) {
      if (names.length === 0 || !isSameName(xml, from, e, names.pop()!)) return false;
      on.close();
    } else {
      if (names.length === 0) {
        if (rootSeen) return false; // a second root
        rootSeen = true;
      }
      const name = xml.slice(from, e);
      on.open(name);
      if (selfClosing) on.close();
      else names.push(name);
    }
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


/** ASCII XML name characters: a letter, `_` or `:` first, then also digits, `.` and `-`. */
function isNameChar(c: number, first: boolean): boolean {
  const folded = c | 0x20; // lower-cases letters
  if ((folded >= 0x61 && folded <= 0x7a) || c === 0x5f || c === 0x3a) return true;
  return !first && ((c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x2d);
}

function isSameName(xml: string, a: number, b: number, name: string): boolean {
  if (b - a !== name.length) return false;
  for (let k = 0; k < name.length; k++) if (xml.charCodeAt(a + k) !== name.charCodeAt(k)) return false;
  return true;
}
