// Text built from many small pieces (a repr, a JSON text), joined a few thousand at a time: one
// array of every piece of a large reply's text (millions of them) would be grown and copied over
// and over and kept to the end, where short-lived chunks die young. Appending with += instead
// builds a rope of millions of cells that all survive: slower still.
const CHUNK = 4096;

export class TextOut {
  private parts: string[] = [];
  private readonly chunks: string[] = [];

  push(s: string): void {
    const parts = this.parts;
    parts.push(s);
    if (parts.length === CHUNK) {
      this.chunks.push(parts.join(''));
      this.parts = [];
    }
  }

  text(): string {
    this.chunks.push(this.parts.join(''));
    this.parts = [];
    return this.chunks.join('');
  }
}
