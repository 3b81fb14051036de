// Indented XML for the wire view: one element a line, leaf elements (`<int>1</int>`) kept whole.
// A display aid, not a parser: it never fails, whatever the text.
export function prettyXml(xml: string, indent = '  '): string {
  const tokens = xml.match(/<[^>]*>|[^<]+/g) ?? [];
  const lines: string[] = [];
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i];
    if (tok.startsWith('<')) {
      if (tok.startsWith('</')) {
        depth = Math.max(0, depth - 1);
        lines.push(indent.repeat(depth) + tok);
      } else if (tok.startsWith('<?') || tok.startsWith('<!') || tok.endsWith('/>')) {
        lines.push(indent.repeat(depth) + tok);
      } else {
        // <value><int>1</int></value> and <tag>text</tag> on one line
        const leaf = leafValue(tokens, i);
        if (leaf > 0) {
          lines.push(indent.repeat(depth) + tokens.slice(i, i + leaf).join(''));
          i += leaf - 1;
          continue;
        }
        const next = tokens[i + 1];
        const close = tokens[i + 2];
        if (next !== undefined && !next.startsWith('<') && close?.startsWith('</')) {
          lines.push(indent.repeat(depth) + tok + next + close);
          i += 2;
        } else if (next?.startsWith('</')) {
          lines.push(indent.repeat(depth) + tok + next);
          i += 1;
        } else {
          lines.push(indent.repeat(depth) + tok);
          depth++;
        }
      }
    } else if (tok.trim() !== '') {
      lines.push(indent.repeat(depth) + tok.trim());
    }
  }
  return lines.join('\n');
}

/** Token count of `<value><t>text</t></value>` or `<value><nil/></value>` starting at i, else 0. */
function leafValue(tokens: string[], i: number): number {
  if (!/^<value\b/.test(tokens[i])) return 0;
  const a = tokens[i + 1];
  if (a === undefined || !a.startsWith('<') || a.startsWith('</') || /^<(array|struct)\b/.test(a)) return 0;
  if (a.endsWith('/>')) return tokens[i + 2]?.startsWith('</value') ? 3 : 0;
  const b = tokens[i + 2];
  if (b === undefined) return 0;
  if (b.startsWith('</')) return tokens[i + 3]?.startsWith('</value') ? 4 : 0;
  return tokens[i + 3]?.startsWith('</') && tokens[i + 4]?.startsWith('</value') ? 5 : 0;
}
