import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { treeHeadProblem, type SignedTreeHead } from './tree-head';

export const WITNESS_FILE = 'tree-heads.jsonl';

/**
 * The witness file in CBEC_AUDIT_WITNESS_DIR (meant for another mount or machine): every signed head
 * appended as one JSON line, fsync'd, never rewritten. Whoever can rewrite the data folder but not this
 * file cannot make a rewritten log verify against it.
 */
export class WitnessFile {
  readonly file: string;

  constructor(readonly dir: string) {
    this.file = join(dir, WITNESS_FILE);
  }

  append(head: SignedTreeHead): void {
    mkdirSync(this.dir, { recursive: true });
    const fd = openSync(this.file, 'a', 0o600);
    try {
      writeSync(fd, JSON.stringify(head) + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  /** The last head the file holds (a torn last line, from a crash mid-write, is skipped). */
  last(): SignedTreeHead | null {
    if (!existsSync(this.file)) return null;
    const lines = readFileSync(this.file, 'utf8').split('\n');
    for (let i = lines.length - 1; i >= 0; i--) {
      if (lines[i].trim() === '') continue;
      try {
        const value = JSON.parse(lines[i]) as unknown;
        if (treeHeadProblem(value) === null) return value as SignedTreeHead;
      } catch {
        // a torn line: the one before it is the last whole head
      }
    }
    return null;
  }
}
