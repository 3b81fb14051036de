// The collection files used last (opened or saved into), most recent first, kept in the data
// directory so the window shows the user's collection again when it opens.
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { writePrivateFile } from './secrets';

const MAX_RECENT = 10;
const recentSchema = z.object({ files: z.array(z.string()) });

export class RecentFiles {
  private files: string[];

  /** file: where the list is kept; without one it lives only as long as the process */
  constructor(private readonly file?: string) {
    this.files = file ? readRecent(file) : [];
  }

  /** The files that still exist, most recent first. */
  list(): string[] {
    return this.files.filter((f) => existsSync(f));
  }

  add(path: string): void {
    const files = [path, ...this.files.filter((f) => f !== path)].slice(0, MAX_RECENT);
    if (files.length === this.files.length && files.every((f, i) => f === this.files[i])) return;
    this.files = files;
    // the list is a convenience: failing to keep it must not fail the open or save that used the file
    if (this.file) {
      try {
        writePrivateFile(this.file, JSON.stringify({ files }, null, 2) + '\n');
      } catch {
        // (a read-only data directory: the list lasts as long as the process)
      }
    }
  }
}

/** A missing or unreadable list is an empty one; it is written anew on the next add. */
function readRecent(file: string): string[] {
  try {
    return recentSchema.parse(JSON.parse(readFileSync(file, 'utf8'))).files.slice(0, MAX_RECENT);
  } catch {
    return [];
  }
}
