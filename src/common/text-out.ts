// Text built from many small pieces (a repr, a JSON text), joined a few thousand at a time into
// chunks, through one array of a chunk's pieces filled again and again: one array of every piece
// of a large reply's text (millions of them) was grown and copied over and over and kept to the
// end (the repr of a 20 MB reply took 2.4× as long). Appending with += instead builds a rope of
// millions of cells that all survive: slower still.
const CHUNK = 4096;

export class TextOut {
  /** grown by the first chunk, then written over by the next ones */
  private readonly parts: string[] = [];
  private n = 0;
  private readonly chunks: string[] = [];

  push(s: string): void {
    this.parts[this.n++] = s;
    if (this.n === CHUNK) {
      this.chunks.push(this.parts.join(''));
      this.n = 0;
    }
  }

  /** The whole text; call once, at the end. */
  text(): string {
    this.parts.length = this.n;
    this.n = 0;
    if (this.chunks.length === 0) return this.parts.join('');
    this.chunks.push(this.parts.join(''));
    return this.chunks.join('');
  }
}
