import { closeSync, openSync, readSync } from 'node:fs';
import { createHash } from 'node:crypto';

/**
 * The lines of a file, read in 1 MiB chunks (a bundle of the whole log is larger than a JavaScript string
 * may be). Splits on '\n' bytes, so multi-byte UTF-8 characters are never cut. A last line without '\n'
 * is yielded too.
 */
export function* readLines(file: string, chunkSize = 1 << 20): Generator<string> {
  const fd = openSync(file, 'r');
  try {
    const chunk = Buffer.alloc(chunkSize);
    let carry: Buffer = Buffer.alloc(0);
    for (;;) {
      const n = readSync(fd, chunk, 0, chunkSize, null);
      if (n === 0) break;
      let data = carry.length ? Buffer.concat([carry, chunk.subarray(0, n)]) : chunk.subarray(0, n);
      let start = 0;
      for (let nl = data.indexOf(10, start); nl !== -1; nl = data.indexOf(10, start)) {
        yield data.toString('utf8', start, nl);
        start = nl + 1;
      }
      carry = Buffer.from(data.subarray(start));
      data = Buffer.alloc(0);
    }
    if (carry.length) yield carry.toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** SHA-256 of a file, read in chunks. */
export function fileSha256(file: string, chunkSize = 1 << 20): string {
  const hash = createHash('sha256');
  const fd = openSync(file, 'r');
  try {
    const chunk = Buffer.alloc(chunkSize);
    for (let n = readSync(fd, chunk, 0, chunkSize, null); n > 0; n = readSync(fd, chunk, 0, chunkSize, null)) hash.update(chunk.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}
